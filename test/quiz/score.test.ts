/** The scoring formula and the ranking: exact, deterministic, ties share a rank. */
import { describe, expect, test } from 'bun:test'
import { quizScore } from '../../protocol/index.ts'
import { leaderRanks } from '../../protocol/quiz-api.ts'
import { scoreQuestion, standings } from '../../server/quiz/score.ts'

describe('quiz scores', () => {
  test('points * (1 - 0.5 * elapsed / duration) for a right answer, clamped, rounded; 0 for a wrong one', () => {
    const s = (elapsedMs: number, correct = true) => quizScore({ points: 1000, durationMs: 20_000, elapsedMs, correct })
    expect(s(0)).toBe(1000)
    expect(s(5000)).toBe(875)
    expect(s(20_000)).toBe(500)
    expect(s(25_000)).toBe(500)
    expect(s(-50)).toBe(1000)
    expect(s(1)).toBe(1000)
    expect(s(7)).toBe(1000)
    expect(s(33)).toBe(999)
    expect(s(1000, false)).toBe(0)
  })

  test('a question scores from the stored option and accept time', () => {
    const q = { id: 1, correct: [11, 13], seconds: 10, points: 100, endsAt: 20_000 }
    const answers = [
      { number: 1, response: JSON.stringify({ optionId: 11, at: 10_000 }) },
      { number: 2, response: JSON.stringify({ optionId: 13, at: 15_000 }) },
      { number: 3, response: JSON.stringify({ optionId: 12, at: 10_001 }) },
    ]
    expect([...scoreQuestion(q, answers)]).toEqual([
      [1, 100],
      [2, 75],
      [3, 0],
    ])
  })

  test('standings: totals, competition ranks (ties share), top 10 by score then number', () => {
    const s = standings([
      new Map([
        [5, 100],
        [3, 50],
        [9, 50],
        [1, 0],
      ]),
      new Map([
        [1, 20],
        [7, 50],
      ]),
    ])
    expect(s.top).toEqual([
      { number: 5, score: 100 },
      { number: 3, score: 50 },
      { number: 7, score: 50 },
      { number: 9, score: 50 },
      { number: 1, score: 20 },
    ])
    expect(leaderRanks(s.top)).toEqual([1, 2, 2, 2, 5])
    expect(s.ranks.get(9)).toBe(2)
    const many = standings([new Map(Array.from({ length: 25 }, (_, i) => [i + 1, i * 10] as [number, number]))])
    expect(many.top).toHaveLength(10)
    expect(many.top[0]).toEqual({ number: 25, score: 240 })
    expect(many.ranks.get(1)).toBe(25)
  })
})
