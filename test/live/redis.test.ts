/**
 * The counter-layer conformance suite against Redis (REDIS_URL, default the local one).
 * Each test gets its own key prefix and deletes its keys afterwards: the Redis is shared.
 * Without a reachable Redis the suite is skipped loudly, except under CI=true.
 */

import { afterAll, expect, test } from 'bun:test'
import { randomBytes } from 'node:crypto'
import Redis from 'ioredis'
import { deleteRedisPrefix } from '../../scripts/scratch-backends.ts'
import { MemoryLiveStore } from '../../server/live/memory.ts'
import { RedisLiveStore } from '../../server/live/redis.ts'
import type { EventSeed, LiveStore, PollDef } from '../../server/live/types.ts'
import { describeLiveStore, type Footprint } from './store-suite.ts'

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

const admin = new Redis(REDIS_URL, {
  lazyConnect: true,
  maxRetriesPerRequest: 0,
  connectTimeout: 3000,
  retryStrategy: () => null,
})
admin.on('error', () => {})
let reachable = true
try {
  await admin.connect()
  await admin.ping()
} catch (err) {
  if (process.env.CI) throw new Error(`Redis unreachable at ${REDIS_URL} under CI: ${err}`)
  console.warn(`\n!!! SKIPPING Redis live-store tests: ${REDIS_URL} unreachable (${err}) !!!\n`)
  reachable = false
}

/** Every key under `prefix` (SCAN, not KEYS: the Redis is shared). */
async function keysOf(prefix: string) {
  const out: string[] = []
  let cursor = '0'
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000)
    cursor = next
    out.push(...keys)
  } while (cursor !== '0')
  return out.sort()
}

/** Lasting keys of one event (not the expiring actionId and rate-window ones), with length and bytes. */
async function footprintOf(prefix: string, eventId: number): Promise<Footprint> {
  const base = `${prefix}:{e${eventId}}:`
  const out: Footprint = {}
  for (const key of await keysOf(base.slice(0, -1))) {
    const name = key.slice(base.length)
    if (/^(a|rv|rm):/.test(name)) continue
    const type = await admin.type(key)
    const length =
      type === 'hash'
        ? await admin.hlen(key)
        : type === 'zset'
          ? await admin.zcard(key)
          : type === 'set'
            ? await admin.scard(key)
            : type === 'list'
              ? await admin.llen(key)
              : type === 'stream'
                ? await admin.xlen(key)
                : 1
    const bytes = Number(await admin.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'))
    out[name] = { length, bytes }
  }
  return out
}

const newPrefix = () => `gbtest-${randomBytes(5).toString('hex')}`

if (reachable) {
  afterAll(() => admin.disconnect())

  describeLiveStore('redis', async ({ retention, messagesKept }) => {
    const prefix = newPrefix()
    const store = await RedisLiveStore.connect(REDIS_URL, { prefix, retention, messagesKept })
    return {
      store,
      cleanup: async () => {
        await store.close()
        await deleteRedisPrefix(REDIS_URL, prefix)
      },
      footprint: (eventId) => footprintOf(prefix, eventId),
    }
  })

  test('redis: every key of an event shares its hash tag', async () => {
    const prefix = newPrefix()
    const store = await RedisLiveStore.connect(REDIS_URL, { prefix, retention: 10 })
    try {
      await store.loadEvent(3, {
        status: 'live',
        message: '',
        wristbands: [{ number: 1, codeHash: 'h1', revoked: false }],
        checkins: [],
        polls: [{ id: 1, question: 'q', open: true, closed: false, options: [{ id: 1, label: 'a' }] }],
        votes: [],
        messages: [],
        raffles: [],
        show: null,
        maxMessageId: 0,
        maxRev: 0,
      })
      await store.checkin(3, 'h1', Date.now())
      await store.vote(3, {
        number: 1,
        pollId: 1,
        optionId: 1,
        actionId: 'abcdefgh',
        now: Date.now(),
        limit: { count: 5, windowMs: 1000 },
      })
      await store.message(3, {
        number: 1,
        text: 'hi',
        held: false,
        actionId: 'ijklmnop',
        now: Date.now(),
        limit: { count: 5, windowMs: 1000 },
      })
      await store.acquireLease('ticker:3', 'me', 5000)
      await store.appendDelta(3, 'me', 1, '{"seq":1}', {
        snapshot: {
          v: 1,
          seq: 1,
          status: 'live',
          message: '',
          checkins: 1,
          polls: [],
          danmaku: [],
          raffles: [],
          show: null,
        },
        admin: { held: [], recentCheckins: [] },
        feedCursor: 1,
      })
      await store.readQueue(3, 'c', 10, 1000)
      const keys = await keysOf(prefix)
      const outside = keys.filter((k) => !k.startsWith(`${prefix}:{e3}:`))
      expect(outside).toEqual([`${prefix}:events`])
      expect(keys).toContain(`${prefix}:{e3}:lease`)
      expect(keys).toContain(`${prefix}:{e3}:q`)
      expect(keys).toContain(`${prefix}:{e3}:log`)
    } finally {
      await store.close()
      await deleteRedisPrefix(REDIS_URL, prefix)
    }
  })

  test('redis: ping is false, not a throw or a hang, when Redis is unreachable', async () => {
    const redis = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: () => null,
    })
    redis.on('error', () => {})
    const store = new RedisLiveStore(redis, { prefix: newPrefix(), retention: 10 })
    const started = Date.now()
    expect(await store.ping()).toBe(false)
    expect(Date.now() - started).toBeLessThan(3000)
    await expect(store.isLoaded(1)).rejects.toThrow()
    await store.close()
  })

  test('redis: close ends a blocked tail with []', async () => {
    const prefix = newPrefix()
    const store = await RedisLiveStore.connect(REDIS_URL, { prefix, retention: 10 })
    const tail = store.tailLog(1, 0, 10_000)
    await Bun.sleep(50)
    const started = Date.now()
    await store.close()
    expect(await tail).toEqual([])
    expect(Date.now() - started).toBeLessThan(1000)
    await deleteRedisPrefix(REDIS_URL, prefix)
  })

  test('redis: the write queue survives a lost consumer group', async () => {
    const prefix = newPrefix()
    const store = await RedisLiveStore.connect(REDIS_URL, { prefix, retention: 10 })
    try {
      await store.loadEvent(1, {
        status: 'live',
        message: '',
        wristbands: [{ number: 1, codeHash: 'h', revoked: false }],
        checkins: [],
        polls: [],
        votes: [],
        messages: [],
        raffles: [],
        show: null,
        maxMessageId: 0,
        maxRev: 0,
      })
      await store.checkin(1, 'h', 5)
      expect((await store.readQueue(1, 'a', 10, 60_000)).length).toBe(1)
      // As after a Redis restart that kept the stream but not this process's knowledge of the group.
      await admin.xgroup('DESTROY', `${prefix}:{e1}:q`, 'flushers')
      const entries = await store.readQueue(1, 'a', 10, 60_000)
      expect(entries.map((e) => e.item)).toEqual([{ t: 'checkin', number: 1, at: 5 }])
    } finally {
      await store.close()
      await deleteRedisPrefix(REDIS_URL, prefix)
    }
  })

  /**
   * Runs a seeded random workload on both backends, step by step. With a small
   * `messagesKept`, most moderation and hidden checks meet messages already dropped
   * from the live history (and held or fed ones that outlive it).
   */
  const randomWorkload = async (messagesKept?: number) => {
    const prefix = newPrefix()
    const redis = await RedisLiveStore.connect(REDIS_URL, { prefix, retention: 50, messagesKept })
    const memory = new MemoryLiveStore(50, { messagesKept })
    const E = 1
    const T0 = 1_700_000_000_000
    // mulberry32: seeded, so a failure replays exactly.
    let state = 20240601
    const rnd = (n: number) => {
      state = (state + 0x6d2b79f5) | 0
      let t = Math.imul(state ^ (state >>> 15), 1 | state)
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
      return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n)
    }
    /** Runs one step on both stores and expects the same answer. */
    const both = async <T>(what: string, f: (s: LiveStore) => Promise<T>): Promise<T> => {
      const a = await f(memory)
      const b = await f(redis)
      expect({ what, result: b }).toEqual({ what, result: a } as never)
      return a
    }
    const polls: PollDef[] = [1, 2, 3].map((id) => ({
      id,
      question: `q${id}`,
      open: id !== 3,
      closed: false,
      options: [1, 2, 3].map((o) => ({ id: id * 10 + o, label: `o${o}` })),
    }))
    const seed: EventSeed = {
      status: 'live',
      message: 'hello',
      wristbands: Array.from({ length: 30 }, (_, i) => ({ number: i + 1, codeHash: `h${i + 1}`, revoked: i >= 28 })),
      checkins: [3, 1, 2].map((n) => ({ number: n, at: T0 - 100 + n })),
      polls,
      votes: [
        { pollId: 1, number: 1, optionId: 11 },
        { pollId: 1, number: 2, optionId: 13 },
        { pollId: 2, number: 1, optionId: 22 },
      ],
      messages: [
        { id: 1, number: 1, text: 'old visible', state: 'visible', at: T0 - 50 },
        { id: 2, number: 2, text: 'old held', state: 'held', at: T0 - 40 },
        { id: 3, number: 3, text: 'old hidden', state: 'hidden', at: T0 - 30 },
      ],
      raffles: [],
      show: null,
      maxMessageId: 3,
      maxRev: 3,
    }
    try {
      await both('load', (s) => s.loadEvent(E, seed))
      const voteIds: [number, string][] = []
      const messageIds: [number, string][] = []
      let nextBand = 31
      let maxMessage = 3
      let cursor = 0
      const seen = new Set<string>()
      for (let i = 0; i < 1500; i++) {
        const now = T0 + i * 37
        const op = rnd(100)
        // Mostly a few busy wristbands (to meet rate limits), sometimes unknown ones (31, 32).
        const number = rnd(4) === 0 ? 1 + rnd(32) : 1 + rnd(6)
        if (op < 15) {
          await both(`checkin ${i}`, (s) => s.checkin(E, `h${number}`, now))
        } else if (op < 50) {
          const reuse = voteIds.length > 0 && rnd(8) === 0 ? voteIds[rnd(voteIds.length)] : null
          const pollId = 1 + rnd(4)
          const input = {
            number: reuse ? reuse[0] : number,
            pollId,
            optionId: pollId * 10 + 1 + rnd(4),
            actionId: reuse ? reuse[1] : `v-${i}-action`,
            now,
            limit: { count: 2, windowMs: 4000 },
          }
          const r = await both(`vote ${i}`, (s) => s.vote(E, input))
          seen.add(r.ok ? `vote:${r.duplicate ? 'duplicate' : 'ok'}` : `vote:${r.error}`)
          if (r.ok && !reuse) voteIds.push([input.number, input.actionId])
        } else if (op < 75) {
          const reuse = messageIds.length > 0 && rnd(6) === 0 ? messageIds[rnd(messageIds.length)] : null
          const input = {
            number: reuse ? reuse[0] : number,
            text: `m${i} "${'x'.repeat(rnd(5))}" ü`,
            held: rnd(3) === 0,
            actionId: reuse ? reuse[1] : `m-${i}-action`,
            now,
            limit: { count: 2, windowMs: 3000 },
          }
          const r = await both(`message ${i}`, (s) => s.message(E, input))
          seen.add(r.ok ? `message:${r.duplicate ? 'duplicate' : r.held ? 'held' : 'ok'}` : `message:${r.error}`)
          if (r.ok && !reuse) {
            messageIds.push([input.number, input.actionId])
            maxMessage = Math.max(maxMessage, r.id)
          }
        } else if (op < 85) {
          const id = 1 + rnd(maxMessage + 2)
          const to = rnd(2) ? 'visible' : 'hidden'
          await both(`moderate ${i}`, (s) => s.moderate(E, id, to, now))
        } else if (op < 88) {
          const p = polls[rnd(3)]
          p.open = !p.open
          p.closed = !p.open
          await both(`putPoll ${i}`, (s) => s.putPoll(E, { ...p, options: [...p.options] }))
        } else if (op < 90) {
          await both(`revoke ${i}`, (s) => s.revokeWristbands(E, [number]))
        } else if (op < 92) {
          const band = { number: nextBand, codeHash: `h${nextBand}`, revoked: false }
          nextBand++
          await both(`add ${i}`, (s) => s.addWristbands(E, [band]))
        } else if (op < 96) {
          const ask = [1 + rnd(maxMessage), 1 + rnd(maxMessage)]
          const live = await both(`readLive ${i}`, (s) => s.readLive(E, cursor, ask))
          cursor = rnd(4) === 0 ? 0 : live.feedCursor
        } else if (op < 98) {
          await both(`votesOf ${i}`, (s) => s.votesOf(E, number))
        } else {
          await both(`isActive ${i}`, (s) => s.isActive(E, number))
        }
      }
      // The workload met every outcome, so the comparison above covered them.
      expect([...seen].sort()).toEqual(
        [
          'message:duplicate',
          'message:held',
          'message:ok',
          'message:rate_limited',
          'message:revoked',
          'vote:duplicate',
          'vote:ok',
          'vote:poll_not_open',
          'vote:rate_limited',
          'vote:revoked',
          'vote:unknown_option',
          'vote:unknown_poll',
        ].sort(),
      )
      await both('final readLive', (s) => s.readLive(E, 0, [1, 2, 3]))
      await both('checkedIn', async (s) => (await s.checkedIn(E)).sort((a, b) => a - b))
      await both('queue', async (s) => {
        const entries = await s.readQueue(E, 'x', 100_000, 60_000)
        await s.ackQueue(
          E,
          entries.map((e) => e.id),
        )
        return entries.map((e) => e.item)
      })
      // Redis holds exactly what something refers to: a state for the history and the held
      // ones, a text for those and the feed. Nothing else is left behind.
      const key = (name: string) => `${prefix}:{e${E}}:${name}`
      const ids = async (name: string) => await admin.zrange(key(name), 0, -1)
      const [mids, held, feed] = [await ids('mids'), await ids('held'), await ids('feed')]
      const sorted = (list: string[]) => [...new Set(list)].map(Number).sort((a, b) => a - b)
      expect(sorted(await admin.hkeys(key('mstate')))).toEqual(sorted([...mids, ...held]))
      expect(sorted(await admin.hkeys(key('msgs')))).toEqual(sorted([...mids, ...held, ...feed]))
      if (messagesKept) expect(mids.length).toBe(messagesKept)
    } finally {
      await redis.close()
      await memory.close()
      await deleteRedisPrefix(REDIS_URL, prefix)
    }
  }

  test('redis: a random workload gets exactly the answers of the memory backend', () => randomWorkload())

  test('redis: the same random workload with a message history of 20, most of it dropped', () => randomWorkload(20))
} else {
  test.skip('redis live store (Redis unreachable)', () => {})
}
