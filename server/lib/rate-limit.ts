import type { BucketSpec, SharedBuckets } from '../live/limits.ts'
import { withTimeout } from './timeout.ts'

/** How long a failure limit waits for the shared store before its own bucket decides alone. */
const SHARED_TIMEOUT_MS = 250
/** Attempts that may wait on one key's in-flight checks; past it they are refused. */
const MAX_WAITERS = 10_000

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

  constructor(private opts: BucketSpec & { maxKeys?: number }) {
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

  /**
   * Gives back a token taken by `take` (a check that turned out to be no failure). Charging
   * first and refunding after is what keeps concurrent checks within the limit: a `peek`
   * before an `await` lets every request of a burst through before any is charged.
   */
  refund(key: string, now = Date.now()) {
    const b = this.refill(key, now)
    b.tokens = Math.min(this.opts.burst, b.tokens + 1)
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

/**
 * The key a client address is limited by: IPv4 as is (an IPv4-mapped IPv6 address as its
 * IPv4), IPv6 by its /64, since one subscriber or host gets a whole /64 and could otherwise
 * spend a fresh bucket per address. Anything else (a proxy's odd value) is used as it is.
 */
export function addressKey(address: string): string {
  const a = address
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
  const mapped = /^(?:0{0,4}:){1,6}ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(a)
  if (mapped) return mapped[1]
  if (!a.includes(':') || !/^[0-9a-f:.%a-z]+$/.test(a)) return a
  const bare = a.split('%')[0]
  const [head, tail] = bare.includes('::') ? bare.split('::') : [bare, null]
  const front = head ? head.split(':') : []
  const back = tail ? tail.split(':') : []
  const groups =
    tail === null ? front : [...front, ...Array(Math.max(0, 8 - front.length - back.length)).fill('0'), ...back]
  if (groups.length < 4) return a
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`
}

/**
 * A limit on failures (wrong codes, wrong host secrets) per client address, charged before
 * the check and refunded when the check passes, so that only failures count and a burst of
 * parallel attempts cannot all pass a check made before any was charged.
 *
 * Two buckets: this instance's (synchronous, so a flood is refused without a round trip)
 * and, in cluster mode, the counter layer's shared one (one atomic step in Redis), so the
 * limit holds across instances. Should the shared store be unreachable or slow (250 ms),
 * this instance's bucket alone holds the line rather than refusing or stalling everyone.
 */
export class FailureLimit {
  readonly local: TokenBuckets

  constructor(
    readonly name: string,
    readonly spec: BucketSpec,
    private shared: SharedBuckets | null = null,
  ) {
    this.local = new TokenBuckets(spec)
  }

  /** Charges one attempt to `key`; false (nothing to check) when its failures are spent. */
  async take(key: string): Promise<boolean> {
    // Taken before any await: concurrent attempts on this instance are counted exactly.
    if (!this.local.take(key)) return false
    return this.takeShared(key)
  }

  /** The shared bucket's say (true without one). A store that is down or stalled (Redis stopped) must not hold anyone's call. */
  private takeShared(key: string): Promise<boolean> {
    if (!this.shared) return Promise.resolve(true)
    return withTimeout(this.shared.take(this.name, key, this.spec), SHARED_TIMEOUT_MS, true)
  }

  /** Gives back an attempt that was no failure (the code or secret was right). */
  refund(key: string) {
    this.local.refund(key)
    this.shared?.take(this.name, key, this.spec, -1).catch(() => {})
  }

  /** Attempts charged by `reserve` whose outcome is not known yet, per key. */
  private open = new Map<string, { count: number; waiters: (() => void)[] }>()

  /**
   * Charges one attempt whose check takes an `await` (a code lookup), or null when the
   * key's failures are spent. While the key's tokens are all held by attempts still in
   * flight, a new one waits (up to `waitMs`) for one of them to settle instead of being
   * refused: a right code gives its token back, so a venue's burst of good check-ins
   * queues for a moment, while wrong guesses are never looked up beyond the limit.
   * The caller settles the reservation with `refund()` (no failure) or `keep()`.
   */
  async reserve(key: string, waitMs = 5000): Promise<{ refund(): void; keep(): void } | null> {
    const deadline = Date.now() + waitMs
    let entry = this.open.get(key)
    while (!this.local.take(key)) {
      // Nothing in flight can give a token back: the failures are spent.
      if (!entry?.count || entry.waiters.length >= MAX_WAITERS || Date.now() >= deadline) return null
      const e = entry
      await new Promise<void>((wake) => {
        const timer = setTimeout(() => {
          e.waiters = e.waiters.filter((w) => w !== done)
          wake()
        }, deadline - Date.now())
        const done = () => {
          clearTimeout(timer)
          wake()
        }
        e.waiters.push(done)
      })
      entry = this.open.get(key)
    }
    if (!entry) this.open.set(key, (entry = { count: 0, waiters: [] }))
    entry.count++
    const held = entry
    let settled = false
    const settle = (refund: boolean) => {
      if (settled) return
      settled = true
      if (refund) this.refund(key)
      held.count--
      // Every waiter looks again: a refunded token admits one, a kept one may end them all.
      const waiters = held.waiters.splice(0)
      if (!held.count && this.open.get(key) === held) this.open.delete(key)
      for (const w of waiters) w()
    }
    if (!(await this.takeShared(key))) {
      // Another instance spent the shared failures: this attempt is not made.
      this.local.refund(key)
      settle(false)
      return null
    }
    return { refund: () => settle(true), keep: () => settle(false) }
  }

  /** Forgets every bucket (tests, and an operator resetting limits). */
  clear(): Promise<void> {
    this.local.clear()
    return this.shared ? this.shared.clear(this.name).catch(() => {}) : Promise.resolve()
  }
}
