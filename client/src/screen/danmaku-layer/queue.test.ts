import { describe, expect, test } from 'bun:test'
import { DropOldestQueue } from './queue.ts'

describe('the danmaku waiting room', () => {
  test('full: the oldest go first, and are counted', () => {
    const q = new DropOldestQueue<number>(3, 10_000)
    for (let i = 1; i <= 5; i++) q.push(i, 0)
    expect(q.size).toBe(3)
    expect(q.dropped).toBe(2)
    expect([q.shift(0), q.shift(0), q.shift(0), q.shift(0)]).toEqual([3, 4, 5, undefined])
  })

  test('too old to show: dropped when the queue is read', () => {
    const q = new DropOldestQueue<string>(10, 1000)
    q.push('old', 0)
    q.push('new', 900)
    expect(q.peek(1500)).toBe('new')
    expect(q.dropped).toBe(1)
  })

  test('taken down while waiting', () => {
    const q = new DropOldestQueue<{ id: number }>(10, 1000)
    for (let id = 1; id <= 4; id++) q.push({ id }, 0)
    expect(q.remove((d) => d.id % 2 === 0)).toBe(2)
    expect([q.shift(0)?.id, q.shift(0)?.id, q.shift(0)]).toEqual([1, 3, undefined])
  })
})
