/**
 * A Map bounded to `max` entries that forgets the least recently used one when full.
 * Map order is recency order: a read or write moves the entry to the end.
 */
export class LruMap<K, V> {
  private map = new Map<K, V>()

  constructor(readonly max: number) {}

  get(key: K): V | undefined {
    const value = this.map.get(key)
    if (value !== undefined) {
      this.map.delete(key)
      this.map.set(key, value)
    }
    return value
  }

  set(key: K, value: V) {
    this.map.delete(key)
    if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value!)
    this.map.set(key, value)
  }

  delete(key: K) {
    return this.map.delete(key)
  }

  get size() {
    return this.map.size
  }
}
