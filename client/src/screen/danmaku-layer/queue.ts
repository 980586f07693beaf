/**
 * The waiting room for danmaku: bounded, oldest dropped first when full, and too old
 * to be worth showing after `maxAgeMs`. When guests send more than the screen can fly,
 * this is where the sampling happens, so the screen never falls behind the room.
 */
export class DropOldestQueue<T> {
  private items: { item: T; at: number }[] = []
  /** How many items were dropped (full or stale) since the start. */
  dropped = 0

  constructor(
    readonly max: number,
    readonly maxAgeMs: number,
  ) {}

  get size() {
    return this.items.length
  }

  push(item: T, now: number) {
    this.items.push({ item, at: now })
    if (this.items.length > this.max) {
      const over = this.items.length - this.max
      this.items.splice(0, over)
      this.dropped += over
    }
  }

  /** The oldest item that is still fresh, without taking it. */
  peek(now: number): T | undefined {
    this.expire(now)
    return this.items[0]?.item
  }

  shift(now: number): T | undefined {
    this.expire(now)
    return this.items.shift()?.item
  }

  /** Removes every item matching `pred`; returns how many. */
  remove(pred: (item: T) => boolean): number {
    const before = this.items.length
    this.items = this.items.filter((e) => !pred(e.item))
    return before - this.items.length
  }

  clear() {
    this.items = []
  }

  private expire(now: number) {
    let stale = 0
    while (stale < this.items.length && now - this.items[stale].at > this.maxAgeMs) stale++
    if (stale) {
      this.items.splice(0, stale)
      this.dropped += stale
    }
  }
}
