/**
 * The engagement state in this process (embedded mode), with the same semantics as
 * redis.ts. Each method body is atomic: none awaits before its last write.
 */
import { type Question, questionOrder } from '../../../protocol/index.ts'
import type { RateLimit } from '../counters/types.ts'
import { ACTION_TTL_MS, windowBucket } from '../limits.ts'
import type { MemoryQueue } from '../queue/memory.ts'
import type {
  AskInput,
  AskResult,
  EngagementRead,
  EngagementSeed,
  LiveEngagement,
  QuestionChange,
  QuestionRecord,
  WriteGate,
} from './types.ts'

/** What the in-process counters expose of one interaction: its counts and its responses by field. */
export type BoardPeek = (
  eventId: number,
  interactionId: number,
) => { counts: ReadonlyMap<string, number>; responses: ReadonlyMap<string, unknown> } | undefined

interface EventEngagement {
  questions: Map<number, QuestionRecord>
  /** Per wristband, its question ids in order asked. */
  mine: Map<number, number[]>
  seq: number
  bans: Set<number>
  /** Per wristband, its last write: when and with which actionId. */
  lastWrite: Map<number, { at: number; actionId: string }>
  reactions: Map<string, number>
}

const blank = (): EventEngagement => ({
  questions: new Map(),
  mine: new Map(),
  seq: 0,
  bans: new Set(),
  lastWrite: new Map(),
  reactions: new Map(),
})

export class MemoryEngagement implements LiveEngagement {
  private events = new Map<number, EventEngagement>()
  /** actionId dedupe and rate-limit windows: key -> [value, expiresAt] */
  private expiring = new Map<string, [unknown, number]>()
  private sweeper: ReturnType<typeof setInterval>

  constructor(
    private queue: MemoryQueue,
    private peek: BoardPeek,
  ) {
    this.sweeper = setInterval(() => this.sweep(), 60_000)
    this.sweeper.unref?.()
  }

  private ev(eventId: number) {
    let e = this.events.get(eventId)
    if (!e) this.events.set(eventId, (e = blank()))
    return e
  }

  private sweep() {
    const now = Date.now()
    for (const [k, [, exp]] of this.expiring) if (exp <= now) this.expiring.delete(k)
    for (const e of this.events.values()) {
      for (const [n, w] of e.lastWrite) if (now - w.at > 3_600_000) e.lastWrite.delete(n)
    }
  }

  private getExpiring<T>(key: string, now: number): T | undefined {
    const hit = this.expiring.get(key)
    if (!hit) return undefined
    if (hit[1] <= now) {
      this.expiring.delete(key)
      return undefined
    }
    return hit[0] as T
  }

  /** Fixed window, as the Redis scripts count: true when over the limit. */
  private overLimit(key: string, limit: RateLimit, now: number): boolean {
    const k = `${key}:${windowBucket(now, limit.windowMs)}`
    const used = this.getExpiring<number>(k, now) ?? 0
    if (used >= limit.count) return true
    this.expiring.set(k, [used + 1, now + limit.windowMs])
    return false
  }

  async load(eventId: number, seed: EngagementSeed) {
    const before = this.events.get(eventId)
    const e = blank()
    for (const q of [...seed.questions].sort((a, b) => a.id - b.id)) {
      e.questions.set(q.id, { ...q })
      let list = e.mine.get(q.number)
      if (!list) e.mine.set(q.number, (list = []))
      list.push(q.id)
    }
    e.seq = Math.max(seed.maxQuestionId, before?.seq ?? 0)
    for (const n of seed.bans) e.bans.add(n)
    // Slow-mode clocks and untallied reactions are not in Postgres; they survive a reload here.
    if (before) {
      e.lastWrite = before.lastWrite
      e.reactions = before.reactions
    }
    this.events.set(eventId, e)
  }

  async ask(eventId: number, a: AskInput): Promise<AskResult> {
    const e = this.ev(eventId)
    const actionKey = `q:${eventId}:${a.number}:${a.actionId}`
    const seen = this.getExpiring<{ id: number; held: boolean }>(actionKey, a.now)
    if (seen) return { ok: true, id: seen.id, held: seen.held, duplicate: true }
    if (this.overLimit(`rq:${eventId}:${a.number}`, a.limit, a.now)) return { ok: false, error: 'rate_limited' }
    const id = ++e.seq
    const state = a.held ? 'held' : 'visible'
    e.questions.set(id, { id, number: a.number, text: a.text, state, pinned: false, answered: false, at: a.now })
    let list = e.mine.get(a.number)
    if (!list) e.mine.set(a.number, (list = []))
    list.push(id)
    this.queue.push(eventId, { t: 'question', id, number: a.number, text: a.text, state, at: a.now })
    this.expiring.set(actionKey, [{ id, held: a.held }, a.now + ACTION_TTL_MS])
    await this.queue.durable()
    return { ok: true, id, held: a.held, duplicate: false }
  }

  async question(eventId: number, id: number) {
    const q = this.events.get(eventId)?.questions.get(id)
    return q ? { ...q } : null
  }

  async moderateQuestion(eventId: number, id: number, change: QuestionChange, now: number) {
    const q = this.ev(eventId).questions.get(id)
    if (!q) return null
    const next = {
      state: change.state ?? q.state,
      pinned: change.pinned ?? q.pinned,
      answered: change.answered ?? q.answered,
    }
    if (next.state !== q.state || next.pinned !== q.pinned || next.answered !== q.answered) {
      Object.assign(q, next)
      this.queue.push(eventId, { t: 'questionState', id, ...next, at: now })
      await this.queue.durable()
    }
    return { ...q }
  }

  async questionsOf(eventId: number, number: number) {
    const e = this.events.get(eventId)
    const ids = e?.mine.get(number) ?? []
    return ids
      .slice()
      .reverse()
      .map((id) => ({ ...e!.questions.get(id)! }))
  }

  async upvoted(eventId: number, boardId: number, number: number, questionId: number) {
    return this.peek(eventId, boardId)?.responses.has(`${number}:${questionId}`) ?? false
  }

  async setBan(eventId: number, number: number, banned: boolean) {
    const e = this.ev(eventId)
    if (banned) e.bans.add(number)
    else e.bans.delete(number)
  }

  async writeGate(eventId: number, number: number, actionId: string, slowMs: number, now: number): Promise<WriteGate> {
    const e = this.ev(eventId)
    if (e.bans.has(number)) return { ok: false, error: 'banned' }
    if (slowMs > 0) {
      const last = e.lastWrite.get(number)
      if (last && last.actionId !== actionId && now - last.at < slowMs) {
        return { ok: false, error: 'slow', waitMs: slowMs - (now - last.at) }
      }
      if (!last || last.actionId !== actionId) e.lastWrite.set(number, { at: now, actionId })
    }
    return { ok: true }
  }

  async react(eventId: number, number: number, emoji: string, limit: RateLimit, now: number) {
    if (this.overLimit(`rx:${eventId}:${number}`, limit, now)) return false
    const r = this.ev(eventId).reactions
    r.set(emoji, (r.get(emoji) ?? 0) + 1)
    return true
  }

  async read(eventId: number, boardId: number | null, limit: number, heldKept: number): Promise<EngagementRead> {
    const e = this.ev(eventId)
    const counts = boardId === null ? undefined : this.peek(eventId, boardId)?.counts
    const visible: Question[] = []
    const held: EngagementRead['held'] = []
    for (const q of e.questions.values()) {
      if (q.state === 'visible') {
        const votes = counts?.get(String(q.id)) ?? 0
        visible.push({ id: q.id, text: q.text, number: q.number, votes, pinned: q.pinned, answered: q.answered })
      } else if (q.state === 'held') held.push({ id: q.id, text: q.text, number: q.number, at: q.at })
    }
    const reactions = Object.fromEntries(e.reactions)
    e.reactions = new Map()
    return { questions: visible.sort(questionOrder).slice(0, limit), held: held.slice(-heldKept), reactions }
  }

  close() {
    clearInterval(this.sweeper)
  }
}
