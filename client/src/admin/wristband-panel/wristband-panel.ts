import { css, html, LitElement, nothing } from 'lit'
import type { WristbandBatch } from '../../../../protocol/host.ts'
import type { ApiResult } from '../../lib/api.ts'
import { msg, str } from '../../lib/i18n.ts'
import { adminStyles, panelStyles } from '../shared/admin.styles.ts'
import { count } from '../shared/format.ts'
import { Actions, adminBase, CSRF_HEADERS, hostApi } from '../shared/host-api.ts'
import { describeNumbers, parseNumbers } from './parse-numbers.ts'

export type { WristbandBatch }

/**
 * Fetches a host download (it needs the host cookie, so a plain link would not do) and
 * hands it to the browser as a file.
 */
async function download(url: string, fallbackName: string): Promise<ApiResult<{ name: string; rows: number }>> {
  try {
    const res = await fetch(url, { credentials: 'same-origin', headers: { ...CSRF_HEADERS }, cache: 'no-store' })
    if (!res.ok) {
      const data = await res.json().catch(() => null)
      return {
        ok: false,
        status: res.status,
        error: data?.error ? data : { error: `http_${res.status}`, message: `the server answered ${res.status}` },
      }
    }
    const name = res.headers.get('content-disposition')?.match(/filename="([^"]+)"/)?.[1] ?? fallbackName
    const blob = await res.blob()
    const rows = Math.max(0, (await blob.text()).trim().split('\n').length - 1)
    const href = URL.createObjectURL(blob)
    const a = document.createElement('a')
    a.href = href
    a.download = name
    document.body.append(a)
    a.click()
    a.remove()
    setTimeout(() => URL.revokeObjectURL(href), 10_000)
    return { ok: true, status: res.status, body: { name, rows } }
  } catch {
    return { ok: false, status: 0, error: { error: 'offline', message: 'no connection to the server' } }
  }
}

/** The streamed exports (docs/protocol.md, "Exports"): file, what, what is in it. */
const EXPORT_FILES = [
  ['results.csv', 'Results', 'per poll and option, word or value: counts'],
  ['responses.csv', 'Responses', "each wristband's answer to each poll"],
  ['messages.csv', 'Messages', 'danmaku with their moderation state'],
  ['questions.csv', 'Questions', 'Q&A with upvotes and state'],
  ['checkins.csv', 'Check-ins', 'number, batch, check-in time'],
] as const

/**
 * Wristbands and exports: the printed batches, revoking lost or misused wristbands by
 * number, the attendee list as CSV, and the links to the guest page and the big screen.
 *
 * @fires gb-wristbands-changed - CustomEvent<{ revoked: number }>: wristbands were revoked; reload the batches.
 */
export class WristbandPanel extends LitElement {
  static properties = {
    slug: { type: String },
    batches: { attribute: false },
    numbers: { state: true },
    confirm: { state: true },
  }

  declare slug: string
  declare batches: WristbandBatch[] | null
  declare numbers: string
  /** Numbers waiting for the host's "yes, revoke". */
  declare confirm: number[] | null

  private actions = new Actions(this, 8000)

  constructor() {
    super()
    this.slug = ''
    this.batches = null
    this.numbers = ''
    this.confirm = null
  }

  static styles = [
    adminStyles,
    panelStyles,
    css`
      @container (min-width: 52rem) {
        .layout {
          grid-template-columns: 1.3fr 1fr;
        }
        .batches {
          grid-row: span 2;
        }
      }
      table {
        width: 100%;
        border-collapse: collapse;
        font-size: 0.875rem;
      }
      th {
        text-align: left;
        font-size: 0.72rem;
        letter-spacing: 0.08em;
        text-transform: uppercase;
        color: var(--gb-muted);
        font-weight: 700;
        padding: 0 0.5rem 0.5rem;
      }
      td {
        padding: 0.55rem 0.5rem;
        border-top: 1px solid rgba(255, 255, 255, 0.06);
      }
      td.r,
      th.r {
        text-align: right;
      }
      tfoot td {
        font-weight: 750;
        border-top: 1px solid rgba(255, 255, 255, 0.16);
      }
      .label {
        font-family: ui-monospace, 'SF Mono', Menlo, Consolas, monospace;
        font-size: 0.8125rem;
      }
      /* Tighter than the other panels' forms: one label over one row. */
      form {
        gap: 0.6rem;
      }
      .confirm {
        margin-top: 0.75rem;
        padding: 0.8rem 0.9rem;
        border-radius: 0.6rem;
        background: rgba(248, 113, 113, 0.1);
        border: 1px solid rgba(248, 113, 113, 0.35);
        display: grid;
        gap: 0.6rem;
      }
      .links {
        display: grid;
        gap: 0.75rem;
      }
      .link {
        display: grid;
        grid-template-columns: 1fr auto auto;
        gap: 0.5rem;
        align-items: center;
      }
      .link b {
        display: block;
        font-size: 0.9rem;
      }
      .link > span {
        min-width: 0;
      }
      .link code {
        display: block;
        font-family: ui-monospace, 'SF Mono', Menlo, Consolas, monospace;
        font-size: 0.78rem;
        color: var(--gb-muted);
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
      }
    `,
  ]

  private review(e: Event) {
    e.preventDefault()
    const parsed = parseNumbers(this.numbers)
    if (!parsed.ok) {
      this.actions.fail('revoke', msg(str`Cannot revoke: ${parsed.error}.`), { numbers: '' })
      this.confirm = null
      return
    }
    this.actions.clear('revoke')
    this.confirm = parsed.numbers
  }

  private async revoke() {
    const numbers = this.confirm
    if (!numbers) return
    const r = await this.actions.run<{ revoked: number }>(
      'revoke',
      () => hostApi(this.slug, 'POST', '/wristbands/revoke', { numbers }),
      (b) => msg(str`Revoked ${b.revoked} (${describeNumbers(numbers)}): they no longer work`),
    )
    this.confirm = null
    if (r.ok) {
      this.numbers = ''
      this.dispatchEvent(
        new CustomEvent('gb-wristbands-changed', {
          bubbles: true,
          composed: true,
          detail: { revoked: r.body.revoked },
        }),
      )
    }
  }

  private exportCsv() {
    return this.actions.run(
      'csv',
      () => download(`${adminBase(this.slug)}/attendees?format=csv`, `${this.slug}-attendees.csv`),
      (b) => msg(str`Downloaded ${b.name} (${b.rows} rows)`),
    )
  }

  private exportFile(file: string) {
    return this.actions.run(
      file,
      () => download(`${adminBase(this.slug)}/exports/${file}`, `${this.slug}-${file}`),
      (b) =>
        b.rows === 1 ? msg(str`Downloaded ${b.name} (1 row)`) : msg(str`Downloaded ${b.name} (${count(b.rows)} rows)`),
    )
  }

  private async copy(url: string, key: string) {
    try {
      await navigator.clipboard.writeText(url)
      this.actions.succeed(key, msg('Link copied'))
    } catch {
      this.actions.fail(key, msg('This browser would not copy: select the link and copy it by hand.'))
    }
  }

  private renderBatches() {
    const batches = this.batches
    const total = (batches ?? []).reduce((n, b) => n + b.count, 0)
    const revoked = (batches ?? []).reduce((n, b) => n + b.revoked, 0)
    return html`<section class="card batches" aria-labelledby="batches-title">
      <div class="card-head"><h2 id="batches-title">${msg('Wristband batches')}</h2></div>
      ${
        batches === null
          ? html`<p class="muted">${msg('Loading…')}</p>`
          : batches.length
            ? html`<table>
              <thead>
                <tr>
                  <th>${msg('Batch')}</th>
                  <th>${msg('Numbers')}</th>
                  <th class="r">${msg('Wristbands')}</th>
                  <th class="r">${msg('Revoked')}</th>
                  <th class="r">${msg('Printed')}</th>
                </tr>
              </thead>
              <tbody>
                ${batches.map(
                  (b) => html`<tr data-batch=${b.label}>
                    <td class="label">${b.label}</td>
                    <td class="num">#${b.firstNumber}–#${b.firstNumber + b.count - 1}</td>
                    <td class="r num">${count(b.count)}</td>
                    <td class="r num">${b.revoked ? count(b.revoked) : html`<span class="muted">0</span>`}</td>
                    <td class="r muted">${new Date(b.createdAt).toLocaleDateString()}</td>
                  </tr>`,
                )}
              </tbody>
              ${
                batches.length > 1
                  ? html`<tfoot>
                    <tr>
                      <td colspan="2">${msg('Total')}</td>
                      <td class="r num">${count(total)}</td>
                      <td class="r num">${count(revoked)}</td>
                      <td></td>
                    </tr>
                  </tfoot>`
                  : nothing
              }
            </table>`
            : html`<p class="empty">${msg('No wristbands yet. Generate a batch with')} <code>glowband wristbands --event ${this.slug} --count 500</code>.</p>`
      }
    </section>`
  }

  private renderRevoke() {
    const busy = this.actions.busy('revoke')
    return html`<section class="card" aria-labelledby="revoke-title">
      <div class="card-head"><h2 id="revoke-title">${msg('Revoke wristbands')}</h2></div>
      <form @submit=${this.review} novalidate>
        <label class="field" for="revoke-numbers">${msg('Wristband numbers (lost, stolen or misused)')}</label>
        <div class="row" style="flex-wrap:nowrap">
          <input
            id="revoke-numbers"
            type="text"
            name="numbers"
            inputmode="numeric"
            placeholder=${msg('e.g. 17 or 40-45')}
            .value=${this.numbers}
            aria-invalid=${this.actions.errorCode('revoke') ? 'true' : 'false'}
            @input=${(e: Event) => {
              this.numbers = (e.target as HTMLInputElement).value
              this.confirm = null
            }}
          />
          <button type="submit" class="btn btn-outline" ?disabled=${busy}>${msg('Revoke…')}</button>
        </div>
      </form>
      ${
        this.confirm
          ? html`<div class="confirm" role="alertdialog" aria-labelledby="revoke-q">
            <p id="revoke-q">
              ${msg('Revoke')} <b>${this.confirm.length === 1 ? msg('1 wristband') : msg(str`${count(this.confirm.length)} wristbands`)}</b> (${describeNumbers(this.confirm)})?
              ${msg('Phones checked in with them stop working at once. This cannot be undone.')}
            </p>
            <div class="row">
              <button class="btn btn-danger" ?disabled=${busy} @click=${this.revoke}>${msg('Yes, revoke')}</button>
              <button class="btn btn-ghost" @click=${() => (this.confirm = null)}>${msg('Cancel')}</button>
            </div>
          </div>`
          : nothing
      }
      ${this.actions.feedback('revoke', { messages: { not_found: msg('No wristband of this event has that number.') } })}
    </section>`
  }

  private renderExports() {
    const origin = location.origin
    const guest = `${origin}/e/${this.slug}`
    const screen = `${origin}/e/${this.slug}/screen`
    return html`<section class="card" aria-labelledby="exports-title">
      <div class="card-head"><h2 id="exports-title">${msg('Exports and pages')}</h2></div>
      <div class="links">
        <div class="link">
          <span><b>${msg('Attendees')}</b><code>${msg('number, check-in time (CSV)')}</code></span>
          <button class="btn btn-primary btn-sm" style="grid-column: span 2" ?disabled=${this.actions.busy('csv')} @click=${this.exportCsv}>
            ⬇ Download CSV
          </button>
        </div>
        ${this.actions.feedback('csv')}
        ${EXPORT_FILES.map(
          ([file, what, columns]) => html`<div class="link">
              <span><b>${what}</b><code>${columns}</code></span>
              <button class="btn btn-outline btn-sm" style="grid-column: span 2" ?disabled=${this.actions.busy(file)} @click=${() => this.exportFile(file)}>
                ⬇ ${file}
              </button>
            </div>
            ${this.actions.feedback(file)}`,
        )}
        <div class="link">
          <span><b>${msg('Guest page')}</b><code>${guest}</code></span>
          <a class="btn btn-outline btn-sm" href=${guest} target="_blank" rel="noopener">${msg('Open ↗')}</a>
          <button class="btn btn-ghost btn-sm" @click=${() => this.copy(guest, 'copy-guest')}>${msg('Copy')}</button>
        </div>
        ${this.actions.feedback('copy-guest')}
        <div class="link">
          <span><b>${msg('Big screen')}</b><code>${screen}</code></span>
          <a class="btn btn-outline btn-sm" href=${screen} target="_blank" rel="noopener">${msg('Open ↗')}</a>
          <button class="btn btn-ghost btn-sm" @click=${() => this.copy(screen, 'copy-screen')}>${msg('Copy')}</button>
        </div>
        ${this.actions.feedback('copy-screen')}
      </div>
    </section>`
  }

  render() {
    return html`<div class="layout">${this.renderBatches()} ${this.renderRevoke()} ${this.renderExports()}</div>`
  }
}

customElements.define('gb-wristband-panel', WristbandPanel)

declare global {
  interface HTMLElementTagNameMap {
    'gb-wristband-panel': WristbandPanel
  }
  interface HTMLElementEventMap {
    'gb-wristbands-changed': CustomEvent<{ revoked: number }>
  }
}
