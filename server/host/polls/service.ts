/**
 * Polls: the host creates them as drafts, opens and closes them. Postgres first (the
 * host's change is durable at once), then the counter layer, which guests answer against.
 * Each poll is an interaction of a kind (server/interactions); its live definition comes
 * from the kind module.
 */
import { and, asc, eq } from 'drizzle-orm'
import { auditLog, pollOptions, polls } from '../../../db/schema.ts'
import type { Database } from '../../database/connect.ts'
import type { EventRecord } from '../../events/directory.ts'
import { notFound } from '../../http/errors.ts'
import type { InteractionRow } from '../../interactions/kind.ts'
import { kindOf } from '../../interactions/registry.ts'
import type { LiveCounters } from '../../live/counters/types.ts'
import { audit } from '../audit.ts'

export class PollService {
  constructor(
    private db: Database,
    private counters: LiveCounters,
  ) {}

  private async row(eventId: number, pollId: number): Promise<InteractionRow> {
    const [poll] = await this.db
      .select()
      .from(polls)
      .where(and(eq(polls.id, pollId), eq(polls.eventId, eventId)))
    if (!poll) throw notFound('poll')
    const options = await this.db
      .select({ id: pollOptions.id, label: pollOptions.label })
      .from(pollOptions)
      .where(eq(pollOptions.pollId, pollId))
      .orderBy(asc(pollOptions.position))
    return { id: poll.id, kind: poll.kind, question: poll.question, state: poll.state, config: poll.config, options }
  }

  async createPoll(event: EventRecord, input: { question: string; options: string[]; maxChoices?: number }) {
    const row = await this.db.transaction(async (tx) => {
      const config = input.maxChoices ? { maxChoices: input.maxChoices } : {}
      const [poll] = await tx
        .insert(polls)
        .values({ eventId: event.id, kind: 'choice', question: input.question, config })
        .returning()
      const options = await tx
        .insert(pollOptions)
        .values(input.options.map((label, position) => ({ pollId: poll.id, label, position })))
        .returning({ id: pollOptions.id, label: pollOptions.label })
      await tx.insert(auditLog).values({ eventId: event.id, action: 'poll.create', detail: { pollId: poll.id } })
      return { id: poll.id, kind: poll.kind, question: poll.question, state: poll.state, config, options }
    })
    await this.counters.putInteraction(event.id, kindOf(row.kind).define(row))
    return { id: row.id, question: row.question, options: row.options }
  }

  async setPollState(event: EventRecord, pollId: number, state: 'open' | 'closed') {
    const updated = await this.db
      .update(polls)
      .set({ state })
      .where(and(eq(polls.id, pollId), eq(polls.eventId, event.id)))
      .returning({ id: polls.id })
    if (!updated.length) throw notFound('poll')
    await audit(this.db, event.id, `poll.${state === 'open' ? 'open' : 'close'}`, { pollId })
    const row = await this.row(event.id, pollId)
    await this.counters.putInteraction(event.id, kindOf(row.kind).define(row))
    return {
      id: row.id,
      kind: row.kind,
      question: row.question,
      open: row.state === 'open',
      closed: row.state === 'closed',
      options: row.options,
    }
  }
}
