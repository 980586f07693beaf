import { css, html, LitElement, nothing } from 'lit'
import type { AdminView, Snapshot } from '../../../../protocol/index.ts'
import { msg, str } from '../../lib/i18n.ts'
import { adminStyles } from '../shared/admin.styles.ts'
import { clockTime, count, NowController, relativeTime } from '../shared/format.ts'

/**
 * The live overview beside everything else: check-ins (with how many of the printed
 * wristbands), the latest check-ins as they happen, and what is running right now.
 * Everything comes from the admin stream; it never calls the server itself.
 */
export class OverviewPanel extends LitElement {
  static properties = {
    snapshot: { attribute: false },
    admin: { attribute: false },
    wristbands: { type: Number },
    revokedCheckedIn: { type: Number },
  }

  declare snapshot: Snapshot | null
  declare admin: AdminView | null
  /** Usable (issued, not revoked) wristbands; null until known. */
  declare wristbands: number | null
  /** Wristbands revoked after checking in: left out of the count, as they are of `wristbands`. */
  declare revokedCheckedIn: number

  protected ticker = new NowController(this, 5000)

  constructor() {
    super()
    this.snapshot = null
    this.admin = null
    this.wristbands = null
    this.revokedCheckedIn = 0
  }

  static styles = [
    adminStyles,
    css`
      :host {
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: 1rem;
        align-content: start;
      }
      .big {
        font-size: 3.25rem;
        line-height: 1;
        font-weight: 800;
        letter-spacing: -0.03em;
      }
      .meter {
        height: 0.5rem;
        margin: 0.9rem 0 0.45rem;
        border-radius: 999px;
        background: var(--gb-surface-2);
        overflow: hidden;
      }
      .meter > span {
        display: block;
        height: 100%;
        border-radius: inherit;
        background: linear-gradient(90deg, #ffb020, var(--gb-accent));
        transition: width 0.6s ease;
      }
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.15rem;
        max-height: 18rem;
        overflow: auto;
      }
      li.checkin {
        display: flex;
        align-items: baseline;
        gap: 0.6rem;
        padding: 0.35rem 0.5rem;
        border-radius: 0.45rem;
      }
      li.checkin:first-child {
        background: rgba(255, 204, 51, 0.08);
      }
      .band {
        font-weight: 750;
        min-width: 3.5rem;
      }
      .when {
        margin-left: auto;
        font-size: 0.8rem;
        color: var(--gb-muted);
      }
      dl {
        margin: 0;
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: 0.65rem;
      }
      dl > div {
        display: flex;
        gap: 0.75rem;
        align-items: baseline;
        justify-content: space-between;
      }
      dt {
        color: var(--gb-muted);
        font-size: 0.875rem;
        flex: none;
      }
      dd {
        margin: 0;
        font-weight: 650;
        text-align: right;
        min-width: 0;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .warn {
        color: var(--gb-warn);
      }
      .swatch {
        display: inline-block;
        width: 0.75rem;
        height: 0.75rem;
        border-radius: 50%;
        vertical-align: -0.05rem;
        margin-right: 0.35rem;
        background: conic-gradient(#ff3b30, #ffcc00, #34c759, #0a84ff, #bf5af2, #ff3b30);
      }
      @media (max-width: 760px) {
        .big {
          font-size: 2.5rem;
        }
        ol {
          max-height: none;
        }
        li.checkin:nth-child(n + 7) {
          display: none;
        }
      }
    `,
  ]

  render() {
    const s = this.snapshot
    // The live count still holds wristbands revoked after they checked in; the total does not.
    const checkins = Math.max(0, (s?.checkins ?? 0) - this.revokedCheckedIn)
    const total = this.wristbands
    const pct = total ? Math.min(100, Math.round((checkins / total) * 100)) : 0
    const recent = this.admin?.recentCheckins ?? []
    const openPolls = s?.polls.filter((p) => p.open) ?? []
    const held = this.admin?.held.length ?? 0
    const drawn = s?.raffles.filter((r) => r.drawnAt !== null).length ?? 0
    const show = s?.show ?? null
    return html`<section class="card" aria-labelledby="checkins-title">
        <div class="card-head"><h2 id="checkins-title" class="eyebrow">${msg('Checked in')}</h2></div>
        <p class="big num" data-checkins=${checkins}>${s ? count(checkins) : '–'}</p>
        ${
          total !== null
            ? html`<div class="meter" role="presentation"><span style="width:${pct}%"></span></div>
              <p class="small muted">${total === 1 ? msg(str`of 1 wristband · ${pct}%`) : msg(str`of ${count(total)} wristbands · ${pct}%`)}</p>
              ${
                this.revokedCheckedIn
                  ? html`<p class="small muted" data-revoked-in=${this.revokedCheckedIn}>
                    ${this.revokedCheckedIn === 1 ? msg('1 revoked wristband not counted') : msg(str`${count(this.revokedCheckedIn)} revoked wristbands not counted`)}
                  </p>`
                  : nothing
              }`
            : nothing
        }
      </section>
      <section class="card" aria-labelledby="recent-title">
        <div class="card-head">
          <h2 id="recent-title" class="eyebrow">${msg('Recent check-ins')}</h2>
        </div>
        ${
          recent.length
            ? html`<ol aria-live="polite" tabindex="0" aria-labelledby="recent-title">
              ${recent.slice(0, 20).map(
                (c) => html`<li class="checkin">
                  <span class="band num">#${c.number}</span>
                  <span class="small muted num">${clockTime(c.at)}</span>
                  <span class="when">${relativeTime(c.at)}</span>
                </li>`,
              )}
            </ol>`
            : html`<p class="empty">${msg('No one has checked in yet. Wristband scans appear here as they happen.')}</p>`
        }
      </section>
      <section class="card" aria-labelledby="now-title">
        <div class="card-head"><h2 id="now-title" class="eyebrow">${msg('Right now')}</h2></div>
        <dl>
          <div>
            <dt>${msg('Open poll')}</dt>
            <dd title=${openPolls[0]?.question ?? ''}>
              ${
                openPolls.length
                  ? openPolls.length === 1
                    ? openPolls[0].question
                    : msg(str`${openPolls.length} polls open`)
                  : html`<span class="muted">${msg('none')}</span>`
              }
            </dd>
          </div>
          <div>
            <dt>${msg('Held messages')}</dt>
            <dd class=${held ? 'warn' : ''}>${held ? msg(str`${held} waiting`) : html`<span class="muted">${msg('none')}</span>`}</dd>
          </div>
          <div>
            <dt>${msg('Raffles drawn')}</dt>
            <dd>${s ? msg(str`${drawn} of ${s.raffles.length}`) : '–'}</dd>
          </div>
          <div>
            <dt>${msg('Light show')}</dt>
            <dd>
              ${
                show
                  ? html`<span title=${msg(str`Started ${clockTime(show.startAt)}`)}
                    ><span class="swatch" aria-hidden="true"></span>${msg('running')}</span
                  >`
                  : html`<span class="muted">${msg('off')}</span>`
              }
            </dd>
          </div>
        </dl>
      </section>`
  }
}

customElements.define('gb-overview-panel', OverviewPanel)

declare global {
  interface HTMLElementTagNameMap {
    'gb-overview-panel': OverviewPanel
  }
}
