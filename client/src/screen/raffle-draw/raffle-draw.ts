import { html, LitElement, nothing } from 'lit'
import { type PanelView, panelAt, type Raffle, type WinnersPanel } from '../../../../protocol/index.ts'
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
 * winner's public number, one after the other, then the winners panel while the host
 * keeps it up (`panel`, the screen state's winners panel: tier by tier, lowest prize
 * first, long lists in pages that turn by themselves; protocol/screen.ts has the timing).
 * `play()` runs the drum roll (a draw that just happened); `show()` goes straight to
 * the panel (a screen that connected after the draw). `close()` hides everything.
 *
 * `drumroll()` spins the reels without landing while a committed raffle takes the guests'
 * taps, with the frozen list's hash and the seed commitment on screen (docs/raffles.md).
 * While `pool` (the frozen list) is known, the drum only shows numbers from it.
 *
 * The overlay carries `data-phase` (drumroll | rolling | winners); each winner on the page
 * shown is a `.winner` with `data-number`; the list carries `data-tier`, `data-page`, `data-pages`.
 * @fires gb-raffle-closed - the panel went away (the host dismissed it, or close() was called)
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
  /** The winners panel the host has up (null: none); the drum lands into it, or closes without it. */
  panel: WinnersPanel | null = null
  /** Server time (the screen's corrected clock): every screen turns the same page at once. */
  now: () => number = () => Date.now()
  private pageTimer: ReturnType<typeof setTimeout> | null = null
  /** Numbers the drum shows while spinning come from 1..poolMax (e.g. the check-in count)... */
  poolMax = 100
  /** ...or, once known, from the raffle's frozen eligible list. */
  pool: number[] | null = null
  private timer: ReturnType<typeof setTimeout> | null = null

  constructor() {
    super()
    this.phase = 'idle'
    this.raffle = null
    this.reels = []
  }

  /** Runs the drum roll landing on `targets` (the first prize to be revealed), then the winners panel if it is up. */
  play(raffle: Raffle, targets = raffle.winners) {
    this.stopTimers()
    this.raffle = raffle
    targets = targets.slice(0, MAX_REELS)
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
      this.land(raffle)
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
        this.timer = setTimeout(() => this.land(raffle), HOLD_MS)
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

  /** The drum has landed: on to the winners panel if the host has it up for this raffle. */
  private land(raffle: Raffle) {
    if (this.panel?.raffleId === raffle.id) this.show(raffle, this.panel)
    else this.close()
  }

  /** Shows the winners panel at once, until the host dismisses it (`close()`). */
  show(raffle: Raffle, panel: WinnersPanel) {
    this.stopTimers()
    this.raffle = raffle
    this.panel = panel
    this.reels = []
    this.phase = 'winners'
    this.requestUpdate()
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
    if (this.pageTimer) clearTimeout(this.pageTimer)
    this.timer = this.pageTimer = null
  }

  /** Draws the panel again when its page turns (or the next tier comes up). */
  private schedulePage(view: PanelView) {
    if (this.pageTimer) clearTimeout(this.pageTimer)
    this.pageTimer = null
    if (!Number.isFinite(view.nextAt)) return
    const wait = Math.min(60_000, Math.max(50, view.nextAt - this.now() + 20))
    this.pageTimer = setTimeout(() => this.requestUpdate(), wait)
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
    return this.winnersPanel(r)
  }

  /** The winners on show now: the tier being revealed (or every tier in turn), one page at a time. */
  private winnersPanel(r: Raffle) {
    const panel = this.panel ?? { raffleId: r.id, reveal: 'all' as const, step: 1, pageMs: 6000, at: 0 }
    const view = panelAt(r, panel, this.now())
    this.schedulePage(view)
    const page = view.page
    const tiers = view.revealed.length + view.hidden
    const digits = String(Math.max(9, ...r.winners)).length
    const size = !page ? '' : !page.big ? 'dense' : page.count === 1 ? 'one' : page.count <= 4 ? 'few' : ''
    const earlier = panel.reveal === 'all' ? [] : view.revealed.slice(0, -1)
    return html`<div class="overlay winners" data-phase="winners" data-reveal=${panel.reveal} role="status" aria-live="polite">
      <div class="kicker">🎉 ${r.winners.length === 1 ? msg('The winner') : msg('The winners')}</div>
      <h2>${r.name}</h2>
      ${
        page && (tiers > 1 || page.name !== r.name)
          ? html`<div class="prize" data-tier=${page.tier}>${page.name}<span class="count">${page.count === 1 ? '' : msg(str` · ${page.count} winners`)}</span></div>`
          : nothing
      }
      ${
        page
          ? html`<ul
              class="panel ${size}"
              style="--digits:${digits}"
              data-tier=${page.tier}
              data-page=${page.page}
              data-pages=${page.pages}
            >
              ${page.numbers.map((n) => html`<li class="winner" data-number=${n}><span class="hash">#</span>${n}</li>`)}
            </ul>`
          : html`<div class="hint">${msg('Nobody was left to win.')}</div>`
      }
      ${
        page && page.pages > 1
          ? html`<div class="pager" aria-hidden="true">
              ${Array.from({ length: page.pages }, (_, i) => html`<i class=${i === page.page ? 'on' : ''}></i>`)}
              <span>${msg(str`Page ${page.page + 1} of ${page.pages}`)}</span>
            </div>`
          : nothing
      }
      ${
        earlier.length || view.hidden
          ? html`<div class="tiers">
              ${earlier.map((t) => html`<span class="done">${t.name} · ${t.count}</span>`)}
              ${view.hidden ? html`<span class="next">${view.hidden === 1 ? msg('One more prize to come') : msg(str`${view.hidden} more prizes to come`)}</span>` : nothing}
            </div>`
          : nothing
      }
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
