/** Who checked in, and what Postgres holds for an event (the flushed truth). */
import { asc, count, eq, sql } from 'drizzle-orm'
import { checkins, events, messages, votes, wristbands } from '../../../db/schema.ts'
import type { Database } from '../../database/connect.ts'
import type { EventRecord } from '../../events/directory.ts'
import type { LiveStore } from '../../live/types.ts'

export class AttendeeService {
  constructor(
    private db: Database,
    private store: LiveStore,
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
    const voteRows = await this.db
      .select({ pollId: votes.pollId, optionId: votes.optionId, n: count() })
      .from(votes)
      .where(eq(votes.eventId, id))
      .groupBy(votes.pollId, votes.optionId)
    const polls: Record<string, Record<string, number>> = {}
    for (const v of voteRows) (polls[v.pollId] ??= {})[v.optionId] = Number(v.n)
    const counts = Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]))
    return { ...counts, polls, queueDepth: await this.store.queueDepth(id) }
  }

  async attendees(event: EventRecord) {
    return this.db
      .select({ number: checkins.number, at: checkins.at })
      .from(checkins)
      .where(eq(checkins.eventId, event.id))
      .orderBy(asc(checkins.at))
  }
}
