/**
 * The write queue in this process (embedded mode). With a file (DATA_DIR/queue.wal) it
 * is durable: `durable()` resolves once every entry pushed before it is fdatasync'ed, and
 * the guest's 202 waits for it, so a crash loses nothing that was acknowledged. Entries
 * left in the file at start are the queue again, and the flusher writes them to Postgres.
 *
 * The file holds one JSON array per line: ["p", event, id, item] pushes an entry (with
 * the actionId that made it appended: key, value, expiresAt, so both or neither survive),
 * ["a", event, [ids]] acknowledges, ["d", event, [ids], reason] sets entries aside, and
 * ["k", 0, key, value, expiresAt] remembers an actionId the counters answered (so a phone
 * that sends an action again after a crash, having had no answer, is not counted twice).
 * It is rewritten with only the open entries and the unexpired actionIds at start and
 * whenever acknowledged lines dominate.
 */
import { AppendLog } from './append-log.ts'
import { DEAD_LETTERS_KEPT, type DeadLetter, type QueueEntry, type QueueItem, type WriteQueue } from './types.ts'

interface QueueRecord {
  id: number
  item: QueueItem
  consumer: string | null
  claimedAt: number
}

interface EventQueue {
  next: number
  /** Map order is queue order. */
  records: Map<number, QueueRecord>
  dead: DeadLetter[]
}

type WalLine =
  | ['p', number, number, QueueItem]
  | ['p', number, number, QueueItem, string, unknown, number]
  | ['a', number, number[]]
  | ['d', number, number[], string]
  | ['k', 0, string, unknown, number]

/** Rewrite the file once it holds this many bytes more than its open entries need. */
const COMPACT_BYTES = 64 * 1024 * 1024

export class MemoryQueue implements WriteQueue {
  private queues = new Map<number, EventQueue>()
  /** actionIds answered, with what they were answered and until when (only with a file). */
  private actions = new Map<string, [unknown, number]>()
  private openBytes = 0
  private compacting: Promise<void> | null = null

  private constructor(private wal: AppendLog | null) {}

  /** A queue in memory only (tests, `DATA_DIR=:memory:`): a crash loses what is not yet flushed. */
  static volatile() {
    return new MemoryQueue(null)
  }

  /** A durable queue kept in `path`; what the file holds from before is queued again. */
  static async durable(path: string): Promise<MemoryQueue> {
    const { log, lines } = await AppendLog.open(path)
    const queue = new MemoryQueue(log)
    for (const line of lines) {
      let entry: WalLine
      try {
        entry = JSON.parse(line) as WalLine
      } catch {
        continue
      }
      if (entry[0] === 'k') {
        if (entry[4] > Date.now()) queue.actions.set(entry[2], [entry[3], entry[4]])
        continue
      }
      const q = queue.queue(entry[1])
      if (entry[0] === 'p') {
        q.records.set(entry[2], { id: entry[2], item: entry[3], consumer: null, claimedAt: 0 })
        if (entry.length === 7 && entry[6] > Date.now()) queue.actions.set(entry[4], [entry[5], entry[6]])
        q.next = Math.max(q.next, entry[2] + 1)
      } else for (const id of entry[2]) q.records.delete(id)
    }
    await queue.compact()
    return queue
  }

  private queue(eventId: number): EventQueue {
    let q = this.queues.get(eventId)
    if (!q) this.queues.set(eventId, (q = { next: 1, records: new Map(), dead: [] }))
    return q
  }

  /**
   * Appends an entry, and remembers the actionId that made it in the same line of the file.
   * Synchronous, so the counter layer's step stays atomic.
   */
  push(eventId: number, item: QueueItem, action?: { key: string; value: unknown; expiresAt: number }) {
    const q = this.queue(eventId)
    const id = q.next++
    q.records.set(id, { id, item, consumer: null, claimedAt: 0 })
    if (!this.wal) return
    if (!action) this.wal.append(JSON.stringify(['p', eventId, id, item]))
    else {
      this.actions.set(action.key, [action.value, action.expiresAt])
      this.wal.append(JSON.stringify(['p', eventId, id, item, action.key, action.value, action.expiresAt]))
    }
  }

  /**
   * Remembers an answered actionId that queued nothing (a vote repeating the current one),
   * with the crash-safety of a push: durable() covers it.
   */
  rememberAction(key: string, value: unknown, expiresAt: number) {
    if (!this.wal) return
    this.actions.set(key, [value, expiresAt])
    this.wal.append(JSON.stringify(['k', 0, key, value, expiresAt]))
  }

  /** The actionIds the file remembered at start, for the counters to dedupe with (key -> [value, expiresAt]). */
  rememberedActions(): ReadonlyMap<string, [unknown, number]> {
    return this.actions
  }

  /** Resolves once everything pushed so far survives a crash (at once without a file). */
  durable(): Promise<void> {
    return this.wal ? this.wal.sync() : Promise.resolve()
  }

  async read(eventId: number, consumer: string, count: number, reclaimIdleMs: number): Promise<QueueEntry[]> {
    const q = this.queue(eventId)
    const now = Date.now()
    const out: QueueEntry[] = []
    for (const r of q.records.values()) {
      if (out.length >= count) break
      const mine = r.consumer === consumer
      const abandoned = r.consumer !== null && !mine && now - r.claimedAt >= reclaimIdleMs
      if (r.consumer === null || mine || abandoned) {
        r.consumer = consumer
        r.claimedAt = now
        out.push({ id: String(r.id), item: r.item })
      }
    }
    return out
  }

  async ack(eventId: number, ids: string[]) {
    const q = this.queue(eventId)
    const numbers = ids.map(Number)
    for (const id of numbers) q.records.delete(id)
    this.wal?.append(JSON.stringify(['a', eventId, numbers]))
    if (this.wal && !this.compacting && this.wal.written - this.openBytes > COMPACT_BYTES) {
      this.compacting = this.compact()
        .catch(() => {})
        .finally(() => (this.compacting = null))
    }
  }

  async depth(eventId: number) {
    return this.queues.get(eventId)?.records.size ?? 0
  }

  async deadLetter(eventId: number, entries: QueueEntry[], reason: string) {
    const q = this.queue(eventId)
    const numbers = entries.map((e) => Number(e.id))
    for (const e of entries) q.dead.push({ ...e, reason, at: Date.now() })
    if (q.dead.length > DEAD_LETTERS_KEPT) q.dead.splice(0, q.dead.length - DEAD_LETTERS_KEPT)
    for (const id of numbers) q.records.delete(id)
    this.wal?.append(JSON.stringify(['d', eventId, numbers, reason]))
    await this.durable()
  }

  async deadLetters(eventId: number) {
    return [...(this.queues.get(eventId)?.dead ?? [])]
  }

  async events() {
    return [...this.queues.keys()]
  }

  /** Rewrites the file with only the open entries and the actionIds not yet expired. */
  private async compact() {
    if (!this.wal) return
    await this.wal.rewrite(() => {
      const lines: string[] = []
      for (const [eventId, q] of this.queues) {
        for (const r of q.records.values()) lines.push(JSON.stringify(['p', eventId, r.id, r.item]))
      }
      const now = Date.now()
      for (const [key, [value, expiresAt]] of this.actions) {
        if (expiresAt <= now) this.actions.delete(key)
        else lines.push(JSON.stringify(['k', 0, key, value, expiresAt]))
      }
      this.openBytes = lines.reduce((n, l) => n + l.length + 1, 0)
      return lines
    })
  }

  async close() {
    await this.wal?.close()
  }
}
