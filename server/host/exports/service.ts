/**
 * The host's CSV exports, each read from Postgres (the flushed truth) in keyset pages
 * (server/database/keyset.ts), so 100,000 rows go out with one page in memory at a time.
 * Each export is a header and a generator of pages of cells; routes.ts streams them.
 *
 * - results: per interaction, one row per option (choice), scale value (rating), word
 *   (word cloud, most given first) or moderation state (open text), with its count.
 *   Counts come from the kind modules' `keysOf`, as the counter rebuild does, so they
 *   are what the screen showed.
 * - responses: every wristband's current response to every interaction.
 * - messages: every danmaku with its moderation state.
 * - questions: every Q&A question with its upvotes and state.
 * - checkins: every check-in with the wristband's batch (and revocation, if any).
 */
import { and, asc, eq, gt, inArray, isNotNull, ne, sql } from 'drizzle-orm'
import {
  checkins,
  messages,
  pollOptions,
  polls,
  questions,
  responses,
  wristbandBatches,
  wristbands,
} from '../../../db/schema.ts'
import type { Database } from '../../database/connect.ts'
import { keysetPages, yieldToEventLoop } from '../../database/keyset.ts'
import type { EventRecord } from '../../events/directory.ts'
import { scaleOf } from '../../interactions/kinds/rating.ts'
import type { TextResponse } from '../../interactions/kinds/text.ts'
import { kindOf } from '../../interactions/registry.ts'
import { type Cell, csvTime } from './csv.ts'

export const EXPORTS = ['results', 'responses', 'messages', 'questions', 'checkins'] as const
export type ExportName = (typeof EXPORTS)[number]

export interface ExportTable {
  header: readonly string[]
  pages: AsyncGenerator<Cell[][]>
}

/** Rows per page: one round trip each, small enough that a page is a few hundred kB at most. */
export const EXPORT_PAGE_ROWS = 1000

interface Interaction {
  id: number
  kind: string
  question: string
  config: Record<string, unknown>
  options: Map<number, string>
  optionOrder: number[]
}

const TEXT_STATES: TextResponse['state'][] = ['visible', 'held', 'hidden']

export class ExportService {
  constructor(
    private db: Database,
    readonly pageRows = EXPORT_PAGE_ROWS,
  ) {}

  table(event: EventRecord, what: ExportName): ExportTable {
    switch (what) {
      case 'results':
        return {
          header: ['interaction_id', 'kind', 'question', 'option_id', 'option', 'count'],
          pages: this.results(event),
        }
      case 'responses':
        return {
          header: ['interaction_id', 'kind', 'question', 'number', 'answer', 'option_ids', 'state', 'answered_at'],
          pages: this.responses(event),
        }
      case 'messages':
        return { header: ['id', 'number', 'text', 'state', 'sent_at'], pages: this.messages(event) }
      case 'questions':
        return {
          header: ['id', 'number', 'text', 'state', 'pinned', 'answered', 'upvotes', 'asked_at'],
          pages: this.questions(event),
        }
      case 'checkins':
        return { header: ['number', 'batch', 'checked_in_at', 'revoked_at'], pages: this.checkins(event) }
    }
  }

  /** The event's interactions (not the Q&A board, whose upvotes are in the questions export), in the host's order. */
  private async interactions(eventId: number): Promise<Interaction[]> {
    const rows = await this.db
      .select({ id: polls.id, kind: polls.kind, question: polls.question, config: polls.config })
      .from(polls)
      .where(and(eq(polls.eventId, eventId), ne(polls.kind, 'qa')))
      .orderBy(asc(polls.position), asc(polls.id))
    const ids = rows.map((r) => r.id)
    const options = ids.length
      ? await this.db
          .select({ pollId: pollOptions.pollId, id: pollOptions.id, label: pollOptions.label })
          .from(pollOptions)
          .where(inArray(pollOptions.pollId, ids))
          .orderBy(asc(pollOptions.pollId), asc(pollOptions.position))
      : []
    return rows.map((r) => {
      const own = options.filter((o) => o.pollId === r.id)
      return {
        ...r,
        options: new Map(own.map((o) => [o.id, o.label])),
        optionOrder: own.map((o) => o.id),
      }
    })
  }

  /** An interaction's stored responses (taken-back ones left out), in pages by (number, slot). */
  private responsePages(interactionId: number) {
    return keysetPages(
      (after: { number: number; slot: string } | null, limit) =>
        this.db
          .select({ number: responses.number, slot: responses.slot, response: responses.response, at: responses.at })
          .from(responses)
          .where(
            and(
              eq(responses.interactionId, interactionId),
              isNotNull(responses.response),
              after ? sql`(${responses.number}, ${responses.slot}) > (${after.number}, ${after.slot})` : undefined,
            ),
          )
          .orderBy(asc(responses.number), asc(responses.slot))
          .limit(limit),
      (r) => ({ number: r.number, slot: r.slot }),
      this.pageRows,
    )
  }

  private async *results(event: EventRecord): AsyncGenerator<Cell[][]> {
    for (const it of await this.interactions(event.id)) {
      const kind = kindOf(it.kind)
      const counts = new Map<string, number>()
      for await (const page of this.responsePages(it.id)) {
        for (const r of page) {
          const keys =
            it.kind === 'text'
              ? [(r.response as Partial<TextResponse>).state ?? 'visible']
              : kind.keysOf(r.response, r.number)
          for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1)
        }
      }
      const base = [it.id, it.kind, it.question]
      let rows: Cell[][]
      if (it.kind === 'choice') {
        rows = it.optionOrder.map((id) => [...base, id, it.options.get(id), counts.get(String(id)) ?? 0])
      } else if (it.kind === 'rating') {
        const { min, max } = scaleOf(it.config)
        rows = []
        for (let v = min; v <= max; v++) rows.push([...base, v, String(v), counts.get(String(v)) ?? 0])
      } else if (it.kind === 'text') {
        rows = TEXT_STATES.map((state) => [...base, '', state, counts.get(state) ?? 0])
      } else {
        // A word cloud: most given first, then alphabetically, every word (not just the screen's top).
        rows = [...counts]
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
          .map(([word, count]) => [...base, '', word, count])
      }
      // A cloud of many distinct words goes out in pages too.
      for (let i = 0; i < rows.length; i += this.pageRows) {
        yield rows.slice(i, i + this.pageRows)
        await yieldToEventLoop()
      }
    }
  }

  private async *responses(event: EventRecord): AsyncGenerator<Cell[][]> {
    for (const it of await this.interactions(event.id)) {
      for await (const page of this.responsePages(it.id)) {
        yield page.map((r) => {
          const value = r.response as Record<string, unknown>
          let answer: Cell = ''
          let optionIds: Cell = ''
          let state: Cell = ''
          if (Array.isArray(value.optionIds)) {
            const ids = value.optionIds as number[]
            answer = ids.map((id) => it.options.get(id) ?? `#${id}`).join('; ')
            optionIds = ids.join(';')
          } else if (typeof value.value === 'number') {
            answer = value.value
          } else if (Array.isArray(value.words)) {
            answer = value.words.join('; ')
          } else if (typeof value.text === 'string') {
            answer = value.text
            state = typeof value.state === 'string' ? value.state : ''
          }
          return [it.id, it.kind, it.question, r.number, answer, optionIds, state, csvTime(r.at)]
        })
      }
    }
  }

  private messages(event: EventRecord): AsyncGenerator<Cell[][]> {
    return mapPages(
      keysetPages(
        (after: number | null, limit) =>
          this.db
            .select()
            .from(messages)
            .where(and(eq(messages.eventId, event.id), after === null ? undefined : gt(messages.id, after)))
            .orderBy(asc(messages.id))
            .limit(limit),
        (r) => r.id,
        this.pageRows,
      ),
      (r) => [r.id, r.number, r.text, r.state, csvTime(r.at)],
    )
  }

  private async *questions(event: EventRecord): AsyncGenerator<Cell[][]> {
    const [board] = await this.db
      .select({ id: polls.id })
      .from(polls)
      .where(and(eq(polls.eventId, event.id), eq(polls.kind, 'qa')))
    const pages = keysetPages(
      (after: number | null, limit) =>
        this.db
          .select()
          .from(questions)
          .where(and(eq(questions.eventId, event.id), after === null ? undefined : gt(questions.id, after)))
          .orderBy(asc(questions.id))
          .limit(limit),
      (r) => r.id,
      this.pageRows,
    )
    for await (const page of pages) {
      // An upvote is a response to the board with the question's id as slot (interactions/kinds/qa.ts).
      const votes = new Map<string, number>()
      if (board) {
        const counted = await this.db
          .select({ slot: responses.slot, n: sql<number>`count(*)::int` })
          .from(responses)
          .where(
            and(
              eq(responses.interactionId, board.id),
              isNotNull(responses.response),
              inArray(
                responses.slot,
                page.map((q) => String(q.id)),
              ),
            ),
          )
          .groupBy(responses.slot)
        for (const c of counted) votes.set(c.slot, Number(c.n))
      }
      yield page.map((q) => [
        q.id,
        q.number,
        q.text,
        q.state,
        q.pinned,
        q.answered,
        votes.get(String(q.id)) ?? 0,
        csvTime(q.at),
      ])
    }
  }

  private checkins(event: EventRecord): AsyncGenerator<Cell[][]> {
    return mapPages(
      keysetPages(
        (after: number | null, limit) =>
          this.db
            .select({
              number: checkins.number,
              at: checkins.at,
              batch: wristbandBatches.label,
              revokedAt: wristbands.revokedAt,
            })
            .from(checkins)
            .leftJoin(wristbands, and(eq(wristbands.eventId, checkins.eventId), eq(wristbands.number, checkins.number)))
            .leftJoin(wristbandBatches, eq(wristbandBatches.id, wristbands.batchId))
            .where(and(eq(checkins.eventId, event.id), after === null ? undefined : gt(checkins.number, after)))
            .orderBy(asc(checkins.number))
            .limit(limit),
        (r) => r.number,
        this.pageRows,
      ),
      (r) => [r.number, r.batch, csvTime(r.at), csvTime(r.revokedAt)],
    )
  }
}

async function* mapPages<Row>(pages: AsyncGenerator<Row[]>, cells: (row: Row) => Cell[]): AsyncGenerator<Cell[][]> {
  for await (const page of pages) yield page.map(cells)
}
