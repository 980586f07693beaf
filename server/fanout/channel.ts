/**
 * One event's channel on this instance: it follows the event's delta log, keeps its own
 * copy of the snapshot current, serialises each delta once and writes those same bytes to
 * every local subscriber. Per subscriber, a delta costs one write.
 *
 * Each subscriber has a cursor (the last seq written to it), and a fan-out brings every
 * subscriber from its cursor to the current seq in one write. Normally that is one
 * delta; when several log entries arrive together (the channel fell behind), each
 * subscriber gets all of them in one write (one syscall) instead of one write each, in
 * order and without a gap. A subscriber that joined while its catch-up was being read
 * gets what was applied meanwhile the same way.
 *
 * Fan-out paces itself only when other work is waiting. After a fan-out the channel
 * yields through the event loop's I/O poll and looks at how much CPU the process spent
 * meanwhile on other work (requests, Redis replies, timers): that is the measure of
 * contention. While each yield finds work, it yields again, up to what keeps fan-out
 * within `fanOutShare` of the process; the first yield that finds none ends the pause.
 * So with light load (a few votes a second) the next delta goes out at once, as from a
 * bare broadcaster, and under a spike the actions are still taken and the deltas that
 * arrive meanwhile go out several to a write.
 *
 * A channel lives while it has subscribers or was asked for lately; the hub closes idle
 * ones, which ends their follow loop (and frees the connection its tail held).
 */
import { type AdminView, applyDelta, type Delta, type Snapshot } from '../../protocol/index.ts'
import type { Logger } from '../lib/logger.ts'
import type { DeltaLog } from '../live/log/types.ts'
import { emptyTickerState, parseTickerState, type TickerState } from '../pipeline/ticker-state.ts'
import { healthFrame, sseFrame } from './frames.ts'
import type { Hub } from './hub.ts'
import type { SseSink } from './sse-sink.ts'

/** CPU time (ms) the process must have spent on other work during a yield for it to count as contended. */
export const CONTENDED_CPU_MS = 0.2
/**
 * Past this share of its spare time spent on other work, the process counts as contended
 * and fan-out pauses for the whole of its cap: actions are arriving steadily.
 */
export const CONTENDED_SHARE = 0.3

/**
 * The longest pause after a fan-out of `tookMs`: what keeps fan-out within `share` of
 * the process while work is waiting.
 * @example pauseCap(200, 0.4) // 300
 */
export const pauseCap = (tookMs: number, share: number) => Math.min(2000, (tookMs * (1 - share)) / share)

export interface Subscriber {
  admin: boolean
  out: SseSink
  /** Since when this subscriber could not take more (ms), or 0. */
  behindSince: number
  /** The seq of the last frame written to it (snapshot or delta). */
  seq: number
}

interface RingEntry {
  seq: number
  publicJson: string
  publicFrame: Uint8Array
  adminFrame: Uint8Array
}

/** One event's state on this instance and its local subscribers. */
export class Channel {
  seq = 0
  snapshot: Snapshot = emptyTickerState().snapshot
  admin: AdminView = emptyTickerState().admin
  healthy = true
  /** When this channel was last asked for (ms); the hub closes idle ones. */
  lastUsed = Date.now()
  readonly subscribers = new Set<Subscriber>()
  readonly ready: Promise<void>
  private ring: RingEntry[] = []
  private snapshotFrames: { seq: number; pub: Uint8Array | null; adm: Uint8Array | null } = {
    seq: -1,
    pub: null,
    adm: null,
  }
  private closed = false
  /** Concatenated frames for subscribers that missed more than one, built once per fan-out. */
  private joined = new Map<number, Uint8Array>()
  private joinedSeq = -1

  constructor(
    readonly eventId: number,
    private log: DeltaLog,
    private hub: Hub,
    private logger: Logger,
  ) {
    this.ready = this.start()
  }

  private async start() {
    for (let attempt = 0; ; attempt++) {
      try {
        this.reset(parseTickerState(await this.log.state(this.eventId)))
        break
      } catch (err) {
        this.setHealthy(false)
        if (this.closed) return
        await Bun.sleep(Math.min(2000, 100 * 2 ** attempt))
        if (attempt === 3)
          this.logger.warn('waiting for the counter layer', { eventId: this.eventId, error: String(err) })
      }
    }
    this.follow()
  }

  private reset(state: TickerState | null) {
    const s = state ?? emptyTickerState()
    this.seq = s.snapshot.seq
    this.snapshot = s.snapshot
    this.admin = s.admin
    this.ring = []
  }

  private async follow() {
    let failures = 0
    while (!this.closed) {
      try {
        const entries = await this.log.tail(this.eventId, this.seq, 5000)
        this.setHealthy(true)
        failures = 0
        if (!entries.length) {
          // A quiet log, or a log that restarted behind us (its Redis lost everything).
          const state = parseTickerState(await this.log.state(this.eventId))
          if (state && state.snapshot.seq < this.seq) this.resync(state)
          continue
        }
        for (const entry of entries) {
          if (entry.seq <= this.seq) continue
          if (entry.seq !== this.seq + 1) {
            // We fell further behind than the log keeps: start over from its state.
            this.fanOut()
            this.resync(parseTickerState(await this.log.state(this.eventId)))
            break
          }
          this.apply(entry.seq, entry.json, false)
        }
        // Everything that arrived together goes out together: one write per subscriber.
        await this.pace(this.fanOut())
      } catch (err) {
        failures++
        this.setHealthy(false)
        if (failures === 1) this.logger.warn('delta log unreachable', { eventId: this.eventId, error: String(err) })
        await Bun.sleep(Math.min(2000, 100 * 2 ** failures))
      }
    }
  }

  /** Applies one delta from the log and (unless told not to yet) sends it to every local subscriber. */
  apply(seq: number, json: string, send = true) {
    const delta = JSON.parse(json) as Delta
    const { admin, ...pub } = delta
    this.snapshot = applyDelta(this.snapshot, pub)
    this.seq = seq
    if (admin) this.admin = admin
    const publicJson = admin ? JSON.stringify(pub) : json
    const publicFrame = sseFrame(seq, 'delta', publicJson)
    const adminFrame = admin ? sseFrame(seq, 'delta', json) : publicFrame
    this.ring.push({ seq, publicJson, publicFrame, adminFrame })
    if (this.ring.length > this.hub.opts.ringSize) this.ring.splice(0, this.ring.length - this.hub.opts.ringSize)
    this.hub.stats.deltas++
    if (send) this.fanOut()
  }

  private resync(state: TickerState | null) {
    this.reset(state)
    for (const sub of this.subscribers) {
      this.hub.write(sub, this.snapshotFrame(sub.admin))
      sub.seq = this.seq
    }
  }

  /** Brings every subscriber up to the current seq; returns how long it took (ms). */
  private fanOut(): number {
    const started = performance.now()
    const now = Date.now()
    for (const sub of this.subscribers) this.send(sub, now)
    this.joined.clear()
    const took = performance.now() - started
    this.hub.stats.fanOuts++
    this.hub.stats.fanOutMs += took
    return took
  }

  /**
   * Leaves the process to other work after a fan-out that took `tookMs`, for as long as
   * there is some: it yields through the event loop again and again while each yield
   * finds work (CPU spent on requests, replies, timers), and goes on at once when one
   * finds none, or when the pause reaches the cap of `fanOutShare`.
   */
  private async pace(tookMs: number) {
    if (this.closed || !this.subscribers.size) return
    const cap = pauseCap(tookMs, this.hub.opts.fanOutShare)
    const stats = this.hub.stats
    const steady = this.hub.otherWorkShare() >= CONTENDED_SHARE
    let paused = 0
    let contended = steady
    for (;;) {
      const { cpuMs, wallMs } = await this.hub.yieldToWork()
      paused += wallMs
      const working = cpuMs >= CONTENDED_CPU_MS
      contended ||= working
      if (this.closed || paused >= cap) break
      if (!steady && !working) break
    }
    stats.pausedMs += paused
    if (contended) stats.contended++
    else stats.uncontended++
  }

  /** Brings one subscriber up to the current seq: the frames it has not had, in one write. */
  sendTo(sub: Subscriber) {
    this.send(sub, Date.now())
  }

  private send(sub: Subscriber, now: number) {
    if (sub.seq >= this.seq) return
    if (sub.behindSince) {
      // Skipped subscribers get one fresh snapshot once they drain, never the backlog.
      if (this.hub.canTake(sub)) {
        sub.behindSince = 0
        this.hub.write(sub, this.snapshotFrame(sub.admin))
        sub.seq = this.seq
      } else if (now - sub.behindSince > this.hub.opts.staleCloseMs) this.hub.drop(this, sub)
      return
    }
    if (!this.hub.canTake(sub)) {
      this.hub.markBehind(sub, now)
      return
    }
    const frame = this.framesAfter(sub.seq, sub.admin)
    // Closed under us (the client went): its close handler removes it. The fan-out goes on.
    if (!sub.out.write(frame)) return
    this.hub.stats.bytes += frame.byteLength
    sub.seq = this.seq
  }

  /** The frames after `seq` up to the current one as one buffer (a snapshot if the ring lost some). */
  private framesAfter(seq: number, admin: boolean): Uint8Array {
    const ring = this.ring
    const last = ring[ring.length - 1]
    if (last && last.seq === this.seq && seq === this.seq - 1) return admin ? last.adminFrame : last.publicFrame
    const first = ring[0]?.seq
    if (first === undefined || first > seq + 1 || !last || last.seq !== this.seq) return this.snapshotFrame(admin)
    if (this.joinedSeq !== this.seq) {
      this.joined.clear()
      this.joinedSeq = this.seq
    }
    const key = admin ? -1 - seq : seq
    let bytes = this.joined.get(key)
    if (!bytes) {
      const parts = ring.slice(seq + 1 - first).map((e) => (admin ? e.adminFrame : e.publicFrame))
      bytes = new Uint8Array(parts.reduce((a, p) => a + p.byteLength, 0))
      let at = 0
      for (const p of parts) {
        bytes.set(p, at)
        at += p.byteLength
      }
      this.joined.set(key, bytes)
    }
    return bytes
  }

  private setHealthy(healthy: boolean) {
    if (this.healthy === healthy) return
    this.healthy = healthy
    const frame = this.healthFrame()
    for (const sub of this.subscribers) this.hub.write(sub, frame)
  }

  healthFrame() {
    return healthFrame(this.healthy)
  }

  /** The current snapshot as one SSE frame; built at most once per seq. */
  snapshotFrame(admin: boolean): Uint8Array {
    if (this.snapshotFrames.seq !== this.seq) this.snapshotFrames = { seq: this.seq, pub: null, adm: null }
    if (admin) {
      return (this.snapshotFrames.adm ??= sseFrame(
        this.seq,
        'snapshot',
        JSON.stringify({ ...this.snapshot, admin: this.admin }),
      ))
    }
    return (this.snapshotFrames.pub ??= sseFrame(this.seq, 'snapshot', JSON.stringify(this.snapshot)))
  }

  /**
   * What a (re)connecting client with `lastSeq` needs: exactly the missed deltas while
   * this instance or the log still holds all of them, otherwise a fresh snapshot.
   */
  async catchUp(lastSeq: number | null, admin: boolean): Promise<Uint8Array[]> {
    return (await this.catchUpTo(lastSeq, admin)).frames
  }

  /** catchUp, and the seq those frames bring a subscriber to (its cursor). */
  async catchUpTo(lastSeq: number | null, admin: boolean): Promise<{ frames: Uint8Array[]; seq: number }> {
    const seq = this.seq
    if (lastSeq === null || lastSeq > seq || lastSeq < 0) return { frames: [this.snapshotFrame(admin)], seq }
    if (lastSeq === seq) return { frames: [], seq }
    const first = this.ring[0]?.seq
    if (first !== undefined && first <= lastSeq + 1) {
      return { frames: this.ring.slice(lastSeq + 1 - first).map((e) => (admin ? e.adminFrame : e.publicFrame)), seq }
    }
    // Not in memory (this instance started recently): ask the log, all or nothing.
    try {
      const upTo = seq
      const entries = await this.log.read(this.eventId, lastSeq, upTo - lastSeq)
      if (entries.length === upTo - lastSeq && entries[0]?.seq === lastSeq + 1) {
        const frames = entries.map((e) => {
          if (admin) return sseFrame(e.seq, 'delta', e.json)
          const { admin: _, ...pub } = JSON.parse(e.json) as Delta
          return sseFrame(e.seq, 'delta', JSON.stringify(pub))
        })
        return { frames, seq: upTo }
      }
    } catch {
      // fall through to a snapshot
    }
    return { frames: [this.snapshotFrame(admin)], seq: this.seq }
  }

  /** For polling clients: the public deltas after `since` if all are in memory, else null. */
  deltasSince(since: number): string[] | null {
    if (since === this.seq) return []
    const first = this.ring[0]?.seq
    if (since > this.seq || since < 0 || first === undefined || first > since + 1) return null
    return this.ring.slice(since + 1 - first).map((e) => e.publicJson)
  }

  close() {
    this.closed = true
  }
}
