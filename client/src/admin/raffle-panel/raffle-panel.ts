import { css, html, LitElement } from 'lit'
import { repeat } from 'lit/directives/repeat.js'
import type { HostRaffle } from '../../../../protocol/host.ts'
import type { Raffle } from '../../../../protocol/index.ts'
import { adminStyles, panelStyles } from '../shared/admin.styles.ts'
import { clockTime, plural } from '../shared/format.ts'
import { Actions, hostApi } from '../shared/host-api.ts'

/** What the draw's refusals mean for the host, in place of the server's terse text. */
const DRAW_MESSAGES = {
  already_drawn: 'This raffle has been drawn already: its winners stand and are on every screen.',
  no_candidates:
    'Nobody can win this raffle: no one who can win is checked in (everyone checked in may have won an earlier raffle that excluded previous winners).',
}

/**
 * Raffles: create one (name, how many winners, whether earlier winners may win again),
 * draw it once, and read the winners' public wristband numbers, as the big screen
 * shows them.
 */
export class RafflePanel extends LitElement {
  static properties = {
    slug: { type: String },
    raffles: { attribute: false },
    name: { state: true },
    winners: { state: true },
    exclude: { state: true },
  }

  declare slug: string
  declare raffles: Raffle[]
  declare name: string
  declare winners: string
  declare exclude: boolean

  private actions = new Actions(this)
  /**
   * Winners wanted and rules, known only from the create answer: the snapshot carries
   * neither, so raffles created before this page loaded show without them.
   */
  private details = new Map<number, HostRaffle>()
  /** Draw answers, shown until the stream brings the same result (a tick later). */
  private drawn = new Map<number, Raffle>()

  constructor() {
    super()
    this.slug = ''
    this.raffles = []
    this.name = ''
    this.winners = '1'
    this.exclude = true
  }

  static styles = [
    adminStyles,
    panelStyles,
    css`
      @container (min-width: 52rem) {
        .layout {
          grid-template-columns: minmax(19rem, 22rem) 1fr;
        }
      }
      .list {
        display: grid;
        gap: 0.75rem;
      }
      .raffle {
        display: grid;
        gap: 0.75rem;
      }
      .raffle.drawn {
        border-color: rgba(255, 204, 51, 0.35);
      }
      .head {
        display: flex;
        align-items: flex-start;
        gap: 0.75rem;
      }
      .head h3 {
        flex: 1;
        font-size: 1.0625rem;
        min-width: 0;
      }
      .head p {
        font-size: 0.8125rem;
        color: var(--gb-muted);
        margin-top: 0.15rem;
      }
      .winners {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        margin: 0;
        padding: 0;
        list-style: none;
      }
      .winner {
        min-width: 4.5rem;
        padding: 0.45rem 0.9rem;
        border-radius: 0.6rem;
        background: linear-gradient(180deg, rgba(255, 204, 51, 0.22), rgba(255, 204, 51, 0.1));
        border: 1px solid rgba(255, 204, 51, 0.45);
        color: var(--gb-accent);
        font-size: 1.5rem;
        font-weight: 850;
        text-align: center;
        letter-spacing: -0.01em;
        animation: gb-reveal 0.4s ease-out backwards;
      }
      @keyframes gb-reveal {
        from {
          transform: translateY(0.4rem) scale(0.9);
          opacity: 0;
        }
      }
      .draw {
        justify-self: start;
      }
      .none {
        color: var(--gb-muted);
        font-size: 0.875rem;
      }
    `,
  ]

  private async create(e: Event) {
    e.preventDefault()
    const name = this.name.trim()
    const winners = Number(this.winners)
    const fields: Record<string, string> = {}
    if (!name) fields.name = 'give the raffle a name'
    if (!/^\d+$/.test(this.winners.trim()) || winners < 1 || winners > 1000)
      fields.winners = 'a whole number from 1 to 1000'
    if (Object.keys(fields).length) {
      this.actions.fail('create', 'Fix the raffle before creating it.', fields)
      return
    }
    const body = { name, winners, rules: { excludePreviousWinners: this.exclude } }
    const r = await this.actions.run<HostRaffle>(
      'create',
      () => hostApi(this.slug, 'POST', '/raffles', body),
      (b) => `“${b.name}” is ready to draw`,
    )
    if (r.ok) {
      this.details.set(r.body.id, r.body)
      this.name = ''
      this.winners = '1'
    }
  }

  private async draw(raffle: Raffle) {
    const r = await this.actions.run<Raffle>(
      `draw-${raffle.id}`,
      () => hostApi(this.slug, 'POST', `/raffles/${raffle.id}/draw`),
      (r) => `Drawn: ${plural(r.winners.length, 'winner')}, going out to the big screen and the winners' phones`,
    )
    if (r.ok) this.drawn.set(r.body.id, r.body)
  }

  private renderForm() {
    const err = (k: string) => this.actions.fieldError('create', k)
    return html`<section class="card" aria-labelledby="new-raffle">
      <div class="card-head"><h2 id="new-raffle">New raffle</h2></div>
      <form @submit=${this.create} novalidate>
        <label class="field"
          >Prize
          <input
            type="text"
            name="name"
            maxlength="200"
            placeholder="Signed T-shirt"
            .value=${this.name}
            aria-invalid=${err('name') ? 'true' : 'false'}
            @input=${(e: Event) => (this.name = (e.target as HTMLInputElement).value)}
          />
        </label>
        <label class="field"
          >Number of winners
          <input
            type="number"
            name="winners"
            min="1"
            max="1000"
            inputmode="numeric"
            .value=${this.winners}
            aria-invalid=${err('winners') ? 'true' : 'false'}
            @input=${(e: Event) => (this.winners = (e.target as HTMLInputElement).value)}
          />
        </label>
        <label class="check">
          <input
            type="checkbox"
            name="exclude"
            .checked=${this.exclude}
            @change=${(e: Event) => (this.exclude = (e.target as HTMLInputElement).checked)}
          />
          Earlier winners cannot win again
        </label>
        <p class="small muted">Only checked-in wristbands that are not revoked take part.</p>
        <button type="submit" class="btn btn-primary" ?disabled=${this.actions.busy('create')}>Create raffle</button>
      </form>
      ${this.actions.feedback('create', {
        fields: { name: 'Prize', winners: 'Number of winners', 'rules.excludePreviousWinners': 'Earlier winners' },
      })}
    </section>`
  }

  private renderRaffle(r: Raffle) {
    const d = this.details.get(r.id)
    const key = `draw-${r.id}`
    const drawn = r.drawnAt !== null
    const wanted = d
      ? drawn && r.winners.length < d.winnersWanted
        ? `${r.winners.length} of ${d.winnersWanted} winners: everyone who could win`
        : plural(d.winnersWanted, 'winner')
      : ''
    const rules = d
      ? `${wanted} · ${d.rules.excludePreviousWinners ? 'earlier winners excluded' : 'anyone checked in'}`
      : ''
    return html`<article class="card raffle ${drawn ? 'drawn' : ''}" data-raffle=${r.id} data-drawn=${drawn ? 'true' : 'false'}>
      <div class="head">
        <div style="flex:1;min-width:0">
          <h3 class="wrap">${r.name}</h3>
          <p>${drawn ? `Drawn at ${clockTime(r.drawnAt!)}` : 'Not drawn yet'}${rules ? ` · ${rules}` : ''}</p>
        </div>
        ${drawn ? html`<span class="badge badge-accent">Drawn</span>` : html`<span class="badge">Ready</span>`}
      </div>
      ${
        drawn
          ? r.winners.length
            ? html`<ul class="winners" aria-label="Winners' wristband numbers">
              ${r.winners.map((n, i) => html`<li class="winner num" style="animation-delay:${i * 60}ms">#${n}</li>`)}
            </ul>`
            : html`<p class="none">No winners.</p>`
          : html`<button class="btn btn-primary btn-lg draw" ?disabled=${this.actions.busy(key)} @click=${() => this.draw(r)}>
            🎲 Draw ${d ? plural(d.winnersWanted, 'winner') : 'winners'}
          </button>`
      }
      ${this.actions.feedback(key, { messages: DRAW_MESSAGES })}
    </article>`
  }

  render() {
    const raffles = [...(this.raffles ?? [])].map((r) => (r.drawnAt === null && this.drawn.get(r.id)) || r).reverse()
    return html`<div class="layout">
      ${this.renderForm()}
      <div class="list">
        ${
          raffles.length
            ? repeat(
                raffles,
                (r) => r.id,
                (r) => this.renderRaffle(r),
              )
            : html`<p class="empty">No raffles yet. Create one, then draw it when the moment comes.</p>`
        }
      </div>
    </div>`
  }
}

customElements.define('gb-raffle-panel', RafflePanel)

declare global {
  interface HTMLElementTagNameMap {
    'gb-raffle-panel': RafflePanel
  }
}
