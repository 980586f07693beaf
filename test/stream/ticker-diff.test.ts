/** The ticker's diff: one delta per changed tick, and hides that reach messages still flying. */
import { describe, expect, test } from 'bun:test'
import { applyDelta } from '../../protocol/index.ts'
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
})
