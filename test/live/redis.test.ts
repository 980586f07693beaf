/**
 * The counter-layer conformance suites against Redis (REDIS_URL, default the local one).
 * Each test gets its own key prefix and deletes its keys afterwards: the Redis is shared.
 * Without a reachable Redis the suite is skipped loudly, except under CI=true.
 */

import { afterAll, expect, test } from 'bun:test'
import { randomBytes } from 'node:crypto'
import Redis from 'ioredis'
import { deleteRedisPrefix } from '../../scripts/scratch-backends.ts'
import type { EventSeed, InteractionDef, LiveCounters } from '../../server/live/counters/types.ts'
import { type LiveLayer, openMemoryLive } from '../../server/live/index.ts'
import { connectRedis, redisLive } from '../../server/live/redis.ts'
import { describeCounters } from './counters.suite.ts'
import { describeEngagement } from './engagement.suite.ts'
import { describeLeases } from './leases.suite.ts'
import { describeLog } from './log.suite.ts'
import { describeQueue } from './queue.suite.ts'
import { footprintOf, type MakeLayer, poll, seededVote, vote as voteInput } from './suite-support.ts'

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

/** Lasting keys of one event, on the shared Redis. */
const footprintSource = { keysOf, clientOf: async () => admin }

const newPrefix = () => `gbtest-${randomBytes(5).toString('hex')}`

const connect = async (prefix: string, retention: number, messagesKept?: number) =>
  redisLive(await connectRedis(REDIS_URL), { prefix, retention, messagesKept })

const emptySeed = (over: Partial<EventSeed> = {}): EventSeed => ({
  status: 'live',
  message: '',
  wristbands: [],
  checkins: [],
  interactions: [],
  responses: [],
  messages: [],
  raffles: [],
  show: null,
  maxMessageId: 0,
  maxRev: 0,
  ...over,
})

if (reachable) {
  afterAll(() => admin.disconnect())

  const make: MakeLayer = async ({ retention, messagesKept }) => {
    const prefix = newPrefix()
    const live = await connect(prefix, retention, messagesKept)
    return {
      live,
      cleanup: async () => {
        await live.close()
        await deleteRedisPrefix(REDIS_URL, prefix)
      },
      footprint: (eventId) => footprintOf(footprintSource, prefix, eventId),
    }
  }
  describeCounters('redis', make)
  describeEngagement('redis', make)
  describeQueue('redis', make)
  describeLog('redis', make)
  describeLeases('redis', make)

  test('redis: every key of an event shares its hash tag', async () => {
    const prefix = newPrefix()
    const live = await connect(prefix, 10)
    try {
      await live.counters.loadEvent(
        3,
        emptySeed({ wristbands: [{ number: 1, codeHash: 'h1', revoked: false }], interactions: [poll(1)] }),
      )
      await live.counters.checkin(3, 'h1', Date.now())
      await live.counters.respond(3, voteInput(1, 1, 11, { actionId: 'abcdefgh' }))
      await live.counters.message(3, {
        number: 1,
        text: 'hi',
        held: false,
        actionId: 'ijklmnop',
        now: Date.now(),
        limit: { count: 5, windowMs: 1000 },
      })
      await live.leases.acquire('ticker:3', 'me', 5000)
      await live.log.append(3, 'me', 1, '{"seq":1}', '{"feedCursor":1}')
      await live.queue.read(3, 'c', 10, 1000)
      await live.queue.deadLetter(3, (await live.queue.read(3, 'c', 1, 0)).slice(0, 1), 'test')
      const keys = await keysOf(prefix)
      const outside = keys.filter((k) => !k.startsWith(`${prefix}:{e3}:`))
      expect(outside).toEqual([`${prefix}:events`])
      for (const name of ['lease', 'q', 'log', 'dead', 'idefs', 'c:1', 'r:1'])
        expect(keys).toContain(`${prefix}:{e3}:${name}`)
    } finally {
      await live.close()
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
    const live = redisLive(redis, { prefix: newPrefix(), retention: 10 })
    const started = Date.now()
    expect(await live.ping()).toBe(false)
    expect(Date.now() - started).toBeLessThan(3000)
    await expect(live.counters.isLoaded(1)).rejects.toThrow()
    await live.close()
  })

  test('redis: close ends a blocked tail with []', async () => {
    const prefix = newPrefix()
    const live = await connect(prefix, 10)
    const tail = live.log.tail(1, 0, 10_000)
    await Bun.sleep(50)
    const started = Date.now()
    await live.close()
    expect(await tail).toEqual([])
    expect(Date.now() - started).toBeLessThan(1000)
    await deleteRedisPrefix(REDIS_URL, prefix)
  })

  test('redis: the write queue survives a lost consumer group', async () => {
    const prefix = newPrefix()
    const live = await connect(prefix, 10)
    try {
      await live.counters.loadEvent(1, emptySeed({ wristbands: [{ number: 1, codeHash: 'h', revoked: false }] }))
      await live.counters.checkin(1, 'h', 5)
      expect((await live.queue.read(1, 'a', 10, 60_000)).length).toBe(1)
      // As after a Redis restart that kept the stream but not this process's knowledge of the group.
      await admin.xgroup('DESTROY', `${prefix}:{e1}:q`, 'flushers')
      const entries = await live.queue.read(1, 'a', 10, 60_000)
      expect(entries.map((e) => e.item)).toEqual([{ t: 'checkin', number: 1, at: 5 }])
    } finally {
      await live.close()
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
    const redis = await connect(prefix, 50, messagesKept)
    const memory = await openMemoryLive({ retention: 50, messagesKept, queueFile: null })
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
    const both = async <T>(what: string, f: (s: LiveCounters, layer: LiveLayer) => Promise<T>): Promise<T> => {
      const a = await f(memory.counters, memory)
      const b = await f(redis.counters, redis)
      expect({ what, result: b }).toEqual({ what, result: a } as never)
      return a
    }
    const options = (id: number) => [1, 2, 3].map((o) => ({ id: id * 10 + o, label: `o${o}` }))
    const open = new Map([1, 2, 3].map((id) => [id, id !== 3]))
    const pollDef = (id: number): InteractionDef =>
      poll(id, { question: `q${id}`, open: open.get(id), closed: !open.get(id) && id !== 3, options: options(id) })
    const polls = [1, 2, 3].map(pollDef)
    const seed: EventSeed = {
      status: 'live',
      message: 'hello',
      wristbands: Array.from({ length: 30 }, (_, i) => ({ number: i + 1, codeHash: `h${i + 1}`, revoked: i >= 28 })),
      checkins: [3, 1, 2].map((n) => ({ number: n, at: T0 - 100 + n })),
      interactions: polls,
      responses: [seededVote(1, 1, 11), seededVote(1, 2, 13), seededVote(2, 1, 22)],
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
          const input = voteInput(reuse ? reuse[0] : number, pollId, pollId * 10 + 1 + rnd(4), {
            actionId: reuse ? reuse[1] : `v-${i}-action`,
            now,
            limit: { count: 2, windowMs: 4000 },
          })
          const r = await both(`vote ${i}`, (s) => s.respond(E, input))
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
          const id = 1 + rnd(3)
          open.set(id, !open.get(id))
          await both(`putInteraction ${i}`, (s) => s.putInteraction(E, pollDef(id)))
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
          await both(`responsesOf ${i}`, async (s) =>
            (await s.responsesOf(E, number)).sort((a, b) => a.interactionId - b.interactionId),
          )
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
          'vote:not_open',
          'vote:rate_limited',
          'vote:revoked',
          'vote:unknown_interaction',
          'vote:unknown_key',
        ].sort(),
      )
      await both('final readLive', (s) => s.readLive(E, 0, [1, 2, 3]))
      await both('checkedIn', async (s) => (await s.checkedIn(E)).sort((a, b) => a - b))
      await both('queue', async (_, layer) => {
        const entries = await layer.queue.read(E, 'x', 100_000, 60_000)
        await layer.queue.ack(
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
  test.skip('redis counter layer (Redis unreachable)', () => {})
}
