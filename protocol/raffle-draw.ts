/**
 * The verifiable raffle draw, algorithm `glowband-raffle-v1`: a pure function of
 * published inputs. The server, `glowband raffle verify` and any page import this one
 * module (it has no dependencies and runs in Bun, Node and browsers), so the code that
 * draws is the code that checks. docs/raffles.md describes the same algorithm in words,
 * precisely enough to reimplement it in another language.
 *
 * Inputs:
 * - the pool: the frozen list of eligible public numbers, ascending, no repeats;
 *   listHash = SHA-256 of the numbers written in decimal, each followed by "\n";
 * - the seed: a string chosen (or generated) by the host; commitment = SHA-256(UTF-8(seed)),
 *   published with listHash before the draw, the seed itself only after it;
 * - the entropy: the guests' taps during the drum roll, which start after the commitment
 *   is public: entropy = SHA-256 of "number:nonce\n" lines, sorted by number then nonce.
 *
 * Selection: drawKey = HMAC-SHA256(key = UTF-8(seed), msg = UTF-8("glowband-raffle-v1\n" +
 * listHash + "\n" + entropy + "\n")); a byte stream of HMAC-SHA256(drawKey, uint64be(i))
 * for i = 0, 1, 2...; read as big-endian uint32 words; uniform(n) rejects words
 * >= 2^32 - (2^32 mod n) (no modulo bias) and returns word mod n; picks come from a
 * partial Fisher-Yates shuffle of the pool: for i = 0, 1, ...: j = i + uniform(N - i),
 * swap a[i] and a[j], pick i is a[i]. Later picks never change earlier ones, so
 * replacements for no-shows are simply the next picks.
 */

export const ALGORITHM = 'glowband-raffle-v1'

// ---- SHA-256 and HMAC-SHA256 (FIPS 180-4, RFC 2104), synchronous and dependency-free ----

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
])

const W = new Uint32Array(64)
const H = new Uint32Array(8)
const IV = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]

/** SHA-256 of some bytes. */
export function sha256(data: Uint8Array): Uint8Array {
  const len = data.length
  const padded = new Uint8Array(((len + 9 + 63) >> 6) << 6)
  padded.set(data)
  padded[len] = 0x80
  const bits = len * 8
  const end = padded.length
  const hi = Math.floor(bits / 2 ** 32)
  padded[end - 8] = hi >>> 24
  padded[end - 7] = hi >>> 16
  padded[end - 6] = hi >>> 8
  padded[end - 5] = hi
  padded[end - 4] = bits >>> 24
  padded[end - 3] = bits >>> 16
  padded[end - 2] = bits >>> 8
  padded[end - 1] = bits
  const w = W
  const h = H
  for (let i = 0; i < 8; i++) h[i] = IV[i]
  for (let off = 0; off < end; off += 64) {
    for (let t = 0; t < 16; t++) {
      const o = off + t * 4
      w[t] = (padded[o] << 24) | (padded[o + 1] << 16) | (padded[o + 2] << 8) | padded[o + 3]
    }
    for (let t = 16; t < 64; t++) {
      const x = w[t - 15]
      const y = w[t - 2]
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)
      w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0
    }
    let a = h[0]
    let b = h[1]
    let c = h[2]
    let d = h[3]
    let e = h[4]
    let f = h[5]
    let g = h[6]
    let hh = h[7]
    for (let t = 0; t < 64; t++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))
      const ch = (e & f) ^ (~e & g)
      const t1 = (hh + S1 + ch + K[t] + w[t]) | 0
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))
      const maj = (a & b) ^ (a & c) ^ (b & c)
      const t2 = (S0 + maj) | 0
      hh = g
      g = f
      f = e
      e = (d + t1) | 0
      d = c
      c = b
      b = a
      a = (t1 + t2) | 0
    }
    h[0] += a
    h[1] += b
    h[2] += c
    h[3] += d
    h[4] += e
    h[5] += f
    h[6] += g
    h[7] += hh
  }
  const out = new Uint8Array(32)
  for (let i = 0; i < 8; i++) {
    const v = h[i]
    out[i * 4] = v >>> 24
    out[i * 4 + 1] = v >>> 16
    out[i * 4 + 2] = v >>> 8
    out[i * 4 + 3] = v
  }
  return out
}

/** HMAC-SHA256 (RFC 2104). */
export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  let k = key.length > 64 ? sha256(key) : key
  const block = new Uint8Array(64)
  block.set(k)
  k = block
  const inner = new Uint8Array(64 + message.length)
  const outer = new Uint8Array(64 + 32)
  for (let i = 0; i < 64; i++) {
    inner[i] = k[i] ^ 0x36
    outer[i] = k[i] ^ 0x5c
  }
  inner.set(message, 64)
  outer.set(sha256(inner), 64)
  return sha256(outer)
}

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s)
export const toHex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
export const sha256Hex = (s: string): string => toHex(sha256(utf8(s)))

// ---- the published inputs ----

export interface Tap {
  number: number
  nonce: string
}

/** Whether a pool is in its canonical form: safe non-negative integers, strictly ascending. */
export function isCanonicalPool(pool: readonly number[]): boolean {
  for (let i = 0; i < pool.length; i++) {
    if (!Number.isSafeInteger(pool[i]) || pool[i] < 0) return false
    if (i > 0 && pool[i] <= pool[i - 1]) return false
  }
  return true
}

/** The canonical text the list hash covers: each number in decimal followed by "\n". */
export const poolText = (pool: readonly number[]): string => pool.map((n) => `${n}\n`).join('')

/** SHA-256 (hex) of the frozen eligible list. Same as `printf '%s\n' 3 7 12 | sha256sum`. */
export const listHash = (pool: readonly number[]): string => sha256Hex(poolText(pool))

/** The public commitment to the host's seed: SHA-256 (hex) of its UTF-8 bytes. */
export const seedCommitment = (seed: string): string => sha256Hex(seed)

/** Taps in canonical order: by number, then by nonce (code-unit order). */
export function canonicalTaps(taps: readonly Tap[]): Tap[] {
  return [...taps].sort((a, b) => a.number - b.number || (a.nonce < b.nonce ? -1 : a.nonce > b.nonce ? 1 : 0))
}

/** The entropy: SHA-256 (hex) of "number:nonce\n" for every tap in canonical order. */
export const tapsEntropy = (taps: readonly Tap[]): string =>
  sha256Hex(
    canonicalTaps(taps)
      .map((t) => `${t.number}:${t.nonce}\n`)
      .join(''),
  )

/** The key of the pick stream: HMAC-SHA256 keyed by the seed over the list hash and the entropy. */
export const drawKey = (seed: string, listHashHex: string, entropyHex: string): Uint8Array =>
  hmacSha256(utf8(seed), utf8(`${ALGORITHM}\n${listHashHex}\n${entropyHex}\n`))

// ---- the unbiased selection ----

/** Counter-mode HMAC-SHA256 stream of big-endian 32-bit words. */
export class WordStream {
  private block: Uint8Array = new Uint8Array(0)
  private offset = 0
  private counter = 0
  /** How many words were read (for tests and curiosity). */
  words = 0

  constructor(private key: Uint8Array) {}

  next(): number {
    if (this.offset >= this.block.length) {
      const msg = new Uint8Array(8)
      const view = new DataView(msg.buffer)
      view.setUint32(0, Math.floor(this.counter / 2 ** 32))
      view.setUint32(4, this.counter >>> 0)
      this.block = hmacSha256(this.key, msg)
      this.offset = 0
      this.counter++
    }
    const b = this.block
    const o = this.offset
    this.offset += 4
    this.words++
    return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0
  }
}

/**
 * A uniform integer in [0, n) by rejection sampling: words at or above the largest
 * multiple of n that fits in 2^32 are thrown away, so every residue is equally likely.
 */
export function uniform(next: () => number, n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > 2 ** 32) throw new RangeError(`uniform: bad range ${n}`)
  const limit = 2 ** 32 - (2 ** 32 % n)
  for (;;) {
    const u = next()
    if (u < limit) return u % n
  }
}

/** Lazily yields the picks of a partial Fisher-Yates shuffle of the pool, in order. */
export class Picker {
  private a: number[]
  private i = 0
  private stream: WordStream

  constructor(pool: readonly number[], key: Uint8Array) {
    this.a = [...pool]
    this.stream = new WordStream(key)
  }

  /** How many picks were made so far. */
  get position(): number {
    return this.i
  }

  /** The next pick, or null once the whole pool has been picked. */
  next(): number | null {
    const n = this.a.length
    if (this.i >= n) return null
    const j = this.i + uniform(() => this.stream.next(), n - this.i)
    const a = this.a
    ;[a[this.i], a[j]] = [a[j], a[this.i]]
    return a[this.i++]
  }
}

/** The first `count` picks (fewer if the pool is smaller). */
export function picks(pool: readonly number[], key: Uint8Array, count: number): number[] {
  const picker = new Picker(pool, key)
  const out: number[] = []
  for (let i = 0; i < count; i++) {
    const p = picker.next()
    if (p === null) break
    out.push(p)
  }
  return out
}
