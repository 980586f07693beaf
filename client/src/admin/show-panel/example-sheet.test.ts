import { describe, expect, test } from 'bun:test'
import { findFlashViolation } from '../../../../protocol/cue-limits.ts'
import { cueSheetSchema } from '../../../../protocol/index.ts'
import { cueStateAt, showEndsAt } from '../../lib/cues.ts'
import { EFFECTS_EXAMPLE, EXAMPLE_CUE_SHEET } from './example-sheet.ts'

describe('the built-in example cue sheet', () => {
  test('passes the server schema unchanged', () => {
    expect(cueSheetSchema.parse(EXAMPLE_CUE_SHEET)).toEqual(EXAMPLE_CUE_SHEET)
  })

  test('lasts exactly 60 s and never flashes', () => {
    expect(showEndsAt(EXAMPLE_CUE_SHEET, 0)).toBe(60_000)
    expect(EXAMPLE_CUE_SHEET.cues.some((c) => c.effect === 'flash')).toBe(false)
  })

  test('changes colour every 5 s and goes dark at the end', () => {
    expect(cueStateAt(EXAMPLE_CUE_SHEET, 0, 1000)?.color).toBe('#ff3b30')
    expect(cueStateAt(EXAMPLE_CUE_SHEET, 0, 5100)?.color).toBe('#ff6a00')
    expect(cueStateAt(EXAMPLE_CUE_SHEET, 0, 59_900)?.color).toBe('#ff375f')
    expect(cueStateAt(EXAMPLE_CUE_SHEET, 0, 60_100)).toBeNull()
  })
})

describe('the effects example', () => {
  test('passes the schema and the flash limit, and lasts 24 s', () => {
    expect(cueSheetSchema.parse(EFFECTS_EXAMPLE)).toEqual(EFFECTS_EXAMPLE)
    expect(findFlashViolation(EFFECTS_EXAMPLE)).toBeNull()
    expect(showEndsAt(EFFECTS_EXAMPLE, 0)).toBe(24_000)
  })
})
