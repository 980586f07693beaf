/** The ticker's diff: one delta per changed tick, and hides that reach messages still flying. */
import { describe, expect, test } from 'bun:test'
import { applyDelta, QUESTIONS_KEPT, type Question, questionOrder } from '../../protocol/index.ts'
import { diffLive } from '../../server/pipeline/ticker.ts'
import { emptyTickerState as initialTickerState } from '../../server/pipeline/ticker-state.ts'
import { emptyLiveRead } from '../support/live-read.ts'

describe('diffLive', () => {
  test('nothing changed: no delta', () => {
    expect(diffLive(initialTickerState(), emptyLiveRead()).delta).toBeNull()
  })

  test('a hide reaches a message that already left the snapshot window', () => {
    let state = initialTickerState()
    // 100 messages over 10 ticks: the snapshot keeps only the last 30.
    for (let t = 0; t < 10; t++) {
      const feed = Array.from({ length: 10 }, (_, i) => ({ id: t * 10 + i + 1, text: `m${t * 10 + i + 1}`, number: 1 }))
      const { delta, next } = diffLive(state, emptyLiveRead({ feed, feedCursor: (t + 1) * 10 }))
      expect(delta?.danmaku?.length).toBe(10)
      expect(applyDelta(state.snapshot, delta!)).toEqual(next.snapshot)
      state = next
    }
    expect(state.snapshot.danmaku[0].id).toBe(71)
    const { delta } = diffLive(state, emptyLiveRead({ feedCursor: 100, hidden: [5] }))
    expect(delta?.removedDanmaku).toEqual([5])
  })

  test('the Q&A board: only changed questions and those that left go out, and applying them gives the same board', () => {
    const q = (id: number, votes: number, pinned = false): Question => ({
      id,
      text: `q${id}`,
      number: 1,
      votes,
      pinned,
      answered: false,
    })
    const extra = (questions: Question[], reactions: Record<string, number> = {}) => ({
      questions: [...questions].sort(questionOrder).slice(0, QUESTIONS_KEPT),
      held: [],
      reactions,
    })
    // 60 questions asked: the board keeps the top 50.
    const all = Array.from({ length: 60 }, (_, i) => q(i + 1, i % 7))
    const first = diffLive(initialTickerState(), emptyLiveRead(), extra(all))
    expect(first.delta?.questions?.length).toBe(QUESTIONS_KEPT)
    expect(first.delta?.removedQuestions).toBeUndefined()
    let state = first.next
    expect(applyDelta(initialTickerState().snapshot, first.delta!)).toEqual(state.snapshot)
    // A question from below the 50 climbs to the top and one is pinned: only those two go out,
    // and the one pushed off the 50 is named as removed.
    const climbed = all.map((x) => (x.id === 1 ? q(1, 100) : x.id === 10 ? q(10, x.votes, true) : x))
    const before = new Set(extra(all).questions.map((x) => x.id))
    const after = new Set(extra(climbed).questions.map((x) => x.id))
    const next = diffLive(state, emptyLiveRead(), extra(climbed))
    const changed = next.delta?.questions?.map((x) => x.id) ?? []
    expect(before.has(1)).toBe(false)
    expect(changed).toContain(1)
    expect(changed).toContain(10)
    expect(changed.length).toBe(2)
    expect(next.delta?.removedQuestions?.length).toBe(1)
    expect(new Set(next.delta?.removedQuestions ?? [])).toEqual(new Set([...before].filter((id) => !after.has(id))))
    expect(applyDelta(state.snapshot, next.delta!)).toEqual(next.next.snapshot)
    expect(next.next.snapshot.questions[0].id).toBe(10)
    state = next.next
    // Nothing changed on the board, but reactions were tapped: a delta with only the reactions.
    const taps = diffLive(state, emptyLiveRead(), extra(climbed, { '👏': 41 }))
    expect(taps.delta).toEqual({ seq: state.snapshot.seq + 1, reactions: { '👏': 41 } })
    expect(taps.next.snapshot.questions).toEqual(state.snapshot.questions)
    expect(diffLive(taps.next, emptyLiveRead(), extra(climbed)).delta).toBeNull()
  })
})
