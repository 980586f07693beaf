/**
 * `words`: a word cloud. Each guest gives up to WORDS_PER_GUEST words (or short phrases),
 * normalised so that "Neon", "ＮＥＯＮ" and "neon!" count as one: NFKC (full-width and
 * compatibility forms), lower case, inner white space collapsed, punctuation and symbols
 * around the word removed. Each word passes the event's word filter. Counter keys are the
 * words; the counter layer reads only the top WORDS_KEPT each tick, so a cloud of ten
 * thousand distinct words still makes a small, bounded view.
 */
import { cleanGuestText, visibleLength } from '../../../protocol/guest-text.ts'
import { type Poll, type VoteBody, WORD_MAX_CHARS, WORDS_PER_GUEST } from '../../../protocol/index.ts'
import { badRequest } from '../../http/errors.ts'
import type { InteractionDef } from '../../live/counters/types.ts'
import { type Answer, type AnswerContext, commonDef, commonView, type InteractionRow, type Kind } from '../kind.ts'

/** Words a view shows (and the counter layer reads each tick), most given first. */
export const WORDS_KEPT = 50

const EDGES = /^[\p{P}\p{S}\p{Z}\p{C}]+|[\p{P}\p{S}\p{Z}\p{C}]+$/gu

/** One word as it counts: cleaned like any guest text, NFKC, lower case, single spaces, no punctuation around it. */
export function normalizeWord(raw: string): string {
  return cleanGuestText(raw)
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{Z}\p{C}\s]+/gu, ' ')
    .replace(EDGES, '')
}

export interface WordsSpec {
  question: string
  maxWords: number
}

export const words: Kind = {
  name: 'words',
  fields: ['words'],

  answer(body: VoteBody, ctx: AnswerContext): Answer {
    const list: string[] = []
    for (const raw of body.words!) {
      const word = normalizeWord(raw)
      if (!word) throw badRequest('empty_word', 'each word needs a letter or a digit', { words: 'an empty word' })
      if (visibleLength(word) > WORD_MAX_CHARS) {
        throw badRequest('word_too_long', `a word is at most ${WORD_MAX_CHARS} characters`, {
          words: `"${word.slice(0, 20)}…" is too long`,
        })
      }
      if (ctx.blockedWord(word)) {
        throw badRequest('blocked_word', 'a word is one the host does not allow', { words: 'contains a blocked word' })
      }
      if (!list.includes(word)) list.push(word)
    }
    return { response: JSON.stringify({ words: list }), keys: list }
  },

  define(row: InteractionRow): InteractionDef {
    return {
      ...commonDef(row),
      kind: 'words',
      spec: { question: row.question, maxWords: WORDS_PER_GUEST } satisfies WordsSpec,
      accept: { maxKeys: WORDS_PER_GUEST },
      top: WORDS_KEPT,
    }
  },

  keysOf(response: unknown): string[] {
    const list = (response as { words?: unknown } | null)?.words
    return Array.isArray(list) ? list.map(String) : []
  },

  view(def: InteractionDef, counts: ReadonlyMap<string, number>, responders: number): Poll {
    const s = def.spec as WordsSpec
    const list = [...counts]
      .map(([text, count]) => ({ text, count }))
      .sort((a, b) => b.count - a.count || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0))
      .slice(0, WORDS_KEPT)
    return {
      ...commonView(def),
      kind: 'words',
      question: s.question,
      maxChoices: s.maxWords,
      options: [],
      responses: responders,
      words: list,
    }
  },
}
