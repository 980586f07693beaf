/**
 * The live counters on Redis (cluster mode). Same semantics as memory.ts; the Lua
 * scripts that make each step atomic are in scripts.ts.
 *
 * Keys of event N (all `<prefix>:{eN}:<name>`): `meta` (status, message, show), `codes`
 * (codeHash -> number), `numbers`, `revoked`, `checkins` (sets), `recent` (list), `idefs`
 * (interaction id -> definition JSON), `c:<id>` (its counts, a sorted set), `r:<id>`
 * (wristband[:slot] -> its response), `rs:<number>` (a wristband's slotted responses),
 * `rev`, `msgs` (id -> JSON of the immutable part), `mstate` (id -> state), `mids`, `held`
 * and `feed` (sorted sets of message ids: see MESSAGE_HELPERS in scripts.ts), `feedseq`,
 * `msgseq`, `raffles`, `loaded`, `a:<number>:<actionId>` and `rr|rm:<number>:<bucket>`.
 * The write queue (`q`) and the delta log (`log`, `logseq`, `state`) share the hash tag.
 *
 * A Redis that lost state: `loaded` holds the run_id of the Redis process that loaded the
 * event, and the state counts as loaded only for that same process. A Redis restarted
 * with AOF everysec may have lost its last second, which the flusher may already have
 * written to Postgres: message ids and revisions behind Postgres' (new danmaku would be
 * dropped as replays of the rows they collide with, changed votes refused as stale) and
 * counts without those votes. So after every restart the event is rebuilt from Postgres
 * plus the queue (which seeds `msgseq` and `rev` from Postgres' maxima), before any
 * guest action is taken: every instance counts its reconnects (`generation`), and the
 * event directory asks again after one.
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
import { checkExec, chunks, type RedisClient, type RedisKeys, runScript } from '../redis-support.ts'
import {
  CHECKIN,
  IS_LOADED,
  LOAD_RESET,
  MARK_LOADED,
  MESSAGE,
  MODERATE,
  READ_LIVE,
  RESET_INTERACTION,
  RESPOND,
  RESPONSES_OF,
} from './scripts.ts'
import type {
  CheckinResult,
  EventSeed,
  InteractionDef,
  InteractionRead,
  LiveCounters,
  LiveRead,
  MessageInput,
  MessageResult,
  ResponseError,
  ResponseInput,
  ResponseResult,
  WristbandEntry,
} from './types.ts'

export interface RedisCountersOptions {
  /** Messages remembered per event (default MESSAGES_KEPT; tests use a small one). */
  messagesKept?: number
}

/** The per-event keys loadEvent drops and rewrites (besides `idefs` and the per-interaction keys). */
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

const responseField = (number: number, slot: string) => (slot ? `${number}:${slot}` : String(number))

/** A stored response is "<keys JSON>\n<response JSON>"; the response part. */
const storedResponse = (value: string) => value.slice(value.indexOf('\n') + 1)

type Multi = ReturnType<RedisClient['multi']>

export class RedisCounters implements LiveCounters {
  private readonly messagesKept: number
  private connections = 0

  constructor(
    private redis: RedisClient,
    private keys: RedisKeys,
    opts: RedisCountersOptions = {},
  ) {
    this.messagesKept = Math.max(1, Math.floor(opts.messagesKept ?? MESSAGES_KEPT))
    // Whatever comes after a lost connection may be another Redis process.
    redis.on('close', () => this.connections++)
    // A Cluster drops a node's connection when it closes (then finds the slots' owner anew).
    if (redis.isCluster) redis.on('-node', () => this.connections++)
  }

  generation() {
    return this.connections
  }

  private key(eventId: number, name: string) {
    return this.keys.of(eventId, name)
  }

  async isLoaded(eventId: number) {
    return (await runScript(this.redis, IS_LOADED, [this.key(eventId, 'loaded')], [])) === 1
  }

  async loadEvent(eventId: number, seed: EventSeed) {
    const k = (name: string) => this.key(eventId, name)
    // The events set has another hash tag, so it cannot join the MULTI below (Redis Cluster).
    await this.redis.sadd(this.keys.events, String(eventId))
    const m = this.redis.multi()
    // EVAL rather than EVALSHA: a NOSCRIPT inside EXEC would fail only this step and keep the rest.
    m.eval(
      LOAD_RESET.lua,
      5 + STATE_KEYS.length,
      k('idefs'),
      k('feedseq'),
      k('state'),
      k('msgseq'),
      k('rev'),
      ...STATE_KEYS.map(k),
      this.keys.base(eventId),
      String(seed.maxMessageId),
      String(seed.maxRev),
    )
    m.hset(
      k('meta'),
      'status',
      seed.status,
      'message',
      seed.message,
      'show',
      JSON.stringify(seed.show ?? null),
      'screen',
      JSON.stringify(seed.screen ?? defaultScreenState()),
    )
    this.queueWristbands(m, eventId, seed.wristbands)
    const sorted = [...seed.checkins].sort((a, b) => a.at - b.at)
    for (const c of chunks(sorted)) m.sadd(k('checkins'), ...c.map((x) => String(x.number)))
    const recent = sorted.slice(-ADMIN_LIST_KEPT).reverse()
    if (recent.length) m.rpush(k('recent'), ...recent.map((c) => JSON.stringify({ number: c.number, at: c.at })))
    const known = new Set<number>()
    for (const def of seed.interactions) {
      known.add(def.id)
      m.hset(k('idefs'), String(def.id), JSON.stringify(def))
    }
    const counts = new Map<number, Map<string, number>>()
    const byInteraction = new Map<number, EventSeed['responses']>()
    for (const r of seed.responses) {
      if (!known.has(r.interactionId)) continue
      let list = byInteraction.get(r.interactionId)
      if (!list) byInteraction.set(r.interactionId, (list = []))
      list.push(r)
      let c = counts.get(r.interactionId)
      if (!c) counts.set(r.interactionId, (c = new Map()))
      for (const key of r.keys) c.set(key, (c.get(key) ?? 0) + 1)
    }
    for (const [id, c] of counts) {
      for (const part of chunks([...c].filter(([, n]) => n > 0))) {
        m.zadd(k(`c:${id}`), ...part.flatMap(([key, n]) => [n, key]))
      }
    }
    for (const [id, list] of byInteraction) {
      for (const part of chunks(list)) {
        m.hset(
          k(`r:${id}`),
          ...part.flatMap((r) => [responseField(r.number, r.slot), `${JSON.stringify(r.keys)}\n${r.response}`]),
        )
      }
      for (const r of list) if (r.slot) m.sadd(k(`rs:${r.number}`), `${id}:${r.slot}`)
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
    // Last, in the same transaction: loaded by this very Redis process.
    m.eval(MARK_LOADED.lua, 1, k('loaded'))
    checkExec(await m.exec())
  }

  /** Adds HSET/SADD commands for wristbands to a MULTI, in chunks. */
  private queueWristbands(m: Multi, eventId: number, entries: WristbandEntry[]) {
    for (const part of chunks(entries)) {
      m.hset(this.key(eventId, 'codes'), ...part.flatMap((w) => [w.codeHash, String(w.number)]))
      m.sadd(this.key(eventId, 'numbers'), ...part.map((w) => String(w.number)))
      const revoked = part.filter((w) => w.revoked)
      if (revoked.length) m.sadd(this.key(eventId, 'revoked'), ...revoked.map((w) => String(w.number)))
    }
  }

  async addWristbands(eventId: number, entries: WristbandEntry[]) {
    await this.redis.sadd(this.keys.events, String(eventId))
    if (!entries.length) return
    const m = this.redis.multi()
    this.queueWristbands(m, eventId, entries)
    checkExec(await m.exec())
  }

  async revokeWristbands(eventId: number, numbers: number[]) {
    await this.redis.sadd(this.keys.events, String(eventId))
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
    await Promise.all([this.redis.sadd(this.keys.events, String(eventId)), this.redis.hset(key, field, value, ...more)])
  }

  async setStatus(eventId: number, status: Status, message: string) {
    await this.hostWrite(eventId, this.key(eventId, 'meta'), 'status', status, 'message', message)
  }

  async putInteraction(eventId: number, def: InteractionDef) {
    // Counts live apart (c:<id>), so replacing the definition keeps them.
    await this.hostWrite(eventId, this.key(eventId, 'idefs'), String(def.id), JSON.stringify(def))
  }

  async resetInteraction(eventId: number, interactionId: number, now: number) {
    const k = (name: string) => this.key(eventId, name)
    const id = String(interactionId)
    const r = await runScript(
      this.redis,
      RESET_INTERACTION,
      [k('idefs'), k(`c:${id}`), k(`r:${id}`), k('rev'), k('q')],
      [id, String(now)],
    )
    return r === 1
  }

  async putRaffle(eventId: number, raffle: Raffle) {
    await this.hostWrite(eventId, this.key(eventId, 'raffles'), String(raffle.id), JSON.stringify(raffle))
  }

  async setShow(eventId: number, show: Show | null) {
    await this.hostWrite(eventId, this.key(eventId, 'meta'), 'show', JSON.stringify(show))
  }

  async setScreen(eventId: number, screen: ScreenState) {
    await this.hostWrite(eventId, this.key(eventId, 'meta'), 'screen', JSON.stringify(screen))
  }

  async moderate(eventId: number, messageId: number, state: 'visible' | 'hidden', now: number) {
    const k = (name: string) => this.key(eventId, name)
    const r = await runScript(
      this.redis,
      MODERATE,
      [k('mstate'), k('held'), k('feedseq'), k('feed'), k('q'), k('msgs'), k('mids')],
      [String(messageId), state, String(now), FEED_KEPT],
    )
    return r === 1
  }

  async checkedIn(eventId: number) {
    const numbers = await this.redis.sdiff(this.key(eventId, 'checkins'), this.key(eventId, 'revoked'))
    return numbers.map(Number).sort((a, b) => a - b)
  }

  async checkin(eventId: number, codeHash: string, now: number): Promise<CheckinResult> {
    const k = (name: string) => this.key(eventId, name)
    const r = (await runScript(
      this.redis,
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

  async respond(eventId: number, r: ResponseInput): Promise<ResponseResult> {
    const k = (name: string) => this.key(eventId, name)
    const id = String(r.interactionId)
    const result = (await runScript(
      this.redis,
      RESPOND,
      [
        k('numbers'),
        k('revoked'),
        k(`a:${r.number}:${r.actionId}`),
        k('idefs'),
        k(`c:${id}`),
        k(`r:${id}`),
        k(`rr:${r.number}:${windowBucket(r.now, r.limit.windowMs)}`),
        k('rev'),
        k('q'),
        k(`rs:${r.number}`),
      ],
      [
        String(r.number),
        id,
        r.kind,
        responseField(r.number, r.slot),
        r.response ?? '',
        r.response === null ? 'null' : JSON.stringify(r.response),
        JSON.stringify(r.slot),
        JSON.stringify(r.keys),
        r.limit.count,
        Math.max(1, Math.ceil(r.limit.windowMs)),
        ACTION_TTL_MS,
        String(r.now),
        r.slot ? `${id}:${r.slot}` : '',
        r.byHost ? '1' : '',
        ...r.keys,
      ],
    )) as string
    if (result === 'ok') return { ok: true, duplicate: false }
    if (result === 'duplicate') return { ok: true, duplicate: true }
    return { ok: false, error: result as ResponseError }
  }

  async message(eventId: number, m: MessageInput): Promise<MessageResult> {
    const k = (name: string) => this.key(eventId, name)
    const r = (await runScript(
      this.redis,
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
    // "<id>:<held>"; a response's actionId ("v") has no message to point at, so id 0.
    const [id, held] = value.split(':')
    return { ok: true, id: held === undefined ? 0 : Number(id), held: held === '1', duplicate: true }
  }

  async responsesOf(eventId: number, number: number) {
    const flat = (await runScript(
      this.redis,
      RESPONSES_OF,
      [this.key(eventId, 'idefs'), this.key(eventId, `rs:${number}`)],
      [this.keys.base(eventId), String(number)],
    )) as string[]
    const out: { interactionId: number; slot: string; response: string }[] = []
    for (let i = 0; i < flat.length; i += 3) {
      out.push({ interactionId: Number(flat[i]), slot: flat[i + 1], response: storedResponse(flat[i + 2]) })
    }
    return out
  }

  async responsesTo(eventId: number, interactionId: number) {
    const all = await this.redis.hgetall(this.key(eventId, `r:${interactionId}`))
    return Object.entries(all).map(([field, value]) => {
      const colon = field.indexOf(':')
      return {
        number: Number(colon > 0 ? field.slice(0, colon) : field),
        slot: colon > 0 ? field.slice(colon + 1) : '',
        response: storedResponse(value),
      }
    })
  }

  async readLive(eventId: number, feedCursor: number, askHidden: number[]): Promise<LiveRead> {
    const k = (name: string) => this.key(eventId, name)
    const r = (await runScript(
      this.redis,
      READ_LIVE,
      [
        k('meta'),
        k('checkins'),
        k('feedseq'),
        k('idefs'),
        k('feed'),
        k('msgs'),
        k('mstate'),
        k('raffles'),
        k('held'),
        k('recent'),
      ],
      [this.keys.base(eventId), String(feedCursor), ADMIN_LIST_KEPT, ...askHidden.map(String)],
    )) as [
      string | null,
      string | null,
      number,
      string,
      [string, string[], number][],
      (string | null)[],
      string[],
      string[],
      string | null,
      (string | null)[],
      string[],
      string | null,
    ]
    const [status, message, checkins, cursor, rows, feedFlat, hidden, raffles, show, heldFlat, recent, screen] = r
    const interactions: InteractionRead[] = rows.map(([json, flat, responders]) => {
      const counts = new Map<string, number>()
      for (let i = 0; i < flat.length; i += 2) counts.set(flat[i], Number(flat[i + 1]))
      return { def: JSON.parse(json) as InteractionDef, counts, responders: Number(responders) }
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
      interactions,
      feed,
      feedCursor: Number(cursor),
      hidden: hidden.map(Number),
      raffles: raffles.map((json) => JSON.parse(json) as Raffle),
      show: show ? (JSON.parse(show) as Show | null) : null,
      screen: screen ? (JSON.parse(screen) as ScreenState) : defaultScreenState(),
      admin: { held, recentCheckins: recent.map((json) => JSON.parse(json) as { number: number; at: number }) },
    }
  }
}
