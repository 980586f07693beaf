/** Wristband numbers as a host types them: `17`, `17, 18`, `40-45`, `#12 #13`. */

/** The most numbers one revoke may name (the server's limit). */
export const MAX_NUMBERS = 200_000

export type ParsedNumbers = { ok: true; numbers: number[] } | { ok: false; error: string }

/**
 * Parses a list of numbers and ranges into sorted, distinct numbers.
 * @example parseNumbers('17, 40-42') // { ok: true, numbers: [17, 40, 41, 42] }
 */
export function parseNumbers(text: string): ParsedNumbers {
  const parts = text
    .split(/[\s,;]+/)
    .map((p) => p.replace(/^#/, ''))
    .filter(Boolean)
  if (!parts.length) return { ok: false, error: 'type a wristband number, e.g. 17 or 40-45' }
  const out = new Set<number>()
  for (const part of parts) {
    const m = part.match(/^(\d{1,9})(?:[-–](\d{1,9}))?$/)
    if (!m) return { ok: false, error: `“${part}” is not a number or a range like 40-45` }
    const a = Number(m[1])
    const b = m[2] === undefined ? a : Number(m[2])
    if (a < 1 || b < 1) return { ok: false, error: 'wristband numbers start at 1' }
    if (b < a) return { ok: false, error: `the range “${part}” runs backwards` }
    if (out.size + (b - a + 1) > MAX_NUMBERS)
      return { ok: false, error: `at most ${MAX_NUMBERS.toLocaleString()} wristbands at once` }
    for (let n = a; n <= b; n++) out.add(n)
  }
  return { ok: true, numbers: [...out].sort((x, y) => x - y) }
}

/** `#17, #40–#45` for a confirmation line, collapsing runs. */
export function describeNumbers(numbers: number[], max = 6): string {
  const runs: [number, number][] = []
  for (const n of numbers) {
    const last = runs[runs.length - 1]
    if (last && n === last[1] + 1) last[1] = n
    else runs.push([n, n])
  }
  const shown = runs.slice(0, max).map(([a, b]) => (a === b ? `#${a}` : `#${a}–#${b}`))
  if (runs.length > max) shown.push(`and ${runs.length - max} more`)
  return shown.join(', ')
}
