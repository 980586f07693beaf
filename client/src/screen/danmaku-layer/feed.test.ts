import { describe, expect, test } from 'bun:test'
import { applyDelta, DANMAKU_KEPT, type Danmaku, type Delta, emptySnapshot } from '../../../../protocol/index.ts'
import { diffDanmaku } from './feed.ts'

const d = (id: number): Danmaku => ({ id, text: `m${id}`, number: id })
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => d(from + i))

describe('diffDanmaku', () => {
  test('new messages are added; hidden ones are removed', () => {
    const prev = range(1, 5)
    const next = [d(1), d(2), d(4), d(5), d(6)]
    expect(diffDanmaku(prev, next)).toEqual({ added: [d(6)], removed: [3] })
  })

  test('messages pushed out of a full window are not taken down', () => {
    const prev = range(1, DANMAKU_KEPT)
    const next = range(4, DANMAKU_KEPT + 3)
    const { added, removed } = diffDanmaku(prev, next)
    expect(added.map((m) => m.id)).toEqual([DANMAKU_KEPT + 1, DANMAKU_KEPT + 2, DANMAKU_KEPT + 3])
    expect(removed).toEqual([])
  })

  test('matches what applyDelta did, for a hide behind the oldest survivor in a full window', () => {
    const snap = { ...emptySnapshot(), seq: 1, danmaku: range(1, DANMAKU_KEPT) }
    const delta: Delta = { seq: 2, removedDanmaku: [10, 20], danmaku: range(100, 104) }
    const next = applyDelta(snap, delta)
    const { added, removed } = diffDanmaku(snap.danmaku, next.danmaku)
    expect(added.map((m) => m.id)).toEqual([100, 101, 102, 103, 104])
    expect(removed.sort()).toEqual([10, 20])
  })
})
