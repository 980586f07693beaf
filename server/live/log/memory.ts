/** The delta log in this process (embedded mode). */
import type { MemoryLeases } from '../leases/memory.ts'
import type { DeltaLog, LogEntry } from './types.ts'

/** Entries one tail returns at most (as the Redis log). */
const TAIL_COUNT = 1000

interface EventLog {
  entries: LogEntry[]
  state: string | null
  waiters: Set<() => void>
}

export class MemoryDeltaLog implements DeltaLog {
  private logs = new Map<number, EventLog>()

  constructor(
    private leases: MemoryLeases,
    private retention: number,
  ) {}

  private log(eventId: number): EventLog {
    let l = this.logs.get(eventId)
    if (!l) this.logs.set(eventId, (l = { entries: [], state: null, waiters: new Set() }))
    return l
  }

  async append(eventId: number, owner: string, seq: number, deltaJson: string, stateJson: string, ahead = false) {
    if (!this.leases.holds(`ticker:${eventId}`, owner)) return false
    const log = this.log(eventId)
    const last = log.entries[log.entries.length - 1]?.seq
    if (last !== undefined && seq !== last + 1 && !(ahead && seq > last + 1)) return false
    log.entries.push({ seq, json: deltaJson })
    if (log.entries.length > this.retention) log.entries.splice(0, log.entries.length - this.retention)
    log.state = stateJson
    const waiters = [...log.waiters]
    log.waiters.clear()
    for (const w of waiters) w()
    return true
  }

  async state(eventId: number) {
    return this.stateNow(eventId)
  }

  /** The log lives and dies with this process: it never outlives a restart of its store. */
  async sameStore() {
    return true
  }

  /** The state at once, for the counters' rebuild in the same step. */
  stateNow(eventId: number): string | null {
    return this.logs.get(eventId)?.state ?? null
  }

  async read(eventId: number, afterSeq: number, limit: number) {
    const entries = this.logs.get(eventId)?.entries ?? []
    // Entries are consecutive, so the position of afterSeq + 1 is arithmetic.
    const first = entries[0]?.seq ?? 0
    const start = Math.max(0, afterSeq + 1 - first)
    return entries.slice(start, start + limit)
  }

  async tail(eventId: number, afterSeq: number, blockMs: number) {
    const ready = await this.read(eventId, afterSeq, TAIL_COUNT)
    if (ready.length || blockMs <= 0) return ready
    const log = this.log(eventId)
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer)
        log.waiters.delete(done)
        resolve()
      }
      const timer = setTimeout(done, blockMs)
      log.waiters.add(done)
    })
    return this.read(eventId, afterSeq, TAIL_COUNT)
  }

  /** Wakes every waiting tail (at shutdown). */
  close() {
    for (const log of this.logs.values()) for (const w of [...log.waiters]) w()
  }
}
