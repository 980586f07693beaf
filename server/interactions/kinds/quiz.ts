/**
 * `quiz`: one question of a quiz. A guest answers with one option, once (never replaced),
 * before the question's deadline by the server's clock: both are acceptance rules the
 * counter layer enforces in its one response step (`once`, `closesAt`), so the backends
 * know nothing of quizzes. The response holds the option and the server's accept time, so
 * scores are a pure function of the stored responses (server/quiz/score.ts). Counter keys
 * are the option ids, so the reveal's answer counts are the interaction's counters.
 * Questions show in the snapshot's `quiz`, not in `polls`.
 */
import type { LeaderRow, Poll, QuizView } from '../../../protocol/index.ts'
import type { InteractionDef, InteractionRead } from '../../live/counters/types.ts'
import type { Answer, InteractionRow, Kind } from '../kind.ts'

export const QUIZ_KIND = 'quiz'

/** A quiz question as polls.config keeps it. */
export interface QuizQuestionConfig {
  quizId: number
  title: string
  index: number
  total: number
  /** Option ids of the right answers. */
  correct: number[]
  seconds: number
  points: number
  /** Server epoch ms of the deadline, set when the host starts the question. */
  endsAt?: number
  /** Set once the question is scored. */
  leaderboard?: LeaderRow[]
  players?: number
}

export interface QuizSpec extends QuizQuestionConfig {
  question: string
  options: { id: number; label: string }[]
}

/** A stored answer: the option and the server's accept time. */
export interface QuizResponse {
  optionId: number
  at: number
}

const spec = (def: InteractionDef) => def.spec as QuizSpec

export const quiz: Kind = {
  name: QUIZ_KIND,

  define(row: InteractionRow): InteractionDef {
    const config = row.config as unknown as QuizQuestionConfig
    const s: QuizSpec = { ...config, question: row.question, options: row.options }
    const accept: InteractionDef['accept'] = { keys: row.options.map((o) => String(o.id)), maxKeys: 1, once: true }
    if (config.endsAt !== undefined) accept.closesAt = config.endsAt
    // Open only while started: a question never started has no deadline and takes nothing.
    return {
      id: row.id,
      kind: QUIZ_KIND,
      open: row.state === 'open' && config.endsAt !== undefined,
      closed: row.state === 'closed',
      spec: s,
      accept,
    }
  },

  keysOf(response: unknown): string[] {
    const id = (response as Partial<QuizResponse> | null)?.optionId
    return typeof id === 'number' ? [String(id)] : []
  },

  view(): Poll {
    throw new Error('a quiz question is not a poll; the ticker shows it as `quiz`')
  },
}

/** A guest's answer to a question, taken at `at` (server time). */
export function quizAnswer(optionId: number, at: number): Answer {
  return { response: JSON.stringify({ optionId, at } satisfies QuizResponse), keys: [String(optionId)] }
}

/**
 * The snapshot's quiz view: the question started last (of any quiz of the event), at
 * server time `now`. Pure but for `now`, which the ticker passes in.
 */
export function quizView(interactions: InteractionRead[], now: number): QuizView | null {
  let last: InteractionRead | null = null
  for (const i of interactions) {
    if (i.def.kind !== QUIZ_KIND || spec(i.def).endsAt === undefined) continue
    if (!last || spec(i.def).endsAt! > spec(last.def).endsAt!) last = i
  }
  if (!last) return null
  const s = spec(last.def)
  const endsAt = s.endsAt!
  const view: QuizView = {
    quizId: s.quizId,
    title: s.title,
    questionId: last.def.id,
    index: s.index,
    total: s.total,
    question: s.question,
    options: s.options,
    seconds: s.seconds,
    endsAt,
    answered: last.responders,
  }
  if (now >= endsAt) {
    view.reveal = {
      correct: s.correct,
      counts: s.options.map((o) => last.counts.get(String(o.id)) ?? 0),
    }
    if (s.leaderboard) view.leaderboard = s.leaderboard
  }
  return view
}
