/**
 * `text`: open answers, one per guest (a guest may rewrite it while the poll is open),
 * shown on the screen as cards, newest first. Cleaned and checked like a danmaku
 * (protocol/guest-text.ts: deceptive characters, the event's length limit, the word filter) and, when the host pre-moderates,
 * held until the host approves it; the host can hide any answer, even after closing.
 *
 * The response is `{text, at, state}`. Only a visible answer has a counter key:
 * "<at, 15 digits>|<number>|<text>", so the counter layer's top TEXT_ANSWERS_KEPT
 * (highest count, then key descending: every count is 1) are the newest visible answers,
 * and the view is made from the keys alone.
 */
import { cleanGuestText, visibleLength } from '../../../protocol/guest-text.ts'
import type { Poll, VoteBody } from '../../../protocol/index.ts'
import { badRequest } from '../../http/errors.ts'
import type { InteractionDef } from '../../live/counters/types.ts'
import { type Answer, type AnswerContext, commonDef, commonView, type InteractionRow, type Kind } from '../kind.ts'

/** Answers a view shows (and the counter layer reads each tick). */
export const TEXT_ANSWERS_KEPT = 50

export type TextState = 'visible' | 'held' | 'hidden'
export interface TextResponse {
  text: string
  at: number
  state: TextState
}

const cardKey = (at: number, number: number, text: string) => `${String(at).padStart(15, '0')}|${number}|${text}`

/** A text response in another moderation state (what the host's approve and hide store). */
export function moderatedText(response: TextResponse, number: number, state: TextState): Answer {
  const next = { text: response.text, at: response.at, state }
  return { response: JSON.stringify(next), keys: state === 'visible' ? [cardKey(next.at, number, next.text)] : [] }
}

export const text: Kind = {
  name: 'text',
  fields: ['text'],

  answer(body: VoteBody, ctx: AnswerContext): Answer {
    const value = cleanGuestText(body.text!)
    const max = ctx.settings.maxMessageLength
    if (!value) throw badRequest('empty_answer', 'write something first', { text: 'empty' })
    const n = visibleLength(value)
    if (n > max)
      throw badRequest('answer_too_long', `answers are at most ${max} characters`, {
        text: `${n} characters, at most ${max}`,
      })
    if (ctx.blockedWord(value)) {
      throw badRequest('blocked_word', 'this answer contains a word the host does not allow', {
        text: 'contains a blocked word',
      })
    }
    return moderatedText(
      { text: value, at: ctx.now, state: 'visible' },
      ctx.number,
      ctx.settings.premoderate ? 'held' : 'visible',
    )
  },

  define(row: InteractionRow): InteractionDef {
    return {
      ...commonDef(row),
      kind: 'text',
      spec: { question: row.question },
      accept: { maxKeys: 1 },
      top: TEXT_ANSWERS_KEPT,
    }
  },

  keysOf(response: unknown, number: number): string[] {
    const r = response as Partial<TextResponse> | null
    if (r?.state !== 'visible' || typeof r.text !== 'string' || typeof r.at !== 'number') return []
    return [cardKey(r.at, number, r.text)]
  },

  view(def: InteractionDef, counts: ReadonlyMap<string, number>, responders: number): Poll {
    const answers = [...counts.keys()]
      .sort()
      .reverse()
      .slice(0, TEXT_ANSWERS_KEPT)
      .map((key) => {
        const a = key.indexOf('|')
        const b = key.indexOf('|', a + 1)
        return { number: Number(key.slice(a + 1, b)), text: key.slice(b + 1), at: Number(key.slice(0, a)) }
      })
    return {
      ...commonView(def),
      kind: 'text',
      question: (def.spec as { question: string }).question,
      maxChoices: 1,
      options: [],
      responses: responders,
      answers,
    }
  },
}
