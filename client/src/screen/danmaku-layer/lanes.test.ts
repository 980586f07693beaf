import { describe, expect, test } from 'bun:test'
import { Lanes } from './lanes.ts'

/** Positions (left, right) of a message at time t, given when it entered. */
const at = (lanes: Lanes, width: number, start: number, t: number, screen: number) => {
  const left = screen - lanes.speedOf(width) * (t - start)
  return { left, right: left + width }
}

describe('danmaku lanes', () => {
  test('a longer message moves faster, and every message crosses in the same time', () => {
    const lanes = new Lanes({ crossMs: 8000 })
    lanes.resize(1920, 4)
    expect(lanes.speedOf(800)).toBeGreaterThan(lanes.speedOf(200))
    const f = lanes.place(500, 0)!
    expect(f.fromX).toBe(1920)
    expect(f.toX).toBe(-500)
    expect(f.duration).toBe(8000)
  })

  test('a lane is busy until the last message has moved in, then free', () => {
    const lanes = new Lanes({ crossMs: 8000, gap: 50, random: () => 0 })
    lanes.resize(1000, 1)
    expect(lanes.place(300, 0)).not.toBeNull()
    expect(lanes.place(300, 100)).toBeNull()
    const ready = lanes.readyAt(0, 300)
    expect(ready).toBeGreaterThan(100)
    expect(lanes.place(300, ready)).not.toBeNull()
  })

  test('messages in one lane never overlap, whatever their lengths', () => {
    const screen = 1920
    const gap = 40
    for (let trial = 0; trial < 200; trial++) {
      const lanes = new Lanes({ crossMs: 9000, gap, random: () => 0 })
      lanes.resize(screen, 1)
      const flights: { start: number; width: number }[] = []
      let now = 0
      for (let i = 0; i < 12; i++) {
        const width = 80 + Math.floor(Math.random() * 1400)
        now = Math.max(now + Math.random() * 400, lanes.readyAt(0, width))
        expect(lanes.place(width, now)).not.toBeNull()
        flights.push({ start: now, width })
      }
      // Check every pair of neighbours over the time both are on screen.
      for (let i = 1; i < flights.length; i++) {
        const a = flights[i - 1]
        const b = flights[i]
        for (let t = b.start; t <= a.start + 9000; t += 25) {
          const pa = at(lanes, a.width, a.start, t, screen)
          const pb = at(lanes, b.width, b.start, t, screen)
          if (pa.right <= 0) break
          expect(pb.left).toBeGreaterThanOrEqual(pa.right + gap - 1e-6)
        }
      }
    }
  })

  test('free lanes are shared out; a resize keeps the lanes that stay', () => {
    let r = 0
    const lanes = new Lanes({ random: () => (r = (r + 0.34) % 1) })
    lanes.resize(1920, 3)
    const used = new Set([0, 1, 2].map(() => lanes.place(400, 0)!.lane))
    expect(used.size).toBe(3)
    expect(lanes.place(400, 0)).toBeNull()
    lanes.resize(1920, 4)
    expect(lanes.place(400, 0)!.lane).toBe(3)
  })
})
