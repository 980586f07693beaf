/**
 * Polls: the host creates them as drafts, opens and closes them. Postgres first (the
 * host's change is durable at once), then the counter layer, which guests answer against.
 * Each poll is an interaction of a kind (server/interactions); its live definition comes
 * from the kind module.
 */
import { randomBytes } from 'node:crypto'
import { and, asc, desc, eq, isNotNull, sql } from 'drizzle-orm'
import { auditLog, pollOptions, polls, responses } from '../../../db/schema.ts'
import type { Database } from '../../database/connect.ts'
import type { EventRecord } from '../../events/directory.ts'
import { ApiFailure, conflict, notFound } from '../../http/errors.ts'
import type { InteractionRow } from '../../interactions/kind.ts'
import { moderatedText, type TextResponse, type TextState } from '../../interactions/kinds/text.ts'
import { kindOf } from '../../interactions/registry.ts'
import type { LiveCounters } from '../../live/counters/types.ts'
import { audit } from '../audit.ts'
import type { CreatePoll } from './model.ts'

/** A poll's kind settings as the polls.config column keeps them. */
export function configOf(input: CreatePoll): Record<string, unknown> {
  const config: Record<string, unknown> = {}
  if (input.maxChoices && (input.kind ?? 'choice') === 'choice') config.maxChoices = input.maxChoices
  if (input.kind === 'rating') config.scale = input.scale ?? { min: 1, max: 5 }
  if (input.hideResults) config.hideResults = true
  return config
}

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

  /** Puts a row's live definition in the counter layer (its counts stay). */
  private async publish(eventId: number, row: InteractionRow) {
    await this.counters.putInteraction(eventId, kindOf(row.kind).define(row))
  }

  async createPoll(event: EventRecord, input: CreatePoll) {
    const kind = input.kind ?? 'choice'
    const row = await this.db.transaction(async (tx) => {
      const config = configOf(input)
      const [poll] = await tx
        .insert(polls)
        .values({ eventId: event.id, kind, question: input.question, config })
        .returning()
      const labels = kind === 'choice' ? (input.options ?? []) : []
      const options = labels.length
        ? await tx
            .insert(pollOptions)
            .values(labels.map((label, position) => ({ pollId: poll.id, label, position })))
            .returning({ id: pollOptions.id, label: pollOptions.label })
        : []
      await tx.insert(auditLog).values({ eventId: event.id, action: 'poll.create', detail: { pollId: poll.id, kind } })
      return { id: poll.id, kind: poll.kind, question: poll.question, state: poll.state, config, options }
    })
    await this.publish(event.id, row)
    return { id: row.id, kind: row.kind, question: row.question, options: row.options }
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
    await this.publish(event.id, row)
    return this.stateResult(row)
  }

  private stateResult(row: InteractionRow) {
    return {
      id: row.id,
      kind: row.kind,
      question: row.question,
      open: row.state === 'open',
      closed: row.state === 'closed',
      options: row.options,
    }
  }

  /**
   * Shows a poll's results to everyone (a poll created with hideResults). Open or closed:
   * a closed poll can be revealed later.
   */
  async reveal(event: EventRecord, pollId: number) {
    const row = await this.row(event.id, pollId)
    if (row.config.hideResults !== true) throw conflict('results_not_hidden', 'this poll shows its results already')
    if (row.config.revealed !== true) {
      row.config = { ...row.config, revealed: true }
      await this.db.update(polls).set({ config: row.config }).where(eq(polls.id, pollId))
      await audit(this.db, event.id, 'poll.reveal', { pollId })
      await this.publish(event.id, row)
    }
    return this.stateResult(row)
  }

  /**
   * An open-text poll's answers as Postgres holds them (flushed within FLUSH_MS), newest
   * first: what the host moderates. At most `limit`, optionally of one state.
   */
  async answers(event: EventRecord, pollId: number, state?: TextState, limit = 200) {
    const row = await this.row(event.id, pollId)
    if (row.kind !== 'text') throw conflict('not_text', 'only an open-text poll has answers to moderate')
    const where = [eq(responses.interactionId, pollId), eq(responses.slot, ''), isNotNull(responses.response)]
    if (state) where.push(sql`${responses.response}->>'state' = ${state}`)
    const rows = await this.db
      .select({ number: responses.number, response: responses.response })
      .from(responses)
      .where(and(...where))
      .orderBy(desc(responses.at))
      .limit(limit)
    return rows.map((r) => {
      const t = r.response as TextResponse
      return { number: r.number, text: t.text, state: t.state, at: t.at }
    })
  }

  /**
   * Approves or hides one guest's open answer: the host rewrites the response through the
   * same response primitive (byHost), so counts, queue and Postgres follow in one step.
   * Works on a closed poll too (a card can be taken off the screen at any time).
   */
  async moderateAnswer(event: EventRecord, pollId: number, number: number, state: 'visible' | 'hidden') {
    const row = await this.row(event.id, pollId)
    if (row.kind !== 'text') throw conflict('not_text', 'only an open-text poll has answers to moderate')
    const mine = (await this.counters.responsesOf(event.id, number)).find(
      (r) => r.interactionId === pollId && r.slot === '',
    )
    if (!mine) throw new ApiFailure(404, 'not_found', 'this wristband has no answer to this poll')
    const current = JSON.parse(mine.response) as TextResponse
    if (current.state !== state) {
      const result = await this.counters.respond(event.id, {
        number,
        interactionId: pollId,
        kind: 'text',
        slot: '',
        ...moderatedText(current, number, state),
        actionId: `host-${randomBytes(9).toString('base64url')}`,
        now: Date.now(),
        limit: { count: 1, windowMs: 1000 },
        byHost: true,
      })
      if (!result.ok) throw conflict(result.error, `the answer could not be changed (${result.error})`)
      await audit(this.db, event.id, `poll.answer.${state === 'visible' ? 'approve' : 'hide'}`, { pollId, number })
    }
    return { number, text: current.text, state, at: current.at }
  }
}
