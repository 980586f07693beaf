import { css, html, LitElement, nothing } from 'lit'
import { type Raffle, revealOrder } from '../../../../protocol/index.ts'
import { msg } from '../../lib/i18n.ts'

/** Winners shown per prize on the stage card; the winners panel shows them all. */
const SHOWN_PER_PRIZE = 24

/**
 * A raffle on the stage, when the host puts it there: its prizes (grand prize first), and
 * what happens now: check in to take part, the drum roll, or who won each prize.
 * The card carries `data-raffle` and `data-state`.
 */
export class RaffleStage extends LitElement {
  static styles = css`
    :host {
      --u: var(--gb-u, 1vw);
      display: flex;
      flex-direction: column;
      gap: calc(var(--u) * 1);
      overflow: hidden;
    }
    .kicker {
      font-size: max(12px, calc(var(--u) * 1.2));
      font-weight: 800;
      letter-spacing: 0.16em;
      text-transform: uppercase;
      color: var(--gb-accent);
    }
    h2 {
      margin: 0;
      font-size: max(24px, calc(var(--u) * 3.4));
      line-height: 1.1;
      font-weight: 900;
      overflow-wrap: anywhere;
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
      display: flex;
      flex-direction: column;
      gap: calc(var(--u) * 0.8);
      min-height: 0;
      overflow: hidden;
    }
    li {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: calc(var(--u) * 0.5) calc(var(--u) * 0.8);
      font-size: max(14px, calc(var(--u) * 1.8));
      font-weight: 800;
    }
    .count {
      color: var(--gb-accent);
      font-variant-numeric: tabular-nums;
    }
    b {
      padding: 0.05em 0.4em;
      border-radius: 0.3em;
      background: var(--gb-accent);
      color: var(--gb-accent-text);
      font-size: 0.85em;
      font-variant-numeric: tabular-nums;
    }
    i,
    p {
      font-style: normal;
      color: var(--gb-muted);
    }
    p {
      margin: 0;
      font-size: max(14px, calc(var(--u) * 1.6));
      font-weight: 700;
    }
  `
  static properties = { raffle: { attribute: false } }

  declare raffle: Raffle | null

  constructor() {
    super()
    this.raffle = null
  }

  render() {
    const r = this.raffle
    if (!r) return nothing
    const state = r.state ?? (r.drawnAt ? 'drawn' : 'open')
    const prizes = r.prizes?.length
      ? r.prizes
      : [{ tier: 1, name: r.name, count: r.winners.length, winners: r.winners }]
    const drawn = new Map(revealOrder(r).map((t) => [t.tier, t.winners]))
    return html`<div class="kicker">${msg('Raffle')}</div>
      <h2 data-raffle=${r.id} data-state=${state}>🎁 ${r.name}</h2>
      <ul>
        ${prizes.map((p) => {
          const won = drawn.get(p.tier) ?? []
          return html`<li>
            <span class="count">${p.count} ×</span><span>${p.name}</span>
            ${won.slice(0, SHOWN_PER_PRIZE).map((n) => html`<b>#${n}</b>`)}
            ${won.length > SHOWN_PER_PRIZE ? html`<i>+${won.length - SHOWN_PER_PRIZE}</i>` : nothing}
          </li>`
        })}
      </ul>
      <p>
        ${
          state === 'drawn'
            ? msg('Is your wristband number here? Check your phone!')
            : state === 'committed'
              ? msg('Drum roll: tap your phone, every tap goes into the draw!')
              : msg('Checked in? You are in the draw.')
        }
      </p>`
  }
}

customElements.define('gb-raffle-stage', RaffleStage)

declare global {
  interface HTMLElementTagNameMap {
    'gb-raffle-stage': RaffleStage
  }
}
