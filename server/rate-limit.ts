/**
 * In-process token buckets keyed by a string (a client address, a host secret).
 * Per instance on purpose: these limits guard against guessing and floods, where a
 * per-instance bound is enough and costs no round trip.
 */
export class TokenBuckets {
  private buckets = new Map<string, { tokens: number; at: number }>()

  constructor(private opts: { burst: number; perSecond: number; maxKeys?: number }) {}

  private refill(key: string, now: number) {
    let b = this.buckets.get(key)
    if (!b) {
      // Bounded memory under a flood of distinct keys: start over rather than grow.
      if (this.buckets.size >= (this.opts.maxKeys ?? 100_000)) this.buckets.clear()
      b = { tokens: this.opts.burst, at: now }
      this.buckets.set(key, b)
    }
    b.tokens = Math.min(this.opts.burst, b.tokens + ((now - b.at) / 1000) * this.opts.perSecond)
    b.at = now
    return b
  }

  /** Whether `key` has a token left, without spending it. */
  peek(key: string, now = Date.now()) {
    return this.refill(key, now).tokens >= 1
  }

  /** Forgets every key (tests, and an operator resetting limits). */
  clear() {
    this.buckets.clear()
  }

  /** Spends a token; false when there is none. */
  take(key: string, now = Date.now()) {
    const b = this.refill(key, now)
    if (b.tokens < 1) return false
    b.tokens -= 1
    return true
  }
}
