/**
 * The flusher drains each event's write queue into Postgres in batches, inside one
 * transaction per batch, with idempotent upserts, and acknowledges the entries only
 * after the commit. A crash between claim and commit leaves the entries pending: the
 * same consumer (same INSTANCE_ID) picks them up on restart, any other instance after
 * `reclaimIdleMs`. Replaying a batch changes nothing, so "at least once" here is
 * "exactly once" in Postgres.
 *
 * One flusher per event across the deployment (a lease), so entries reach Postgres in
 * queue order.
 */
import { sql } from 'drizzle-orm'
import { checkins, messages, votes } from '../../db/schema.ts'
import type { Database } from '../database/connect.ts'
import { intArray, textArray, timeArray } from '../database/pg-array.ts'
import type { Logger } from '../lib/logger.ts'
import type { LiveStore, QueueEntry, QueueItem } from '../live/types.ts'

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
  /** ms between the oldest entry of the last batch being queued and its commit. */
  lagMs: number
  lastError: string | null
}

type Of<T extends QueueItem['t']> = Extract<QueueItem, { t: T }>

/** Writes one batch of queue items to Postgres in one transaction. */
export async function writeBatch(db: Database, eventId: number, items: QueueItem[]) {
  const checkinRows: Of<'checkin'>[] = []
  const latestVote = new Map<string, Of<'vote'>>()
  const messageRows: Of<'message'>[] = []
  const moderation: Of<'moderate'>[] = []
  for (const item of items) {
    if (item.t === 'checkin') checkinRows.push(item)
    else if (item.t === 'vote') {
      // Several votes of one wristband on one poll in a batch: only the newest matters.
      const key = `${item.pollId}:${item.number}`
      const seen = latestVote.get(key)
      if (!seen || seen.rev < item.rev) latestVote.set(key, item)
    } else if (item.t === 'message') messageRows.push(item)
    else moderation.push(item)
  }
  // One statement per table with one array parameter per column (unnest), rather than
  // six parameters a row: parsing and binding thousands of parameters was most of a flush.
  await db.transaction(async (tx) => {
    if (checkinRows.length) {
      await tx.execute(sql`
        insert into ${checkins} (event_id, number, at)
        select ${eventId}, n, at
        from unnest(${intArray(checkinRows.map((c) => c.number))}::int[], ${timeArray(checkinRows.map((c) => c.at))}::timestamptz[]) as t(n, at)
        on conflict do nothing`)
    }
    if (latestVote.size) {
      const rows = [...latestVote.values()]
      await tx.execute(sql`
        insert into ${votes} (poll_id, number, event_id, option_id, rev, at)
        select p, n, ${eventId}, o, r, at
        from unnest(${intArray(rows.map((v) => v.pollId))}::int[], ${intArray(rows.map((v) => v.number))}::int[],
                    ${intArray(rows.map((v) => v.optionId))}::int[], ${intArray(rows.map((v) => v.rev))}::bigint[],
                    ${timeArray(rows.map((v) => v.at))}::timestamptz[]) as t(p, n, o, r, at)
        on conflict (poll_id, number) do update
          set option_id = excluded.option_id, rev = excluded.rev, at = excluded.at
          -- A replayed older vote must not overwrite a newer one.
          where ${votes}.rev < excluded.rev`)
    }
    if (messageRows.length) {
      await tx.execute(sql`
        insert into ${messages} (event_id, id, number, text, state, at)
        select ${eventId}, i, n, x, s, at
        from unnest(${intArray(messageRows.map((m) => m.id))}::bigint[], ${intArray(messageRows.map((m) => m.number))}::int[],
                    ${textArray(messageRows.map((m) => m.text))}::text[], ${textArray(messageRows.map((m) => m.state))}::text[],
                    ${timeArray(messageRows.map((m) => m.at))}::timestamptz[]) as t(i, n, x, s, at)
        on conflict do nothing`)
    }
    for (const m of moderation) {
      await tx.execute(
        sql`update ${messages} set state = ${m.state} where ${messages.eventId} = ${eventId} and ${messages.id} = ${m.id}`,
      )
    }
  })
}

export class Flusher {
  readonly stats: FlushStats = { flushed: 0, failures: 0, lagMs: 0, lastError: null }
  private timer: ReturnType<typeof setTimeout> | null = null
  private running = false
  private backoffMs = 0
  private busy: Promise<void> = Promise.resolve()

  constructor(
    private db: Database,
    private store: LiveStore,
    private log: Logger,
    private opts: FlusherOptions,
  ) {}

  start() {
    this.running = true
    this.schedule(this.opts.intervalMs)
  }

  private schedule(ms: number) {
    if (!this.running) return
    this.timer = setTimeout(() => {
      this.busy = this.cycle().finally(() => this.schedule(this.backoffMs || this.opts.intervalMs))
    }, ms)
  }

  /** One pass over every event this instance may flush. */
  private async cycle() {
    let eventIds: number[]
    try {
      eventIds = await this.store.activeEvents()
    } catch {
      return
    }
    for (const eventId of eventIds) {
      try {
        if (!(await this.store.acquireLease(`flusher:${eventId}`, this.opts.consumer, this.opts.leaseMs))) continue
        while (this.running && (await this.flushOnce(eventId)) === this.opts.batchSize) {
          await this.store.acquireLease(`flusher:${eventId}`, this.opts.consumer, this.opts.leaseMs)
        }
        this.backoffMs = 0
      } catch (err) {
        this.stats.failures++
        this.stats.lastError = String(err)
        // Back off up to 5 s while Postgres (or Redis) is down; the entries stay pending.
        this.backoffMs = Math.min(5000, Math.max(this.opts.intervalMs, this.backoffMs * 2 || 100))
        this.log.warn('flush failed; will retry', { eventId, error: String(err), retryInMs: this.backoffMs })
      }
    }
  }

  /** Flushes up to one batch of an event; returns how many entries it wrote. */
  async flushOnce(eventId: number): Promise<number> {
    const entries: QueueEntry[] = await this.store.readQueue(
      eventId,
      this.opts.consumer,
      this.opts.batchSize,
      this.opts.reclaimIdleMs,
    )
    if (!entries.length) return 0
    await writeBatch(
      this.db,
      eventId,
      entries.map((e) => e.item),
    )
    await this.store.ackQueue(
      eventId,
      entries.map((e) => e.id),
    )
    this.stats.flushed += entries.length
    this.stats.lagMs = Date.now() - Math.min(...entries.map((e) => e.item.at))
    return entries.length
  }

  /** Flushes an event until its queue is empty (used before a rebuild and on shutdown). */
  async drain(eventId: number, timeoutMs = 30_000) {
    const until = Date.now() + timeoutMs
    while (Date.now() < until) {
      const n = await this.flushOnce(eventId)
      if (n === 0 && (await this.store.queueDepth(eventId)) === 0) return
      if (n === 0) await Bun.sleep(50)
    }
    throw new Error(`queue of event ${eventId} did not drain in ${timeoutMs} ms`)
  }

  async stop() {
    this.running = false
    if (this.timer) clearTimeout(this.timer)
    await this.busy
  }
}
