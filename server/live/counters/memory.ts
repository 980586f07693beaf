/**
 * The live counters in this process (embedded mode), with the same semantics as the
 * Redis backend. JavaScript runs one step at a time, so each method body is atomic as
 * long as it does not await before its last write, and none of them do. The write
 * queue's entry is pushed in the same step; the answer waits until it is durable.
 */
import {
  type AdminView,
  type Danmaku,
  defaultScreenState,
  type Raffle,
  type ScreenState,
  type Show,
  type Status,
} from '../../../protocol/index.ts'
import { ACTION_TTL_MS, ADMIN_LIST_KEPT, FEED_KEPT, MESSAGES_KEPT, windowBucket } from '../limits.ts'
import type { MemoryQueue } from '../queue/memory.ts'
import type {
  CheckinResult,
  EventSeed,
  InteractionDef,
  LiveCounters,
  LiveRead,
  MessageInput,
  MessageResult,
  RateLimit,
  ResponseInput,
  ResponseResult,
  WristbandEntry,
} from './types.ts'

interface StoredMessage {
  number: number
  text: string
  state: 'visible' | 'held' | 'hidden'
  at: number
}

interface LiveInteraction {
  def: InteractionDef
  counts: Map<string, number>
  /** `<number>` or `<number>:<slot>` -> the response and the keys it counts for. */
  responses: Map<string, { json: string; keys: string[] }>
}

interface EventLive {
  status: Status
  message: string
  codes: Map<string, number>
  numbers: Set<number>
  revoked: Set<number>
  checkins: Set<number>
  recentCheckins: { number: number; at: number }[]
  interactions: Map<number, LiveInteraction>
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
  screen: ScreenState
  /** Per wristband, the `<interaction>:<slot>` of its responses to slots (so /me needs no scan). */
  slotted: Map<number, Set<string>>
}

export interface MemoryCountersOptions {
  /** Messages remembered per event (default MESSAGES_KEPT; tests use a small one). */
  messagesKept?: number
  /** The feed cursor the delta log's last state holds, for an event loaded afresh (as Redis reads it). */
  loggedFeedCursor?: (eventId: number) => number
}

const blankEvent = (): EventLive => ({
  status: 'live',
  message: '',
  codes: new Map(),
  numbers: new Set(),
  revoked: new Set(),
  checkins: new Set(),
  recentCheckins: [],
  interactions: new Map(),
  messages: new Map(),
  held: new Map(),
  feed: [],
  feedCursor: 0,
  messageSeq: 0,
  rev: 0,
  raffles: new Map(),
  show: null,
  screen: defaultScreenState(),
  slotted: new Map(),
})

const responseField = (number: number, slot: string) => (slot ? `${number}:${slot}` : String(number))

function indexSlot(e: EventLive, number: number, entry: string, present: boolean) {
  let set = e.slotted.get(number)
  if (present) {
    if (!set) e.slotted.set(number, (set = new Set()))
    set.add(entry)
  } else set?.delete(entry)
}

const bump = (counts: Map<string, number>, key: string, by: number) => {
  const n = (counts.get(key) ?? 0) + by
  // A key nobody counts for any more is forgotten, so a word cloud's keys stay bounded.
  if (n > 0) counts.set(key, n)
  else counts.delete(key)
}

export class MemoryCounters implements LiveCounters {
  private events = new Map<number, EventLive>()
  /** Events whose state was loaded from Postgres (a host write before that only prepares it). */
  private loaded = new Set<number>()
  /** actionId dedupe and rate-limit windows: key -> [value, expiresAt] */
  private expiring = new Map<string, [unknown, number]>()
  private sweeper: ReturnType<typeof setInterval>
  private readonly messagesKept: number
  private readonly loggedFeedCursor: (eventId: number) => number

  constructor(
    private queue: MemoryQueue,
    opts: MemoryCountersOptions = {},
  ) {
    this.messagesKept = Math.max(1, Math.floor(opts.messagesKept ?? MESSAGES_KEPT))
    this.loggedFeedCursor = opts.loggedFeedCursor ?? (() => 0)
    // actionIds answered before a crash: a phone sending one again must change nothing.
    for (const [key, hit] of queue.rememberedActions()) this.expiring.set(key, hit)
    this.sweeper = setInterval(() => this.sweep(), 60_000)
    this.sweeper.unref?.()
  }

  private ev(eventId: number): EventLive {
    let e = this.events.get(eventId)
    if (!e) this.events.set(eventId, (e = blankEvent()))
    return e
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
  private overLimit(key: string, limit: RateLimit, now: number): boolean {
    const k = `${key}:${windowBucket(now, limit.windowMs)}`
    const used = this.getExpiring<number>(k, now) ?? 0
    if (used >= limit.count) return true
    this.expiring.set(k, [used + 1, now + limit.windowMs])
    return false
  }

  /** Stores a message, forgetting the oldest beyond the limit (held ones stay in `held`). */
  private remember(e: EventLive, id: number, m: StoredMessage) {
    e.messages.set(id, m)
    if (m.state === 'held') e.held.set(id, m)
    if (e.messages.size > this.messagesKept) e.messages.delete(e.messages.keys().next().value!)
  }

  private publish(e: EventLive, d: Danmaku) {
    e.feed.push({ cursor: ++e.feedCursor, d })
    if (e.feed.length > FEED_KEPT) e.feed.splice(0, e.feed.length - FEED_KEPT)
  }

  async isLoaded(eventId: number) {
    return this.loaded.has(eventId)
  }

  generation() {
    return 0
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
    for (const def of seed.interactions) e.interactions.set(def.id, { def, counts: new Map(), responses: new Map() })
    for (const r of seed.responses) {
      const live = e.interactions.get(r.interactionId)
      if (!live) continue
      live.responses.set(responseField(r.number, r.slot), { json: r.response, keys: r.keys })
      for (const k of r.keys) bump(live.counts, k, 1)
      if (r.slot) indexSlot(e, r.number, `${r.interactionId}:${r.slot}`, true)
    }
    for (const m of [...seed.messages].sort((a, b) => a.id - b.id)) {
      this.remember(e, m.id, { number: m.number, text: m.text, state: m.state, at: m.at })
    }
    e.messageSeq = seed.maxMessageId
    e.rev = seed.maxRev
    for (const r of seed.raffles) e.raffles.set(r.id, r)
    e.show = seed.show
    e.screen = seed.screen ?? defaultScreenState()
    // The feed restarts empty (the ticker's snapshot already shows what was visible), but
    // its cursor never goes back, so the ticker neither re-reads nor skips danmaku.
    e.feedCursor = this.events.get(eventId)?.feedCursor ?? this.loggedFeedCursor(eventId)
    this.events.set(eventId, e)
    this.loaded.add(eventId)
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

  async putInteraction(eventId: number, def: InteractionDef) {
    const e = this.ev(eventId)
    const live = e.interactions.get(def.id)
    if (live) live.def = def
    else e.interactions.set(def.id, { def, counts: new Map(), responses: new Map() })
  }

  async resetInteraction(eventId: number, interactionId: number, now: number) {
    const e = this.ev(eventId)
    const live = e.interactions.get(interactionId)
    if (!live) return false
    for (const field of live.responses.keys()) {
      const colon = field.indexOf(':')
      if (colon > 0) indexSlot(e, Number(field.slice(0, colon)), `${interactionId}:${field.slice(colon + 1)}`, false)
    }
    live.counts.clear()
    live.responses.clear()
    this.queue.push(eventId, { t: 'reset', interactionId, rev: ++e.rev, at: now })
    await this.queue.durable()
    return true
  }

  async putRaffle(eventId: number, raffle: Raffle) {
    this.ev(eventId).raffles.set(raffle.id, raffle)
  }

  async setShow(eventId: number, show: Show | null) {
    this.ev(eventId).show = show
  }

  async setScreen(eventId: number, screen: ScreenState) {
    this.ev(eventId).screen = screen
  }

  async moderate(eventId: number, messageId: number, state: 'visible' | 'hidden', now: number) {
    const e = this.ev(eventId)
    const m = e.messages.get(messageId) ?? e.held.get(messageId)
    if (!m) return false
    if (m.state === state) return true
    const wasHeld = m.state === 'held'
    m.state = state
    e.held.delete(messageId)
    if (state === 'visible' && wasHeld) this.publish(e, { id: messageId, text: m.text, number: m.number })
    this.queue.push(eventId, { t: 'moderate', id: messageId, state, at: now })
    await this.queue.durable()
    return true
  }

  async checkedIn(eventId: number) {
    const e = this.ev(eventId)
    return [...e.checkins].filter((n) => !e.revoked.has(n)).sort((a, b) => a - b)
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
      this.queue.push(eventId, { t: 'checkin', number, at: now })
      await this.queue.durable()
    }
    return { ok: true, number, first }
  }

  async isActive(eventId: number, number: number) {
    const e = this.events.get(eventId)
    return !!e && e.numbers.has(number) && !e.revoked.has(number)
  }

  async respond(eventId: number, r: ResponseInput): Promise<ResponseResult> {
    const e = this.ev(eventId)
    if (!r.byHost && (!e.numbers.has(r.number) || e.revoked.has(r.number))) return { ok: false, error: 'revoked' }
    const actionKey = `a:${eventId}:${r.number}:${r.actionId}`
    if (this.getExpiring(actionKey, r.now) !== undefined) {
      // The first may still be in the group being synced: this answer waits for it too.
      await this.queue.durable()
      return { ok: true, duplicate: true }
    }
    const live = e.interactions.get(r.interactionId)
    if (!live) return { ok: false, error: 'unknown_interaction' }
    const { def } = live
    if (def.kind !== r.kind) return { ok: false, error: 'wrong_kind' }
    if (!def.open && !r.byHost) return { ok: false, error: 'not_open' }
    if (def.accept.closesAt !== undefined && r.now >= def.accept.closesAt && !r.byHost) {
      return { ok: false, error: 'closed' }
    }
    if (r.keys.length > def.accept.maxKeys) return { ok: false, error: 'too_many_keys' }
    if (def.accept.keys && !r.keys.every((k) => def.accept.keys!.includes(k))) {
      return { ok: false, error: 'unknown_key' }
    }
    const field = responseField(r.number, r.slot)
    const previous = live.responses.get(field)
    if (def.accept.once && previous) return { ok: false, error: 'already_answered' }
    if ((previous?.json ?? null) !== r.response) {
      if (!r.byHost && this.overLimit(`rr:${eventId}:${r.number}`, r.limit, r.now)) {
        return { ok: false, error: 'rate_limited' }
      }
      if (previous) for (const k of previous.keys) bump(live.counts, k, -1)
      if (r.response === null) live.responses.delete(field)
      else {
        live.responses.set(field, { json: r.response, keys: r.keys })
        for (const k of r.keys) bump(live.counts, k, 1)
      }
      if (r.slot) indexSlot(e, r.number, `${r.interactionId}:${r.slot}`, r.response !== null)
      this.expiring.set(actionKey, [1, r.now + ACTION_TTL_MS])
      this.queue.push(
        eventId,
        {
          t: 'response',
          interactionId: r.interactionId,
          number: r.number,
          slot: r.slot,
          response: r.response,
          rev: ++e.rev,
          at: r.now,
        },
        { key: actionKey, value: 1, expiresAt: r.now + ACTION_TTL_MS },
      )
    } else {
      this.expiring.set(actionKey, [1, r.now + ACTION_TTL_MS])
      this.queue.rememberAction(actionKey, 1, r.now + ACTION_TTL_MS)
    }
    await this.queue.durable()
    return { ok: true, duplicate: false }
  }

  async message(eventId: number, m: MessageInput): Promise<MessageResult> {
    const e = this.ev(eventId)
    if (!e.numbers.has(m.number) || e.revoked.has(m.number)) return { ok: false, error: 'revoked' }
    const actionKey = `a:${eventId}:${m.number}:${m.actionId}`
    const seen = this.getExpiring<{ id: number; held: boolean }>(actionKey, m.now)
    if (seen) {
      await this.queue.durable()
      return { ok: true, id: seen.id, held: seen.held, duplicate: true }
    }
    if (this.overLimit(`rm:${eventId}:${m.number}`, m.limit, m.now)) return { ok: false, error: 'rate_limited' }
    const id = ++e.messageSeq
    const state = m.held ? 'held' : 'visible'
    this.remember(e, id, { number: m.number, text: m.text, state, at: m.now })
    if (!m.held) this.publish(e, { id, text: m.text, number: m.number })
    const seenAs = { id, held: m.held }
    this.expiring.set(actionKey, [seenAs, m.now + ACTION_TTL_MS])
    this.queue.push(
      eventId,
      { t: 'message', id, number: m.number, text: m.text, state, at: m.now },
      { key: actionKey, value: seenAs, expiresAt: m.now + ACTION_TTL_MS },
    )
    await this.queue.durable()
    return { ok: true, id, held: m.held, duplicate: false }
  }

  async responsesOf(eventId: number, number: number) {
    const e = this.ev(eventId)
    const out: { interactionId: number; slot: string; response: string }[] = []
    for (const [interactionId, live] of e.interactions) {
      const r = live.responses.get(String(number))
      if (r) out.push({ interactionId, slot: '', response: r.json })
    }
    for (const entry of e.slotted.get(number) ?? []) {
      const colon = entry.indexOf(':')
      const interactionId = Number(entry.slice(0, colon))
      const slot = entry.slice(colon + 1)
      const r = e.interactions.get(interactionId)?.responses.get(responseField(number, slot))
      if (r) out.push({ interactionId, slot, response: r.json })
    }
    return out
  }

  async responsesTo(eventId: number, interactionId: number) {
    const live = this.events.get(eventId)?.interactions.get(interactionId)
    const out: { number: number; slot: string; response: string }[] = []
    for (const [field, r] of live?.responses ?? []) {
      const colon = field.indexOf(':')
      out.push({
        number: Number(colon > 0 ? field.slice(0, colon) : field),
        slot: colon > 0 ? field.slice(colon + 1) : '',
        response: r.json,
      })
    }
    return out
  }

  /** One interaction's counts and responses, for the engagement store beside this one (memory.ts of ../engagement). */
  peekInteraction(eventId: number, interactionId: number) {
    return this.events.get(eventId)?.interactions.get(interactionId)
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
      interactions: [...e.interactions.values()]
        .sort((a, b) => a.def.id - b.def.id)
        .map(({ def, counts, responses }) => ({
          def,
          counts: def.top === undefined ? new Map(counts) : topCounts(counts, def.top),
          responders: responses.size,
        })),
      feed,
      feedCursor: e.feedCursor,
      hidden: askHidden.concat(feed.map((d) => d.id)).filter((id) => e.messages.get(id)?.state === 'hidden'),
      raffles: [...e.raffles.values()],
      show: e.show,
      screen: e.screen,
      admin: { held: held.slice(-ADMIN_LIST_KEPT), recentCheckins: e.recentCheckins.slice() },
    }
  }

  close() {
    clearInterval(this.sweeper)
  }
}

/** The `n` keys with the highest counts (ties by key, as Redis orders a sorted set). */
function topCounts(counts: Map<string, number>, n: number): Map<string, number> {
  const rows = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0))
  return new Map(rows.slice(0, n))
}
