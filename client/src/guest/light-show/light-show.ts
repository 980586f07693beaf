/**
 * The phone's part of the light show: when the host starts a show, the stream carries
 * the cue sheet URL and the server time of cue 0; every phone fetches the sheet and fires
 * the cues itself against its corrected clock (ServerClock), so the room changes colour
 * together without a message per cue. What a cue looks like at a given moment is
 * `cueStateAt` (client/src/lib/cues.ts), the same function the big screen runs.
 *
 * The colour goes to two CSS custom properties on the host element, `--gb-show-color`
 * and `--gb-show-opacity`, and the host gets a `data-show` attribute while a cue plays;
 * the page paints them full screen. Flashing stays at
 * or under three flashes a second (WCAG 2.3.1), and with `prefers-reduced-motion` there
 * is no flashing or pulsing at all: colours fade gently instead.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit'
import { type CueSheet, cueSheetSchema, type Show } from '../../../../protocol/index.ts'
import { ServerClock } from '../../lib/clock.ts'
import { CHANGE_GRID_MS, cueStateAt } from '../../lib/cues.ts'

export class LightShowController implements ReactiveController {
  readonly clock: ServerClock
  private show: Show | null = null
  private sheet: CueSheet | null = null
  private timer: ReturnType<typeof setTimeout> | null = null
  private raf = 0
  private lastColor = ''
  private lastOpacity = -1
  private motion = typeof matchMedia === 'function' ? matchMedia('(prefers-reduced-motion: reduce)') : null

  constructor(
    private host: ReactiveControllerHost & HTMLElement,
    timeUrl = '/time',
  ) {
    host.addController(this)
    this.clock = new ServerClock(timeUrl)
  }

  /** The clock runs while the page is open, so it has converged by the time a show starts. */
  hostConnected() {
    this.clock.start()
    if (typeof document !== 'undefined') document.addEventListener('visibilitychange', this.onVisible)
  }

  hostDisconnected() {
    this.halt()
    this.clock.stop()
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', this.onVisible)
  }

  /** Back from sleep or another tab: timers were held back, so paint where the show is now. */
  private onVisible = () => {
    if (document.visibilityState !== 'visible' || !this.sheet) return
    this.halt()
    this.tick()
  }

  /** Follows the snapshot's `show`; call it on every snapshot change (same show: nothing happens). */
  setShow(show: Show | null) {
    const same = show && this.show && show.cueSheet === this.show.cueSheet && show.startAt === this.show.startAt
    if (same || (!show && !this.show)) return
    this.show = show
    this.sheet = null
    this.halt()
    this.paint('', 0)
    if (!show) return
    void this.load(show)
  }

  private async load(show: Show) {
    for (let attempt = 0; attempt < 5 && this.show === show; attempt++) {
      try {
        const res = await fetch(show.cueSheet)
        const parsed = cueSheetSchema.safeParse(await res.json())
        if (!parsed.success) return
        // A late joiner or a reload paints the cue of the moment, so not before the clock
        // knows the server's time (a phone clock seconds off would show the wrong cue).
        await this.clock.whenSynced(3000)
        if (this.show !== show) return
        this.sheet = { ...parsed.data, cues: parsed.data.cues.slice().sort((a, b) => a.at - b.at) }
        this.tick()
        return
      } catch {
        await new Promise((r) => setTimeout(r, 1000 * (attempt + 1)))
      }
    }
  }

  private halt() {
    if (this.timer) clearTimeout(this.timer)
    if (this.raf) cancelAnimationFrame(this.raf)
    this.timer = null
    this.raf = 0
  }

  /** Paints the current look, then sleeps until the next change (animation frames only while a pulse breathes). */
  private tick = () => {
    this.timer = null
    this.raf = 0
    const show = this.show
    const sheet = this.sheet
    if (!show || !sheet?.cues.length) return
    const reducedMotion = !!this.motion?.matches
    const now = this.clock.now()
    const state = cueStateAt(sheet, show.startAt, now, { reducedMotion })
    this.paint(state ? state.color : '', state ? state.intensity : 0)
    if (state && !reducedMotion && state.effect === 'pulse') {
      this.raf = requestAnimationFrame(this.tick)
      return
    }
    const t = now - show.startAt
    let wait: number
    if (state && !reducedMotion && state.effect === 'flash') {
      // A flash only changes on the shared 1/6 s grid: wake at the next slot.
      wait = CHANGE_GRID_MS - (((t % CHANGE_GRID_MS) + CHANGE_GRID_MS) % CHANGE_GRID_MS)
    } else {
      const next = sheet.cues.find((c) => c.at > t)
      const cue = state ? sheet.cues[state.index] : null
      const ends = cue && cue.durationMs !== undefined ? cue.at + cue.durationMs - t : Infinity
      wait = Math.min(next ? next.at - t : Infinity, ends, t < 0 ? -t : Infinity)
      if (wait === Infinity) return
    }
    // At least every second: the clock's estimate may have been refined meanwhile.
    this.timer = setTimeout(this.tick, Math.max(1, Math.min(wait + 1, 1000)))
  }

  private paint(color: string, opacity: number) {
    const style = this.host.style
    if (color !== this.lastColor) {
      this.lastColor = color
      if (color) style.setProperty('--gb-show-color', color)
      else style.removeProperty('--gb-show-color')
      this.host.toggleAttribute('data-show', !!color)
    }
    if (opacity !== this.lastOpacity) {
      this.lastOpacity = opacity
      style.setProperty('--gb-show-opacity', String(opacity))
    }
  }
}
