/**
 * The quiz's request and answer bodies (protocol/quiz.ts holds what the stream carries).
 * Apart from protocol/index.ts so the guest page, which needs none of them up front, does
 * not carry them in its first load.
 */
import { z } from 'zod'
import { actionIdSchema } from './action-id.ts'
import { NICKNAME_MAX_CHARS, QUIZ_OPTIONS_MAX, QUIZ_OPTIONS_MIN, quizOptionSchema } from './quiz.ts'

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

/** What `GET .../me` adds for the quiz: score and rank (1 = first; ties share a rank) after the last scored question. */
export const meQuizFields = {
  score: z.number().int().optional(),
  rank: z.number().int().nullable().optional(),
}

/**
 * `GET /api/events/:slug/score`: this wristband's standing in the quiz started last, after
 * its last scored question, and what a reloaded or replaced phone needs to show at once.
 */
export const scoreResultSchema = z.object({
  score: z.number().int(),
  /** 1 = first; ties share a rank; null before this wristband's first scored answer. */
  rank: z.number().int().nullable(),
  players: z.number().int(),
  /** The quiz started last (null: none yet) and the last question whose scores these are. */
  quizId: z.number().int().nullable(),
  scoredQuestionId: z.number().int().nullable(),
  /** questionId -> the option this wristband answered, in that quiz. */
  answers: z.record(z.string(), z.number().int()),
  nickname: z.string().nullable(),
})
export type ScoreResult = z.infer<typeof scoreResultSchema>

/**
 * The competition ranks of rows in leaderboard order (1, 2, 2, 4): exact for the top of
 * the board, since everyone scoring more than a row is above it.
 * @example leaderRanks([{ score: 9 }, { score: 7 }, { score: 7 }, { score: 1 }]) // [1, 2, 2, 4]
 */
export function leaderRanks(rows: { score: number }[]): number[] {
  const ranks: number[] = []
  for (const [i, r] of rows.entries()) ranks.push(i > 0 && rows[i - 1].score === r.score ? ranks[i - 1] : i + 1)
  return ranks
}
