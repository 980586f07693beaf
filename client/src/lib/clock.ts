/**
 * The server's clock, estimated NTP-style: several samples of GET /time, keeping the
 * one with the lowest round trip (its midpoint is the best guess). Runs locally between
 * resyncs; losing /time keeps the last estimate, so the show never stops.
 */
import { timeSchema } from '../../../protocol/index.ts'

export interface ClockSample {
  offset: number
  rtt: number
}

/** Picks the estimate from the sample with the shortest round trip. */
export function bestSample(samples: ClockSample[]): ClockSample | null {
  return samples.reduce<ClockSample | null>((best, s) => (!best || s.rtt < best.rtt ? s : best), null)
}

export class ServerClock {
  offset = 0
  rtt = Number.POSITIVE_INFINITY
  synced = false
  private timer: ReturnType<typeof setInterval> | null = null

  constructor(
    private url = '/time',
    private samples = 5,
  ) {}

  /** Server time now, in epoch ms. */
  now() {
    return Date.now() + this.offset
  }

  async sync(): Promise<void> {
    const got: ClockSample[] = []
    for (let i = 0; i < this.samples; i++) {
      try {
        const t0 = performance.now()
        const res = await fetch(this.url, { cache: 'no-store' })
        const t1 = performance.now()
        const { serverTime } = timeSchema.parse(await res.json())
        const rtt = t1 - t0
        // performance.now() measures the trip; Date.now() anchors it to the wall clock.
        got.push({ offset: serverTime + rtt / 2 - (Date.now() - (performance.now() - t1)), rtt })
      } catch {
        // a lost sample is just one fewer
      }
    }
    const best = bestSample(got)
    if (best) {
      this.offset = best.offset
      this.rtt = best.rtt
      this.synced = true
    }
  }

  /** Syncs now and every few minutes after. */
  start(everyMs = 5 * 60_000) {
    void this.sync()
    this.timer = setInterval(() => void this.sync(), everyMs)
  }

  stop() {
    if (this.timer) clearInterval(this.timer)
  }
}
