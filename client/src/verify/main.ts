/**
 * The public verify page, `/e/:slug/raffles/:id/verify`: fetches the raffle's proof and
 * recomputes the winners in this browser with protocol/raffle-proof.ts, the same code the
 * server draws with and `glowband raffle verify` checks with, then says MATCH or MISMATCH.
 * Before the draw it shows what is already public (the list hash and the seed commitment)
 * and looks again every few seconds. Anyone can also paste a proof they saved.
 */
import '../lib/zod-jitless.ts'
import { css, html, LitElement, nothing } from 'lit'
import { type RaffleProof, raffleProofSchema, type VerifyResult, verifyProof } from '../../../protocol/raffle-proof.ts'
import { sharedStyles, stageGlowPageStyles } from '../guest/shared.styles.ts'
import { msg, str } from '../lib/i18n.ts'
import '../lib/language-switch.ts'

const REFRESH_MS = 3000

function fromPath(path: string): { slug: string; id: number } | null {
  const m = path.match(/^\/e\/([^/]+)\/raffles\/(\d+)\/verify\/?$/)
  return m ? { slug: decodeURIComponent(m[1]), id: Number(m[2]) } : null
}

export class RaffleVerify extends LitElement {
  static properties = {
    proof: { state: true },
    result: { state: true },
    error: { state: true },
    pasted: { state: true },
    lookup: { state: true },
  }

  declare proof: RaffleProof | null
  declare result: VerifyResult | null
  declare error: string
  declare pasted: boolean
  declare lookup: string

  private target = fromPath(location.pathname)
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor() {
    super()
    this.proof = null
    this.result = null
    this.error = ''
    this.pasted = false
    this.lookup = ''
  }

  static styles = [
    sharedStyles,
    stageGlowPageStyles,
    css`
      .page {
        display: grid;
        gap: 1rem;
        max-width: 46rem;
        margin: 0 auto;
        padding: 1.5rem 16px 3rem;
      }
      h1 {
        margin: 0;
        font-size: 1.5rem;
      }
      .verdict {
        font-size: 2rem;
        font-weight: 900;
        letter-spacing: 0.06em;
        margin: 0 0 0.25rem;
      }
      .verdict.match {
        color: #4ade80;
      }
      .verdict.mismatch {
        color: #f87171;
      }
      .hash {
        font-family: ui-monospace, monospace;
        font-size: 0.875rem;
        overflow-wrap: anywhere;
      }
      table {
        width: 100%;
        border-collapse: collapse;
      }
      td {
        padding: 0.375rem 0.5rem 0.375rem 0;
        vertical-align: top;
        border-top: 1px solid rgba(255, 255, 255, 0.08);
      }
      td.state {
        font-weight: 800;
        white-space: nowrap;
      }
      td.ok {
        color: #4ade80;
      }
      td.fail {
        color: #f87171;
      }
      .numbers {
        font-variant-numeric: tabular-nums;
        overflow-wrap: anywhere;
      }
      textarea,
      input {
        width: 100%;
        box-sizing: border-box;
        font: inherit;
        padding: 0.5rem;
        border-radius: 0.5rem;
        border: 1px solid rgba(255, 255, 255, 0.2);
        background: var(--gb-surface-2);
        color: var(--gb-text);
      }
      textarea {
        min-height: 8rem;
        font-family: ui-monospace, monospace;
        font-size: 0.8125rem;
      }
      .muted {
        color: var(--gb-muted);
      }
    `,
  ]

  connectedCallback() {
    super.connectedCallback()
    if (this.target) void this.load()
    else this.error = msg('This address names no raffle; paste a proof below.')
  }

  disconnectedCallback() {
    super.disconnectedCallback()
    clearTimeout(this.timer)
  }

  private get proofUrl() {
    const t = this.target!
    return `/api/events/${encodeURIComponent(t.slug)}/raffles/${t.id}/proof`
  }

  private async load() {
    if (this.pasted) return
    try {
      const res = await fetch(this.proofUrl, { headers: { accept: 'application/json' } })
      if (!res.ok) {
        this.error = res.status === 404 ? msg('There is no such raffle.') : msg(str`The server answered ${res.status}.`)
        return
      }
      this.show(await res.json())
      this.error = ''
    } catch {
      this.error = msg('The proof could not be fetched; trying again.')
    }
    if (this.proof?.state !== 'drawn') this.timer = setTimeout(() => void this.load(), REFRESH_MS)
  }

  private show(input: unknown) {
    const parsed = raffleProofSchema.safeParse(input)
    this.proof = parsed.success ? parsed.data : null
    this.result = !parsed.success || parsed.data.state === 'drawn' ? verifyProof(input) : null
  }

  private onPaste(e: Event) {
    const text = (e.target as HTMLTextAreaElement).value.trim()
    if (!text) return
    clearTimeout(this.timer)
    this.pasted = true
    try {
      this.show(JSON.parse(text))
      this.error = ''
    } catch {
      this.proof = null
      this.result = null
      this.error = msg('That is not JSON.')
    }
  }

  private renderPublic(p: RaffleProof) {
    if (p.state === 'open')
      return html`<p>${msg('Not committed yet: the eligible list freezes when the host starts the drum roll.')}</p>`
    return html`<dl>
      <dt class="eyebrow">${msg('Eligible')}</dt>
      <dd data-eligible>${p.eligible}</dd>
      <dt class="eyebrow">${msg('List hash')}</dt>
      <dd class="hash" data-list-hash>${p.listHash}</dd>
      <dt class="eyebrow">${msg('Seed commitment')}</dt>
      <dd class="hash" data-commitment>${p.commitment}</dd>
      ${p.seed ? html`<dt class="eyebrow">${msg('Seed (revealed)')}</dt><dd class="hash">${p.seed}</dd>` : nothing}
      ${p.entropy ? html`<dt class="eyebrow">${msg(str`Entropy (${p.taps?.length ?? 0} taps)`)}</dt><dd class="hash">${p.entropy}</dd>` : nothing}
    </dl>`
  }

  private renderResult(p: RaffleProof | null, r: VerifyResult) {
    return html`<section class="card" aria-live="polite">
      <p class="verdict ${r.ok ? 'match' : 'mismatch'}" data-verdict=${r.ok ? 'match' : 'mismatch'}>
        ${r.ok ? msg('MATCH') : msg('MISMATCH')}
      </p>
      <p>
        ${
          r.ok
            ? msg('The winners follow from the published list, seed and taps: recomputed in this browser.')
            : msg('This proof does not recompute to its winners.')
        }
      </p>
      <table>
        <tbody>
          ${r.checks.map(
            (c) =>
              html`<tr data-check=${c.check}>
                <td class="state ${c.ok ? 'ok' : 'fail'}">${c.ok ? msg('ok') : msg('FAIL')}</td>
                <td>${c.check}</td>
                <td class="hash">${c.detail}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${
        r.warnings.length
          ? html`<p class="eyebrow">${msg('Warnings')}</p>
            <ul>
              ${r.warnings.map((w) => html`<li>${w}</li>`)}
            </ul>`
          : nothing
      }
      ${
        p && r.ok
          ? html`<p class="eyebrow">${msg('Winners, recomputed')}</p>
            ${[...p.prizes]
              .sort((a, b) => a.tier - b.tier)
              .map(
                (t) =>
                  html`<p><strong>${t.name}</strong>:
                    <span class="numbers"
                      >${
                        r.winners
                          .filter((w) => w.tier === t.tier)
                          .map((w) => `#${w.number}`)
                          .join(', ') || msg('none')
                      }</span
                    ></p>`,
              )}
            ${
              p.picks.some((x) => x.outcome === 'no_show')
                ? html`<p class="muted">
                  ${msg('Marked absent and replaced:')}
                  ${p.picks
                    .filter((x) => x.outcome === 'no_show')
                    .map((x) => `#${x.number}`)
                    .join(', ')}
                </p>`
                : nothing
            }`
          : nothing
      }
    </section>`
  }

  private renderLookup(p: RaffleProof) {
    if (!p.list) return nothing
    const n = Number(this.lookup)
    const asked = this.lookup.trim() !== '' && Number.isInteger(n)
    const tapped = p.taps?.some((t) => t.number === n)
    return html`<section class="card">
      <label class="eyebrow" for="lookup">${msg('Is my number on the list?')}</label>
      <input
        id="lookup"
        inputmode="numeric"
        .value=${this.lookup}
        @input=${(e: Event) => (this.lookup = (e.target as HTMLInputElement).value)}
      />
      ${
        asked
          ? html`<p data-lookup>
            #${n} ${p.list.includes(n) ? msg('is on the frozen list') : msg('is not on the frozen list')}${
              p.taps ? (tapped ? msg(', and its tap is in the entropy.') : msg(', with no tap in the entropy.')) : '.'
            }
          </p>`
          : nothing
      }
    </section>`
  }

  render() {
    const p = this.proof
    return html`<main class="page">
      <header>
        <gb-language-switch style="float:right"></gb-language-switch>
        <p class="eyebrow">${msg('Glowband raffle check')}</p>
        <h1>${p ? p.raffle.name : msg('Check a raffle draw')}</h1>
        ${p ? html`<p class="muted">${msg(str`Event ${p.event} · ${p.algorithm} · ${p.state}`)}</p>` : nothing}
      </header>
      ${this.error ? html`<p role="alert">${this.error}</p>` : nothing}
      ${this.result ? this.renderResult(p, this.result) : nothing}
      ${p && p.state !== 'drawn' ? html`<section class="card">${this.renderPublic(p)}</section>` : nothing}
      ${p && p.state === 'drawn' ? html`<details class="card"><summary>${msg('Published inputs')}</summary>${this.renderPublic(p)}</details>` : nothing}
      ${p ? this.renderLookup(p) : nothing}
      <details class="card" ?open=${!this.target}>
        <summary>${msg('Check a proof you saved')}</summary>
        <p class="muted">${msg('Paste the JSON from the proof address. Nothing leaves this page.')}</p>
        <textarea aria-label=${msg('Proof JSON')} @input=${this.onPaste}></textarea>
      </details>
      <p class="muted">
        ${this.target ? html`<a href=${this.proofUrl}>${msg('The proof as JSON')}</a> · ` : nothing}${msg('How the draw works and how to check it yourself: docs/raffles.md, or')}
        <code>glowband raffle verify proof.json</code>.
      </p>
    </main>`
  }
}

customElements.define('gb-raffle-verify', RaffleVerify)
