/**
 * Polls: the host creates them as drafts, opens and closes them. Postgres first (the
 * host's change is durable at once), then the counter layer, which guests answer against.
 * Each poll is an interaction of a kind (server/interactions); its live definition comes
 * from the kind module.
 */
import { randomBytes } from 'node:crypto'
import { and, asc, desc, eq, isNotNull, ne, sql } from 'drizzle-orm'
import { auditLog, pollOptions, polls, responses } from '../../../db/schema.ts'
import type { Database } from '../../database/connect.ts'
import type { EventRecord } from '../../events/directory.ts'
import { ApiFailure, badRequest, conflict, notFound } from '../../http/errors.ts'
import type { InteractionRow } from '../../interactions/kind.ts'
import { QA_KIND } from '../../interactions/kinds/qa.ts'
import { QUIZ_KIND } from '../../interactions/kinds/quiz.ts'
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

  /** A poll of the event; the Q&A board is an interaction row too, but never a poll the host edits. */
  private async row(eventId: number, pollId: number): Promise<InteractionRow> {
    const [poll] = await this.db
      .select()
      .from(polls)
      .where(and(eq(polls.id, pollId), eq(polls.eventId, eventId), ne(polls.kind, QA_KIND)))
    // A quiz question is run by the quiz (server/quiz), never opened, edited or reset as a poll.
    if (!poll || poll.kind === QUIZ_KIND) throw notFound('poll')
    const options = await this.db
      .select({ id: pollOptions.id, label: pollOptions.label })
      .from(pollOptions)
      .where(eq(pollOptions.pollId, pollId))
      .orderBy(asc(pollOptions.position))
    return {
      id: poll.id,
      kind: poll.kind,
      question: poll.question,
      state: poll.state,
      config: poll.config,
      options,
      position: poll.position,
    }
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

  /** Rewrites a draft poll (kind, question, options, settings); an opened one keeps what guests answered. */
  async editPoll(event: EventRecord, pollId: number, input: CreatePoll) {
    const kind = input.kind ?? 'choice'
    const row = await this.db.transaction(async (tx) => {
      const config = configOf(input)
      const [poll] = await tx
        .update(polls)
        .set({ kind, question: input.question, config })
        .where(and(eq(polls.id, pollId), eq(polls.eventId, event.id), eq(polls.state, 'draft')))
        .returning()
      if (!poll) {
        const [exists] = await tx
          .select({ id: polls.id })
          .from(polls)
          .where(and(eq(polls.id, pollId), eq(polls.eventId, event.id)))
        if (!exists) throw notFound('poll')
        throw conflict('poll_not_draft', 'only a poll that was never opened can be edited; duplicate it instead')
      }
      await tx.delete(pollOptions).where(eq(pollOptions.pollId, pollId))
      const labels = kind === 'choice' ? (input.options ?? []) : []
      const options = labels.length
        ? await tx
            .insert(pollOptions)
            .values(labels.map((label, position) => ({ pollId, label, position })))
            .returning({ id: pollOptions.id, label: pollOptions.label })
        : []
      await tx.insert(auditLog).values({ eventId: event.id, action: 'poll.edit', detail: { pollId, kind } })
      return { ...poll, options }
    })
    await this.publish(event.id, row)
    return { id: row.id, kind: row.kind, question: row.question, options: row.options }
  }

  /** A new draft with the same kind, question, options and settings (results hidden again if they were). */
  async duplicatePoll(event: EventRecord, pollId: number) {
    const source = await this.row(event.id, pollId)
    const { revealed: _, ...config } = source.config
    const row = await this.db.transaction(async (tx) => {
      const [poll] = await tx
        .insert(polls)
        .values({ eventId: event.id, kind: source.kind, question: source.question, config, position: source.position })
        .returning()
      const options = source.options.length
        ? await tx
            .insert(pollOptions)
            .values(source.options.map((o, position) => ({ pollId: poll.id, label: o.label, position })))
            .returning({ id: pollOptions.id, label: pollOptions.label })
        : []
      await tx
        .insert(auditLog)
        .values({ eventId: event.id, action: 'poll.duplicate', detail: { pollId: poll.id, from: pollId } })
      return { ...poll, options }
    })
    await this.publish(event.id, row)
    return { id: row.id, kind: row.kind, question: row.question, options: row.options }
  }

  /**
   * Clears every response to a poll, in one counter-layer step that also queues the reset
   * for Postgres; the poll stays as it is (open stays open), and hidden results hide again.
   */
  async resetPoll(event: EventRecord, pollId: number) {
    const row = await this.row(event.id, pollId)
    if (!(await this.counters.resetInteraction(event.id, pollId, Date.now()))) throw notFound('poll')
    if (row.config.revealed === true) {
      const { revealed: _, ...config } = row.config
      row.config = config
      await this.db.update(polls).set({ config }).where(eq(polls.id, pollId))
      await this.publish(event.id, row)
    }
    await audit(this.db, event.id, 'poll.reset', { pollId })
    return this.stateResult(row)
  }

  /** The host's order of polls: `ids` lists every poll of the event once, first first. */
  async reorderPolls(event: EventRecord, ids: number[]) {
    const existing = await this.db
      .select({ id: polls.id })
      .from(polls)
      .where(and(eq(polls.eventId, event.id), ne(polls.kind, QA_KIND), ne(polls.kind, QUIZ_KIND)))
    const known = new Set(existing.map((p) => p.id))
    if (new Set(ids).size !== ids.length || ids.length !== known.size || !ids.every((id) => known.has(id))) {
      throw badRequest('wrong_poll_list', 'list every poll of this event once, in the order you want', {
        ids: `expected the ${known.size} poll ids of this event, each once`,
      })
    }
    await this.db.transaction(async (tx) => {
      for (const [i, id] of ids.entries()) {
        await tx
          .update(polls)
          .set({ position: i + 1 })
          .where(and(eq(polls.id, id), eq(polls.eventId, event.id)))
      }
      await tx.insert(auditLog).values({ eventId: event.id, action: 'poll.reorder', detail: { ids } })
    })
    for (const id of ids) await this.publish(event.id, await this.row(event.id, id))
    return { ids }
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
