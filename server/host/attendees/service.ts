/** Who checked in, and what Postgres holds for an event (the flushed truth). */
import { and, asc, eq, isNotNull, sql } from 'drizzle-orm'
import { checkins, events, messages, responses, wristbands } from '../../../db/schema.ts'
import type { Database } from '../../database/connect.ts'
import type { EventRecord } from '../../events/directory.ts'
import type { WriteQueue } from '../../live/queue/types.ts'

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
}
