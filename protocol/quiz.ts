/**
 * The quiz on the wire: what the stream carries (the snapshot's `quiz` view) and the one
 * scoring formula (docs/protocol.md#quiz). Each question is an interaction of kind `quiz`
 * (server/interactions/kinds/quiz.ts), answered once per wristband before its deadline in
 * server time. The request and answer bodies are in quiz-api.ts.
 */
import { z } from 'zod'

export const QUIZ_OPTIONS_MIN = 2
export const QUIZ_OPTIONS_MAX = 6
/** How many places the snapshot's leaderboard shows. */
export const LEADERBOARD_KEPT = 10
export const NICKNAME_MAX_CHARS = 20
/** How long after a deadline the scores are taken (answers accepted just before it are still being stored). */
export const QUIZ_SCORE_GRACE_MS = 500

export const quizOptionSchema = z.object({ id: z.number().int(), label: z.string() })

/** A leaderboard row; its rank is `leaderRanks` of the rows (quiz-api.ts; ties share one). */
export const leaderRowSchema = z.object({
  number: z.number().int(),
  nickname: z.string().optional(),
  score: z.number().int(),
})
export type LeaderRow = z.infer<typeof leaderRowSchema>

/**
 * The snapshot's `quiz`: the question started last, of the quiz started last.
 * Until `endsAt` (server time) it takes answers; from the first tick after it, `reveal`
 * carries the right option ids and every option's answers, and `leaderboard` follows once
 * the scores are taken (QUIZ_SCORE_GRACE_MS after the deadline).
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
  endsAt: z.number(),
  /** Wristbands that answered so far. */
  answered: z.number().int(),
  /** After the deadline: the right option ids, and each option's answers in `options` order. */
  reveal: z.object({ correct: z.array(z.number().int()), counts: z.array(z.number().int()) }).optional(),
  /** Top LEADERBOARD_KEPT after this question, once scored. */
  leaderboard: z.array(leaderRowSchema).optional(),
})
export type QuizView = z.infer<typeof quizViewSchema>
/** The snapshot's and the delta's `quiz` field. */
export const quizField = quizViewSchema.nullable().optional()

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
