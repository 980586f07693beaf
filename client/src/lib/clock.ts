/**
 * The server's clock on this page: samples `GET /time` and hands them to the pure
 * estimator (clock-estimator.ts: keeps the samples that agree, rejects outliers, knows
 * its own uncertainty). A burst at the start, more over the first seconds, then a few
 * every few minutes, and again when the tab becomes visible or the network comes back.
 * Between samples it runs on the phone's clock; when `/time` fails it keeps the last
 * estimate, so the show never stops.
 */
import { timeSchema } from '../../../protocol/index.ts'
import { ClockEstimator, DEFAULT_PLAN, nextSampleDelay, type SamplePlan, type TimeSample } from './clock-estimator.ts'

/** No more than one extra burst (tab woke up, network back) this often. */
const WAKE_MIN_GAP_MS = 10_000

export class ServerClock {
  /** Server clock minus this page's clock, ms. */
  offset = 0
  /** The shortest round trip among the samples behind the estimate. */
  rtt = Number.POSITIVE_INFINITY
  /** The true offset is within `offset ± uncertaintyMs` (Infinity until the first sample). */
  uncertaintyMs = Number.POSITIVE_INFINITY
  synced = false
  readonly estimator = new ClockEstimator()
  private timer: ReturnType<typeof setTimeout> | null = null
  private running = false
  private inFlight = false
  private taken = 0
  /** Samples still to take back to back, outside the plan (the tab woke, the network came back). */
  private wakeLeft = 0
  private failures = 0
  private lastWake = 0
  private plan: SamplePlan

  constructor(
    private url = '/time',
    plan: Partial<SamplePlan> = {},
  ) {
    this.plan = { ...DEFAULT_PLAN, ...plan }
  }

  /** Server time now, in epoch ms. */
  now() {
    return Date.now() + this.offset
  }

  /** One sample of `/time`; false when it failed. */
  async sample(): Promise<boolean> {
    try {
      // performance.now() measures the trip; Date.now() anchors it to the wall clock.
      const p0 = performance.now()
      const res = await fetch(this.url, { cache: 'no-store' })
      const p1 = performance.now()
      const anchor = Date.now() - performance.now()
      if (!res.ok) return false
      const { serverTime } = timeSchema.parse(await res.json())
      return this.addSample({ t0: anchor + p0, t1: anchor + p1, serverTime })
    } catch {
      return false
    }
  }

  /** Feeds one sample to the estimator and takes up its estimate. */
  addSample(s: TimeSample): boolean {
    if (!this.estimator.add(s)) return false
    this.refresh(s.t1)
    return true
  }

  private refresh(at: number) {
    const est = this.estimator.estimate(at)
    if (!est) return
    this.offset = est.offset
    this.rtt = est.rtt
    this.uncertaintyMs = est.uncertaintyMs
    this.synced = true
    for (const resolve of this.waiting.splice(0)) resolve(true)
  }

  private waiting: ((synced: boolean) => void)[] = []

  /** Resolves true once there is an estimate, or false after `timeoutMs` without one (then run on the local clock). */
  whenSynced(timeoutMs: number): Promise<boolean> {
    if (this.synced) return Promise.resolve(true)
    return new Promise((resolve) => {
      this.waiting.push(resolve)
      setTimeout(() => resolve(this.synced), timeoutMs)
    })
  }

  /** A burst of samples now (the old one-shot sync; `start` keeps sampling by itself). */
  async sync(samples = this.plan.burst): Promise<void> {
    for (let i = 0; i < samples; i++) await this.sample()
  }

  /** Samples now and on the plan after; resamples when the tab wakes or the network comes back. */
  start(everyMs = this.plan.resyncMs) {
    if (this.running) return
    this.plan = { ...this.plan, resyncMs: everyMs }
    this.running = true
    if (typeof document !== 'undefined') document.addEventListener('visibilitychange', this.onVisibility)
    if (typeof window !== 'undefined') window.addEventListener('online', this.wake)
    void this.loop()
  }

  stop() {
    this.running = false
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', this.onVisibility)
    if (typeof window !== 'undefined') window.removeEventListener('online', this.wake)
  }

  private onVisibility = () => {
    if (document.visibilityState === 'visible') this.wake()
  }

  /** A fresh burst now: after sleep the phone's clock may have been set, or drifted. */
  private wake = () => {
    if (!this.running || Date.now() - this.lastWake < WAKE_MIN_GAP_MS) return
    this.lastWake = Date.now()
    this.wakeLeft = this.plan.resyncBurst
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    if (!this.inFlight) void this.loop()
  }

  private async loop() {
    this.timer = null
    if (!this.running) return
    this.inFlight = true
    const ok = await this.sample()
    this.inFlight = false
    if (!this.running) return
    if (ok) this.failures = 0
    else this.failures++
    // A sample of a wake-up burst is extra: the plan carries on where it was after it.
    if (this.wakeLeft > 0) this.wakeLeft--
    else if (ok) this.taken++
    const disagreed = ok && !this.estimator.newestAgrees(Date.now())
    const wait =
      this.wakeLeft > 0
        ? 0
        : nextSampleDelay(this.plan, { taken: this.taken, failures: this.failures, disagreed }, Math.random())
    if (this.timer) return // woken meanwhile
    this.timer = setTimeout(() => void this.loop(), wait)
  }
}
