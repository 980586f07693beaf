/**
 * Cluster-mode counter layer on Redis. Same semantics as memory.ts; the Lua scripts that
 * make each step atomic live in redis-scripts.ts.
 */
import Redis from 'ioredis'
import type { AdminView, Danmaku, Poll, Raffle, Show, Status } from '../../protocol/index.ts'
import { ACTION_TTL_MS, ADMIN_LIST_KEPT, FEED_KEPT, MESSAGES_KEPT, windowBucket } from './limits.ts'
import {
  ACQUIRE_LEASE,
  APPEND_DELTA,
  CHECKIN,
  LOAD_RESET,
  type LuaScript,
  MESSAGE,
  MODERATE,
  READ_LIVE,
  RELEASE_LEASE,
  VOTE,
  VOTES_OF,
} from './redis-scripts.ts'
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

export interface RedisLiveStoreOptions {
  /** Prefix of every key, so deployments (and test runs) can share one Redis. */
  prefix: string
  /** Delta log entries kept per event. */
  retention: number
  /** Messages remembered per event (default MESSAGES_KEPT; tests use a small one). */
  messagesKept?: number
}

/** Consumer group of the write queue. */
const GROUP = 'flushers'
/** Arguments per HSET/SADD when loading big events: keeps each command well under Redis' limits. */
const CHUNK = 5000
/** Log entries one tail returns at most (as memory.ts). */
const TAIL_COUNT = 1000
/** Idle blocking connections kept for reuse; more concurrent tails just open more. */
const IDLE_BLOCKING_KEPT = 16
const PING_TIMEOUT_MS = 2000

/** The per-event keys loadEvent drops and rewrites (besides `polls` and the per-poll keys). */
const STATE_KEYS = [
  'meta',
  'codes',
  'numbers',
  'revoked',
  'checkins',
  'recent',
  'msgs',
  'mstate',
  'mids',
  'held',
  'feed',
  'raffles',
  'loaded',
]

type StreamRow = [id: string, fields: string[] | null]

const chunks = <T>(items: T[], size = CHUNK): T[][] => {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

const field = (fields: string[], name: string) => {
  for (let i = 0; i < fields.length; i += 2) if (fields[i] === name) return fields[i + 1]
  return undefined
}

/** Rows of the one stream in an XREAD/XREADGROUP reply (null when nothing came). */
const streamRows = (reply: unknown): StreamRow[] => (reply as [string, StreamRow[]][] | null)?.[0]?.[1] ?? []

const compareIds = (a: string, b: string) => {
  const [am, as] = a.split('-').map(Number)
  const [bm, bs] = b.split('-').map(Number)
  return am - bm || as - bs
}

const logEntries = (rows: StreamRow[]): LogEntry[] =>
  rows.map(([id, fields]) => ({ seq: Number(id.split('-')[0]), json: field(fields ?? [], 'd') ?? '' }))

/** Throws the first error of a MULTI/pipeline result; null means the transaction was aborted. */
const checkExec = (results: [Error | null, unknown][] | null) => {
  if (!results) throw new Error('redis transaction aborted')
  for (const [err] of results) if (err) throw err
  return results
}

/** A Redis client with the settings the store needs (see "Connections" below). */
export async function connectRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    // Fail commands at once while Redis is down, so guests get a 503 to retry rather than a hang.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(times * 100, 2000),
    // The commands of one event-loop turn go out in one socket write: under a vote spike
    // that saves about a third of the client's CPU per command (docs/benchmarks.md).
    enableAutoPipelining: true,
  })
  redis.on('error', () => {
    // ioredis reports every failed reconnect; /healthz and the logs of the callers say enough.
  })
  await redis.connect()
  return redis
}

/**
 * The counter layer on Redis (cluster mode).
 *
 * Key layout: every key of event N is `<prefix>:{eN}:<name>` (one Redis Cluster hash tag,
 * so each event's scripts and MULTIs stay on one slot): `meta` (status, message, show),
 * `codes` (codeHash -> number), `numbers`, `revoked`, `checkins` (sets), `recent` (list),
 * `polls` (id -> PollDef JSON), `counts:<poll>`, `voters:<poll>`, `msgs` (id -> JSON of the
 * immutable part), `mstate` (id -> state), `mids`, `held` and `feed` (sorted sets of message
 * ids: the newest `messagesKept` and the held ones scored by id, the feed by feed cursor;
 * `msgs`/`mstate` hold only what those refer to, see MESSAGE_HELPERS in redis-scripts.ts),
 * `feedseq`, `msgseq`, `rev`, `raffles`, `q` (write queue
 * stream, group `flushers`), `log` (delta log stream, ids `<seq>-1`), `logseq`, `state`,
 * `loaded`, `lease` (the `ticker:N` lease), `a:<number>:<actionId>` and `rv|rm:<number>:<bucket>`.
 * Other leases live at `<prefix>:lease:<name>`; `<prefix>:events` lists known events.
 *
 * Connections: the client passed in carries every non-blocking command. Create it with
 * `enableOfflineQueue: false` and a small `maxRetriesPerRequest` (`connectRedis` above,
 * or `RedisLiveStore.connect`), so commands fail fast while Redis is down
 * instead of queueing forever; `ping()` has its own timeout either way. Leave
 * `commandTimeout` unset or above the tail block time (5 s): `tailLog` borrows a dedicated
 * duplicate connection per concurrent call (XREAD BLOCK holds a connection), which inherits it.
 *
 * `close()` quits the blocking connections it created and the client passed in: the store
 * owns that client from construction on.
 */
export class RedisLiveStore implements LiveStore {
  readonly kind = 'redis' as const
  private readonly prefix: string
  private readonly retention: number
  private readonly messagesKept: number
  /** Events whose consumer group this process has made sure of. */
  private groups = new Set<number>()
  private idle: Redis[] = []
  private busy = new Set<Redis>()
  private closed = false

  constructor(
    private redis: Redis,
    opts: RedisLiveStoreOptions,
  ) {
    this.prefix = opts.prefix
    this.retention = Math.max(1, Math.floor(opts.retention))
    this.messagesKept = Math.max(1, Math.floor(opts.messagesKept ?? MESSAGES_KEPT))
  }

  /** Connects to `url` (see `connectRedis`) and returns a store owning that client. */
  static async connect(url: string, opts: RedisLiveStoreOptions): Promise<RedisLiveStore> {
    return new RedisLiveStore(await connectRedis(url), opts)
  }

  // ---- keys ----

  private base(eventId: number) {
    return `${this.prefix}:{e${eventId}}:`
  }

  private key(eventId: number, name: string) {
    return `${this.prefix}:{e${eventId}}:${name}`
  }

  /** The ticker lease sits in its event's hash tag, so appendDelta can check it in the same script. */
  private leaseKey(name: string) {
    const ticker = /^ticker:(\d+)$/.exec(name)
    return ticker ? this.key(Number(ticker[1]), 'lease') : `${this.prefix}:lease:${name}`
  }

  private get eventsKey() {
    return `${this.prefix}:events`
  }

  /** EVALSHA, falling back to EVAL (which also caches the script) after a Redis restart or on a new server. */
  private async run(script: LuaScript, keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await this.redis.evalsha(script.sha, keys.length, ...keys, ...args)
    } catch (err) {
      if (!String(err).includes('NOSCRIPT')) throw err
      return this.redis.eval(script.lua, keys.length, ...keys, ...args)
    }
  }

  // ---- event state (host side) ----

  async isLoaded(eventId: number) {
    return (await this.redis.exists(this.key(eventId, 'loaded'))) === 1
  }

  async loadEvent(eventId: number, seed: EventSeed) {
    const k = (name: string) => this.key(eventId, name)
    const base = this.base(eventId)
    // The events set has another hash tag, so it cannot join the MULTI below (Redis Cluster).
    await this.redis.sadd(this.eventsKey, String(eventId))
    const m = this.redis.multi()
    // EVAL rather than EVALSHA: a NOSCRIPT inside EXEC would fail only this step and keep the rest.
    m.eval(
      LOAD_RESET.lua,
      5 + STATE_KEYS.length,
      k('polls'),
      k('feedseq'),
      k('state'),
      k('msgseq'),
      k('rev'),
      ...STATE_KEYS.map(k),
      base,
      String(seed.maxMessageId),
      String(seed.maxRev),
    )
    m.hset(k('meta'), 'status', seed.status, 'message', seed.message, 'show', JSON.stringify(seed.show ?? null))
    this.queueWristbands(m, eventId, seed.wristbands)
    const sorted = [...seed.checkins].sort((a, b) => a.at - b.at)
    for (const c of chunks(sorted)) m.sadd(k('checkins'), ...c.map((x) => String(x.number)))
    const recent = sorted.slice(-ADMIN_LIST_KEPT).reverse()
    if (recent.length) m.rpush(k('recent'), ...recent.map((c) => JSON.stringify({ number: c.number, at: c.at })))
    const polls = new Set<number>()
    for (const p of seed.polls) {
      polls.add(p.id)
      m.hset(k('polls'), String(p.id), JSON.stringify(p))
    }
    const counts = new Map<number, Map<number, number>>()
    const voters = new Map<number, Map<number, number>>()
    for (const p of seed.polls) {
      counts.set(p.id, new Map(p.options.map((o) => [o.id, 0])))
      voters.set(p.id, new Map())
    }
    for (const v of seed.votes) {
      const c = counts.get(v.pollId)
      if (!c) continue
      voters.get(v.pollId)!.set(v.number, v.optionId)
      c.set(v.optionId, (c.get(v.optionId) ?? 0) + 1)
    }
    for (const [pollId, c] of counts) {
      if (c.size) m.hset(k(`counts:${pollId}`), ...[...c].flatMap(([o, n]) => [String(o), String(n)]))
    }
    for (const [pollId, v] of voters) {
      for (const part of chunks([...v])) {
        m.hset(k(`voters:${pollId}`), ...part.flatMap(([n, o]) => [String(n), String(o)]))
      }
    }
    // As memory.ts: the newest messagesKept, plus every held one whatever its age.
    const sortedMessages = [...seed.messages].sort((a, b) => a.id - b.id)
    const newest = sortedMessages.length - this.messagesKept
    const live = sortedMessages.filter((x, i) => i >= newest || x.state === 'held')
    for (const part of chunks(live)) {
      m.hset(
        k('msgs'),
        ...part.flatMap((x) => [String(x.id), JSON.stringify({ number: x.number, text: x.text, at: x.at })]),
      )
      m.hset(k('mstate'), ...part.flatMap((x) => [String(x.id), x.state]))
      const held = part.filter((x) => x.state === 'held')
      if (held.length) m.zadd(k('held'), ...held.flatMap((x) => [x.id, String(x.id)]))
    }
    for (const part of chunks(sortedMessages.slice(Math.max(0, newest)))) {
      m.zadd(k('mids'), ...part.flatMap((x) => [x.id, String(x.id)]))
    }
    for (const r of seed.raffles) m.hset(k('raffles'), String(r.id), JSON.stringify(r))
    m.set(k('loaded'), '1')
    checkExec(await m.exec())
  }

  /** Adds HSET/SADD commands for wristbands to a MULTI, in chunks. */
  private queueWristbands(m: ReturnType<Redis['multi']>, eventId: number, entries: WristbandEntry[]) {
    for (const part of chunks(entries)) {
      m.hset(this.key(eventId, 'codes'), ...part.flatMap((w) => [w.codeHash, String(w.number)]))
      m.sadd(this.key(eventId, 'numbers'), ...part.map((w) => String(w.number)))
      const revoked = part.filter((w) => w.revoked)
      if (revoked.length) m.sadd(this.key(eventId, 'revoked'), ...revoked.map((w) => String(w.number)))
    }
  }

  async addWristbands(eventId: number, entries: WristbandEntry[]) {
    await this.redis.sadd(this.eventsKey, String(eventId))
    if (!entries.length) return
    const m = this.redis.multi()
    this.queueWristbands(m, eventId, entries)
    checkExec(await m.exec())
  }

  async revokeWristbands(eventId: number, numbers: number[]) {
    await this.redis.sadd(this.eventsKey, String(eventId))
    if (!numbers.length) return
    const m = this.redis.multi()
    for (const part of chunks(numbers)) m.sadd(this.key(eventId, 'revoked'), ...part.map(String))
    checkExec(await m.exec())
  }

  /**
   * One HSET of host-side state, plus the events-set entry. Two commands sent together, not
   * a pipeline or MULTI: the keys are in different slots.
   */
  private async hostWrite(eventId: number, key: string, field: string, value: string, ...more: string[]) {
    await Promise.all([this.redis.sadd(this.eventsKey, String(eventId)), this.redis.hset(key, field, value, ...more)])
  }

  async setStatus(eventId: number, status: Status, message: string) {
    await this.hostWrite(eventId, this.key(eventId, 'meta'), 'status', status, 'message', message)
  }

  async putPoll(eventId: number, poll: PollDef) {
    // Counts of kept options survive; new options read as 0 (readLive defaults missing counts).
    await this.hostWrite(eventId, this.key(eventId, 'polls'), String(poll.id), JSON.stringify(poll))
  }

  async putRaffle(eventId: number, raffle: Raffle) {
    await this.hostWrite(eventId, this.key(eventId, 'raffles'), String(raffle.id), JSON.stringify(raffle))
  }

  async setShow(eventId: number, show: Show | null) {
    await this.hostWrite(eventId, this.key(eventId, 'meta'), 'show', JSON.stringify(show))
  }

  async moderate(eventId: number, messageId: number, state: 'visible' | 'hidden', now: number) {
    const k = (name: string) => this.key(eventId, name)
    const r = await this.run(
      MODERATE,
      [k('mstate'), k('held'), k('feedseq'), k('feed'), k('q'), k('msgs'), k('mids')],
      [String(messageId), state, String(now), FEED_KEPT],
    )
    return r === 1
  }

  async checkedIn(eventId: number) {
    const numbers = await this.redis.sdiff(this.key(eventId, 'checkins'), this.key(eventId, 'revoked'))
    // Set order is arbitrary; sorted is at least stable. (The raffle draw shuffles anyway.)
    return numbers.map(Number).sort((a, b) => a - b)
  }

  // ---- guest actions ----

  async checkin(eventId: number, codeHash: string, now: number): Promise<CheckinResult> {
    const k = (name: string) => this.key(eventId, name)
    const r = (await this.run(
      CHECKIN,
      [k('codes'), k('revoked'), k('checkins'), k('recent'), k('q')],
      [codeHash, String(now), ADMIN_LIST_KEPT],
    )) as [number, string?, number?]
    if (r[0] !== 1) return { ok: false }
    return { ok: true, number: Number(r[1]), first: r[2] === 1 }
  }

  async isActive(eventId: number, number: number) {
    const [[, known], [, revoked]] = checkExec(
      await this.redis
        .multi()
        .sismember(this.key(eventId, 'numbers'), String(number))
        .sismember(this.key(eventId, 'revoked'), String(number))
        .exec(),
    )
    return known === 1 && revoked === 0
  }

  async vote(eventId: number, v: VoteInput): Promise<VoteResult> {
    const k = (name: string) => this.key(eventId, name)
    const r = (await this.run(
      VOTE,
      [
        k('numbers'),
        k('revoked'),
        k(`a:${v.number}:${v.actionId}`),
        k('polls'),
        k(`counts:${v.pollId}`),
        k(`voters:${v.pollId}`),
        k(`rv:${v.number}:${windowBucket(v.now, v.limit.windowMs)}`),
        k('rev'),
        k('q'),
      ],
      [
        String(v.number),
        String(v.pollId),
        String(v.optionId),
        v.limit.count,
        Math.max(1, Math.ceil(v.limit.windowMs)),
        ACTION_TTL_MS,
        String(v.now),
      ],
    )) as string
    if (r === 'ok') return { ok: true, duplicate: false }
    if (r === 'duplicate') return { ok: true, duplicate: true }
    return { ok: false, error: r as Extract<VoteResult, { ok: false }>['error'] }
  }

  async message(eventId: number, m: MessageInput): Promise<MessageResult> {
    const k = (name: string) => this.key(eventId, name)
    const r = (await this.run(
      MESSAGE,
      [
        k('numbers'),
        k('revoked'),
        k(`a:${m.number}:${m.actionId}`),
        k(`rm:${m.number}:${windowBucket(m.now, m.limit.windowMs)}`),
        k('msgseq'),
        k('msgs'),
        k('mstate'),
        k('held'),
        k('feedseq'),
        k('feed'),
        k('q'),
        k('mids'),
      ],
      [
        String(m.number),
        JSON.stringify(m.text),
        m.held ? '1' : '0',
        m.limit.count,
        Math.max(1, Math.ceil(m.limit.windowMs)),
        ACTION_TTL_MS,
        String(m.now),
        FEED_KEPT,
        this.messagesKept,
      ],
    )) as string | [string, string]
    if (r === 'revoked' || r === 'rate_limited') return { ok: false, error: r }
    const [kind, value] = r as [string, string]
    if (kind === 'ok') return { ok: true, id: Number(value), held: m.held, duplicate: false }
    // "<id>:<held>"; a vote's actionId ("v") has no message to point at, so id 0.
    const [id, held] = value.split(':')
    return { ok: true, id: held === undefined ? 0 : Number(id), held: held === '1', duplicate: true }
  }

  async votesOf(eventId: number, number: number) {
    const flat = (await this.run(
      VOTES_OF,
      [this.key(eventId, 'polls')],
      [this.base(eventId), String(number)],
    )) as string[]
    const out: Record<string, number> = {}
    for (let i = 0; i < flat.length; i += 2) out[flat[i]] = Number(flat[i + 1])
    return out
  }

  // ---- ticker ----

  async readLive(eventId: number, feedCursor: number, askHidden: number[]): Promise<LiveRead> {
    const k = (name: string) => this.key(eventId, name)
    const r = (await this.run(
      READ_LIVE,
      [
        k('meta'),
        k('checkins'),
        k('feedseq'),
        k('polls'),
        k('feed'),
        k('msgs'),
        k('mstate'),
        k('raffles'),
        k('held'),
        k('recent'),
      ],
      [this.base(eventId), String(feedCursor), ADMIN_LIST_KEPT, ...askHidden.map(String)],
    )) as [
      string | null,
      string | null,
      number,
      string,
      [string, string[]][],
      (string | null)[],
      string[],
      string[],
      string | null,
      (string | null)[],
      string[],
    ]
    const [status, message, checkins, cursor, pollRows, feedFlat, hidden, raffles, show, heldFlat, recent] = r
    const polls: Poll[] = pollRows.map(([json, flat]) => {
      const p = JSON.parse(json) as PollDef
      const counts = new Map<string, number>()
      for (let i = 0; i < flat.length; i += 2) counts.set(flat[i], Number(flat[i + 1]))
      return {
        id: p.id,
        question: p.question,
        open: p.open,
        closed: p.closed,
        options: p.options.map((o) => ({ id: o.id, label: o.label, votes: counts.get(String(o.id)) ?? 0 })),
      }
    })
    const feed: Danmaku[] = []
    for (let i = 0; i < feedFlat.length; i += 2) {
      const json = feedFlat[i + 1]
      if (!json) continue
      const m = JSON.parse(json) as { number: number; text: string }
      feed.push({ id: Number(feedFlat[i]), text: m.text, number: m.number })
    }
    const held: AdminView['held'] = []
    for (let i = 0; i < heldFlat.length; i += 2) {
      const json = heldFlat[i + 1]
      if (!json) continue
      const m = JSON.parse(json) as { number: number; text: string; at: number }
      held.push({ id: Number(heldFlat[i]), text: m.text, number: m.number, at: m.at })
    }
    return {
      status: (status ?? 'live') as Status,
      message: message ?? '',
      checkins: Number(checkins),
      polls,
      feed,
      feedCursor: Number(cursor),
      hidden: hidden.map(Number),
      raffles: raffles.map((json) => JSON.parse(json) as Raffle),
      show: show ? (JSON.parse(show) as Show | null) : null,
      admin: { held, recentCheckins: recent.map((json) => JSON.parse(json) as { number: number; at: number }) },
    }
  }

  // ---- write queue ----

  /** Creates the consumer group (and the stream) once; from 0 so entries queued before it count. */
  private async ensureGroup(eventId: number) {
    if (this.groups.has(eventId)) return
    try {
      await this.redis.xgroup('CREATE', this.key(eventId, 'q'), GROUP, '0', 'MKSTREAM')
    } catch (err) {
      if (!String(err).includes('BUSYGROUP')) throw err
    }
    this.groups.add(eventId)
  }

  async readQueue(eventId: number, consumer: string, count: number, reclaimIdleMs: number): Promise<QueueEntry[]> {
    if (count <= 0) return []
    await this.ensureGroup(eventId)
    try {
      return await this.claim(eventId, consumer, count, reclaimIdleMs)
    } catch (err) {
      // Redis lost the group (restart without persistence): make it again.
      if (!String(err).includes('NOGROUP')) throw err
      this.groups.delete(eventId)
      await this.ensureGroup(eventId)
      return this.claim(eventId, consumer, count, reclaimIdleMs)
    }
  }

  private async claim(eventId: number, consumer: string, count: number, reclaimIdleMs: number): Promise<QueueEntry[]> {
    const q = this.key(eventId, 'q')
    const out = new Map<string, QueueEntry>()
    const gone: string[] = []
    const take = (rows: StreamRow[]) => {
      for (const [id, fields] of rows) {
        const json = fields && field(fields, 'j')
        if (!json) gone.push(id)
        else if (!out.has(id) && out.size < count) out.set(id, { id, item: JSON.parse(json) as QueueItem })
      }
    }
    // 1. This consumer's own claimed-but-unacknowledged entries (a restarted flusher's work).
    take(streamRows(await this.redis.call('XREADGROUP', 'GROUP', GROUP, consumer, 'COUNT', count, 'STREAMS', q, '0')))
    // 2. Entries other consumers left idle too long. XAUTOCLAIM scans the pending list in steps
    //    of about 10 x COUNT; the step cap only bounds a pathological pending list.
    let cursor = '0-0'
    for (let step = 0; step < 100 && out.size < count; step++) {
      const [next, rows] = (await this.redis.call(
        'XAUTOCLAIM',
        q,
        GROUP,
        consumer,
        Math.max(0, Math.floor(reclaimIdleMs)),
        cursor,
        'COUNT',
        count - out.size,
      )) as [string, StreamRow[]]
      take(rows)
      cursor = next
      if (cursor === '0-0') break
    }
    // 3. New entries.
    if (out.size < count) {
      take(
        streamRows(
          await this.redis.call('XREADGROUP', 'GROUP', GROUP, consumer, 'COUNT', count - out.size, 'STREAMS', q, '>'),
        ),
      )
    }
    // Pending ids whose entry no longer exists would come back forever.
    if (gone.length) await this.redis.xack(q, GROUP, ...gone)
    // Queue order, as the memory backend returns them.
    return [...out.values()].sort((a, b) => compareIds(a.id, b.id))
  }

  async ackQueue(eventId: number, ids: string[]) {
    if (!ids.length) return
    const q = this.key(eventId, 'q')
    // Deleted as well as acknowledged, so the stream holds exactly the unfinished entries.
    checkExec(
      await this.redis
        .multi()
        .xack(q, GROUP, ...ids)
        .xdel(q, ...ids)
        .exec(),
    )
  }

  async queueDepth(eventId: number) {
    return this.redis.xlen(this.key(eventId, 'q'))
  }

  // ---- delta log ----

  async appendDelta(eventId: number, owner: string, seq: number, deltaJson: string, state: TickerState) {
    const k = (name: string) => this.key(eventId, name)
    const r = await this.run(
      APPEND_DELTA,
      [k('lease'), k('logseq'), k('log'), k('state')],
      [owner, String(seq), deltaJson, JSON.stringify(state), this.retention],
    )
    return r === 1
  }

  async tickerState(eventId: number) {
    const json = await this.redis.get(this.key(eventId, 'state'))
    return json ? (JSON.parse(json) as TickerState) : null
  }

  async readLog(eventId: number, afterSeq: number, limit: number) {
    if (limit <= 0) return []
    const start = `${Math.max(0, Math.floor(afterSeq)) + 1}-0`
    const key = this.key(eventId, 'log')
    const rows = (
      Number.isFinite(limit)
        ? await this.redis.xrange(key, start, '+', 'COUNT', Math.floor(limit))
        : await this.redis.xrange(key, start, '+')
    ) as StreamRow[]
    return logEntries(rows)
  }

  async tailLog(eventId: number, afterSeq: number, blockMs: number) {
    const after = Math.max(0, Math.floor(afterSeq))
    // BLOCK 0 would mean forever in Redis; memory.ts treats 0 as "do not wait".
    if (blockMs <= 0) return this.readLog(eventId, after, TAIL_COUNT)
    if (this.closed) return []
    const conn = await this.blocking()
    this.busy.add(conn)
    let reusable = false
    try {
      const reply = await conn.call(
        'XREAD',
        'COUNT',
        TAIL_COUNT,
        'BLOCK',
        Math.ceil(blockMs),
        'STREAMS',
        this.key(eventId, 'log'),
        `${after}-1`,
      )
      reusable = true
      return logEntries(streamRows(reply))
    } catch (err) {
      // close() cut the connection under us: end quietly, like memory.ts wakes its waiters.
      if (this.closed) return []
      throw err
    } finally {
      this.busy.delete(conn)
      if (reusable && !this.closed && conn.status === 'ready' && this.idle.length < IDLE_BLOCKING_KEPT) {
        this.idle.push(conn)
      } else conn.disconnect()
    }
  }

  /** An idle blocking connection, or a new duplicate of the main client. */
  private async blocking(): Promise<Redis> {
    while (this.idle.length) {
      const conn = this.idle.pop()!
      if (conn.status === 'ready') return conn
      conn.disconnect()
    }
    // lazyConnect so that connect() below is ours to await whatever the main client's options.
    const conn = this.redis.duplicate({ lazyConnect: true })
    conn.on('error', () => {
      // Reported through the failing command; an unhandled 'error' event would crash the process.
    })
    try {
      await conn.connect()
    } catch (err) {
      conn.disconnect()
      throw err
    }
    return conn
  }

  // ---- leases ----

  async acquireLease(name: string, owner: string, ttlMs: number) {
    return (await this.run(ACQUIRE_LEASE, [this.leaseKey(name)], [owner, Math.max(1, Math.ceil(ttlMs))])) === 1
  }

  async releaseLease(name: string, owner: string) {
    await this.run(RELEASE_LEASE, [this.leaseKey(name)], [owner])
  }

  async leaseOwner(name: string) {
    return this.redis.get(this.leaseKey(name))
  }

  async activeEvents() {
    return (await this.redis.smembers(this.eventsKey)).map(Number).sort((a, b) => a - b)
  }

  async ping() {
    let timer: ReturnType<typeof setTimeout> | undefined
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('ping timed out')), PING_TIMEOUT_MS)
      })
      return (await Promise.race([this.redis.ping(), timeout])) === 'PONG'
    } catch {
      return false
    } finally {
      clearTimeout(timer)
    }
  }

  async close() {
    this.closed = true
    // A blocked XREAD would hold QUIT back for up to its block time: cut those at once.
    for (const conn of this.busy) conn.disconnect()
    this.busy.clear()
    const quit = (conn: Redis) =>
      conn.quit().then(
        () => {},
        () => conn.disconnect(),
      )
    await Promise.all([...this.idle.splice(0).map(quit), quit(this.redis)])
  }
}
