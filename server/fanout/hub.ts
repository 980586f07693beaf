/**
 * The hub: this instance's fan-out. It keeps one channel per event that has local
 * subscribers (channel.ts), opens SSE streams, sends heartbeats, finds subscribers that
 * stopped reading, and closes channels nobody uses any more.
 */
import { ApiFailure, unavailable } from '../http/errors.ts'
import type { Logger } from '../lib/logger.ts'
import { withTimeout } from '../lib/timeout.ts'
import type { DeltaLog } from '../live/log/types.ts'
import { Channel, type Subscriber } from './channel.ts'
import { HEARTBEAT, retryFrame } from './frames.ts'
import { sseResponse } from './sse-sink.ts'

export interface HubOptions {
  heartbeatMs: number
  /** Frames kept per event for resume from memory. */
  ringSize: number
  /** Close a subscriber that has taken nothing for this long (a half-open socket). */
  staleCloseMs: number
  retryMs: number
  /** Bytes queued for one subscriber (beyond what its socket took) before it is skipped to a fresh snapshot. */
  backlogBytes: number
  /** Under contention, the most of this process's time fan-out may take (0 < share <= 1; 1 never waits). */
  fanOutShare: number
  /** A channel with no subscriber is closed once nobody asked for it this long (ms). */
  channelIdleMs: number
  /** How long a request waits for a new channel's first state before a 503 (ms). */
  readyTimeoutMs: number
  /** Streams this instance holds before refusing new ones (503 instance_full); see capacity.ts. */
  maxStreams: number
  /** Streams one client address may hold (429 too_many_streams); 0 is no cap. */
  maxStreamsPerAddress: number
}

/** Seconds a refused phone waits: long enough to land elsewhere, short enough to get a stream soon. */
const FULL_RETRY_SECONDS = 5
const ADDRESS_RETRY_SECONDS = 30
/** At most one log line per reason per this long, with the count of refusals since the last. */
const REFUSAL_LOG_MS = 10_000
/** How long the measure of contention remembers (ms). */
const LOAD_WINDOW_MS = 1000

const instanceFull = () =>
  new ApiFailure(
    503,
    'instance_full',
    'this server holds as many live streams as it can; try again in a few seconds',
    undefined,
    // Close the connection: the point is to give its file descriptor back.
    { 'retry-after': String(FULL_RETRY_SECONDS), connection: 'close' },
  )
const addressFull = () =>
  new ApiFailure(429, 'too_many_streams', 'too many live streams from this network; try again later', undefined, {
    'retry-after': String(ADDRESS_RETRY_SECONDS),
    connection: 'close',
  })

export interface HubStats {
  subscribers: number
  /** Streams refused because the instance was full, or one address was over its cap. */
  refusedFull: number
  refusedAddress: number
  deltas: number
  bytes: number
  skipped: number
  /** Fan-outs, and the time they and the pauses after them took (ms). */
  fanOuts: number
  fanOutMs: number
  pausedMs: number
  /** Fan-outs after which work was waiting (the pause lasted while it was), and after which none was. */
  contended: number
  uncontended: number
}

export class Hub {
  readonly stats: HubStats = {
    subscribers: 0,
    refusedFull: 0,
    refusedAddress: 0,
    deltas: 0,
    bytes: 0,
    skipped: 0,
    fanOuts: 0,
    fanOutMs: 0,
    pausedMs: 0,
    contended: 0,
    uncontended: 0,
  }
  private channels = new Map<number, Channel>()
  private heartbeat: ReturnType<typeof setInterval>
  private sweeper: ReturnType<typeof setInterval>
  private closing = false
  /** Streams admitted and not yet ended: open ones and ones still starting (counted before any await). */
  private reserved = 0
  private perAddress = new Map<string, number>()
  private refusalLog = { full: { at: 0, count: 0 }, address: { at: 0, count: 0 } }

  constructor(
    private log: DeltaLog,
    private logger: Logger,
    readonly opts: HubOptions,
  ) {
    this.heartbeat = setInterval(() => this.beat(), opts.heartbeatMs)
    this.sweeper = setInterval(() => this.closeIdle(), Math.max(250, Math.min(5000, opts.channelIdleMs / 2)))
  }

  /** The event's channel on this instance, made on first use; using it keeps it open. */
  channel(eventId: number): Channel {
    let c = this.channels.get(eventId)
    if (!c) this.channels.set(eventId, (c = new Channel(eventId, this.log, this, this.logger)))
    c.lastUsed = Date.now()
    return c
  }

  /**
   * The event's channel once it has its first state, or a 503 to retry: a counter layer
   * that does not answer must not hold a request open.
   */
  async ready(eventId: number): Promise<Channel> {
    const c = this.channel(eventId)
    const ok = await withTimeout(
      c.ready.then(() => true),
      this.opts.readyTimeoutMs,
      false,
    )
    if (!ok) throw unavailable('the live state is unavailable right now; try again shortly')
    return c
  }

  /** The events that have subscribers on this instance. */
  subscribedEvents(): number[] {
    return [...this.channels].filter(([, c]) => c.subscribers.size > 0).map(([id]) => id)
  }

  /** Channels open on this instance (each one follows its event's log). */
  get channelCount() {
    return this.channels.size
  }

  /** Closes channels that have no subscriber and were not asked for lately. */
  private closeIdle() {
    const now = Date.now()
    for (const [eventId, c] of this.channels) {
      if (c.subscribers.size === 0 && now - c.lastUsed > this.opts.channelIdleMs) {
        c.close()
        this.channels.delete(eventId)
      }
    }
  }

  has(eventId: number) {
    return this.channels.has(eventId)
  }

  write(sub: Subscriber, frame: Uint8Array) {
    // A closed stream takes nothing; its close handler removes the subscriber.
    if (sub.out.write(frame)) this.stats.bytes += frame.byteLength
  }

  /**
   * Yields once through the event loop and returns the CPU time (ms) this process spent
   * meanwhile on other work (requests, Redis replies, timers) and the wall time the yield
   * took. A zero timer is the way through Bun's I/O poll (`setImmediate` runs before it,
   * so requests waiting on their sockets would not be seen).
   */
  async yieldToWork(): Promise<{ cpuMs: number; wallMs: number }> {
    const wall = performance.now()
    const cpu = process.cpuUsage()
    await new Promise<void>((resolve) => setTimeout(resolve, 0))
    const used = process.cpuUsage(cpu)
    return { cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - wall }
  }

  private load = { wall: performance.now(), cpu: process.cpuUsage(), fanOutMs: 0, busy: 0 }

  /**
   * The measure of contention: the share of the time this process was not fanning out
   * that it spent on other work (CPU time of requests, replies, the ticker, the flusher),
   * smoothed over about a second. CPU time, not wall time, so a process the kernel has
   * descheduled on a busy machine does not look contended; a moment with nothing to do
   * in the middle of a spike (requests waiting on Redis) does not make it look idle.
   */
  otherWorkShare(): number {
    const now = performance.now()
    const cpu = process.cpuUsage()
    const l = this.load
    const wall = now - l.wall
    if (wall < 5) return l.busy
    const fan = this.stats.fanOutMs - l.fanOutMs
    const used = (cpu.user - l.cpu.user + cpu.system - l.cpu.system) / 1000
    const share = wall - fan > 1 ? Math.min(1, Math.max(0, (used - fan) / (wall - fan))) : l.busy
    const weight = Math.min(1, wall / LOAD_WINDOW_MS)
    this.load = { wall: now, cpu, fanOutMs: this.stats.fanOutMs, busy: l.busy + (share - l.busy) * weight }
    return this.load.busy
  }

  /** Whether a subscriber's queue (what its socket has not taken) is under the limit. */
  canTake(sub: Subscriber) {
    return sub.out.queued < this.opts.backlogBytes
  }

  /** Heartbeats keep proxies from closing quiet streams, and find subscribers that stopped reading. */
  private beat() {
    const now = Date.now()
    for (const channel of this.channels.values()) {
      for (const sub of channel.subscribers) {
        if (this.canTake(sub)) this.write(sub, HEARTBEAT)
        else if (!sub.behindSince) this.markBehind(sub, now)
        else if (now - sub.behindSince > this.opts.staleCloseMs) this.drop(channel, sub)
      }
    }
  }

  /** Streams admitted on this instance (open, or starting). */
  get reservedStreams() {
    return this.reserved
  }

  /**
   * Takes a stream slot, or refuses: past `maxStreams` (the host's stream is never
   * refused, so a full room cannot lock the host out) or past one address's cap.
   * Returns the release, which is safe to call more than once.
   */
  private admit(address: string | null, admin: boolean): () => void {
    if (!admin && this.reserved >= this.opts.maxStreams) {
      this.stats.refusedFull++
      this.logRefusal('full', 'streams refused: instance full', {
        maxStreams: this.opts.maxStreams,
        open: this.reserved,
      })
      throw instanceFull()
    }
    const cap = this.opts.maxStreamsPerAddress
    const counted = !admin && cap > 0 && address !== null
    if (counted) {
      const held = this.perAddress.get(address) ?? 0
      if (held >= cap) {
        this.stats.refusedAddress++
        this.logRefusal('address', 'streams refused: address over its cap', { address, cap })
        throw addressFull()
      }
      this.perAddress.set(address, held + 1)
    }
    this.reserved++
    let released = false
    return () => {
      if (released) return
      released = true
      this.reserved--
      if (counted) {
        const left = (this.perAddress.get(address) ?? 1) - 1
        if (left > 0) this.perAddress.set(address, left)
        else this.perAddress.delete(address)
      }
    }
  }

  /** A refusal is worth a line, a flood of them is worth one line per interval. */
  private logRefusal(reason: 'full' | 'address', msg: string, data: Record<string, unknown>) {
    const entry = this.refusalLog[reason]
    entry.count++
    const now = Date.now()
    if (now - entry.at < REFUSAL_LOG_MS) return
    this.logger.warn(msg, { ...data, refused: entry.count, sinceMs: entry.at ? now - entry.at : 0 })
    entry.at = now
    entry.count = 0
  }

  /**
   * Opens an SSE stream for one subscriber. `lastSeq` comes from Last-Event-ID (or the
   * lastEventId query parameter a reloaded page uses on its first connect); `address` is
   * the client's, for MAX_STREAMS_PER_ADDRESS.
   */
  async subscribe(
    eventId: number,
    lastSeq: number | null,
    admin: boolean,
    signal?: AbortSignal,
    address: string | null = null,
  ): Promise<Response> {
    // Before any await: a burst of requests cannot all pass the check while waiting.
    const release = this.admit(address, admin)
    try {
      return await this.startStream(eventId, lastSeq, admin, release, signal)
    } catch (err) {
      release()
      throw err
    }
  }

  private async startStream(
    eventId: number,
    lastSeq: number | null,
    admin: boolean,
    release: () => void,
    signal?: AbortSignal,
  ): Promise<Response> {
    const channel = await this.ready(eventId)
    const initial = await channel.catchUpTo(lastSeq, admin)
    // A client that goes before its body starts gives its slot back too.
    signal?.addEventListener('abort', release, { once: true })
    if (signal?.aborted) release()
    let sub: Subscriber | null = null
    // Jitter spreads a whole room's reconnects after a restart over a couple of seconds.
    const retry = this.opts.retryMs + Math.floor(Math.random() * this.opts.retryMs)
    return sseResponse(
      {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        // nginx would otherwise buffer the stream: https://nginx.org/r/proxy_buffering
        'x-accel-buffering': 'no',
      },
      {
        open: (out) => {
          if (this.closing) {
            out.write(retryFrame(1000))
            out.close()
            return
          }
          if (signal?.aborted) {
            release()
            return out.close()
          }
          const s: Subscriber = { admin, out, behindSince: 0, seq: initial.seq }
          sub = s
          out.write(retryFrame(retry))
          for (const frame of initial.frames) this.write(s, frame)
          if (!channel.healthy) out.write(channel.healthFrame())
          channel.subscribers.add(s)
          this.stats.subscribers++
          // Deltas applied while the catch-up was being read, or before the body started, follow at once.
          if (s.seq < channel.seq) channel.sendTo(s)
          signal?.addEventListener('abort', () => this.drop(channel, s), { once: true })
        },
        closed: () => {
          if (sub) this.drop(channel, sub)
          release()
        },
        cancelled: release,
      },
    )
  }

  /** A subscriber that cannot take more gets nothing until it drains, then one snapshot. */
  markBehind(sub: Subscriber, now: number) {
    sub.behindSince = now
    this.stats.skipped++
  }

  drop(channel: Channel, sub: Subscriber) {
    if (!channel.subscribers.delete(sub)) return
    this.stats.subscribers--
    sub.out.close()
  }

  /** Bytes queued in this process for subscribers (beyond what their sockets took), and the largest for one. */
  queuedBytes(): { total: number; max: number } {
    let total = 0
    let max = 0
    for (const channel of this.channels.values()) {
      for (const sub of channel.subscribers) {
        const queued = sub.out.queued
        total += queued
        if (queued > max) max = queued
      }
    }
    return { total, max }
  }

  /** Every open stream across channels. */
  get subscriberCount() {
    return this.stats.subscribers
  }

  /**
   * Shutdown: tells every subscriber to come back soon (somewhere else, behind a load
   * balancer) and closes the streams one by one so they do not all reconnect at once.
   */
  async close(spreadMs = 0) {
    this.closing = true
    clearInterval(this.heartbeat)
    clearInterval(this.sweeper)
    const all: [Channel, Subscriber][] = []
    for (const c of this.channels.values()) {
      c.close()
      for (const s of c.subscribers) all.push([c, s])
    }
    const pause = all.length ? spreadMs / all.length : 0
    for (const [c, s] of all) {
      this.write(s, retryFrame(250 + Math.floor(Math.random() * 750)))
      this.drop(c, s)
      if (pause >= 1) await Bun.sleep(pause)
    }
    this.channels.clear()
  }
}
