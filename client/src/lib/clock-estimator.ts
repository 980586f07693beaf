/**
 * Estimates the server's clock from samples of `GET /time`, NTP-style, as a pure
 * module (no timers, no fetch) so it can be fed simulated networks in tests.
 *
 * One sample: the phone notes its clock when the request leaves (t0) and when the
 * answer arrives (t1); the server stamped `serverTime` somewhere in between. So the
 * offset (server minus phone) is `serverTime - (t0 + t1) / 2`, give or take
 * `rtt / 2`: wherever in the trip the stamp was taken, and however uneven the way
 * there and the way back, the true offset lies in
 * `[serverTime - t1, serverTime + 1 - t0]` (the +1: the server's clock is whole ms).
 *
 * Many samples: every sample's interval holds the true offset, so the estimate is
 * where the intervals agree (Marzullo's algorithm, as NTP selects its sources): the
 * region covered by the most samples. When they all agree that is their intersection,
 * which combines the fastest way there of one sample with the fastest way back of
 * another, so it is tighter than the best single sample. A sample that agrees with
 * nothing (a stale cached answer, a proxy that stamped it, a clock that jumped) is an
 * outlier and drops out. Intervals widen with age (the phone's crystal drifts,
 * `DRIFT_PPM`), so fresh samples win over old ones. The estimate is the middle of the
 * region; `uncertaintyMs`, half its width, is a bound, not a guess (as long as the
 * drift stays within `DRIFT_PPM`): it is at most the best sample's `rtt / 2`.
 *
 * What no method can see: a constant asymmetry of the network itself (the quickest
 * way up always slower than the quickest way down) shifts the estimate by half the
 * difference; `uncertaintyMs` still covers it. Figures: docs/benchmarks.md.
 */

/** One round trip to `GET /time`, in the phone's own clock (epoch ms, fractions allowed). */
export interface TimeSample {
  /** When the request left. */
  t0: number
  /** When the answer arrived. */
  t1: number
  /** The server's clock in the answer (epoch ms). */
  serverTime: number
}

export interface ClockEstimate {
  /** Server clock minus phone clock, ms. */
  offset: number
  /** The true offset is within `offset ± uncertaintyMs`. */
  uncertaintyMs: number
  /** The shortest round trip among the samples that agree. */
  rtt: number
  /** How many samples agree with the estimate. */
  agreeing: number
  /** How many samples are held. */
  held: number
}

/** How fast a phone's clock may drift from the server's: intervals widen by this much per ms of age. */
export const DRIFT_PPM = 100
/** Samples held at most (the newest). */
export const MAX_SAMPLES = 48
/** Samples older than this are dropped. */
export const MAX_SAMPLE_AGE_MS = 30 * 60_000
/** A round trip longer than this tells nothing useful. */
export const MAX_RTT_MS = 10_000
/** This many samples in a row disagreeing with the rest: the clock jumped, start over from them. */
export const JUMP_SAMPLES = 3

interface Held {
  lo: number
  hi: number
  t1: number
  rtt: number
}

export class ClockEstimator {
  private held: Held[] = []
  private cached: { now: number; value: ClockEstimate | null } | null = null

  /** Adds a sample; false if it is unusable on its face (negative or huge round trip, not a number). */
  add(s: TimeSample): boolean {
    const rtt = s.t1 - s.t0
    if (![s.t0, s.t1, s.serverTime].every(Number.isFinite) || rtt < 0 || rtt > MAX_RTT_MS) return false
    this.held.push({ lo: s.serverTime - s.t1, hi: s.serverTime + 1 - s.t0, t1: s.t1, rtt })
    this.held.sort((a, b) => a.t1 - b.t1)
    while (this.held.length > MAX_SAMPLES) this.held.shift()
    this.cached = null
    this.detectJump()
    return true
  }

  /** Forgets every sample. */
  reset() {
    this.held = []
    this.cached = null
  }

  get size() {
    return this.held.length
  }

  /** The estimate at the phone's time `now` (older samples count for less), or null with no samples. */
  estimate(now: number): ClockEstimate | null {
    if (this.cached && this.cached.now === now) return this.cached.value
    this.held = this.held.filter((h) => now - h.t1 <= MAX_SAMPLE_AGE_MS)
    const value = select(this.held, now)
    this.cached = { now, value }
    return value
  }

  /** Whether the newest sample agrees with the estimate from all the others (false with fewer than two). */
  newestAgrees(now: number): boolean {
    if (this.held.length < 2) return true
    const newest = this.held[this.held.length - 1]
    const rest = select(this.held.slice(0, -1), now)
    if (!rest) return true
    const [lo, hi] = widened(newest, now)
    return lo <= rest.offset + rest.uncertaintyMs && hi >= rest.offset - rest.uncertaintyMs
  }

  /**
   * The phone's clock was set (or the server's): the last few samples agree with each other
   * and with none of the older ones. Keep only them.
   */
  private detectJump() {
    const n = this.held.length
    if (n <= JUMP_SAMPLES) return
    const now = this.held[n - 1].t1
    const recent = this.held.slice(n - JUMP_SAMPLES)
    const older = select(this.held.slice(0, n - JUMP_SAMPLES), now)
    const fresh = select(recent, now)
    if (!older || !fresh || fresh.agreeing < JUMP_SAMPLES) return
    const disagree = recent.every((h) => {
      const [lo, hi] = widened(h, now)
      return hi < older.offset - older.uncertaintyMs || lo > older.offset + older.uncertaintyMs
    })
    if (disagree) this.held = recent
  }
}

function widened(h: Held, now: number): [number, number] {
  const grow = (Math.max(0, now - h.t1) * DRIFT_PPM) / 1e6
  return [h.lo - grow, h.hi + grow]
}

/** Marzullo: the region covered by the most intervals; among equals, the narrowest. */
function select(held: Held[], now: number): ClockEstimate | null {
  if (!held.length) return null
  const edges: [number, number][] = []
  for (const h of held) {
    const [lo, hi] = widened(h, now)
    edges.push([lo, -1], [hi, 1])
  }
  // Starts before ends at the same value, so touching intervals count as agreeing.
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1])
  let count = 0
  let best = 0
  let bestLo = 0
  let bestHi = 0
  for (let i = 0; i < edges.length; i++) {
    const [value, kind] = edges[i]
    if (kind === -1) {
      count++
      if (count > best || (count === best && edges[i + 1][0] - value < bestHi - bestLo)) {
        best = count
        bestLo = value
        bestHi = edges[i + 1][0]
      }
    } else count--
  }
  let rtt = Number.POSITIVE_INFINITY
  for (const h of held) {
    const [lo, hi] = widened(h, now)
    if (lo <= bestLo && hi >= bestHi) rtt = Math.min(rtt, h.rtt)
  }
  return {
    offset: (bestLo + bestHi) / 2,
    uncertaintyMs: (bestHi - bestLo) / 2,
    rtt,
    agreeing: best,
    held: held.length,
  }
}

/** When to sample `GET /time`: a burst at the start, a few more over the first seconds, then a few every few minutes. */
export interface SamplePlan {
  /** Samples taken back to back at the start. */
  burst: number
  /** Then this many more, `spreadGapMs` apart, so one bad second does not decide the estimate. */
  spread: number
  spreadGapMs: number
  /** Then a burst of `resyncBurst` every `resyncMs` (± 10 %, so a room of phones does not resync at once). */
  resyncMs: number
  resyncBurst: number
}

export const DEFAULT_PLAN: SamplePlan = { burst: 5, spread: 20, spreadGapMs: 500, resyncMs: 2 * 60_000, resyncBurst: 6 }

/**
 * How long to wait before the next sample, given how many were taken since the start
 * (`taken`), whether the last one failed (`failures` in a row), whether the newest one
 * disagreed with the estimate, and a random number in [0, 1).
 */
export function nextSampleDelay(
  plan: SamplePlan,
  state: { taken: number; failures: number; disagreed: boolean },
  random: number,
): number {
  if (state.failures > 0) return Math.min(plan.resyncMs, 1000 * 2 ** Math.min(state.failures - 1, 8))
  if (state.disagreed) return 500
  if (state.taken < plan.burst) return 0
  if (state.taken < plan.burst + plan.spread) return plan.spreadGapMs
  const since = (state.taken - plan.burst - plan.spread) % plan.resyncBurst
  if (since !== 0) return 0
  return plan.resyncMs * (0.9 + 0.2 * random)
}
