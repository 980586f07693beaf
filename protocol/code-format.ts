/**
 * The pure part of wristband codes: the alphabet, the check symbol, parsing what a
 * guest typed and formatting a code for print. No Node built-ins and no zod, so the
 * phone page imports it too and catches a typo before sending anything.
 * server/host/wristbands/codes.ts adds generation and hashing on top.
 *
 * A code is 11 random symbols from a 31-symbol alphabet plus one check symbol, printed
 * as `XXXX-XXXX-XXXX`. The alphabet is Crockford's base 32 without V, so it has no I,
 * L, O or U, and 31 is prime: with weights 1..12 the check `sum(i * d_i) = 0 (mod 31)`
 * catches every single wrong symbol and every swap of two neighbours (each changes the
 * sum by a nonzero multiple mod a prime). https://www.crockford.com/base32.html
 */

export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTWXYZ'
const BASE = CODE_ALPHABET.length // 31, prime
export const CODE_DATA_LENGTH = 11
export const CODE_LENGTH = CODE_DATA_LENGTH + 1

const VALUE = new Map<string, number>([...CODE_ALPHABET].map((c, i) => [c, i]))
// Look-alikes people type for the symbols we use.
const LOOK_ALIKES: Record<string, string> = { O: '0', I: '1', L: '1', U: 'V' }

/**
 * The check symbol's value for 11 data values: the c with `sum + 12c = 0 (mod 31)`.
 * @example CODE_ALPHABET[checkSymbol([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])] // 'C'
 */
export function checkSymbol(values: number[]): number {
  let sum = 0
  for (let i = 0; i < values.length; i++) sum += (i + 1) * values[i]
  // 12 is invertible mod 31 (its inverse is 13).
  return (((BASE - (sum % BASE)) % BASE) * 13) % BASE
}

/** `7K3M0Q9TZX4A` -> `7K3M-0Q9T-ZX4A`, the way labels print it. */
export const formatCode = (code: string) => code.replace(/(.{4})(?=.)/g, '$1-')

export type ParsedCode = { ok: true; code: string } | { ok: false; reason: 'length' | 'symbol' | 'check' }

/**
 * Normalises what a guest typed (case, spaces, dashes, look-alikes) without checking it:
 * what the code box shows back while the guest types.
 * @example normaliseCode(' 7k3m-oq9t ') // '7K3M0Q9T'
 */
export function normaliseCode(input: string): string {
  const cleaned = input.toUpperCase().replace(/[\s\-_.]/g, '')
  let code = ''
  for (const ch of cleaned) code += LOOK_ALIKES[ch] ?? ch
  return code
}

/**
 * Normalises what a guest typed (case, spaces, dashes, look-alikes) and verifies the
 * check symbol, so typos are caught on the phone before any lookup.
 * @example parseCode(' 7k3m-oq9t-zx4a ') // { ok: true, code: '7K3M0Q9TZX4A' }
 */
export function parseCode(input: string): ParsedCode {
  const code = normaliseCode(input)
  if (code.length !== CODE_LENGTH) return { ok: false, reason: 'length' }
  const values: number[] = []
  for (const ch of code) {
    const v = VALUE.get(ch)
    if (v === undefined) return { ok: false, reason: 'symbol' }
    values.push(v)
  }
  const sum = values.reduce((s, v, i) => s + (i + 1) * v, 0)
  return sum % BASE === 0 ? { ok: true, code } : { ok: false, reason: 'check' }
}
