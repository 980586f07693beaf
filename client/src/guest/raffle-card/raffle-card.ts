import { css, html, LitElement, nothing } from 'lit'
import type { Raffle } from '../../../../protocol/index.ts'
import { api } from '../../lib/api.ts'
import { msg, str } from '../../lib/i18n.ts'
import { sharedStyles } from '../shared.styles.ts'

interface Win {
  raffleId: number
  name: string
  tier: number
  prize: string
  claimCode: string
  claimed: boolean
}

type TapState = 'sending' | 'in' | 'closed' | 'failed'

const tapKey = (slug: string, raffleId: number) => `gb-tap:${slug}:${raffleId}`

/** 16 random URL-safe characters: this phone's contribution to the draw. */
function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12))
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
}

/** A claim code as the host reads it out: ABCD-EFGH. */
const showCode = (code: string) => (code.length === 8 ? `${code.slice(0, 4)}-${code.slice(4)}` : code)

/** How many winners' numbers a lost raffle lists before "and N more". */
const NUMBERS_SHOWN = 12

/**
 * Raffles from the guest's side: a big "You won" for each raffle this wristband won, with
 * the prize and the claim code to show the staff; during a drum roll a big button whose
 * tap goes into the draw (docs/raffles.md); then the other draws (with their winners'
 * public numbers and a link to check them) and the ones still to come.
 */
export class RaffleCard extends LitElement {
  static properties = {
    raffles: { attribute: false },
    myNumber: { attribute: false },
    slug: { attribute: false },
    wins: { state: true },
    taps: { state: true },
  }

  static styles = [
    sharedStyles,
    css`
      :host {
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: 0.75rem;
      }
      .won {
        position: relative;
        padding: 1.5rem 16px;
        border-radius: 20px;
        text-align: center;
        color: #1a1400;
        background: linear-gradient(140deg, #ffe27a 0%, #ffc93c 38%, #ff8f4a 72%, #ff6b8b 100%);
        box-shadow: 0 0 0 3px rgba(255, 204, 51, 0.35), 0 0 2.5rem rgba(255, 150, 60, 0.45);
        animation: glow 2.4s ease-in-out infinite alternate;
      }
      @keyframes glow {
        to {
          box-shadow: 0 0 0 6px rgba(255, 204, 51, 0.25), 0 0 4rem rgba(255, 180, 40, 0.6);
        }
      }
      .won svg {
        width: 3rem;
        height: 3rem;
      }
      .big {
        margin: 0.25rem 0 0;
        font-size: 2.75rem;
        font-weight: 900;
        line-height: 1.05;
        letter-spacing: -0.02em;
      }
      .prize {
        margin: 0.5rem 0 0;
        font-size: 1.375rem;
        font-weight: 800;
      }
      .how {
        margin: 0.75rem 0 0;
        font-size: 1rem;
        font-weight: 600;
        line-height: 1.4;
      }
      .number {
        display: inline-block;
        margin-top: 0.75rem;
        padding: 0.25rem 0.875rem;
        border-radius: 999px;
        background: #1a1400;
        color: #ffe27a;
        font-size: 1.25rem;
        font-weight: 800;
        font-variant-numeric: tabular-nums;
      }
      .other {
        display: flex;
        gap: 0.75rem;
        align-items: flex-start;
        line-height: 1.4;
      }
      .other svg {
        flex: none;
        width: 1.5rem;
        height: 1.5rem;
        color: var(--gb-muted);
      }
      .other p {
        margin: 0;
      }
      .name {
        font-weight: 700;
      }
      .sub {
        color: var(--gb-muted);
        font-size: 0.9375rem;
      }
      .claim {
        margin: 0.75rem 0 0;
        font-size: 1rem;
        font-weight: 700;
      }
      .claim strong {
        display: block;
        font-size: 2rem;
        font-weight: 900;
        letter-spacing: 0.12em;
        font-variant-numeric: tabular-nums;
      }
      .roll {
        display: grid;
        gap: 0.75rem;
        text-align: center;
      }
      .roll .btn {
        min-height: 5rem;
        font-size: 1.5rem;
      }
      .check {
        color: var(--gb-muted);
        font-size: 0.9375rem;
      }
    `,
  ]

  declare raffles: Raffle[]
  declare myNumber: number | null
  declare slug: string
  declare wins: Win[]
  declare taps: Map<number, TapState>
  /** Which won raffles the claim codes were fetched for. */
  private winsFor = ''

  constructor() {
    super()
    this.raffles = []
    this.myNumber = null
    this.slug = ''
    this.wins = []
    this.taps = new Map()
  }

  protected updated() {
    const me = this.myNumber
    const won = this.raffles
      .filter((r) => r.drawnAt !== null && me !== null && r.winners.includes(me))
      .map((r) => r.id)
      .join(',')
    if (this.slug && won && won !== this.winsFor) {
      this.winsFor = won
      void this.loadWins()
    }
  }

  private async loadWins() {
    const r = await api<Win[]>('GET', `/api/events/${encodeURIComponent(this.slug)}/raffles/wins`)
    if (r.ok) this.wins = r.body
    else this.winsFor = ''
  }

  private tapState(raffleId: number): TapState | null {
    const state = this.taps.get(raffleId)
    if (state) return state
    try {
      return localStorage.getItem(tapKey(this.slug, raffleId)) ? 'in' : null
    } catch {
      return null
    }
  }

  private async tap(raffleId: number) {
    const set = (state: TapState) => (this.taps = new Map(this.taps).set(raffleId, state))
    set('sending')
    const nonce = newNonce()
    const r = await api<{ counted: boolean }>(
      'POST',
      `/api/events/${encodeURIComponent(this.slug)}/raffles/${raffleId}/taps`,
      { nonce },
    )
    if (r.ok) {
      try {
        if (r.body.counted) localStorage.setItem(tapKey(this.slug, raffleId), nonce)
      } catch {}
      set('in')
    } else set(r.status === 409 ? 'closed' : 'failed')
  }

  private prizeOf(r: Raffle, me: number | null): string {
    const tier = r.prizes?.find((p) => me !== null && p.winners.includes(me))
    return tier?.name ?? r.name
  }

  private renderRoll(r: Raffle) {
    const state = this.tapState(r.id)
    const label =
      state === 'in'
        ? msg('Your tap is in the draw')
        : state === 'closed'
          ? msg('The drum roll is over')
          : state === 'sending'
            ? msg('Tapping…')
            : msg('Tap to roll the drum!')
    return html`<section class="card roll" data-raffle-id=${r.id} data-testid="drum-roll">
      <p class="eyebrow">${msg('Drum roll:')} <span class="wrap">${r.name}</span></p>
      <button
        class="btn btn-primary"
        data-testid="tap"
        ?disabled=${state === 'in' || state === 'closed' || state === 'sending'}
        @click=${() => this.tap(r.id)}
      >
        ${label}
      </button>
      <p class="sub">
        ${msg('Every tap goes into the draw, so nobody, not even the host, knows the winners before it.')}
        ${state === 'failed' ? msg('That tap did not get through: try again.') : ''}
      </p>
    </section>`
  }

  private renderClaim(r: Raffle) {
    const win = this.wins.find((w) => w.raffleId === r.id)
    if (!win?.claimCode)
      return html`<p class="how">${msg('Show this screen and your wristband to the staff to collect it.')}</p>`
    if (win.claimed) return html`<p class="claim" data-testid="claimed">${msg('Collected. Enjoy!')}</p>`
    return html`<p class="claim">
      ${msg('Show this code to the staff to collect it:')}
      <strong data-testid="claim-code">${showCode(win.claimCode)}</strong>
    </p>`
  }

  render() {
    const me = this.myNumber
    const drawn = this.raffles.filter((r) => r.drawnAt !== null)
    const won = drawn.filter((r) => me !== null && r.winners.includes(me))
    // The latest draw I did not win, and the next raffle still to come: enough to know what is going on.
    const lost = drawn.filter((r) => !won.includes(r)).slice(-1)
    const rolling = this.raffles.filter((r) => r.drawnAt === null && r.state === 'committed')
    const upcoming = this.raffles.filter((r) => r.drawnAt === null && r.state !== 'committed').slice(-1)
    if (!won.length && !lost.length && !upcoming.length && !rolling.length) return nothing
    const checkUrl = (r: Raffle) => `/e/${encodeURIComponent(this.slug)}/raffles/${r.id}/verify`
    return html`
      ${this.slug ? rolling.map((r) => this.renderRoll(r)) : nothing}
      ${won.map(
        (r) => html`<section class="won" role="alert" data-raffle-id=${r.id} data-testid="won">
          <svg viewBox="0 0 48 48" fill="currentColor" aria-hidden="true">
            <path
              d="M14 6h20v4h7a1 1 0 0 1 1 1v4a9 9 0 0 1-8.6 9A12 12 0 0 1 26 31v5h6a2 2 0 0 1 2 2v4H14v-4a2 2 0 0 1 2-2h6v-5a12 12 0 0 1-7.4-7A9 9 0 0 1 6 15v-4a1 1 0 0 1 1-1h7zm0 8h-4v1a5 5 0 0 0 4.1 4.9A12 12 0 0 1 14 18zm20 0v4q0 1-.1 1.9A5 5 0 0 0 38 15v-1z"
            />
          </svg>
          <p class="big">${msg('You won!')}</p>
          <p class="prize wrap">${this.prizeOf(r, me)}</p>
          ${this.prizeOf(r, me) !== r.name ? html`<p class="how wrap">${r.name}</p>` : nothing}
          ${this.renderClaim(r)}
          <span class="number">${msg(str`Wristband #${me}`)}</span>
        </section>`,
      )}
      ${lost.map(
        (r) => html`<section class="card other" data-raffle-id=${r.id}>
          <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true">
            <rect x="3.5" y="8" width="17" height="12.5" rx="1.5" /><path d="M12 8v12.5M3.5 12.5h17M12 8c-2-4-6.5-4-6.5-1.5S10 8 12 8zm0 0c2-4 6.5-4 6.5-1.5S14 8 12 8z" />
          </svg>
          <div>
            <p><span class="name wrap">${r.name}</span>${msg(': not this time.')}</p>
            <p class="sub wrap">
              ${r.winners.length === 1 ? msg('Winner:') : msg('Winners:')}
              ${r.winners
                .slice(0, NUMBERS_SHOWN)
                .map((n) => `#${n}`)
                .join(
                  ', ',
                )}${r.winners.length > NUMBERS_SHOWN ? msg(str` and ${r.winners.length - NUMBERS_SHOWN} more`) : ''}
            </p>
            ${this.slug && r.state === 'drawn' ? html`<p><a class="check" href=${checkUrl(r)}>${msg('Check this draw')}</a></p>` : nothing}
          </div>
        </section>`,
      )}
      ${upcoming.map(
        (r) => html`<section class="card other" data-raffle-id=${r.id}>
          <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true">
            <rect x="3.5" y="8" width="17" height="12.5" rx="1.5" /><path d="M12 8v12.5M3.5 12.5h17M12 8c-2-4-6.5-4-6.5-1.5S10 8 12 8zm0 0c2-4 6.5-4 6.5-1.5S14 8 12 8z" />
          </svg>
          <div>
            <p>${msg('Raffle coming up:')} <span class="name wrap">${r.name}</span></p>
            <p class="sub">${msg('Keep this page open: the result shows up here.')}</p>
          </div>
        </section>`,
      )}
    `
  }
}
customElements.define('gb-raffle-card', RaffleCard)

declare global {
  interface HTMLElementTagNameMap {
    'gb-raffle-card': RaffleCard
  }
}
