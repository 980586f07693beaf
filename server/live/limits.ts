/** Constants both counter-layer backends share, so they behave the same. */

/** How long an actionId is remembered: a retry within this window changes nothing. */
export const ACTION_TTL_MS = 24 * 60 * 60 * 1000
/** Danmaku kept in the feed the ticker reads from (more than one tick's worth at any sane rate). */
export const FEED_KEPT = 500
/**
 * Messages the counter layer remembers for moderation, per event, in both backends (the
 * memory store's map, the Redis store's `msgs`/`mstate` hashes indexed by `mids`). Older
 * ones are only in Postgres: hiding one answers "not found" (404), as a host hides what is
 * on screen, which is always among the most recent. Held messages stay until moderated,
 * and visible ones stay readable while on the feed, whatever their age.
 * Stores take a smaller `messagesKept` option for tests.
 */
export const MESSAGES_KEPT = 10_000
/** Entries in the host's recent check-ins and moderation lists. */
export const ADMIN_LIST_KEPT = 50

/** Fixed-window rate limiting: the window a timestamp falls in. */
export const windowBucket = (now: number, windowMs: number) => Math.floor(now / windowMs)

/** A token bucket's size and refill. */
export interface BucketSpec {
  burst: number
  perSecond: number
}

/**
 * Token buckets every instance shares (the counter layer's, in cluster mode), for the
 * limits that must hold across instances: failed check-ins and host secret guesses per
 * client address. An attacker behind a load balancer reaching ten instances gets the
 * limit once, not ten times. Embedded mode has one process and no shared store.
 */
export interface SharedBuckets {
  /**
   * Takes one token from `name`/`key`'s bucket (a negative `cost` gives tokens back), in
   * one atomic step; whether there was one. Throws when the store is unreachable.
   */
  take(name: string, key: string, spec: BucketSpec, cost?: number): Promise<boolean>
  /** Forgets every bucket of `name` (tests, and an operator resetting limits). */
  clear(name: string): Promise<void>
}
