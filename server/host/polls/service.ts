/**
 * Polls: the host creates them as drafts, opens and closes them. Postgres first (the
 * host's change is durable at once), then the counter layer, which guests vote against.
 */
import { and, asc, eq } from 'drizzle-orm'
import { auditLog, pollOptions, polls } from '../../../db/schema.ts'
import type { Database } from '../../database/connect.ts'
import type { EventRecord } from '../../events/directory.ts'
import { notFound } from '../../http/errors.ts'
import type { LiveStore, PollDef } from '../../live/types.ts'
import { audit } from '../audit.ts'

export class PollService {
  constructor(
    private db: Database,
    private store: LiveStore,
  ) {}

  private async pollDef(eventId: number, pollId: number): Promise<PollDef> {
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
    return {
      id: poll.id,
      question: poll.question,
      open: poll.state === 'open',
      closed: poll.state === 'closed',
      options,
    }
  }

  async createPoll(event: EventRecord, input: { question: string; options: string[] }) {
    const def = await this.db.transaction(async (tx) => {
      const [poll] = await tx.insert(polls).values({ eventId: event.id, question: input.question }).returning()
      const options = await tx
        .insert(pollOptions)
        .values(input.options.map((label, position) => ({ pollId: poll.id, label, position })))
        .returning({ id: pollOptions.id, label: pollOptions.label })
      await tx.insert(auditLog).values({ eventId: event.id, action: 'poll.create', detail: { pollId: poll.id } })
      return { id: poll.id, question: poll.question, open: false, closed: false, options } satisfies PollDef
    })
    await this.store.putPoll(event.id, def)
    return { id: def.id, question: def.question, options: def.options }
  }

  async setPollState(event: EventRecord, pollId: number, state: 'open' | 'closed') {
    const updated = await this.db
      .update(polls)
      .set({ state })
      .where(and(eq(polls.id, pollId), eq(polls.eventId, event.id)))
      .returning({ id: polls.id })
    if (!updated.length) throw notFound('poll')
    await audit(this.db, event.id, `poll.${state === 'open' ? 'open' : 'close'}`, { pollId })
    const def = await this.pollDef(event.id, pollId)
    await this.store.putPoll(event.id, def)
    return def
  }
}
