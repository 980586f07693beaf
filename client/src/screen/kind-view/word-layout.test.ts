import { describe, expect, test } from 'bun:test'
import fc from 'fast-check'
import { CLOUD_H, CLOUD_W, WordLayout } from './word-layout.ts'

const WORDS = [
  'neon',
  'loud',
  'golden',
  'sweaty',
  'electric',
  'magic',
  'late',
  'friends',
  '快乐',
  'bass',
  'sparkly',
  'encore',
]

/** A run of ticks: each tick adds answers to some words (counts only grow, as in a live cloud). */
const ticks = fc.array(
  fc.array(fc.tuple(fc.nat({ max: WORDS.length - 1 }), fc.integer({ min: 1, max: 40 })), { maxLength: 6 }),
  {
    minLength: 2,
    maxLength: 25,
  },
)

function run(
  steps: [number, number][][],
  check: (prev: Map<string, string>, placed: ReturnType<WordLayout['update']>) => void,
) {
  const layout = new WordLayout()
  const counts = new Map<string, number>()
  let prev = new Map<string, string>()
  for (const step of steps) {
    for (const [i, n] of step) counts.set(WORDS[i] as string, (counts.get(WORDS[i] as string) ?? 0) + n)
    const words = [...counts].map(([text, count]) => ({ text, count })).sort((a, b) => b.count - a.count)
    const placed = layout.update(words)
    check(prev, placed)
    prev = new Map(placed.map((p) => [p.text, `${p.x},${p.y}`]))
  }
}

describe('the word cloud layout', () => {
  test('a word never moves once placed, however the counts grow between ticks', () => {
    fc.assert(
      fc.property(ticks, (steps) =>
        run(steps, (prev, placed) => {
          for (const p of placed) if (prev.has(p.text)) expect(`${p.x},${p.y}`).toBe(prev.get(p.text) as string)
        }),
      ),
      { numRuns: 300 },
    )
  })

  test('every placed word is inside the cloud, and a new word lands clear of the others', () => {
    fc.assert(
      fc.property(ticks, (steps) =>
        run(steps, (prev, placed) => {
          for (const p of placed) {
            expect(p.x).toBeGreaterThanOrEqual(0)
            expect(p.x).toBeLessThanOrEqual(CLOUD_W)
            expect(p.y).toBeGreaterThanOrEqual(0)
            expect(p.y).toBeLessThanOrEqual(CLOUD_H)
            if (prev.has(p.text)) continue
            for (const q of placed)
              if (q !== p)
                expect(Math.abs(p.x - q.x) * 2 < p.w + q.w && Math.abs(p.y - q.y) * 2 < p.h + q.h).toBe(false)
          }
        }),
      ),
      { numRuns: 200 },
    )
  })

  test('the biggest word is drawn biggest, unless it had no room to grow', () => {
    const layout = new WordLayout()
    const placed = layout.update([
      { text: 'neon', count: 9 },
      { text: 'bass', count: 3 },
    ])
    const size = Object.fromEntries(placed.map((p) => [p.text, p.size]))
    expect(size.neon).toBeGreaterThan(size.bass as number)
  })
})
