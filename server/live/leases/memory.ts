/** Leases in this process's memory (embedded mode: one process holds them all). */
import type { Leases } from './types.ts'

export class MemoryLeases implements Leases {
  private leases = new Map<string, { owner: string; expires: number }>()

  /** Whether `owner` holds `name` now (the delta log fences appends with it). */
  holds(name: string, owner: string) {
    const l = this.leases.get(name)
    return !!l && l.owner === owner && l.expires > Date.now()
  }

  async acquire(name: string, owner: string, ttlMs: number) {
    const now = Date.now()
    const l = this.leases.get(name)
    if (l && l.owner !== owner && l.expires > now) return false
    this.leases.set(name, { owner, expires: now + ttlMs })
    return true
  }

  async release(name: string, owner: string) {
    if (this.leases.get(name)?.owner === owner) this.leases.delete(name)
  }

  async owner(name: string) {
    const l = this.leases.get(name)
    return l && l.expires > Date.now() ? l.owner : null
  }
}
