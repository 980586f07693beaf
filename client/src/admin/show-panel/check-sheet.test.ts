import { describe, expect, test } from 'bun:test'
import { checkCueSheet } from './check-sheet.ts'
import { EXAMPLE_CUE_SHEET } from './example-sheet.ts'

describe('checking a cue sheet before upload', () => {
  test('accepts the example and measures it', () => {
    const r = checkCueSheet(JSON.stringify(EXAMPLE_CUE_SHEET))
    expect(r.ok && r.cues === 12 && r.durationMs === 60_000 && !r.flashes).toBe(true)
  })

  test('a sheet whose last cue holds has no end', () => {
    const r = checkCueSheet('{"name":"hold","cues":[{"at":0,"color":"red"}]}')
    expect(r.ok && r.durationMs).toBeNull()
  })

  test('says where the JSON is broken', () => {
    const r = checkCueSheet('{"name": "x", cues: []}')
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.errors[0]).toStartWith('This is not valid JSON')
  })

  test('names the cue and field that break the schema', () => {
    const r = checkCueSheet('{"name":"x","cues":[{"at":0,"color":"red"},{"at":-5,"color":"blue","effect":"strobe"}]}')
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.errors.some((e) => e.startsWith('cues[1].at:'))).toBe(true)
      expect(r.errors.some((e) => e.startsWith('cues[1].effect:'))).toBe(true)
    }
  })

  test('refuses an empty sheet and empty input', () => {
    expect(checkCueSheet('').ok).toBe(false)
    expect(checkCueSheet('{"name":"x","cues":[]}').ok).toBe(false)
  })

  test('refuses a sheet over the flash limit before the upload, naming the cue', () => {
    const cues = Array.from({ length: 8 }, (_, i) => ({ at: i * 100, color: i % 2 ? 'black' : 'white' }))
    const r = checkCueSheet(JSON.stringify({ name: 'strobe', cues }))
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.errors[0]).toStartWith('cues[6] (at 600 ms')
  })
})
