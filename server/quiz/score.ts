/**
 * Quiz scores: a pure function of the stored answers (option + server accept time) and the
 * questions, so they are exact, deterministic and rebuilt from Postgres after a restart.
 */
import { LEADERBOARD_KEPT, type LeaderRow, quizScore, standingOrder } from '../../protocol/index.ts'
import type { QuizResponse } from '../interactions/kinds/quiz.ts'

export interface ScoredQuestion {
  id: number
  correct: number[]
  seconds: number
  points: number
  endsAt: number
}

/** Each wristband's points for one question (wrong answers score 0 but count as played). */
export function scoreQuestion(q: ScoredQuestion, answers: { number: number; response: string }[]): Map<number, number> {
  const startsAt = q.endsAt - q.seconds * 1000
  const right = new Set(q.correct)
  const out = new Map<number, number>()
  for (const a of answers) {
    const r = JSON.parse(a.response) as QuizResponse
    out.set(
      a.number,
      quizScore({
        points: q.points,
        durationMs: q.seconds * 1000,
        elapsedMs: r.at - startsAt,
        correct: right.has(r.optionId),
      }),
    )
  }
  return out
}

export interface Standings {
  scores: Map<number, number>
  /** Competition ranking: equal scores share a rank, the next rank skips (1, 2, 2, 4). */
  ranks: Map<number, number>
  /** The top LEADERBOARD_KEPT in leaderboard order, without nicknames. */
  top: LeaderRow[]
}

/** Totals over questions and everyone's rank, in one sort. */
export function standings(perQuestion: Map<number, number>[]): Standings {
  const scores = new Map<number, number>()
  for (const q of perQuestion) for (const [n, s] of q) scores.set(n, (scores.get(n) ?? 0) + s)
  const rows = [...scores].map(([number, score]) => ({ number, score })).sort(standingOrder)
  const ranks = new Map<number, number>()
  rows.forEach((r, i) => {
    const rank = i > 0 && rows[i - 1].score === r.score ? ranks.get(rows[i - 1].number)! : i + 1
    ranks.set(r.number, rank)
  })
  return { scores, ranks, top: rows.slice(0, LEADERBOARD_KEPT) }
}
