/**
 * In-process token buckets keyed by a string (a client address, an event). Per
 * instance: these guard against floods, where a per-instance bound is enough and costs
 * no round trip. Limits that must hold across instances live in the counter layer.
 *
 * Memory is bounded: past `maxKeys` the least recently used bucket is forgotten, one at
 * a time, so a flood of new keys can never reset the buckets of everyone else at once.
 */
export class TokenBuckets {
  /** Map order is recency order: a touched bucket is moved to the end. */
  private buckets = new Map<string, { tokens: number; at: number }>()
  private readonly maxKeys: number

  constructor(private opts: { burst: number; perSecond: number; maxKeys?: number }) {
    this.maxKeys = Math.max(1, opts.maxKeys ?? 100_000)
  }

  private refill(key: string, now: number) {
    let b = this.buckets.get(key)
    if (b) this.buckets.delete(key)
    else {
      b = { tokens: this.opts.burst, at: now }
      if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!)
    }
    this.buckets.set(key, b)
    b.tokens = Math.min(this.opts.burst, b.tokens + ((now - b.at) / 1000) * this.opts.perSecond)
    b.at = now
    return b
  }

  /** Whether `key` has a token left, without spending it. */
  peek(key: string, now = Date.now()) {
    return this.refill(key, now).tokens >= 1
  }

  /** Spends a token; false when there is none. */
  take(key: string, now = Date.now()) {
    const b = this.refill(key, now)
    if (b.tokens < 1) return false
    b.tokens -= 1
    return true
  }

  /** Buckets held now (at most `maxKeys`). */
  get size() {
    return this.buckets.size
  }

  /** Forgets every key (tests, and an operator resetting limits). */
  clear() {
    this.buckets.clear()
  }
}
