/** The guest-text normaliser and word filter (protocol/guest-text.ts), as pure functions. */
import { describe, expect, test } from 'bun:test'
import fc from 'fast-check'
import {
  cleanGuestText,
  compileWordFilter,
  findBlockedWord,
  MAX_MARKS_PER_CHARACTER,
  matchKey,
  visibleLength,
} from '../../protocol/guest-text.ts'

const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u
const ZERO_WIDTH = /[\u200B\u2060-\u2064\uFEFF\u00AD]/u

describe('cleanGuestText', () => {
  test('strips bidi overrides, embeddings, isolates and marks', () => {
    expect(cleanGuestText('a\u202Ab\u202Bc\u202Cd\u202De\u202Ef')).toBe('abcdef')
    expect(cleanGuestText('\u2066x\u2067y\u2068z\u2069')).toBe('xyz')
    expect(cleanGuestText('left\u200Eright\u200Fal\u061Cm')).toBe('leftrightalm')
  })

  test('strips zero-width characters, soft hyphens and blank Hangul fillers', () => {
    expect(cleanGuestText('bad\u200Bword\u2060x\uFEFFy\u00ADz')).toBe('badwordxyz')
    expect(cleanGuestText('\u3164\uFFA0hi\u115F')).toBe('hi')
    expect(cleanGuestText('\u200B\u202E \u3164')).toBe('')
  })

  test('lone surrogates are dropped, pairs kept', () => {
    expect(cleanGuestText('a\ud83db\ude00c😀')).toBe('abc😀')
  })

  test('controls and line separators become spaces, and the text is trimmed', () => {
    expect(cleanGuestText(' a\nb\u2028c\u0007d ')).toBe('a b c d')
  })

  test('ZWJ stays inside emoji sequences only', () => {
    for (const emoji of ['👨‍👩‍👧', '🏳️‍🌈', '👩🏽‍💻', '❤️‍🔥', '🏃‍♂️', '🧑‍🦰']) expect(cleanGuestText(emoji)).toBe(emoji)
    expect(cleanGuestText('a\u200Db')).toBe('ab')
    expect(cleanGuestText('🎉\u200D')).toBe('🎉')
    expect(cleanGuestText('🎉\u200D\u200D\u200D🎉')).toBe('🎉\u200D🎉')
    expect(cleanGuestText('\u200D🎉')).toBe('🎉')
  })

  test('joiners stay where a script needs them (Persian, Devanagari), not between Latin letters', () => {
    expect(cleanGuestText('می‌خواهم')).toBe('می‌خواهم')
    expect(cleanGuestText('क्‍ष')).toBe('क्‍ष')
    expect(cleanGuestText('bad\u200Cword')).toBe('badword')
  })

  test('subdivision flags keep their tags; stray tag characters go', () => {
    const scotland = '🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}'
    expect(cleanGuestText(scotland)).toBe(scotland)
    expect(cleanGuestText('hi\u{E0068}\u{E0069}')).toBe('hi')
    expect(cleanGuestText('🏴\u{E0068}\u{E0069}')).toBe('🏴')
  })

  test(`at most ${MAX_MARKS_PER_CHARACTER} combining marks per character; invisibles do not reset the count`, () => {
    expect(cleanGuestText(`a${'\u0300'.repeat(500)}b`)).toBe('a\u0300\u0300b')
    expect(cleanGuestText(`a\u0300\u0300\u200B\u0300\u200B\u0300`)).toBe('a\u0300\u0300')
    expect(cleanGuestText(`x${'\u20DD'.repeat(10)}`)).toBe('x\u20DD\u20DD')
    expect(cleanGuestText('a\u0300\u0301', 1)).toBe('a\u0300')
  })

  test('real text passes unchanged: Chinese, Japanese, Korean, Vietnamese, Thai, Hindi, Arabic, emoji', () => {
    const texts = [
      '你好，世界！今晚的演出太棒了？（真的）',
      '｢半角｣ と　全角スペース、ガギグ',
      '안녕하세요',
      'Việt Nam',
      'Vie\u0323\u0302t', // decomposed, two marks on one letter
      'ภาษาไทย กั๊ก',
      'नमस्ते दुनिया',
      'مرحبا بالعالم',
      'Ｆｕｌｌ ｗｉｄｔｈ stays as written',
      '1️⃣ #️⃣ 🇨🇳🇬🇧 👍🏿 🎉',
    ]
    for (const t of texts) expect(cleanGuestText(t)).toBe(t)
  })

  test('property: idempotent, and nothing deceptive survives', () => {
    const chars = fc.constantFrom(
      'a',
      'Z',
      ' ',
      '你',
      '🎉',
      '👩',
      '\u200D',
      '\u200C',
      '\u200B',
      '\u202E',
      '\u2066',
      '\u0301',
      '\uFE0F',
      '\u{E0067}',
      '\u{E007F}',
      '🏴',
      '\n',
      '\u3164',
      'ی',
      '\ud83d',
    )
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 40 }), (parts) => {
        const once = cleanGuestText(parts.join(''))
        expect(cleanGuestText(once)).toBe(once)
        expect(once).not.toMatch(BIDI)
        expect(once).not.toMatch(ZERO_WIDTH)
        expect(once).not.toMatch(/[\p{Mn}\p{Me}]{3}/u)
        expect(once).not.toMatch(/\p{Cs}/u)
        // A joiner survives only between two emoji or two letters of a joining script.
        expect(once).not.toMatch(/(?<!\p{Extended_Pictographic}|\p{Emoji_Modifier}|\uFE0F|ی)\u200D/u)
      }),
      { numRuns: 2000 },
    )
  })
})

describe('matchKey', () => {
  test('NFKC, lower case, no invisibles, no accents on Latin letters', () => {
    expect(matchKey('ＢＡＤＷＯＲＤ')).toBe('badword')
    expect(matchKey('𝐁𝐚𝐝')).toBe('bad')
    expect(matchKey('ⓑⓐⓓ')).toBe('bad')
    expect(matchKey('b\u0338a\u0338d\u0338')).toBe('bad')
    expect(matchKey('Bád\u200B')).toBe('bad')
    expect(matchKey('你好，世界')).toBe('你好,世界')
    expect(matchKey('ガギグ')).toBe('ガギグ')
  })
})

describe('word filter', () => {
  const f = compileWordFilter(['badword', 'spoiler', 'penis', 'ass', '坏词', 'Full Stop'])
  test.each([
    ['bad\u200Bword', 'badword'],
    ['ＢＡＤＷＯＲＤ', 'badword'],
    ['b a d w o r d', 'badword'],
    ['b  a  d  w  o  r  d', 'badword'],
    ['ba dw or d', 'badword'],
    ['bad w o r d', 'badword'],
    ['B.A.D.W.O.R.D', 'badword'],
    ['bad_word', 'badword'],
    ['bad🔥word', 'badword'],
    ['BadWord!', 'badword'],
    ['huge SPOILER ahead', 'spoiler'],
    ['这是badword啊', 'badword'],
    ['这是坏词', '坏词'],
    ['坏 词', '坏词'],
    ['坏\u200B词', '坏词'],
    ['a s s', 'ass'],
    ['FULLSTOP', 'Full Stop'],
    ['full stop', 'Full Stop'],
  ])('%p is caught', (text, word) => {
    expect(f.find(text)).toBe(word)
  })
  test.each([
    'unspoiled fun',
    'a bad word choice',
    'the pen is red',
    'grass and class',
    'abadwordz',
    'passing',
    'full stopping',
    '好词',
    'hello',
    '',
  ])('%p passes', (text) => {
    expect(f.find(text)).toBeNull()
  })

  test('host words written full width or with accents match plain text', () => {
    expect(compileWordFilter(['ＢＡＤ']).find('so bad')).toBe('ＢＡＤ')
    expect(compileWordFilter(['café']).find('CAFE open')).toBe('café')
    expect(compileWordFilter(['  ', '...']).find('anything ...')).toBeNull()
  })

  test('findBlockedWord compiles one list once', () => {
    const list = ['badword']
    expect(findBlockedWord('b a d w o r d', list)).toBe('badword')
    expect(findBlockedWord('fine', list)).toBeNull()
    expect(findBlockedWord('fine', [])).toBeNull()
  })

  test('500 words against a long message stay fast', () => {
    const words = Array.from({ length: 500 }, (_, i) => `word${i}x`)
    const text = 'a b c d e f g '.repeat(50)
    const t0 = performance.now()
    for (let i = 0; i < 100; i++) findBlockedWord(text, words)
    expect((performance.now() - t0) / 100).toBeLessThan(20)
  })
})

test('visibleLength counts graphemes', () => {
  expect(visibleLength('👨‍👩‍👧a你')).toBe(3)
})
