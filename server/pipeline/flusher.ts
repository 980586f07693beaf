/**
 * The flusher drains each event's write queue into Postgres in batches, one transaction
 * per batch (write-batch.ts), and acknowledges the entries only after the commit. A crash
 * between claim and commit leaves the entries pending: the same consumer (same
 * INSTANCE_ID) picks them up on restart, any other instance after `reclaimIdleMs`.
 *
 * One writer per event at every moment: across the deployment, the holder of the
 * `flusher:<event>` lease; inside this process, one lane per event through which the
 * periodic cycle, a drain before a rebuild and the drain at shutdown all pass. So entries
 * reach Postgres in queue order and never twice at once.
 *
 * It wakes on work, not on a timer: a change to an event's live state (the steps that
 * append to the queue among them; server/live/wakes.ts) wakes it, and it then runs a pass
 * every `intervalMs` until a pass finds every queue empty and nothing backing off. Then
 * it gives up its leases (another instance's entries are not held behind a lease nobody
 * renews) and sleeps. An idle deployment costs nothing here.
 *
 * Failures stay with their event: an event whose writes fail backs off on its own (up to
 * 5 s) while the others go on. An entry Postgres refuses for what it is (a constraint or
 * a bad value, not an outage) is found by halving the batch and set aside as a dead
 * letter, with a log line and a metric, so it cannot block its event's queue forever.
 */
import type { Database } from '../database/connect.ts'
import type { Logger } from '../lib/logger.ts'
import type { LiveLayer } from '../live/index.ts'
import type { QueueEntry } from '../live/queue/types.ts'
import { writeBatch } from './write-batch.ts'

export interface FlusherOptions {
  consumer: string
  intervalMs: number
  batchSize: number
  leaseMs: number
  /** How long another consumer's claimed entries must sit idle before we take them. */
  reclaimIdleMs: number
}

export interface FlushStats {
  flushed: number
  failures: number
  /** Entries set aside because Postgres refuses them for good. */
  deadLetters: number
  /** ms between the oldest entry of the last batch being queued and its commit. */
  lagMs: number
  lastError: string | null
}

const MAX_BACKOFF_MS = 5000

/**
 * SQLSTATE classes that blame the data itself: a bad value (22) or a broken constraint
 * (23). Anything else (no connection, a missing database, a failed migration, a
 * deadlock) is the deployment's trouble, not the entry's: it is retried, never set aside.
 */
const DATA_CLASSES = new Set(['22', '23'])

/** Whether Postgres refused the data itself, so it would refuse it again whatever else changes. */
export function isPermanentFailure(err: unknown): boolean {
  const code = sqlState(err)?.code
  return code !== undefined && DATA_CLASSES.has(code.slice(0, 2))
}

/** The Postgres error inside what the driver and drizzle wrapped around it, if any. */
function sqlState(err: unknown): { code: string; message: string } | null {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return { code, message: String((e as Error).message) }
  }
  return null
}

/** What went wrong, as an operator wants to read it: Postgres' own words where there are some. */
const describeFailure = (err: unknown) => {
  const state = sqlState(err)
  return state ? `${state.code}: ${state.message}` : String(err)
}

export class Flusher {
  readonly stats: FlushStats = { flushed: 0, failures: 0, deadLetters: 0, lagMs: 0, lastError: null }
  private timer: ReturnType<typeof setTimeout> | null = null
  private running = false
  private busy: Promise<void> = Promise.resolve()
  /** This process's one writer per event: each flush waits for the one before. */
  private lanes = new Map<number, Promise<unknown>>()
  private backoff = new Map<number, { until: number; ms: number }>()

  constructor(
    private db: Database,
    private live: LiveLayer,
    private log: Logger,
    private opts: FlusherOptions,
  ) {}

  /** Flusher leases this instance took since it last slept. */
  private held = new Set<number>()
  /** Set by a wake; a pass that started before it does not put the flusher to sleep. */
  private woken = false
  private asleep = true

  start() {
    this.running = true
    // Whatever the queue holds from before a restart is work.
    this.wake()
  }

  /** Something may have been queued: a pass within `intervalMs`, and more until the queues are empty. */
  wake(_eventId?: number) {
    this.woken = true
    if (!this.running || !this.asleep) return
    this.asleep = false
    this.schedule()
  }

  /** Whether the flusher is sleeping (no pass scheduled). */
  get sleeping() {
    return this.asleep
  }

  private schedule() {
    if (!this.running) return
    this.timer = setTimeout(() => {
      this.busy = this.cycle()
        .catch(() => true)
        .then((more) => {
          if (more) return this.schedule()
          this.asleep = true
          return this.releaseLeases()
        })
    }, this.opts.intervalMs)
  }

  private async releaseLeases() {
    const held = [...this.held]
    this.held.clear()
    for (const eventId of held) {
      await this.live.leases.release(`flusher:${eventId}`, this.opts.consumer).catch(() => {})
    }
  }

  /** Events currently backing off after failed writes. */
  get backingOff() {
    return this.backoff.size
  }

  /**
   * One pass over every event with a queue; events in back-off wait their turn. Returns
   * whether there is more to do: entries left, an event backing off, or a wake meanwhile.
   */
  private async cycle(): Promise<boolean> {
    this.woken = false
    let eventIds: number[]
    try {
      eventIds = await this.live.queue.events()
    } catch {
      return true
    }
    const now = Date.now()
    let more = false
    for (const eventId of eventIds) {
      if (!this.running) return false
      const wait = this.backoff.get(eventId)
      if (wait && wait.until > now) {
        more = true
        continue
      }
      await this.inLane(eventId, () => this.flushEvent(eventId)).catch(() => {})
      if (this.backoff.has(eventId)) more = true
      else if (!more) more = (await this.live.queue.depth(eventId).catch(() => 1)) > 0
    }
    return more || this.woken
  }

  /** Runs `fn` after every flush of this event already under way in this process. */
  private inLane<T>(eventId: number, fn: () => Promise<T>): Promise<T> {
    const before = this.lanes.get(eventId) ?? Promise.resolve()
    const mine = before.then(fn, fn)
    const settled = mine.then(
      () => {},
      () => {},
    )
    this.lanes.set(eventId, settled)
    void settled.then(() => {
      if (this.lanes.get(eventId) === settled) this.lanes.delete(eventId)
    })
    return mine
  }

  /**
   * Writes an event's queue while this instance holds its lease, batch after batch until a
   * short one. Returns how many entries it wrote, or null when another instance holds the lease.
   */
  private async flushEvent(eventId: number): Promise<number | null> {
    const { consumer, leaseMs, batchSize } = this.opts
    let total = 0
    try {
      for (;;) {
        if (!(await this.live.leases.acquire(`flusher:${eventId}`, consumer, leaseMs))) return total || null
        this.held.add(eventId)
        const n = await this.flushBatch(eventId)
        total += n
        if (n < batchSize) break
      }
      this.backoff.delete(eventId)
      return total
    } catch (err) {
      this.stats.failures++
      this.stats.lastError = describeFailure(err)
      const previous = this.backoff.get(eventId)?.ms ?? 0
      const ms = Math.min(MAX_BACKOFF_MS, Math.max(this.opts.intervalMs, previous * 2 || 100))
      this.backoff.set(eventId, { until: Date.now() + ms, ms })
      this.log.warn('flush failed; will retry', { eventId, error: describeFailure(err), retryInMs: ms })
      throw err
    }
  }

  /** Claims, writes and acknowledges up to one batch; returns how many entries it took. */
  private async flushBatch(eventId: number): Promise<number> {
    const entries = await this.live.queue.read(
      eventId,
      this.opts.consumer,
      this.opts.batchSize,
      this.opts.reclaimIdleMs,
    )
    if (!entries.length) return 0
    await this.write(eventId, entries)
    this.stats.lagMs = Date.now() - Math.min(...entries.map((e) => e.item.at))
    return entries.length
  }

  /** Writes entries in order; a batch Postgres refuses for good is halved until the bad entry is alone. */
  private async write(eventId: number, entries: QueueEntry[]): Promise<void> {
    try {
      await writeBatch(
        this.db,
        eventId,
        entries.map((e) => e.item),
      )
    } catch (err) {
      if (!isPermanentFailure(err)) throw err
      if (entries.length === 1) {
        const reason = describeFailure(err)
        await this.live.queue.deadLetter(eventId, entries, reason)
        this.stats.deadLetters++
        this.log.error('queue entry set aside: postgres refuses it', { eventId, entry: entries[0], error: reason })
        return
      }
      const half = Math.ceil(entries.length / 2)
      await this.write(eventId, entries.slice(0, half))
      await this.write(eventId, entries.slice(half))
      return
    }
    await this.live.queue.ack(
      eventId,
      entries.map((e) => e.id),
    )
    this.stats.flushed += entries.length
  }

  /**
   * Waits until an event's queue is empty in Postgres (before a rebuild, and at shutdown),
   * writing it through this event's lane while this instance holds the lease, or letting
   * the holder write it otherwise.
   */
  async drain(eventId: number, timeoutMs = 30_000) {
    const until = Date.now() + timeoutMs
    let lastError: unknown = null
    while (Date.now() < until) {
      try {
        await this.inLane(eventId, () => this.flushEvent(eventId))
        if ((await this.live.queue.depth(eventId)) === 0) return
      } catch (err) {
        lastError = err
      }
      await Bun.sleep(50)
    }
    throw new Error(
      `queue of event ${eventId} did not drain in ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`,
    )
  }

  async stop() {
    this.running = false
    if (this.timer) clearTimeout(this.timer)
    await this.busy
  }
}
