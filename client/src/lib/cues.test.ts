import { describe, expect, test } from 'bun:test'
import type { CueSheet } from '../../../protocol/index.ts'
import { CHANGE_GRID_MS, cueStateAt, isMoving, showEndsAt } from './cues.ts'

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

describe('the drift-tolerant effects', () => {
  test('an old sheet means what it meant: no fade, no gradient, no particles, no text', () => {
    const s = sheet([{ at: 0, color: 'red', effect: 'solid' }])
    expect(cueStateAt(s, 0, 500)).toEqual({
      index: 0,
      effect: 'solid',
      color: 'red',
      image: '',
      intensity: 1,
      from: null,
      mix: 1,
      particles: null,
      text: '',
    })
  })

  test('fadeMs glides from the previous look, smoothly, and lands exactly', () => {
    const s = sheet([
      { at: 0, color: 'red', effect: 'solid' },
      { at: 1000, color: 'blue', effect: 'solid', fadeMs: 2000 },
    ])
    const at = (t: number) => cueStateAt(s, 0, t)!
    expect(at(1000).from).toEqual({ color: 'red', image: '', intensity: 1 })
    expect(at(1000).mix).toBe(0)
    expect(at(2000).mix).toBeCloseTo(0.5, 6)
    expect(at(3000)).toMatchObject({ from: null, mix: 1, color: 'blue' })
    // No step anywhere: a phone 50 ms off is under 4 % away from its neighbour.
    let worst = 0
    for (let t = 1000; t < 3000; t += 10) worst = Math.max(worst, Math.abs(at(t + 50).mix - at(t).mix))
    expect(worst).toBeLessThan(0.04)
    // From dark when the previous cue had ended.
    const dark = sheet([
      { at: 0, color: 'red', effect: 'solid', durationMs: 500 },
      { at: 1000, color: 'blue', effect: 'solid', fadeMs: 1000 },
    ])
    expect(cueStateAt(dark, 0, 1200)?.from).toBeNull()
    expect(cueStateAt(dark, 0, 1200)?.mix).toBeLessThan(1)
  })

  test('a gradient paints over the colour and turns slowly; reduced motion holds it still', () => {
    const s = sheet([{ at: 0, color: '#f00', effect: 'solid', gradient: { colors: ['#f00', '#00f'], turnMs: 8000 } }])
    expect(cueStateAt(s, 0, 0)?.image).toBe('linear-gradient(180deg, #f00, #00f)')
    expect(cueStateAt(s, 0, 2000)?.image).toBe('linear-gradient(270deg, #f00, #00f)')
    expect(cueStateAt(s, 0, 2000, { reducedMotion: true })?.image).toBe('linear-gradient(180deg, #f00, #00f)')
    // 50 ms of drift turns it by 2.25 degrees.
    expect(cueStateAt(s, 0, 2050)?.image).toBe('linear-gradient(272.3deg, #f00, #00f)')
  })

  test('particles share their phase through the cue start; none under reduced motion; text is steady', () => {
    const s = sheet([{ at: 1000, color: 'navy', effect: 'solid', particles: { count: 8 }, text: 'Encore!' }])
    expect(cueStateAt(s, 5000, 7000)?.particles).toEqual({ count: 8, color: '#ffffff', direction: 'up', since: 6000 })
    expect(cueStateAt(s, 5000, 7000, { reducedMotion: true })?.particles).toBeNull()
    expect(cueStateAt(s, 5000, 7000, { reducedMotion: true })?.text).toBe('Encore!')
  })

  test('isMoving: frames only while something glides', () => {
    const s = sheet([
      { at: 0, color: 'red', effect: 'solid', gradient: { colors: ['red', 'blue'], turnMs: 10_000 } },
      { at: 5000, color: 'blue', effect: 'solid', fadeMs: 1000 },
    ])
    expect(isMoving(cueStateAt(s, 0, 100), s, false)).toBe(true)
    expect(isMoving(cueStateAt(s, 0, 100, { reducedMotion: true }), s, true)).toBe(false)
    expect(isMoving(cueStateAt(s, 0, 5500), s, true)).toBe(true)
    expect(isMoving(cueStateAt(s, 0, 7000), s, false)).toBe(false)
  })
})
