import { css, html, LitElement, nothing } from 'lit'
import type { AttendeeList, CheckinCurve } from '../../../../protocol/host.ts'
import { msg, str } from '../../lib/i18n.ts'
import { adminStyles, panelStyles } from '../shared/admin.styles.ts'
import { clockTime, count } from '../shared/format.ts'
import { Actions, hostApi } from '../shared/host-api.ts'
import { BATCH_COLOURS, checkinChart } from './checkin-chart.ts'

const PAGE = 25
/** How long typing pauses before the search goes out. */
const SEARCH_DELAY_MS = 250
/** The curve refreshes itself this often while the panel is on the page. */
const REFRESH_MS = 30_000

type State = 'all' | 'in' | 'out' | 'revoked'

/**
 * Attendees at a glance: the check-in curve per batch (inline SVG) and every wristband
 * by public number and batch, checked in or not, revoked, searched by number or batch
 * label and paged. Both come from Postgres through the host API (what the flusher has
 * written, a moment behind the live count).
 */
export class AttendeesPanel extends LitElement {
  static properties = {
    slug: { type: String },
    list: { state: true },
    curve: { state: true },
    q: { state: true },
    state: { state: true },
    offset: { state: true },
  }

  declare slug: string
  declare list: AttendeeList | null
  declare curve: CheckinCurve | null
  declare q: string
  declare state: State
  declare offset: number

  private actions = new Actions(this, 4000)
  private searchTimer: ReturnType<typeof setTimeout> | null = null
  private refreshTimer: ReturnType<typeof setInterval> | null = null
  /** Answers to older searches that arrive late are dropped. */
  private asked = 0

  constructor() {
    super()
    this.slug = ''
    this.list = null
    this.curve = null
    this.q = ''
    this.state = 'all'
    this.offset = 0
  }

  connectedCallback() {
    super.connectedCallback()
    void this.refresh()
    this.refreshTimer = setInterval(() => void this.refresh(), REFRESH_MS)
  }

  disconnectedCallback() {
    super.disconnectedCallback()
    if (this.searchTimer) clearTimeout(this.searchTimer)
    if (this.refreshTimer) clearInterval(this.refreshTimer)
  }

  /** Reloads the curve and the current page (after a revocation, say). */
  async refresh() {
    await Promise.all([this.loadCurve(), this.loadList()])
  }

  private async loadCurve() {
    const r = await this.actions.run<CheckinCurve>('curve', () => hostApi(this.slug, 'GET', '/attendees/curve'))
    if (r.ok) this.curve = r.body
  }

  private async loadList() {
    const ask = ++this.asked
    const params = new URLSearchParams({ limit: String(PAGE), offset: String(this.offset) })
    if (this.q.trim()) params.set('q', this.q.trim())
    if (this.state !== 'all') params.set('state', this.state)
    const r = await this.actions.run<AttendeeList>('list', () => hostApi(this.slug, 'GET', `/attendees/list?${params}`))
    if (r.ok && ask === this.asked) this.list = r.body
  }

  private search(q: string) {
    this.q = q
    this.offset = 0
    if (this.searchTimer) clearTimeout(this.searchTimer)
    this.searchTimer = setTimeout(() => void this.loadList(), SEARCH_DELAY_MS)
  }

  private page(step: number) {
    this.offset = Math.max(0, this.offset + step * PAGE)
    void this.loadList()
  }

  static styles = [
    adminStyles,
    panelStyles,
    css`
      :host {
        display: block;
        margin-bottom: 1rem;
      }
      @container (min-width: 60rem) {
        .layout {
          grid-template-columns: 1.2fr 1fr;
        }
      }
      .chart {
        display: block;
        width: 100%;
        height: auto;
      }
      .tick {
        fill: var(--gb-muted);
        font-size: 11px;
        font-family: var(--gb-font);
      }
      .legend {
        list-style: none;
        margin: 0.6rem 0 0;
        padding: 0;
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem 1.1rem;
        font-size: 0.85rem;
      }
      .legend i {
        display: inline-block;
        width: 0.8rem;
        height: 0.25rem;
        border-radius: 2px;
        vertical-align: 0.2rem;
        margin-right: 0.4rem;
      }
      .tools {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        gap: 0.6rem;
        margin-bottom: 0.75rem;
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
        padding: 0 0.5rem 0.4rem;
      }
      td {
        padding: 0.45rem 0.5rem;
        border-top: 1px solid rgba(255, 255, 255, 0.06);
      }
      .label {
        font-family: ui-monospace, 'SF Mono', Menlo, Consolas, monospace;
        font-size: 0.8125rem;
      }
      .in {
        color: var(--gb-good);
      }
      .revoked {
        color: var(--gb-bad);
      }
      .pager {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: 0.6rem;
        margin-top: 0.75rem;
      }
    `,
  ]

  private renderCurve() {
    const c = this.curve
    const inAll = c?.batches.reduce((n, b) => n + b.checkedIn, 0) ?? 0
    const usable = c?.batches.reduce((n, b) => n + b.wristbands, 0) ?? 0
    return html`<section class="card" aria-labelledby="curve-title">
      <div class="card-head">
        <h2 id="curve-title">${msg('Check-ins over time')}</h2>
        <span class="spacer"></span>
        ${c ? html`<span class="small muted num">${usable === 1 ? msg(str`${count(inAll)} of 1 wristband`) : msg(str`${count(inAll)} of ${count(usable)} wristbands`)}</span>` : nothing}
        <button class="btn btn-ghost btn-sm" @click=${() => this.refresh()}>${msg('Refresh')}</button>
      </div>
      ${
        !c
          ? html`<p class="muted">${msg('Loading…')}</p>`
          : c.from === null
            ? html`<p class="empty">${msg('No check-ins yet. The curve starts with the first scan.')}</p>`
            : html`<figure style="margin:0" data-chart>
              ${checkinChart(c)}
              <figcaption>
                <ul class="legend">
                  ${c.batches.map(
                    (b, i) => html`<li data-legend=${b.label}>
                      <i style="background:${BATCH_COLOURS[i % BATCH_COLOURS.length]}"></i><span class="label">${b.label}</span>
                      <span class="muted num">${count(b.checkedIn)}/${count(b.wristbands)}</span>
                    </li>`,
                  )}
                </ul>
              </figcaption>
            </figure>`
      }
      ${this.actions.feedback('curve')}
    </section>`
  }

  private renderList() {
    const l = this.list
    const first = l?.total ? l.offset + 1 : 0
    const last = l ? l.offset + l.rows.length : 0
    return html`<section class="card" aria-labelledby="list-title">
      <div class="card-head"><h2 id="list-title">${msg('Wristbands')}</h2></div>
      <div class="tools">
        <input
          type="text"
          name="q"
          inputmode="search"
          enterkeyhint="search"
          autocomplete="off"
          aria-label=${msg('Search by number or batch')}
          placeholder=${msg('Number or batch, e.g. 42 or door-a')}
          .value=${this.q}
          @input=${(e: Event) => this.search((e.target as HTMLInputElement).value)}
        />
        <select
          aria-label=${msg('Show')}
          .value=${this.state}
          @change=${(e: Event) => {
            this.state = (e.target as HTMLSelectElement).value as State
            this.offset = 0
            void this.loadList()
          }}
        >
          <option value="all">${msg('All')}</option>
          <option value="in">${msg('Checked in')}</option>
          <option value="out">${msg('Not yet')}</option>
          <option value="revoked">${msg('Revoked')}</option>
        </select>
      </div>
      ${
        !l
          ? html`<p class="muted">${msg('Loading…')}</p>`
          : l.rows.length
            ? html`<table data-total=${l.total}>
              <thead>
                <tr>
                  <th>${msg('Number')}</th>
                  <th>${msg('Batch')}</th>
                  <th>${msg('Status')}</th>
                </tr>
              </thead>
              <tbody>
                ${l.rows.map(
                  (r) => html`<tr data-number=${r.number}>
                    <td class="num"><b>#${r.number}</b></td>
                    <td class="label">${r.batch}</td>
                    <td>
                      ${
                        r.revoked
                          ? html`<span class="revoked">${msg('Revoked')}</span>${r.checkedInAt ? html` <span class="muted small">${msg('(was in)')}</span>` : nothing}`
                          : r.checkedInAt
                            ? html`<span class="in">✓ ${msg('Checked in')}</span> <span class="muted small num">${clockTime(r.checkedInAt)}</span>`
                            : html`<span class="muted">${msg('Not yet')}</span>`
                      }
                    </td>
                  </tr>`,
                )}
              </tbody>
            </table>`
            : html`<p class="empty">${this.q ? msg(str`No wristband matches “${this.q}”.`) : msg('No wristband matches.')}</p>`
      }
      ${
        l && l.total > PAGE
          ? html`<div class="pager">
            <button class="btn btn-ghost btn-sm" ?disabled=${l.offset === 0} @click=${() => this.page(-1)}>${msg('← Previous')}</button>
            <span class="small muted num">${msg(str`${count(first)}–${count(last)} of ${count(l.total)}`)}</span>
            <button class="btn btn-ghost btn-sm" ?disabled=${last >= l.total} @click=${() => this.page(1)}>${msg('Next →')}</button>
          </div>`
          : l
            ? html`<p class="small muted num" style="margin-top:0.6rem">${l.total === 1 ? msg('1 wristband') : msg(str`${count(l.total)} wristbands`)}</p>`
            : nothing
      }
      ${this.actions.feedback('list')}
    </section>`
  }

  render() {
    return html`<div class="layout">${this.renderCurve()}${this.renderList()}</div>`
  }
}

customElements.define('gb-attendees-panel', AttendeesPanel)

declare global {
  interface HTMLElementTagNameMap {
    'gb-attendees-panel': AttendeesPanel
  }
}
