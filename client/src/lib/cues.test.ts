import { describe, expect, test } from 'bun:test'
import type { CueSheet } from '../../../protocol/index.ts'
import { CHANGE_GRID_MS, cueStateAt, showEndsAt } from './cues.ts'

const sheet = (cues: CueSheet['cues']): CueSheet => ({ name: 't', cues })

describe('cueStateAt', () => {
  test('nothing before the start or the first cue', () => {
    const s = sheet([{ at: 1000, color: 'red', effect: 'solid' }])
    expect(cueStateAt(s, 10_000, 9_000)).toBeNull()
    expect(cueStateAt(s, 10_000, 10_500)).toBeNull()
    expect(cueStateAt(s, 10_000, 11_200)?.color).toBe('red')
  })

  test('a cue holds until the next one, or until its duration ends', () => {
    const s = sheet([
      { at: 0, color: 'red', effect: 'solid', durationMs: 500 },
      { at: 1000, color: 'blue', effect: 'solid' },
    ])
    expect(cueStateAt(s, 0, 200)?.color).toBe('red')
    expect(cueStateAt(s, 0, 700)).toBeNull()
    expect(cueStateAt(s, 0, 60_000)?.color).toBe('blue')
    expect(showEndsAt(s, 0)).toBe(Number.POSITIVE_INFINITY)
    expect(showEndsAt(sheet([{ at: 0, color: 'red', effect: 'solid', durationMs: 500 }]), 100)).toBe(600)
  })

  test('never more than three flashes a second, whatever the sheet says', () => {
    // A hostile sheet: black/white every 20 ms, plus a flash effect.
    const cues: CueSheet['cues'] = []
    for (let at = 0; at < 3000; at += 20) cues.push({ at, color: at % 40 ? 'white' : 'black', effect: 'solid' })
    cues.push({ at: 3000, color: 'white', effect: 'flash' })
    const s = sheet(cues)
    for (const from of [0, 3000]) {
      let changes = 0
      let last = ''
      for (let t = from; t < from + 1000; t += 1) {
        const st = cueStateAt(s, 0, t)
        const key = `${st?.color}/${st?.intensity}`
        if (key !== last && t !== from) changes++
        last = key
      }
      expect(changes).toBeLessThanOrEqual(6)
    }
  })

  test('flash is a 3 Hz square wave; reduced motion makes it steady', () => {
    const s = sheet([{ at: 0, color: 'white', effect: 'flash' }])
    expect(cueStateAt(s, 0, 10)?.intensity).toBe(1)
    expect(cueStateAt(s, 0, CHANGE_GRID_MS + 10)?.intensity).toBe(0)
    for (let t = 0; t < 1000; t += 37) expect(cueStateAt(s, 0, t, { reducedMotion: true })?.intensity).toBe(0.8)
  })

  test('pulse breathes smoothly between 0.35 and 1', () => {
    const s = sheet([{ at: 0, color: 'teal', effect: 'pulse' }])
    const values = Array.from({ length: 200 }, (_, i) => cueStateAt(s, 0, i * 10)!.intensity)
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0.35 - 1e-9)
    expect(Math.max(...values)).toBeLessThanOrEqual(1)
    for (let i = 1; i < values.length; i++) expect(Math.abs(values[i] - values[i - 1])).toBeLessThan(0.05)
  })
})
