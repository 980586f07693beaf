import { html, LitElement, nothing } from 'lit'
import type { Raffle } from '../../../../protocol/index.ts'
import { msg, str } from '../../lib/i18n.ts'
import { raffleDrawStyles } from './raffle-draw.styles.ts'

/** How many reels spin at once; a bigger draw lands these and then shows everyone. */
const MAX_REELS = 10
/** The first reel lands after this long; the others follow, one by one. */
const FIRST_LAND_MS = 2600
const MAX_STAGGER_MS = 700
const LAST_LAND_BY_MS = 6500
/** A pause on the landed numbers before the winners panel. */
const HOLD_MS = 1200

interface Reel {
  target: number
  shown: number
  landAt: number
  nextAt: number
  landed: boolean
}

export type RafflePhase = 'idle' | 'drumroll' | 'rolling' | 'winners'

/**
 * The raffle draw: a drum roll of random numbers that slows down and lands on each
 * winner's public number, one after the other, then a panel with all the winners.
 * `play()` runs the drum roll (a draw that just happened); `show()` goes straight to
 * the panel (a screen that connected after the draw). `close()` hides everything.
 *
 * `drumroll()` spins the reels without landing while a committed raffle takes the guests'
 * taps, with the frozen list's hash and the seed commitment on screen (docs/raffles.md).
 * While `pool` (the frozen list) is known, the drum only shows numbers from it.
 *
 * The overlay carries `data-phase` (drumroll | rolling | winners); each winner in the panel
 * is a `.winner` with `data-number`.
 * @fires gb-raffle-closed - the panel went away (its time was up or close() was called)
 */
export class RaffleDraw extends LitElement {
  static styles = raffleDrawStyles
  static properties = {
    phase: { state: true },
    raffle: { state: true },
    reels: { state: true },
  }

  declare phase: RafflePhase
  declare raffle: Raffle | null
  declare reels: Reel[]
  /** Numbers the drum shows while spinning come from 1..poolMax (e.g. the check-in count)... */
  poolMax = 100
  /** ...or, once known, from the raffle's frozen eligible list. */
  pool: number[] | null = null
  private timer: ReturnType<typeof setTimeout> | null = null
  private closeTimer: ReturnType<typeof setTimeout> | null = null

  constructor() {
    super()
    this.phase = 'idle'
    this.raffle = null
    this.reels = []
  }

  /** Runs the drum roll, then the winners panel for `panelMs`. */
  play(raffle: Raffle, panelMs: number) {
    this.stopTimers()
    this.raffle = raffle
    const targets = raffle.winners.slice(0, MAX_REELS)
    const stagger = Math.min(MAX_STAGGER_MS, (LAST_LAND_BY_MS - FIRST_LAND_MS) / Math.max(1, targets.length - 1))
    const start = performance.now()
    this.reels = targets.map((target, i) => ({
      target,
      shown: this.randomNumber(),
      landAt: start + FIRST_LAND_MS + i * stagger,
      nextAt: start,
      landed: false,
    }))
    this.phase = 'rolling'
    if (!targets.length) {
      this.show(raffle, panelMs)
      return
    }
    const tick = () => {
      const now = performance.now()
      let allLanded = true
      for (const r of this.reels) {
        if (r.landed) continue
        if (now >= r.landAt) {
          r.shown = r.target
          r.landed = true
          continue
        }
        allLanded = false
        if (now >= r.nextAt) {
          r.shown = this.randomNumber(r.shown)
          // The drum slows down: from 40 ms between numbers to ~450 ms just before it lands.
          const progress = Math.min(1, (now - start) / (r.landAt - start))
          r.nextAt = now + 40 + 410 * progress ** 3
        }
      }
      this.reels = [...this.reels]
      if (allLanded) {
        this.timer = setTimeout(() => this.show(raffle, panelMs), HOLD_MS)
      } else {
        this.timer = setTimeout(tick, 30)
      }
    }
    tick()
  }

  /** Spins the reels until the draw comes (then `play()` lands them). */
  drumroll(raffle: Raffle) {
    this.stopTimers()
    this.raffle = raffle
    const count = Math.min(
      MAX_REELS,
      raffle.prizes?.reduce((n, p) => n + p.count, 0) ?? 1,
      raffle.eligible ?? MAX_REELS,
    )
    this.reels = Array.from({ length: Math.max(1, count) }, () => ({
      target: 0,
      shown: this.randomNumber(),
      landAt: Number.POSITIVE_INFINITY,
      nextAt: 0,
      landed: false,
    }))
    this.phase = 'drumroll'
    const tick = () => {
      const now = performance.now()
      for (const r of this.reels) {
        if (now >= r.nextAt) {
          r.shown = this.randomNumber(r.shown)
          r.nextAt = now + 60 + Math.random() * 60
        }
      }
      this.reels = [...this.reels]
      this.timer = setTimeout(tick, 40)
    }
    tick()
  }

  /** Shows the winners panel at once, for `panelMs`. */
  show(raffle: Raffle, panelMs: number) {
    this.stopTimers()
    this.raffle = raffle
    this.reels = []
    this.phase = 'winners'
    if (panelMs > 0 && Number.isFinite(panelMs)) this.closeTimer = setTimeout(() => this.close(), panelMs)
  }

  close() {
    this.stopTimers()
    const was = this.phase
    this.phase = 'idle'
    this.reels = []
    if (was !== 'idle') this.dispatchEvent(new CustomEvent('gb-raffle-closed', { bubbles: true, composed: true }))
  }

  disconnectedCallback() {
    super.disconnectedCallback()
    this.stopTimers()
  }

  private stopTimers() {
    if (this.timer) clearTimeout(this.timer)
    if (this.closeTimer) clearTimeout(this.closeTimer)
    this.timer = this.closeTimer = null
  }

  /**
   * A number for a spinning reel: from the frozen list once known, else from the winners
   * (who are on it); never a number that cannot win. NaN (shown as "?") while neither is known.
   */
  private randomNumber(not?: number) {
    const pool = this.pool?.length ? this.pool : this.raffle?.winners.length ? this.raffle.winners : null
    if (pool) {
      for (;;) {
        const n = pool[Math.floor(Math.random() * pool.length)]
        if (n !== not || pool.length < 2) return n
      }
    }
    if (this.raffle) return Number.NaN
    const max = Math.max(9, this.poolMax)
    for (;;) {
      const n = 1 + Math.floor(Math.random() * max)
      if (n !== not || max < 2) return n
    }
  }

  render() {
    if (this.phase === 'idle' || !this.raffle) return nothing
    const r = this.raffle
    const digits = String(Math.max(this.poolMax, ...r.winners)).length
    if (this.phase === 'drumroll') {
      return html`<div class="overlay rolling" data-phase="drumroll" role="status" aria-live="polite">
        <div class="kicker">${msg('Drum roll')}</div>
        <h2>${r.name}</h2>
        <div class="reels" style="--digits:${digits}; --count:${this.reels.length}">
          ${this.reels.map(
            (reel) =>
              html`<div class="reel"><span class="hash">#</span>${Number.isNaN(reel.shown) ? '?' : reel.shown}</div>`,
          )}
        </div>
        <div class="hint">${msg('Tap your phone: every tap goes into the draw!')}</div>
        ${this.proofLine(r)}
      </div>`
    }
    if (this.phase === 'rolling') {
      return html`<div class="overlay rolling" data-phase="rolling" role="status" aria-live="polite">
        <div class="kicker">${msg('Raffle draw')}</div>
        <h2>${r.name}</h2>
        <div class="reels" style="--digits:${digits}; --count:${this.reels.length}">
          ${this.reels.map(
            (reel) =>
              html`<div class="reel ${reel.landed ? 'landed' : ''}"><span class="hash">#</span>${reel.shown}</div>`,
          )}
        </div>
        <div class="hint">${msg('Good luck!')}</div>
      </div>`
    }
    const many = r.winners.length
    const shown = r.winners.slice(0, 60)
    return html`<div class="overlay winners" data-phase="winners" role="status" aria-live="polite">
      <div class="kicker">🎉 ${many === 1 ? msg('The winner') : msg('The winners')}</div>
      <h2>${r.name}</h2>
      <ul class="panel ${many > 12 ? 'dense' : ''}" style="--digits:${digits}">
        ${shown.map((n) => html`<li class="winner" data-number=${n}><span class="hash">#</span>${n}</li>`)}
      </ul>
      ${many > shown.length ? html`<div class="more">${msg(str`and ${many - shown.length} more`)}</div>` : nothing}
      <div class="hint">${msg('Is that your wristband number? Check your phone!')}</div>
      ${this.proofLine(r)}
    </div>`
  }

  /** The public commitment, small: anyone can photograph it and check the draw later. */
  private proofLine(r: Raffle) {
    if (!r.listHash || !r.commitment) return nothing
    return html`<div class="proof" data-list-hash=${r.listHash} data-commitment=${r.commitment}>
      ${msg(str`${r.eligible ?? ''} on the list · list hash ${r.listHash.slice(0, 16)}… · seed commitment ${r.commitment.slice(0, 16)}…`)}
    </div>`
  }
}

customElements.define('gb-raffle-draw', RaffleDraw)

declare global {
  interface HTMLElementTagNameMap {
    'gb-raffle-draw': RaffleDraw
  }
}
