/**
 * Embedded-mode counter layer: the same semantics as the Redis backend, in this
 * process's memory. JavaScript runs one step at a time, so each method body is atomic
 * as long as it does not await, and none of them do before their last write.
 */
import type { AdminView, Danmaku, Raffle, Show, Status } from '../../protocol/index.ts'
import { ACTION_TTL_MS, ADMIN_LIST_KEPT, FEED_KEPT, MESSAGES_KEPT, windowBucket } from './limits.ts'
import type {
  CheckinResult,
  EventSeed,
  LiveRead,
  LiveStore,
  LogEntry,
  MessageInput,
  MessageResult,
  PollDef,
  QueueEntry,
  QueueItem,
  TickerState,
  VoteInput,
  VoteResult,
  WristbandEntry,
} from './types.ts'

interface StoredMessage {
  number: number
  text: string
  state: 'visible' | 'held' | 'hidden'
  at: number
}

interface EventLive {
  status: Status
  message: string
  codes: Map<string, number>
  numbers: Set<number>
  revoked: Set<number>
  checkins: Set<number>
  recentCheckins: { number: number; at: number }[]
  polls: Map<number, PollDef>
  counts: Map<number, Map<number, number>>
  voters: Map<number, Map<number, number>>
  /** Recent messages by id, oldest first (Map order), at most `messagesKept`. */
  messages: Map<number, StoredMessage>
  /** Messages waiting for a host, kept apart so a tick never scans the whole history. */
  held: Map<number, StoredMessage>
  feed: { cursor: number; d: Danmaku }[]
  feedCursor: number
  messageSeq: number
  rev: number
  raffles: Map<number, Raffle>
  show: Show | null
}

interface QueueRecord {
  id: number
  item: QueueItem
  consumer: string | null
  claimedAt: number
}

export interface MemoryLiveStoreOptions {
  /** Messages remembered per event (default MESSAGES_KEPT; tests use a small one). */
  messagesKept?: number
}

interface EventLog {
  entries: LogEntry[]
  state: TickerState | null
  waiters: Set<() => void>
}

/** Stores a message, forgetting the oldest beyond `kept` (held ones stay in `held`). */
function remember(e: EventLive, id: number, m: StoredMessage, kept: number) {
  e.messages.set(id, m)
  if (m.state === 'held') e.held.set(id, m)
  if (e.messages.size > kept) e.messages.delete(e.messages.keys().next().value!)
}

const blankEvent = (): EventLive => ({
  status: 'live',
  message: '',
  codes: new Map(),
  numbers: new Set(),
  revoked: new Set(),
  checkins: new Set(),
  recentCheckins: [],
  polls: new Map(),
  counts: new Map(),
  voters: new Map(),
  messages: new Map(),
  held: new Map(),
  feed: [],
  feedCursor: 0,
  messageSeq: 0,
  rev: 0,
  raffles: new Map(),
  show: null,
})

export class MemoryLiveStore implements LiveStore {
  readonly kind = 'memory' as const
  private events = new Map<number, EventLive>()
  private queues = new Map<number, { next: number; records: Map<number, QueueRecord> }>()
  private logs = new Map<number, EventLog>()
  private leases = new Map<string, { owner: string; expires: number }>()
  /** actionId dedupe and rate-limit windows: key -> [value, expiresAt] */
  private expiring = new Map<string, [unknown, number]>()
  private sweeper: ReturnType<typeof setInterval>
  private readonly messagesKept: number

  constructor(
    private retention = 2000,
    opts: MemoryLiveStoreOptions = {},
  ) {
    this.messagesKept = Math.max(1, Math.floor(opts.messagesKept ?? MESSAGES_KEPT))
    this.sweeper = setInterval(() => this.sweep(), 60_000)
    this.sweeper.unref?.()
  }

  private ev(eventId: number): EventLive {
    let e = this.events.get(eventId)
    if (!e) this.events.set(eventId, (e = blankEvent()))
    return e
  }

  private queue(eventId: number) {
    let q = this.queues.get(eventId)
    if (!q) this.queues.set(eventId, (q = { next: 1, records: new Map() }))
    return q
  }

  private log(eventId: number): EventLog {
    let l = this.logs.get(eventId)
    if (!l) this.logs.set(eventId, (l = { entries: [], state: null, waiters: new Set() }))
    return l
  }

  private enqueue(eventId: number, item: QueueItem) {
    const q = this.queue(eventId)
    const id = q.next++
    q.records.set(id, { id, item, consumer: null, claimedAt: 0 })
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

  private sweep() {
    const now = Date.now()
    for (const [k, [, exp]] of this.expiring) if (exp <= now) this.expiring.delete(k)
  }

  /** Fixed-window limit shared with the Redis backend's Lua: true when over the limit. */
  private overLimit(key: string, limit: { count: number; windowMs: number }, now: number): boolean {
    const k = `${key}:${windowBucket(now, limit.windowMs)}`
    const used = this.getExpiring<number>(k, now) ?? 0
    if (used >= limit.count) return true
    this.expiring.set(k, [used + 1, now + limit.windowMs])
    return false
  }

  async isLoaded(eventId: number) {
    return this.events.has(eventId)
  }

  async loadEvent(eventId: number, seed: EventSeed) {
    const e = blankEvent()
    e.status = seed.status
    e.message = seed.message
    for (const w of seed.wristbands) {
      e.codes.set(w.codeHash, w.number)
      e.numbers.add(w.number)
      if (w.revoked) e.revoked.add(w.number)
    }
    const sorted = [...seed.checkins].sort((a, b) => a.at - b.at)
    for (const c of sorted) e.checkins.add(c.number)
    e.recentCheckins = sorted.slice(-ADMIN_LIST_KEPT).reverse()
    for (const p of seed.polls) {
      e.polls.set(p.id, p)
      e.counts.set(p.id, new Map(p.options.map((o) => [o.id, 0])))
      e.voters.set(p.id, new Map())
    }
    for (const v of seed.votes) {
      const counts = e.counts.get(v.pollId)
      if (!counts) continue
      e.voters.get(v.pollId)!.set(v.number, v.optionId)
      counts.set(v.optionId, (counts.get(v.optionId) ?? 0) + 1)
    }
    for (const m of [...seed.messages].sort((a, b) => a.id - b.id)) {
      remember(e, m.id, { number: m.number, text: m.text, state: m.state, at: m.at }, this.messagesKept)
    }
    // The feed restarts empty: the ticker's snapshot already shows what was visible.
    e.messageSeq = seed.maxMessageId
    e.rev = seed.maxRev
    for (const r of seed.raffles) e.raffles.set(r.id, r)
    e.show = seed.show
    const previous = this.events.get(eventId)
    if (previous) e.feedCursor = previous.feedCursor
    else {
      const state = this.log(eventId).state
      e.feedCursor = state?.feedCursor ?? 0
    }
    this.events.set(eventId, e)
  }

  async addWristbands(eventId: number, entries: WristbandEntry[]) {
    const e = this.ev(eventId)
    for (const w of entries) {
      e.codes.set(w.codeHash, w.number)
      e.numbers.add(w.number)
      if (w.revoked) e.revoked.add(w.number)
    }
  }

  async revokeWristbands(eventId: number, numbers: number[]) {
    const e = this.ev(eventId)
    for (const n of numbers) e.revoked.add(n)
  }

  async setStatus(eventId: number, status: Status, message: string) {
    const e = this.ev(eventId)
    e.status = status
    e.message = message
  }

  async putPoll(eventId: number, poll: PollDef) {
    const e = this.ev(eventId)
    e.polls.set(poll.id, poll)
    const counts = e.counts.get(poll.id) ?? new Map<number, number>()
    for (const o of poll.options) if (!counts.has(o.id)) counts.set(o.id, 0)
    e.counts.set(poll.id, counts)
    if (!e.voters.has(poll.id)) e.voters.set(poll.id, new Map())
  }

  async putRaffle(eventId: number, raffle: Raffle) {
    this.ev(eventId).raffles.set(raffle.id, raffle)
  }

  async setShow(eventId: number, show: Show | null) {
    this.ev(eventId).show = show
  }

  async moderate(eventId: number, messageId: number, state: 'visible' | 'hidden', now: number) {
    const e = this.ev(eventId)
    const m = e.messages.get(messageId) ?? e.held.get(messageId)
    if (!m) return false
    if (m.state === state) return true
    const wasHeld = m.state === 'held'
    m.state = state
    e.held.delete(messageId)
    if (state === 'visible' && wasHeld) {
      e.feed.push({ cursor: ++e.feedCursor, d: { id: messageId, text: m.text, number: m.number } })
      if (e.feed.length > FEED_KEPT) e.feed.splice(0, e.feed.length - FEED_KEPT)
    }
    this.enqueue(eventId, { t: 'moderate', id: messageId, state, at: now })
    return true
  }

  async checkedIn(eventId: number) {
    const e = this.ev(eventId)
    return [...e.checkins].filter((n) => !e.revoked.has(n))
  }

  async checkin(eventId: number, codeHash: string, now: number): Promise<CheckinResult> {
    const e = this.events.get(eventId)
    const number = e?.codes.get(codeHash)
    if (!e || number === undefined || e.revoked.has(number)) return { ok: false }
    const first = !e.checkins.has(number)
    if (first) {
      e.checkins.add(number)
      e.recentCheckins.unshift({ number, at: now })
      if (e.recentCheckins.length > ADMIN_LIST_KEPT) e.recentCheckins.length = ADMIN_LIST_KEPT
      this.enqueue(eventId, { t: 'checkin', number, at: now })
    }
    return { ok: true, number, first }
  }

  async isActive(eventId: number, number: number) {
    const e = this.events.get(eventId)
    return !!e && e.numbers.has(number) && !e.revoked.has(number)
  }

  async vote(eventId: number, v: VoteInput): Promise<VoteResult> {
    const e = this.ev(eventId)
    if (!e.numbers.has(v.number) || e.revoked.has(v.number)) return { ok: false, error: 'revoked' }
    const actionKey = `a:${eventId}:${v.number}:${v.actionId}`
    if (this.getExpiring(actionKey, v.now) !== undefined) return { ok: true, duplicate: true }
    const poll = e.polls.get(v.pollId)
    if (!poll) return { ok: false, error: 'unknown_poll' }
    if (!poll.open) return { ok: false, error: 'poll_not_open' }
    if (!poll.options.some((o) => o.id === v.optionId)) return { ok: false, error: 'unknown_option' }
    const voters = e.voters.get(v.pollId)!
    const previous = voters.get(v.number)
    if (previous !== v.optionId) {
      if (this.overLimit(`rv:${eventId}:${v.number}`, v.limit, v.now)) return { ok: false, error: 'rate_limited' }
      const counts = e.counts.get(v.pollId)!
      if (previous !== undefined) counts.set(previous, counts.get(previous)! - 1)
      counts.set(v.optionId, (counts.get(v.optionId) ?? 0) + 1)
      voters.set(v.number, v.optionId)
      this.enqueue(eventId, {
        t: 'vote',
        pollId: v.pollId,
        number: v.number,
        optionId: v.optionId,
        rev: ++e.rev,
        at: v.now,
      })
    }
    this.expiring.set(actionKey, [1, v.now + ACTION_TTL_MS])
    return { ok: true, duplicate: false }
  }

  async message(eventId: number, m: MessageInput): Promise<MessageResult> {
    const e = this.ev(eventId)
    if (!e.numbers.has(m.number) || e.revoked.has(m.number)) return { ok: false, error: 'revoked' }
    const actionKey = `a:${eventId}:${m.number}:${m.actionId}`
    const seen = this.getExpiring<{ id: number; held: boolean }>(actionKey, m.now)
    if (seen) return { ok: true, id: seen.id, held: seen.held, duplicate: true }
    if (this.overLimit(`rm:${eventId}:${m.number}`, m.limit, m.now)) return { ok: false, error: 'rate_limited' }
    const id = ++e.messageSeq
    const state = m.held ? 'held' : 'visible'
    remember(e, id, { number: m.number, text: m.text, state, at: m.now }, this.messagesKept)
    if (!m.held) {
      e.feed.push({ cursor: ++e.feedCursor, d: { id, text: m.text, number: m.number } })
      if (e.feed.length > FEED_KEPT) e.feed.splice(0, e.feed.length - FEED_KEPT)
    }
    this.enqueue(eventId, { t: 'message', id, number: m.number, text: m.text, state, at: m.now })
    this.expiring.set(actionKey, [{ id, held: m.held }, m.now + ACTION_TTL_MS])
    return { ok: true, id, held: m.held, duplicate: false }
  }

  async votesOf(eventId: number, number: number) {
    const e = this.ev(eventId)
    const out: Record<string, number> = {}
    for (const [pollId, voters] of e.voters) {
      const o = voters.get(number)
      if (o !== undefined) out[pollId] = o
    }
    return out
  }

  async readLive(eventId: number, feedCursor: number, askHidden: number[]): Promise<LiveRead> {
    const e = this.ev(eventId)
    const feed = e.feed.filter((f) => f.cursor > feedCursor).map((f) => f.d)
    const held: AdminView['held'] = []
    for (const [id, m] of e.held) held.push({ id, text: m.text, number: m.number, at: m.at })
    return {
      status: e.status,
      message: e.message,
      checkins: e.checkins.size,
      polls: [...e.polls.values()].map((p) => {
        const counts = e.counts.get(p.id)!
        return {
          id: p.id,
          question: p.question,
          open: p.open,
          closed: p.closed,
          options: p.options.map((o) => ({ id: o.id, label: o.label, votes: counts.get(o.id) ?? 0 })),
        }
      }),
      feed,
      feedCursor: e.feedCursor,
      hidden: askHidden.concat(feed.map((d) => d.id)).filter((id) => e.messages.get(id)?.state === 'hidden'),
      raffles: [...e.raffles.values()],
      show: e.show,
      admin: { held: held.slice(-ADMIN_LIST_KEPT), recentCheckins: e.recentCheckins.slice() },
    }
  }

  async readQueue(eventId: number, consumer: string, count: number, reclaimIdleMs: number): Promise<QueueEntry[]> {
    const q = this.queue(eventId)
    const now = Date.now()
    const out: QueueEntry[] = []
    // Map iteration is insertion order, which is queue order.
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

  async ackQueue(eventId: number, ids: string[]) {
    const q = this.queue(eventId)
    for (const id of ids) q.records.delete(Number(id))
  }

  async queueDepth(eventId: number) {
    return this.queues.get(eventId)?.records.size ?? 0
  }

  async appendDelta(eventId: number, owner: string, seq: number, deltaJson: string, state: TickerState) {
    if (!this.holds(`ticker:${eventId}`, owner)) return false
    const log = this.log(eventId)
    const last = log.state?.snapshot.seq ?? 0
    if (seq !== last + 1) return false
    log.entries.push({ seq, json: deltaJson })
    if (log.entries.length > this.retention) log.entries.splice(0, log.entries.length - this.retention)
    log.state = state
    const waiters = [...log.waiters]
    log.waiters.clear()
    for (const w of waiters) w()
    return true
  }

  async tickerState(eventId: number) {
    return this.logs.get(eventId)?.state ?? null
  }

  async readLog(eventId: number, afterSeq: number, limit: number) {
    const entries = this.logs.get(eventId)?.entries ?? []
    // Entries are consecutive, so the position of afterSeq + 1 is arithmetic.
    const first = entries[0]?.seq ?? 0
    const start = Math.max(0, afterSeq + 1 - first)
    return entries.slice(start, start + limit)
  }

  async tailLog(eventId: number, afterSeq: number, blockMs: number) {
    const ready = await this.readLog(eventId, afterSeq, 1000)
    if (ready.length) return ready
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
    return this.readLog(eventId, afterSeq, 1000)
  }

  private holds(name: string, owner: string) {
    const l = this.leases.get(name)
    return !!l && l.owner === owner && l.expires > Date.now()
  }

  async acquireLease(name: string, owner: string, ttlMs: number) {
    const now = Date.now()
    const l = this.leases.get(name)
    if (l && l.owner !== owner && l.expires > now) return false
    this.leases.set(name, { owner, expires: now + ttlMs })
    return true
  }

  async releaseLease(name: string, owner: string) {
    if (this.leases.get(name)?.owner === owner) this.leases.delete(name)
  }

  async leaseOwner(name: string) {
    const l = this.leases.get(name)
    return l && l.expires > Date.now() ? l.owner : null
  }

  async activeEvents() {
    return [...new Set([...this.events.keys(), ...this.queues.keys()])]
  }

  async ping() {
    return true
  }

  async close() {
    clearInterval(this.sweeper)
    for (const log of this.logs.values()) for (const w of [...log.waiters]) w()
  }
}
