/**
 * Wristband codes: unique across 100,000, at least 50 bits from the CSPRNG over an
 * unambiguous alphabet, and a check character that catches every single-character typo
 * and every swap of two neighbours.
 */
import { describe, expect, test } from 'bun:test'
import { CODE_ALPHABET, CODE_LENGTH, formatCode, generateCodes, parseCode } from '../../server/host/wristbands/codes.ts'

describe('wristband codes', () => {
  const codes = generateCodes(100_000)

  test('100,000 codes are all different, well formed and valid', () => {
    expect(codes.length).toBe(100_000)
    expect(new Set(codes).size).toBe(100_000)
    for (const code of codes) {
      expect(code).toMatch(/^[0-9A-HJKMNP-TW-Z]{12}$/)
      expect(parseCode(code)).toEqual({ ok: true, code })
    }
  })

  test('a new batch avoids every code the event already has', () => {
    const taken = new Set(codes.slice(0, 50_000))
    const more = generateCodes(50_000, taken)
    expect(more.some((c) => taken.has(c))).toBe(false)
    expect(new Set([...taken, ...more]).size).toBe(100_000)
  })

  test('at least 50 random bits from an alphabet without look-alikes', () => {
    expect(CODE_LENGTH).toBe(12)
    expect((CODE_LENGTH - 1) * Math.log2(CODE_ALPHABET.length)).toBeGreaterThanOrEqual(50)
    for (const ambiguous of 'ILOU') expect(CODE_ALPHABET).not.toContain(ambiguous)
    // Every symbol shows up in every random position, about equally often.
    for (let pos = 0; pos < CODE_LENGTH - 1; pos++) {
      const counts = new Map<string, number>()
      for (const code of codes) counts.set(code[pos], (counts.get(code[pos]) ?? 0) + 1)
      expect(counts.size).toBe(CODE_ALPHABET.length)
      const expected = codes.length / CODE_ALPHABET.length
      for (const n of counts.values()) expect(Math.abs(n - expected)).toBeLessThan(expected * 0.1)
    }
  })

  test('the check character catches every single-character typo', () => {
    let tried = 0
    for (const code of codes.slice(0, 300)) {
      for (let pos = 0; pos < code.length; pos++) {
        for (const symbol of CODE_ALPHABET) {
          if (symbol === code[pos]) continue
          const typo = code.slice(0, pos) + symbol + code.slice(pos + 1)
          expect(parseCode(typo)).toEqual({ ok: false, reason: 'check' })
          tried++
        }
      }
    }
    expect(tried).toBe(300 * 12 * 30)
  })

  test('the check character catches every swap of two neighbours', () => {
    let tried = 0
    for (const code of codes.slice(0, 3000)) {
      for (let pos = 0; pos + 1 < code.length; pos++) {
        if (code[pos] === code[pos + 1]) continue
        const swapped = code.slice(0, pos) + code[pos + 1] + code[pos] + code.slice(pos + 2)
        expect(parseCode(swapped).ok).toBe(false)
        tried++
      }
    }
    expect(tried).toBeGreaterThan(3000 * 10)
  })

  test('printed codes are read back however they are typed', () => {
    const code = codes[0]
    expect(formatCode(code)).toMatch(/^.{4}-.{4}-.{4}$/)
    expect(parseCode(formatCode(code).toLowerCase())).toEqual({ ok: true, code })
    expect(parseCode(` ${formatCode(code).replace(/-/g, ' ')} `)).toEqual({ ok: true, code })
  })
})
