/**
 * The phone's part of the light show: when the host starts a show, the stream carries
 * the cue sheet URL and the server time of cue 0; every phone fetches the sheet and fires
 * the cues itself against its corrected clock (ServerClock), so the room changes colour
 * together without a message per cue. What a cue looks like at a given moment is
 * `cueStateAt` (client/src/lib/cues.ts), the same function the big screen runs.
 *
 * The look goes to CSS custom properties on the host element (`--gb-show-color`,
 * `--gb-show-opacity` and the rest: lib/cue-stage.ts), and the host gets a `data-show`
 * attribute while a cue plays; the page paints them full screen with `cueStageStyles`
 * and renders `overlay` (particles, text). Flashing stays at or under three flashes a
 * second (WCAG 2.3.1), and with `prefers-reduced-motion` there is no flashing, pulsing or
 * particles at all: colours fade gently instead.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit'
import { cueSheetSchema, type Show } from '../../../../protocol/index.ts'
import { ServerClock } from '../../lib/clock.ts'
import { type CueOverlay, CuePlayer } from '../../lib/cue-stage.ts'

export class LightShowController implements ReactiveController {
  readonly clock: ServerClock
  private show: Show | null = null
  private motion = typeof matchMedia === 'function' ? matchMedia('(prefers-reduced-motion: reduce)') : null
  private player: CuePlayer
  /** Particles and text of the cue playing now, for the host to render (`cueOverlay`). */
  overlay: CueOverlay | null = null

  constructor(host: ReactiveControllerHost & HTMLElement, timeUrl = '/time') {
    host.addController(this)
    this.clock = new ServerClock(timeUrl)
    this.player = new CuePlayer({
      target: host,
      now: () => this.clock.now(),
      reducedMotion: () => !!this.motion?.matches,
      onOverlay: (o) => {
        this.overlay = o
        host.requestUpdate()
      },
    })
  }

  /** The clock runs while the page is open, so it has converged by the time a show starts. */
  hostConnected() {
    this.clock.start()
    if (typeof document !== 'undefined') document.addEventListener('visibilitychange', this.onVisible)
  }

  hostDisconnected() {
    this.player.stop()
    this.clock.stop()
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', this.onVisible)
  }

  /** Back from sleep or another tab: timers were held back, so paint where the show is now. */
  private onVisible = () => {
    if (document.visibilityState !== 'visible' || !this.player.playing) return
    this.player.repaint()
  }

  /** Follows the snapshot's `show`; call it on every snapshot change (same show: nothing happens). */
  setShow(show: Show | null) {
    const same = show && this.show && show.cueSheet === this.show.cueSheet && show.startAt === this.show.startAt
    if (same || (!show && !this.show)) return
    this.show = show
    this.player.stop()
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
        this.player.play(parsed.data, show.startAt)
        return
      } catch {
        await new Promise((r) => setTimeout(r, 1000 * (attempt + 1)))
      }
    }
  }
}
