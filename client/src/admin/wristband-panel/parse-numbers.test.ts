import { describe, expect, test } from 'bun:test'
import { describeNumbers, parseNumbers } from './parse-numbers.ts'

describe('wristband numbers typed by the host', () => {
  test('single numbers, lists and ranges, sorted and distinct', () => {
    expect(parseNumbers('17')).toEqual({ ok: true, numbers: [17] })
    expect(parseNumbers(' #18, 17 40-42 17 ')).toEqual({ ok: true, numbers: [17, 18, 40, 41, 42] })
  })

  test('refuses what is not a number, backwards ranges and zero', () => {
    expect(parseNumbers('').ok).toBe(false)
    expect(parseNumbers('abc').ok).toBe(false)
    expect(parseNumbers('45-40').ok).toBe(false)
    expect(parseNumbers('0').ok).toBe(false)
    expect(parseNumbers('1-300000').ok).toBe(false)
  })

  test('describes runs compactly', () => {
    expect(describeNumbers([17, 40, 41, 42])).toBe('#17, #40–#42')
    expect(describeNumbers([1, 3, 5, 7], 2)).toBe('#1, #3, and 2 more')
  })
})
