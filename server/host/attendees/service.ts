/** Who checked in, and what Postgres holds for an event (the flushed truth). */
import { and, asc, eq, isNotNull, type SQL, sql } from 'drizzle-orm'
import { checkins, events, messages, responses, wristbandBatches, wristbands } from '../../../db/schema.ts'
import type { AttendeeList, CheckinCurve } from '../../../protocol/host.ts'
import type { Database } from '../../database/connect.ts'
import type { EventRecord } from '../../events/directory.ts'
import type { WriteQueue } from '../../live/queue/types.ts'

/** The rows of a raw query: postgres.js answers an array, PGlite an object holding `rows`. */
const rowsOf = <T>(result: unknown): T[] =>
  Array.isArray(result) ? (result as T[]) : ((result as { rows?: T[] }).rows ?? [])

export class AttendeeService {
  constructor(
    private db: Database,
    private queue: WriteQueue,
  ) {}

  /**
   * What Postgres holds for an event (not the live counters): the flushed truth that
   * exports and the benchmark's exactly-once check read.
   */
  async stats(event: EventRecord) {
    const id = event.id
    const [row] = await this.db
      .select({
        wristbands: sql<number>`(select count(*)::int from ${wristbands} where ${wristbands.eventId} = ${id})`,
        revoked: sql<number>`(select count(*)::int from ${wristbands} where ${wristbands.eventId} = ${id} and ${wristbands.revokedAt} is not null)`,
        checkins: sql<number>`(select count(*)::int from ${checkins} where ${checkins.eventId} = ${id})`,
        messages: sql<number>`(select count(*)::int from ${messages} where ${messages.eventId} = ${id})`,
        hidden: sql<number>`(select count(*)::int from ${messages} where ${messages.eventId} = ${id} and ${messages.state} = 'hidden')`,
      })
      .from(events)
      .where(eq(events.id, id))
    const rows = await this.db
      .select({ pollId: responses.interactionId, response: responses.response })
      .from(responses)
      .where(and(eq(responses.eventId, id), isNotNull(responses.response)))
    // Choice responses hold their options as {"optionIds": [...]}: one count per option chosen.
    const polls: Record<string, Record<string, number>> = {}
    for (const r of rows) {
      const tally = (polls[r.pollId] ??= {})
      for (const o of (r.response as { optionIds?: number[] }).optionIds ?? []) tally[o] = (tally[o] ?? 0) + 1
    }
    return {
      wristbands: Number(row.wristbands),
      revoked: Number(row.revoked),
      checkins: Number(row.checkins),
      messages: Number(row.messages),
      hidden: Number(row.hidden),
      polls,
      queueDepth: await this.queue.depth(id),
    }
  }

  async attendees(event: EventRecord) {
    return this.db
      .select({ number: checkins.number, at: checkins.at })
      .from(checkins)
      .where(eq(checkins.eventId, event.id))
      .orderBy(asc(checkins.at))
  }

  /**
   * Wristbands by public number with their batch, check-in and revocation, searched by
   * number (exact or its first digits) or part of a batch label, one page at a time.
   */
  async list(
    event: EventRecord,
    query: { q?: string; state?: 'all' | 'in' | 'out' | 'revoked'; limit: number; offset: number },
  ): Promise<AttendeeList> {
    const conditions: SQL[] = [sql`w.event_id = ${event.id}`]
    const q = query.q?.trim().replace(/^#/, '')
    if (q) {
      const label = `%${q.replace(/[\\%_]/g, '\\$&')}%`
      conditions.push(
        /^\d{1,9}$/.test(q)
          ? sql`(w.number::text like ${`${q}%`} or b.label ilike ${label})`
          : sql`b.label ilike ${label}`,
      )
    }
    if (query.state === 'in') conditions.push(sql`c.at is not null and w.revoked_at is null`)
    if (query.state === 'out') conditions.push(sql`c.at is null and w.revoked_at is null`)
    if (query.state === 'revoked') conditions.push(sql`w.revoked_at is not null`)
    const where = sql.join(conditions, sql` and `)
    const from = sql`${wristbands} w join ${wristbandBatches} b on b.id = w.batch_id
      left join ${checkins} c on c.event_id = w.event_id and c.number = w.number`
    // An exact number comes first, then the rest by number.
    const exact = q && /^\d{1,9}$/.test(q) ? Number(q) : -1
    const rows = await this.db.execute<{ number: number; batch: string; at: Date | string | null; revoked: boolean }>(
      sql`select w.number, b.label as batch, c.at, w.revoked_at is not null as revoked from ${from} where ${where}
          order by (w.number = ${exact}) desc, w.number limit ${query.limit} offset ${query.offset}`,
    )
    const [{ total }] = rowsOf<{ total: number }>(
      await this.db.execute(sql`select count(*)::int as total from ${from} where ${where}`),
    )
    const list = rowsOf(rows)
    return {
      total: Number(total),
      limit: query.limit,
      offset: query.offset,
      rows: (list as { number: number; batch: string; at: Date | string | null; revoked: boolean }[]).map((r) => ({
        number: Number(r.number),
        batch: r.batch,
        checkedInAt: r.at === null ? null : new Date(r.at).getTime(),
        revoked: !!r.revoked,
      })),
    }
  }

  /**
   * The check-in curve per batch: check-ins bucketed by `bucketMinutes` in Postgres, as a
   * running total at the end of each bucket that had any. Revoked wristbands are left
   * out, as the overview leaves them out of its count.
   */
  async curve(event: EventRecord, bucketMinutes: number): Promise<CheckinCurve> {
    const bucketMs = bucketMinutes * 60_000
    const batches = await this.db
      .select({
        id: wristbandBatches.id,
        label: wristbandBatches.label,
        usable: sql<number>`(select count(*)::int from ${wristbands} where ${wristbands.batchId} = ${wristbandBatches.id} and ${wristbands.revokedAt} is null)`,
      })
      .from(wristbandBatches)
      .where(eq(wristbandBatches.eventId, event.id))
      .orderBy(asc(wristbandBatches.id))
    const bucket = sql`floor(extract(epoch from c.at) * 1000 / ${bucketMs})::bigint * ${bucketMs}`
    const result = await this.db.execute<{ batch: number; at: string | number; n: number }>(
      sql`select w.batch_id as batch, ${bucket} as at, count(*)::int as n
          from ${checkins} c join ${wristbands} w on w.event_id = c.event_id and w.number = c.number
          where c.event_id = ${event.id} and w.revoked_at is null
          group by 1, 2 order by 2`,
    )
    const counts = rowsOf<{ batch: number; at: string | number; n: number }>(result)
    let from: number | null = null
    let to: number | null = null
    const curves = batches.map((b) => {
      let total = 0
      const points: { at: number; total: number }[] = []
      for (const row of counts) {
        if (Number(row.batch) !== b.id) continue
        total += Number(row.n)
        points.push({ at: Number(row.at), total })
      }
      return { label: b.label, wristbands: Number(b.usable), checkedIn: total, points }
    })
    for (const row of counts) {
      const at = Number(row.at)
      from = from === null ? at : Math.min(from, at)
      to = to === null ? at : Math.max(to, at)
    }
    return { bucketMs, from, to, batches: curves }
  }
}
