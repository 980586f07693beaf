/**
 * Cluster mode on a real Redis Cluster: three masters of the test's own (no replicas),
 * REDIS_URL=redis+cluster://... The counter-layer conformance suites run against it as
 * test/live/redis.test.ts runs them against one Redis, then one cluster-mode server walks
 * the guest path end to end, with its events spread over more than one master.
 * Without redis-server the file is skipped loudly, except under CI=true.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { randomBytes } from 'node:crypto'
import { and, count, eq } from 'drizzle-orm'
import type { Cluster } from 'ioredis'
import Redis from 'ioredis'
import { checkins, messages, questions, responses } from '../../db/schema.ts'
import { applyDelta, type Delta, type Snapshot } from '../../protocol/index.ts'
import { deleteRedisPrefix } from '../../scripts/scratch-backends.ts'
import type { RedisDeltaLog } from '../../server/live/log/redis.ts'
import { connectRedis, redisLive } from '../../server/live/redis.ts'
import { describeCounters } from '../live/counters.suite.ts'
import { describeEngagement } from '../live/engagement.suite.ts'
import { describeLeases } from '../live/leases.suite.ts'
import { describeLog } from '../live/log.suite.ts'
import { describeQueue } from '../live/queue.suite.ts'
import { baseSeed, E, E2, footprintOf, type MakeLayer } from '../live/suite-support.ts'
import {
  checkIn,
  clusterReachable,
  json,
  seedEvent,
  startTestServer,
  type TestServer,
  until,
} from '../support/backends.ts'
import { PrivateRedisCluster } from '../support/redis-cluster.ts'
import { SseReader } from '../support/sse.ts'

function available() {
  if (Bun.which('redis-server') && Bun.which('redis-cli')) return true
  if (process.env.CI) throw new Error('the Redis Cluster tests need redis-server and redis-cli under CI')
  console.warn('\n!!! SKIPPING Redis Cluster tests: no redis-server or redis-cli !!!\n')
  return false
}

const skip = !available()
const rc = new PrivateRedisCluster(3)
let admin: Cluster

beforeAll(async () => {
  if (skip) return
  await rc.start()
  admin = await rc.client()
}, 30_000)

afterAll(async () => {
  if (skip) return
  admin?.disconnect()
  await rc.stop()
})

const newPrefix = () => `gbrc-${randomBytes(5).toString('hex')}`

/** Every key under `prefix`, from every master. */
async function keysOf(prefix: string) {
  const out: string[] = []
  for (const node of admin.nodes('master')) {
    let cursor = '0'
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000)
      cursor = next
      out.push(...keys)
    } while (cursor !== '0')
  }
  return out.sort()
}

/** As redis.test.ts: lasting keys of one event, each read on the master that holds it. */
const footprintSource = { keysOf, clientOf: nodeOf }

/** The master connection holding `key` (MEMORY USAGE names its key second, so it is routed by hand). */
async function nodeOf(key: string) {
  const owner = admin.slots[Number(await admin.cluster('KEYSLOT', key))]?.[0]
  const node = admin.nodes('master').find((n) => `${n.options.host}:${n.options.port}` === owner)
  if (!node) throw new Error(`no master for ${key}`)
  return node
}

if (!skip) {
  const make: MakeLayer = async ({ retention, messagesKept }) => {
    const prefix = newPrefix()
    const live = redisLive(await connectRedis(rc.url), { prefix, retention, messagesKept })
    return {
      live,
      cleanup: async () => {
        await live.close()
        await deleteRedisPrefix(rc.url, prefix)
      },
      footprint: (eventId) => footprintOf(footprintSource, prefix, eventId),
    }
  }
  describeCounters('redis cluster', make)
  describeEngagement('redis cluster', make)
  describeQueue('redis cluster', make)
  describeLog('redis cluster', make)
  describeLeases('redis cluster', make)
}

/** Whether `key` exists on the master at `address` ("host:port"), asked of that process alone. */
async function existsOn(address: string, key: string) {
  try {
    return (await onMaster(address, (r) => r.exists(key))) === 1
  } catch (err) {
    // A master that does not serve the key's slot redirects: the key is not there.
    if (String(err).includes('MOVED')) return false
    throw err
  }
}

/** Runs `fn` on a connection to that one master ("host:port"), not through the Cluster client. */
async function onMaster<T>(address: string, fn: (r: Redis) => Promise<T>) {
  const [host, port] = address.split(':')
  const r = new Redis(Number(port), host!, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
  try {
    await r.connect()
    return await fn(r)
  } finally {
    r.disconnect()
  }
}

const runId = (address: string) =>
  onMaster(address, async (r) => /run_id:(\w+)/.exec(await r.info('server'))?.[1] ?? '')

describe('counter layer on a Redis Cluster: what needs more than one slot', () => {
  test.skipIf(skip)("the suites' two events live on different masters, and each key on its own one", async () => {
    const prefix = newPrefix()
    const live = redisLive(await connectRedis(rc.url), { prefix, retention: 10 })
    try {
      await live.counters.loadEvent(E, baseSeed())
      await live.counters.loadEvent(E2, baseSeed())
      const a = await rc.masterOf(`${prefix}:{e${E}}:loaded`)
      const b = await rc.masterOf(`${prefix}:{e${E2}}:loaded`)
      expect(a).not.toBe(b)
      expect(await existsOn(a, `${prefix}:{e${E}}:loaded`)).toBe(true)
      expect(await existsOn(b, `${prefix}:{e${E}}:loaded`)).toBe(false)
      expect(await existsOn(b, `${prefix}:{e${E2}}:loaded`)).toBe(true)
      // The events set has a slot of its own; every event is in it whatever master holds the event.
      expect(await live.queue.events()).toEqual([E, E2])
    } finally {
      await live.close()
      await deleteRedisPrefix(rc.url, prefix)
    }
    expect(await keysOf(prefix)).toEqual([])
  })

  test.skipIf(skip)('ping asks every master; two tails block at once on two masters', async () => {
    const prefix = newPrefix()
    const live = redisLive(await connectRedis(rc.url), { prefix, retention: 10 })
    try {
      expect(await live.ping()).toBe(true)
      for (const id of [E, E2]) expect(await live.leases.acquire(`ticker:${id}`, 'me', 5000)).toBe(true)
      const tails = [E, E2].map((id) => live.log.tail(id, 0, 5000))
      await until(() => (live.log as RedisDeltaLog).blockedTails === 2, 2000, 10)
      expect(await live.log.append(E, 'me', 1, '{"seq":1}', '{}')).toBe(true)
      expect(await live.log.append(E2, 'me', 1, '{"seq":1,"e":8}', '{}')).toBe(true)
      const [t1, t2] = await Promise.all(tails)
      expect(t1).toEqual([{ seq: 1, json: '{"seq":1}' }])
      expect(t2).toEqual([{ seq: 1, json: '{"seq":1,"e":8}' }])
    } finally {
      await live.close()
      await deleteRedisPrefix(rc.url, prefix)
    }
  })

  test.skipIf(skip)('shared rate-limit buckets are cleared on every master', async () => {
    const prefix = newPrefix()
    const live = redisLive(await connectRedis(rc.url), { prefix, retention: 10 })
    const spec = { burst: 1, perSecond: 0.001 }
    try {
      // Enough keys that their slots cover every master.
      const keys = Array.from({ length: 30 }, (_, i) => `k${i}`)
      for (const k of keys) expect(await live.buckets!.take('t', k, spec)).toBe(true)
      for (const k of keys) expect(await live.buckets!.take('t', k, spec)).toBe(false)
      const masters = new Set(await Promise.all(keys.map((k) => rc.masterOf(`${prefix}:lim:t:${k}`))))
      expect(masters.size).toBe(3)
      await live.buckets!.clear('t')
      for (const k of keys) expect(await live.buckets!.take('t', k, spec)).toBe(true)
    } finally {
      await live.close()
      await deleteRedisPrefix(rc.url, prefix)
    }
  })
})

describe('cluster mode on a Redis Cluster, end to end', async () => {
  const noBackends = skip || !(await clusterReachable())
  let server: TestServer
  let base: string
  let events: Awaited<ReturnType<typeof seedEvent>>[] = []

  beforeAll(async () => {
    if (noBackends) return
    server = await startTestServer('cluster', { env: { REDIS_URL: rc.url } })
    server.app.listen({ port: 0, hostname: '127.0.0.1' })
    base = `http://127.0.0.1:${server.app.server!.port}`
    // Events 1..4 of a fresh database: hash tags {e1}..{e4}, on more than one master.
    for (let i = 0; i < 4; i++) events.push(await seedEvent(server, { wristbands: 8 }))
  }, 30_000)

  afterAll(async () => {
    if (noBackends) return
    await server.app.stop(true)
    await server.stop()
    events = []
  })

  test.skipIf(noBackends)("the events' live state is spread over more than one master", async () => {
    expect(server.config.REDIS_URL).toBe(rc.url)
    const masters = new Map<number, string>()
    for (const { event } of events) {
      const key = `${server.config.REDIS_PREFIX}:{e${event.id}}:loaded`
      const master = await rc.masterOf(key)
      expect(await existsOn(master, key)).toBe(true)
      masters.set(event.id, master)
    }
    expect(new Set(masters.values()).size).toBeGreaterThan(1)
  })

  test.skipIf(noBackends)(
    'check-in, vote, danmaku, Q&A and a raffle on two events of two masters: streamed and in Postgres',
    async () => {
      // One event from each of two masters.
      const byMaster = new Map<string, (typeof events)[number]>()
      for (const e of events) {
        byMaster.set(await rc.masterOf(`${server.config.REDIS_PREFIX}:{e${e.event.id}}:loaded`), e)
      }
      const picked = [...byMaster.values()].slice(0, 2)
      expect(picked.length).toBe(2)
      for (const seeded of picked) await guestPath(seeded)
    },
    40_000,
  )

  // Last in the file: it takes one master down and brings it back empty.
  test.skipIf(noBackends)(
    'kill -9 of one master: its guests get 503, then the event is rebuilt from Postgres on the empty master',
    async () => {
      const seeded = events[0]!
      const { slug, id: eventId } = seeded.event
      const key = `${server.config.REDIS_PREFIX}:{e${eventId}}:loaded`
      const master = await rc.masterOf(key)
      const index = rc.ports.indexOf(Number(master.split(':')[1]))
      expect(index).toBeGreaterThanOrEqual(0)
      const cookie = await checkIn(server, slug, seeded.wristbands[7]!.code)
      const poll = (await (
        await server.fetch(
          `/api/admin/events/${slug}/polls`,
          json(
            { question: 'After the fault?', options: ['Yes', 'No'] },
            { authorization: `Bearer ${seeded.hostSecret}` },
          ),
        )
      ).json()) as { id: number; options: { id: number }[] }
      await server.fetch(
        `/api/admin/events/${slug}/polls/${poll.id}/open`,
        json({}, { authorization: `Bearer ${seeded.hostSecret}` }),
      )
      const vote = (optionId: number) =>
        server.fetch(`/api/events/${slug}/votes`, json({ pollId: poll.id, optionId }, { cookie }))
      expect((await vote(poll.options[0]!.id)).status).toBe(202)
      await until(async () => (await server.rt.live.queue.depth(eventId)) === 0, 10_000)

      const snapshot = async () =>
        (await (await server.fetch(`/api/events/${slug}/snapshot`)).json()).snapshot as Snapshot
      const checkinsBefore = (await server.rt.live.counters.checkedIn(eventId)).length
      expect(checkinsBefore).toBeGreaterThan(0)
      await until(async () => (await snapshot()).checkins === checkinsBefore, 5000, 50)
      // The event was loaded by this master process (`loaded` holds its run id).
      const before = await runId(master)
      expect(await onMaster(master, (r) => r.get(key))).toBe(before)

      await rc.kill(index)
      try {
        await until(async () => !(await server.rt.live.ping()), 10_000, 100)
        // A 503 (retry), not a 500: the phone keeps the vote and sends it again.
        const answers = new Set<number>()
        await until(
          async () => {
            const status = (await vote(poll.options[1]!.id)).status
            answers.add(status)
            return status === 503
          },
          15_000,
          200,
        )
        expect([...answers]).toEqual([503])
      } finally {
        await rc.restart(index)
      }
      const after = await runId(master)
      expect(after).not.toBe(before)
      // Back: the event is loaded again from Postgres (its check-ins and the first vote) and takes the change.
      await until(async () => (await vote(poll.options[1]!.id)).status === 202, 20_000, 200)
      expect(await onMaster(master, (r) => r.get(key))).toBe(after)
      expect(await server.rt.live.ping()).toBe(true)
      await until(
        async () => {
          const snap = await snapshot()
          const votes = snap.polls.find((p) => p.id === poll.id)?.options.map((o) => o.votes)
          return snap.checkins === checkinsBefore && JSON.stringify(votes) === '[0,1]'
        },
        10_000,
        100,
      )
    },
    60_000,
  )

  async function guestPath(seeded: (typeof events)[number]) {
    const { slug, id: eventId } = seeded.event
    const host = { authorization: `Bearer ${seeded.hostSecret}` }
    const made = await server.fetch(
      `/api/admin/events/${slug}/polls`,
      json({ question: 'Best colour?', options: ['Red', 'Green', 'Blue'] }, host),
    )
    const poll = (await made.json()) as { id: number; options: { id: number }[] }
    expect((await server.fetch(`/api/admin/events/${slug}/polls/${poll.id}/open`, json({}, host))).status).toBe(200)

    const stream = await SseReader.open(`${base}/api/events/${slug}/stream`)
    try {
      let first = await stream.nextEvent(5000)
      while (first?.event === 'health') first = await stream.nextEvent(5000)
      expect(first?.event).toBe('snapshot')
      let view = JSON.parse(first!.data!) as Snapshot

      const guests = await Promise.all(seeded.wristbands.slice(0, 6).map((w) => checkIn(server, slug, w.code)))
      const choice = [0, 0, 1, 2, 0, 1]
      for (const [i, cookie] of guests.entries()) {
        const r = await server.fetch(
          `/api/events/${slug}/votes`,
          json({ pollId: poll.id, optionId: poll.options[choice[i]!]!.id }, { cookie }),
        )
        expect(r.status).toBe(202)
      }
      const sent = await server.fetch(
        `/api/events/${slug}/messages`,
        json({ text: `hello from e${eventId}` }, { cookie: guests[0]! }),
      )
      expect(sent.status).toBe(202)
      const asked = await server.fetch(
        `/api/events/${slug}/questions`,
        json({ text: `a question for e${eventId}?` }, { cookie: guests[1]! }),
      )
      expect(asked.status).toBe(202)
      const question = (await asked.json()) as { id: number }
      const up = await server.fetch(
        `/api/events/${slug}/questions/${question.id}/upvote`,
        json({}, { cookie: guests[2]! }),
      )
      expect(up.status).toBeLessThan(300)

      // The screen's stream: snapshot plus deltas reach what the guests did.
      const want = [3, 2, 1]
      const reached = (s: Snapshot) =>
        s.checkins === 6 &&
        JSON.stringify(s.polls.find((p) => p.id === poll.id)?.options.map((o) => o.votes)) === JSON.stringify(want) &&
        s.danmaku.some((d) => d.text === `hello from e${eventId}`) &&
        s.questions.some((q) => q.id === question.id && q.votes === 1)
      const deadline = Date.now() + 10_000
      while (!reached(view) && Date.now() < deadline) {
        const f = await stream.nextEvent(500)
        if (f?.event === 'delta') view = applyDelta(view, JSON.parse(f.data!) as Delta)
        else if (f?.event === 'snapshot') view = JSON.parse(f.data!) as Snapshot
      }
      expect(reached(view)).toBe(true)

      const raffle = (await (
        await server.fetch(`/api/admin/events/${slug}/raffles`, json({ name: 'T-shirt', winners: 2 }, host))
      ).json()) as { id: number }
      const draw = await server.fetch(`/api/admin/events/${slug}/raffles/${raffle.id}/draw`, json({}, host))
      expect(draw.status).toBe(200)
      const drawn = (await draw.json()) as { winners: number[] }
      const checkedIn = new Set(await server.rt.live.counters.checkedIn(eventId))
      expect(checkedIn.size).toBe(6)
      expect(drawn.winners.length).toBe(2)
      for (const n of drawn.winners) expect(checkedIn.has(n)).toBe(true)
    } finally {
      await stream.close()
    }

    // The flusher drained this event's queue into Postgres.
    await until(async () => (await server.rt.live.queue.depth(eventId)) === 0, 10_000)
    const db = server.rt.database.db
    const n = async (q: Promise<{ n: number }[]>) => Number((await q)[0]!.n)
    await until(
      async () =>
        (await n(db.select({ n: count() }).from(responses).where(eq(responses.interactionId, poll.id)))) === 6 &&
        (await n(db.select({ n: count() }).from(checkins).where(eq(checkins.eventId, eventId)))) === 6 &&
        (await n(
          db
            .select({ n: count() })
            .from(messages)
            .where(and(eq(messages.eventId, eventId), eq(messages.text, `hello from e${eventId}`))),
        )) === 1 &&
        (await n(db.select({ n: count() }).from(questions).where(eq(questions.eventId, eventId)))) === 1,
      10_000,
      50,
    )
  }
})
