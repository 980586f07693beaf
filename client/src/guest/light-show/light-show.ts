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
import type { Show } from '../../../../protocol/index.ts'
import type { ServerClock } from '../../lib/clock.ts'
import type { CuePlayer } from '../../lib/cue-player.ts'
import type { CueOverlay } from '../../lib/cue-stage.ts'

/** The player and the cue maths load when a show is announced, not with the page (the page's size budget). */
const loadPlayer = () =>
  Promise.all([import('../../lib/cue-player.ts'), import('../../lib/cues.ts'), import('./cue-overlay-element.ts')])

/**
 * The server clock, loaded just after the page rather than with it (the page's size
 * budget: the first screen needs no clock), with the quiz card (../after-load.ts). Until it is there, `now()` is the phone's
 * own time and `whenSynced` waits for it to load and sync.
 */
export class LazyClock {
  private real: ServerClock | null = null
  private loading: Promise<ServerClock> | null = null
  private running = false

  constructor(private timeUrl: string) {}

  private load() {
    this.loading ??= import('../after-load.ts').then(({ ServerClock }) => {
      const clock = new ServerClock(this.timeUrl)
      this.real = clock
      if (this.running) clock.start()
      return clock
    })
    return this.loading
  }

  start() {
    this.running = true
    if (this.real) this.real.start()
    else void this.load()
  }

  stop() {
    this.running = false
    this.real?.stop()
  }

  now() {
    return this.real ? this.real.now() : Date.now()
  }

  async whenSynced(timeoutMs: number) {
    const started = Date.now()
    const clock = await this.load()
    return clock.whenSynced(Math.max(0, timeoutMs - (Date.now() - started)))
  }

  get offset() {
    return this.real?.offset ?? 0
  }
  get uncertaintyMs() {
    return this.real?.uncertaintyMs ?? Number.POSITIVE_INFINITY
  }
  get rtt() {
    return this.real?.rtt ?? Number.POSITIVE_INFINITY
  }
}

/** How the screen-awake request stands: `held`, or why not. */
export type WakeState = 'off' | 'held' | 'unsupported' | 'refused'

export class LightShowController implements ReactiveController {
  readonly clock: LazyClock
  private show: Show | null = null
  private motion = typeof matchMedia === 'function' ? matchMedia('(prefers-reduced-motion: reduce)') : null
  private player: CuePlayer | null = null
  /** Particles and text of the cue playing now, for the host to render (`cueOverlay`). */
  overlay: CueOverlay | null = null
  /** A show is announced or playing and has not ended (the page offers "back to the show" while it is). */
  running = false
  /** The screen wake lock, held while the show runs so the phone does not dim and lock mid-show. */
  wake: WakeState = 'off'
  private sentinel: WakeLockSentinel | null = null
  private endTimer: ReturnType<typeof setTimeout> | null = null
  private endsAt = Number.POSITIVE_INFINITY

  constructor(
    private host: ReactiveControllerHost & HTMLElement,
    timeUrl = '/time',
  ) {
    host.addController(this)
    this.clock = new LazyClock(timeUrl)
  }

  /** The clock runs while the page is open, so it has converged by the time a show starts. */
  hostConnected() {
    this.clock.start()
    if (typeof document === 'undefined') return
    document.addEventListener('visibilitychange', this.onVisible)
    // A frozen tab (Page Lifecycle) or one restored from the back/forward cache wakes without
    // becoming visible again: same treatment.
    document.addEventListener('resume', this.onVisible)
    window.addEventListener('pageshow', this.onVisible)
  }

  hostDisconnected() {
    this.player?.stop()
    this.clock.stop()
    this.setRunning(false)
    if (typeof document === 'undefined') return
    document.removeEventListener('visibilitychange', this.onVisible)
    document.removeEventListener('resume', this.onVisible)
    window.removeEventListener('pageshow', this.onVisible)
  }

  /**
   * Back from sleep or another tab: timers were held back, so paint where the show is now;
   * and the browser dropped the wake lock when the page was hidden, so take it again.
   */
  private onVisible = () => {
    if (document.visibilityState !== 'visible') return
    if (this.player?.playing) this.player.repaint()
    if (this.running) this.checkEnded()
    if (this.running && !this.sentinel) void this.acquire()
  }

  private setRunning(running: boolean) {
    if (this.endTimer) clearTimeout(this.endTimer)
    this.endTimer = null
    if (running === this.running) return
    this.running = running
    if (running) void this.acquire()
    else this.releaseLock()
    this.host.requestUpdate()
  }

  /** A show whose last cue has ended is over: the screen may sleep again. */
  private checkEnded(sheetEnd?: number) {
    const end = sheetEnd ?? this.endsAt
    if (!Number.isFinite(end)) return
    const left = end - this.clock.now()
    if (left <= 0) this.setRunning(false)
    else {
      if (this.endTimer) clearTimeout(this.endTimer)
      // Capped: timers are held back while the phone sleeps; the wake-up checks again.
      this.endTimer = setTimeout(() => this.checkEnded(), Math.min(left + 50, 60_000))
    }
  }
  private async acquire() {
    const lock = 'wakeLock' in navigator ? navigator.wakeLock : null
    if (!lock) {
      this.setWake('unsupported')
      return
    }
    // The API needs a visible page; a hidden one asks again when it comes back.
    if (document.visibilityState !== 'visible' || this.sentinel) return
    try {
      const sentinel = await lock.request('screen')
      if (!this.running) {
        void sentinel.release()
        return
      }
      this.sentinel = sentinel
      sentinel.addEventListener('release', () => {
        if (this.sentinel === sentinel) this.sentinel = null
        this.setWake(this.running ? 'refused' : 'off')
      })
      this.setWake('held')
    } catch {
      // Battery saver, a permissions policy, an iframe: the show still runs, the page says so.
      this.setWake('refused')
    }
  }

  private releaseLock() {
    const s = this.sentinel
    this.sentinel = null
    if (s && !s.released) void s.release().catch(() => {})
    this.setWake('off')
  }

  private setWake(state: WakeState) {
    if (state === this.wake) return
    this.wake = state
    this.host.requestUpdate()
  }

  /** Follows the snapshot's `show`; call it on every snapshot change (same show: nothing happens). */
  setShow(show: Show | null) {
    const same = show && this.show && show.cueSheet === this.show.cueSheet && show.startAt === this.show.startAt
    if (same || (!show && !this.show)) return
    this.show = show
    this.player?.stop()
    this.endsAt = Number.POSITIVE_INFINITY
    this.setRunning(!!show)
    if (!show) return
    void this.load(show)
  }

  private async load(show: Show) {
    for (let attempt = 0; attempt < 5 && this.show === show; attempt++) {
      try {
        const code = loadPlayer()
        // The schemas load with the show, not with the page (the page's size budget).
        const [res, { cueSheetSchema }] = await Promise.all([
          fetch(show.cueSheet),
          import('../../../../protocol/index.ts'),
        ])
        const parsed = cueSheetSchema.safeParse(await res.json())
        if (!parsed.success) return
        // A late joiner or a reload paints the cue of the moment, so not before the clock
        // knows the server's time (a phone clock seconds off would show the wrong cue).
        await this.clock.whenSynced(3000)
        const [{ CuePlayer }, { showEndsAt }] = await code
        if (this.show !== show) return
        this.player ??= new CuePlayer({
          target: this.host,
          now: () => this.clock.now(),
          reducedMotion: () => !!this.motion?.matches,
          onOverlay: (o) => {
            this.overlay = o
            this.host.requestUpdate()
          },
        })
        this.player.play(parsed.data, show.startAt)
        this.endsAt = showEndsAt(parsed.data, show.startAt)
        this.checkEnded()
        return
      } catch {
        await new Promise((r) => setTimeout(r, 1000 * (attempt + 1)))
      }
    }
  }
}
