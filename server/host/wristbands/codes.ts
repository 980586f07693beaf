/**
 * Wristband secret codes: generation (from the CSPRNG) and the hash the counter layer
 * and the database index codes by. The alphabet, the check symbol, parsing and
 * formatting live in ./code-format.ts, which the phone page imports too; they are
 * re-exported here so server code has one place to import codes from.
 *
 * A code is 11 random symbols from a 31-symbol alphabet (54.5 bits from the CSPRNG)
 * plus one check symbol, printed as `XXXX-XXXX-XXXX`.
 */
import { createHash, getRandomValues } from 'node:crypto'
import { CODE_ALPHABET, CODE_DATA_LENGTH, checkSymbol } from '../../../protocol/code-format.ts'

export { CODE_ALPHABET, CODE_LENGTH, formatCode, type ParsedCode, parseCode } from '../../../protocol/code-format.ts'

const BASE = CODE_ALPHABET.length // 31, prime
const DATA_LENGTH = CODE_DATA_LENGTH

/**
 * Generates `count` random codes (without formatting), never the same one twice in the result.
 * @example generateCodes(2) // ['7K3M0Q9TZX4A', 'C0FFEE12345H']
 */
export function generateCodes(count: number, avoid: ReadonlySet<string> = new Set()): string[] {
  const out = new Set<string>()
  // Rejection sampling keeps every symbol uniform: bytes 248..255 would bias towards the first 8.
  const limit = 256 - (256 % BASE)
  const pool = new Uint8Array(4096)
  let pos = pool.length
  const nextValue = () => {
    for (;;) {
      if (pos === pool.length) {
        getRandomValues(pool)
        pos = 0
      }
      const b = pool[pos++]
      if (b < limit) return b % BASE
    }
  }
  while (out.size < count) {
    const values: number[] = []
    for (let i = 0; i < DATA_LENGTH; i++) values.push(nextValue())
    values.push(checkSymbol(values))
    const code = values.map((v) => CODE_ALPHABET[v]).join('')
    if (!avoid.has(code)) out.add(code)
  }
  return [...out]
}

/**
 * What the counter layer and the database index codes by, so neither needs the code itself
 * to check a guest in.
 */
export const hashCode = (code: string) =>
  createHash('sha256').update(`glowband-code:${code}`).digest('hex').slice(0, 32)
