/**
 * The quiz on the wire: the host's quiz, a guest's answer, the snapshot's `quiz` view and
 * the one scoring formula (docs/protocol.md#quiz). Each question is an interaction of kind
 * `quiz` (server/interactions/kinds/quiz.ts), answered once per wristband before its
 * deadline in server time.
 */
import { z } from 'zod'
import { actionIdSchema } from './action-id.ts'

export const QUIZ_OPTIONS_MIN = 2
export const QUIZ_OPTIONS_MAX = 6
/** How many places the snapshot's leaderboard shows. */
export const LEADERBOARD_KEPT = 10
export const NICKNAME_MAX_CHARS = 20
/** How long after a deadline the scores are taken (answers accepted just before it are still being stored). */
export const QUIZ_SCORE_GRACE_MS = 500

export const quizQuestionInputSchema = z.object({
  question: z.string().trim().min(1).max(200),
  options: z.array(z.string().trim().min(1).max(80)).min(QUIZ_OPTIONS_MIN).max(QUIZ_OPTIONS_MAX),
  /** Indexes into `options` of the right answers (one or more). */
  correct: z.array(z.number().int().min(0)).min(1).max(QUIZ_OPTIONS_MAX),
  /** Seconds the question takes answers for. */
  seconds: z.number().int().min(5).max(600),
  /** Points for a right answer given at once (half of them for one given at the last moment). */
  points: z.number().int().min(1).max(10_000).default(1000),
})
export const createQuizSchema = z
  .object({
    title: z.string().trim().min(1).max(120),
    questions: z.array(quizQuestionInputSchema).min(1).max(100),
  })
  .superRefine((quiz, ctx) => {
    quiz.questions.forEach((q, i) => {
      if (q.correct.some((c) => c >= q.options.length)) {
        ctx.addIssue({
          code: 'custom',
          path: ['questions', i, 'correct'],
          message: `an index of one of the ${q.options.length} options (0-${q.options.length - 1})`,
        })
      }
      if (new Set(q.correct).size !== q.correct.length) {
        ctx.addIssue({ code: 'custom', path: ['questions', i, 'correct'], message: 'each option at most once' })
      }
    })
  })
export type CreateQuiz = z.infer<typeof createQuizSchema>

export const quizOptionSchema = z.object({ id: z.number().int(), label: z.string() })
export const quizSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  questions: z.array(
    z.object({
      id: z.number().int(),
      question: z.string(),
      options: z.array(quizOptionSchema),
      correct: z.array(z.number().int()),
      seconds: z.number().int(),
      points: z.number().int(),
      /** Server epoch ms of the deadline, once the question started. */
      endsAt: z.number().nullable(),
    }),
  ),
  /** Index of the question started last; -1 before the first. */
  current: z.number().int(),
})
export type Quiz = z.infer<typeof quizSchema>

export const answerBodySchema = z.object({
  quizId: z.number().int().positive(),
  questionId: z.number().int().positive(),
  optionId: z.number().int().positive(),
  actionId: actionIdSchema.optional(),
})
export type AnswerBody = z.infer<typeof answerBodySchema>
export const answerResultSchema = z.object({
  status: z.literal('accepted'),
  duplicate: z.boolean(),
  /** Server epoch ms the answer was taken at (its speed counts from the question's start). */
  at: z.number(),
})

export const nicknameBodySchema = z.object({ nickname: z.string().max(NICKNAME_MAX_CHARS * 4) })
export const nicknameResultSchema = z.object({ nickname: z.string().nullable() })

export const leaderRowSchema = z.object({
  rank: z.number().int(),
  number: z.number().int(),
  nickname: z.string().optional(),
  score: z.number().int(),
})
export type LeaderRow = z.infer<typeof leaderRowSchema>

/**
 * The snapshot's `quiz`: the question started last, of the quiz started last.
 * `phase` is `question` until `endsAt` (server time), then `reveal`; the reveal carries the
 * right option ids and every option's answers, and `leaderboard` follows once the scores
 * are taken (QUIZ_SCORE_GRACE_MS after the deadline).
 */
export const quizViewSchema = z.object({
  quizId: z.number().int(),
  title: z.string(),
  questionId: z.number().int(),
  /** 0-based position of the question in its quiz, of `total`. */
  index: z.number().int(),
  total: z.number().int(),
  question: z.string(),
  options: z.array(quizOptionSchema),
  seconds: z.number().int(),
  points: z.number().int(),
  endsAt: z.number(),
  phase: z.enum(['question', 'reveal']),
  /** Wristbands that answered so far. */
  answered: z.number().int(),
  reveal: z.object({ correct: z.array(z.number().int()), counts: z.record(z.string(), z.number().int()) }).optional(),
  /** Top LEADERBOARD_KEPT after this question, once scored. */
  leaderboard: z.array(leaderRowSchema).optional(),
  /** Players with a score after this question. */
  players: z.number().int().optional(),
})
export type QuizView = z.infer<typeof quizViewSchema>

/** `/me`'s quiz part: this wristband's score and rank after the last scored question. */
export const meQuizSchema = z.object({
  quizId: z.number().int(),
  /** The last question whose scores these are (null before the first is scored). */
  scoredQuestionId: z.number().int().nullable(),
  /** questionId -> the option this wristband answered. */
  answers: z.record(z.string(), z.number().int()),
  nickname: z.string().nullable(),
})

/** `GET /api/events/:slug/score`: this wristband's standing after the last scored question. */
export const scoreResultSchema = z.object({
  score: z.number().int(),
  /** 1 = first; ties share a rank; null before this wristband's first scored answer. */
  rank: z.number().int().nullable(),
  players: z.number().int(),
  scoredQuestionId: z.number().int().nullable(),
})
export type ScoreResult = z.infer<typeof scoreResultSchema>

/**
 * Points for one answer: `points * (1 - 0.5 * elapsed / duration)` rounded, for a right
 * answer (elapsed from the question's start to the server's accept time, clamped to the
 * duration), 0 for a wrong one. At once: all the points; at the deadline: half.
 * @example quizScore({ points: 1000, durationMs: 20_000, elapsedMs: 5_000, correct: true }) // 875
 */
export function quizScore(a: { points: number; durationMs: number; elapsedMs: number; correct: boolean }): number {
  if (!a.correct) return 0
  const share = Math.min(1, Math.max(0, a.elapsedMs / a.durationMs))
  return Math.round(a.points * (1 - 0.5 * share))
}

/** Leaderboard order: higher score first, then the lower wristband number. */
export const standingOrder = (a: { score: number; number: number }, b: { score: number; number: number }) =>
  b.score - a.score || a.number - b.number
