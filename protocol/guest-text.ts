/**
 * Guest-written text: danmaku today, and the same rules for every other text a guest
 * writes (Q&A questions, word-cloud words, open answers). Pure functions, no I/O, so the
 * server and the pages share them.
 *
 * Two forms of one text:
 * - `cleanGuestText(text)` is what is stored and shown. It keeps what the guest wrote
 *   (Chinese text, emoji, full-width punctuation are unchanged) and removes only what
 *   renders deceptively: control characters, bidi overrides and isolates (a message
 *   that renders reversed), invisible format characters (zero-width spaces, joiners
 *   outside emoji and the scripts that need them, soft hyphens, stray tag characters),
 *   lone surrogates (not text at all),
 *   Hangul fillers (blank "letters"), and piles of combining marks on one letter.
 * - `matchKey(text)` is what the word filter compares: NFKC (full-width, styled and
 *   circled letters become plain ones), lower case, no invisible characters, no accents
 *   on Latin, Greek or Cyrillic letters. Never shown.
 *
 * The word filter (`findBlockedWord`) matches each blocked word's key against the
 * text's key whole-word for Latin-script words and by containment for scripts written
 * without spaces, and also against a squeezed form without punctuation and, where the
 * text is spelled out letter by letter, without spaces (`b a d w o r d`, `b.a.d`).
 */

/** Combining marks kept on one base character (Vietnamese and Thai need two; zalgo text has hundreds). */
export const MAX_MARKS_PER_CHARACTER = 2

const ZWJ = '\u200d'
const ZWNJ = '\u200c'
const BLACK_FLAG = '\u{1f3f4}'
const CANCEL_TAG = '\u{e007f}'

/** Controls and line/paragraph separators: they would break lines on the big screen. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u
/**
 * Invisible characters: every format character (bidi controls U+202A-202E, U+2066-2069,
 * U+200E/F, U+061C; zero-width U+200B-200D, U+2060-2064, U+FEFF; soft hyphen; tags...),
 * the combining grapheme joiner and the Hangul fillers that render as blank letters.
 */
const INVISIBLE = /\p{Cf}|\u034f|[\u115f\u1160\u3164\uffa0]/u
const MARK = /[\p{Mn}\p{Me}]/u
/** Half of a surrogate pair, alone: JSON can carry it, UTF-8 (and Postgres) cannot. */
const LONE_SURROGATE = /\p{Cs}/u
const TAG = /[\u{e0020}-\u{e007e}]/u
/** What may come before a ZWJ in an emoji sequence, and what after. */
const EMOJI_BEFORE_ZWJ = /\p{Extended_Pictographic}|\p{Emoji_Modifier}|\ufe0f/u
const EMOJI_AFTER_ZWJ = /\p{Extended_Pictographic}/u
/** Scripts where ZWJ and ZWNJ change how letters join (Persian, the Indic scripts...). */
const JOINING_SCRIPT =
  /[\p{Script=Arabic}\p{Script=Syriac}\p{Script=Nko}\p{Script=Mongolian}\p{Script=Devanagari}\p{Script=Bengali}\p{Script=Gurmukhi}\p{Script=Gujarati}\p{Script=Oriya}\p{Script=Tamil}\p{Script=Telugu}\p{Script=Kannada}\p{Script=Malayalam}\p{Script=Sinhala}\p{Script=Khmer}\p{Script=Myanmar}]/u

function keepJoiner(c: string, prev: string | undefined, next: string | undefined): boolean {
  if (!prev || !next) return false
  if (c === ZWJ && EMOJI_BEFORE_ZWJ.test(prev) && EMOJI_AFTER_ZWJ.test(next)) return true
  return JOINING_SCRIPT.test(prev) && JOINING_SCRIPT.test(next)
}

/**
 * The text as it is stored and shown: deceptive characters removed, at most
 * `maxMarks` combining marks on one character, controls turned into spaces, trimmed.
 * Idempotent; text without such characters comes back unchanged.
 */
export function cleanGuestText(text: string, maxMarks = MAX_MARKS_PER_CHARACTER): string {
  const cps = Array.from(text)
  const out: string[] = []
  let marks = 0
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i]
    if (CONTROL.test(c)) {
      out.push(' ')
      marks = 0
    } else if (c === BLACK_FLAG) {
      // A subdivision flag (England, Scotland, Wales) is the black flag, tag letters and a cancel tag.
      let j = i + 1
      while (j < cps.length && TAG.test(cps[j])) j++
      const tags = j - i - 1
      if (tags >= 1 && tags <= 8 && cps[j] === CANCEL_TAG) {
        out.push(...cps.slice(i, j + 1))
        i = j
      } else out.push(c)
      marks = 0
    } else if (c === ZWJ || c === ZWNJ) {
      if (keepJoiner(c, out.at(-1), cps[i + 1])) out.push(c)
    } else if (INVISIBLE.test(c) || LONE_SURROGATE.test(c)) {
      // dropped; it does not reset the mark count, so it cannot hide a pile of marks
    } else if (MARK.test(c)) {
      if (marks < maxMarks) out.push(c)
      marks++
    } else {
      out.push(c)
      marks = 0
    }
  }
  return out.join('').trim()
}

/** Letters and digits of the scripts written with spaces between words (whole-word matching). */
const SPACED_SCRIPT = /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Nd}]/u
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u
const SPACE = /[\s\p{Zs}]/u

/**
 * The form the word filter compares: NFKC, lower case, without invisible characters,
 * and without accents on Latin, Greek and Cyrillic letters (`b̸a̸d̸` is `bad`).
 */
export function matchKey(text: string): string {
  const decomposed = text.normalize('NFKC').toLowerCase().normalize('NFKD')
  let out = ''
  let baseSpaced = false
  for (const c of decomposed) {
    if (CONTROL.test(c) || INVISIBLE.test(c) || c === ZWJ || c === ZWNJ) continue
    if (/\p{M}/u.test(c)) {
      if (!baseSpaced) out += c
      continue
    }
    baseSpaced = SPACED_SCRIPT.test(c)
    out += c
  }
  return out.normalize('NFKC')
}

interface Token {
  /** Offset of the token in the squeezed string. */
  start: number
  end: number
  /** Whether whitespace (not only punctuation or a change of script) came before it. */
  spaced: boolean
}

/** The squeezed form of a key (letters, digits and marks only) and its tokens. */
function squeeze(key: string): { text: string; tokens: Token[] } {
  const tokens: Token[] = []
  let text = ''
  let gap: 'none' | 'tight' | 'space' = 'none'
  let prevClass: boolean | null = null
  let current: Token | null = null
  for (const c of key) {
    if (!WORD_CHAR.test(c)) {
      if (gap !== 'space') gap = SPACE.test(c) ? 'space' : 'tight'
      continue
    }
    const cls: boolean = /\p{M}/u.test(c) ? (prevClass ?? false) : SPACED_SCRIPT.test(c)
    if (!current || gap !== 'none' || cls !== prevClass) {
      current = { start: text.length, end: text.length, spaced: gap === 'space' }
      tokens.push(current)
    }
    text += c
    current.end = text.length
    prevClass = cls
    gap = 'none'
  }
  return { text, tokens }
}

/** The lengths of the space-separated groups of tokens a..b. */
function groupLengths(tokens: Token[], a: number, b: number): number[] {
  const groups: number[] = []
  for (let i = a; i <= b; i++) {
    if (i === a || tokens[i].spaced) groups.push(0)
    groups[groups.length - 1] += tokens[i].end - tokens[i].start
  }
  return groups
}

/**
 * Whether the tokens a..b (an occurrence that starts and ends on token boundaries) spell
 * the blocked word: joined by punctuation only, spaced the way the host wrote it
 * (`full stop`), or spelled out in short pieces (`b a d w o r d`, `ba dw or d`), rather
 * than being real words next to each other (`pen is`).
 */
function spellsWord(tokens: Token[], a: number, b: number, word: CompiledWord): boolean {
  const groups = groupLengths(tokens, a, b)
  if (groups.length === 1 || groups.join() === word.groups) return true
  const short = groups.filter((n) => n <= 2).length
  return short * 2 > groups.length
}

interface CompiledWord {
  word: string
  key: string
  /** Latin-script words match whole words; others (Chinese...) match anywhere. */
  whole: boolean
  /** How the host spaced it: the lengths of its space-separated parts ("4,4" for "full stop"). */
  groups: string
}

export interface WordFilter {
  /** The first blocked word (as the host wrote it) that the text contains, or null. */
  find(text: string): string | null
}

/** Compiles a list of blocked words once (the keys are computed here, not per message). */
export function compileWordFilter(blocked: readonly string[]): WordFilter {
  const words: CompiledWord[] = []
  for (const word of blocked) {
    const { text: key, tokens } = squeeze(matchKey(word))
    if (!key) continue
    words.push({
      word,
      key,
      whole: [...key].every((c) => SPACED_SCRIPT.test(c) || /\p{M}/u.test(c)),
      groups: groupLengths(tokens, 0, tokens.length - 1).join(),
    })
  }
  return {
    find(text) {
      if (!words.length) return null
      const { text: squeezed, tokens } = squeeze(matchKey(text))
      const startAt = new Map<number, number>()
      const endAt = new Map<number, number>()
      tokens.forEach((t, i) => {
        startAt.set(t.start, i)
        endAt.set(t.end, i)
      })
      for (const w of words) {
        if (!w.whole) {
          if (squeezed.includes(w.key)) return w.word
          continue
        }
        for (let p = squeezed.indexOf(w.key); p !== -1; p = squeezed.indexOf(w.key, p + 1)) {
          const a = startAt.get(p)
          const b = endAt.get(p + w.key.length)
          if (a !== undefined && b !== undefined && spellsWord(tokens, a, b, w)) return w.word
        }
      }
      return null
    },
  }
}

const compiled = new WeakMap<readonly string[], WordFilter>()

/**
 * The first blocked word in `text`, or null. The compiled filter is kept per list, so
 * an event's settings object compiles once.
 */
export function findBlockedWord(text: string, blocked: readonly string[]): string | null {
  let filter = compiled.get(blocked)
  if (!filter) compiled.set(blocked, (filter = compileWordFilter(blocked)))
  return filter.find(text)
}

/** Counts what a person sees as characters (an emoji with modifiers counts once). */
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' })
export function visibleLength(text: string): number {
  let n = 0
  for (const _ of segmenter.segment(text)) n++
  return n
}
