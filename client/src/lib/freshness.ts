/**
 * How sure a page is that what it shows is current. The big screen runs for hours and
 * must never show an old state without saying so; a phone must not sit on a poll that
 * closed long ago. Beyond the stream's own state this controller:
 * - re-renders once a second while the page is stale or was caught behind, for the
 *   "last update N s ago" and "delayed" notes;
 * - after a quiet spell on a "live" stream, asks the snapshot endpoint whether the
 *   page's seq is still the newest (a 304 is cheap): an SSE connection can die
 *   without an error (a NAT or Wi-Fi dropping it silently), and the server's
 *   heartbeats are SSE comments, which EventSource does not surface;
 * - if the stream fell behind, catches up with `pollOnce()`, replaces the dead
 *   connection (`stop()` + `start()` resume from the current seq) and says so for a while.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit'
import type { LiveStream } from './live-stream.ts'

/** A live stream quiet for this long gets checked. */
export const QUIET_CHECK_MS = 10_000
/** A live stream unconfirmed for this long counts as stale (a check failed or hangs). */
export const LIVE_STALE_MS = 25_000
/** How long "updates delayed" stays up after the stream was caught behind. */
export const DELAYED_NOTE_MS = 30_000
/** Time the stream gets to deliver what the check saw before it counts as behind. */
const GRACE_MS = 1500

export class FreshnessController implements ReactiveController {
  /** When the page last knew its state was current (ms, wall clock). */
  private goodAt = Date.now()
  private confirmedAt = 0
  private delayedAt = 0
  private checking = false
  private wasShowing = false
  private timer: ReturnType<typeof setInterval> | null = null

  constructor(
    private host: ReactiveControllerHost,
    private stream: () => LiveStream,
    private snapshotUrl: string,
  ) {
    host.addController(this)
  }

  hostConnected() {
    this.timer = setInterval(() => {
      void this.check()
      // Re-render only while there is something to say ("last update N s ago", "delayed"),
      // and once more when it ends: a phone need not redraw its page every second.
      const showing = this.staleMs() > 0 || this.delayed()
      if (showing || this.wasShowing) this.host.requestUpdate()
      this.wasShowing = showing
    }, 1000)
  }

  hostDisconnected() {
    if (this.timer) clearInterval(this.timer)
  }

  /** ms the page has gone without knowing it is current (0 while it does). */
  staleMs(now = Date.now()): number {
    const s = this.stream()
    if (!s.snapshot) return 0 // still connecting: the page says so by itself
    const confirmed = Math.max(s.freshAt, this.confirmedAt)
    if (s.state === 'live') {
      const quiet = now - confirmed
      if (quiet < LIVE_STALE_MS) {
        this.goodAt = now
        return 0
      }
      return quiet
    }
    if (s.state === 'polling') this.goodAt = Math.max(this.goodAt, s.freshAt)
    return now - this.goodAt
  }

  /** The stream was caught behind a little while ago. */
  delayed(now = Date.now()) {
    return now - this.delayedAt < DELAYED_NOTE_MS
  }

  private async check() {
    const s = this.stream()
    const seq = s.seq
    const now = Date.now()
    if (this.checking || s.state !== 'live' || seq === null) return
    if (now - Math.max(s.freshAt, this.confirmedAt) < QUIET_CHECK_MS) return
    this.checking = true
    try {
      const res = await fetch(`${this.snapshotUrl}?since=${seq}`, {
        headers: { 'if-none-match': `"${seq}"` },
        cache: 'no-store',
        signal: AbortSignal.timeout(5000),
      })
      if (res.status === 304) {
        this.confirmedAt = Date.now()
        return
      }
      if (!res.ok) return
      const body = (await res.json()) as { seq?: number; snapshot?: { seq: number } }
      const newest = body.seq ?? body.snapshot?.seq ?? seq
      await new Promise((ok) => setTimeout(ok, GRACE_MS))
      if ((this.stream().seq ?? 0) >= newest) {
        this.confirmedAt = Date.now()
        return
      }
      // The stream missed what the server has: catch up, open a new connection, and say the live feed lagged.
      this.delayedAt = Date.now()
      const stream = this.stream()
      await stream.pollOnce()
      stream.stop()
      stream.start()
      this.confirmedAt = Date.now()
    } catch {
      // offline: the stream's own error handling takes over
    } finally {
      this.checking = false
      this.host.requestUpdate()
    }
  }
}
