/**
 * Every stream resource has an owner and an end:
 * - a channel (and its follow loop, and in cluster mode the Redis connection its tail
 *   blocks on) lives while it has subscribers or is asked for, not for the life of the process;
 * - the ticker forgets an event that leaves, and gives its lease up;
 * - a request for a new channel while the counter layer is down is a 503 within a bound;
 * - after the counter layer lost its log, a client resuming from the old history gets a
 *   fresh snapshot, never the new history's deltas applied to its old state (epochs).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import Redis from 'ioredis'
import { scratchBackends } from '../../scripts/scratch-backends.ts'
import type { RedisDeltaLog } from '../../server/live/log/redis.ts'
import {
  BACKENDS,
  clusterReachable,
  json,
  seedEvent,
  startTestServer,
  TEST_DATABASE_URL,
  type TestServer,
  until,
} from '../support/backends.ts'
import { PrivateRedis } from '../support/redis-server.ts'
import { SseReader } from '../support/sse.ts'

const listen = (server: TestServer) => {
  server.app.listen({ port: 0, hostname: '127.0.0.1' })
  return `http://127.0.0.1:${server.app.server!.port}`
}

for (const backend of BACKENDS) {
  describe(`stream lifetimes (${backend})`, async () => {
    const skip = backend === 'cluster' && !(await clusterReachable())
    let server: TestServer
    let base: string

    beforeAll(async () => {
      if (skip) return
      server = await startTestServer(backend, { env: { CHANNEL_IDLE_MS: '300' } })
      base = listen(server)
    })
    afterAll(async () => {
      if (skip) return
      await server.app.stop(true)
      await server.stop()
    })

    test.skipIf(skip)('a channel ends when its last subscriber left and nobody asked for it lately', async () => {
      const events = await Promise.all(Array.from({ length: 20 }, () => seedEvent(server, { wristbands: 2 })))
      const readers = await Promise.all(events.map((e) => SseReader.open(`${base}/api/events/${e.event.slug}/stream`)))
      for (const r of readers) expect((await r.nextEvent())?.event).toBe('snapshot')
      const channels = () => server.rt.hub.channelCount
      expect(channels()).toBeGreaterThanOrEqual(20)
      const blocked = () => (backend === 'cluster' ? (server.rt.live.log as RedisDeltaLog).blockedTails : 0)
      if (backend === 'cluster') await until(() => blocked() >= 20, 3000)
      // Polling keeps a channel alive too: one event is still asked for.
      const polled = events[0].event.slug
      for (const r of readers) await r.close()
      await until(() => server.rt.hub.subscriberCount === 0, 3000)
      let polling = true
      const poller = (async () => {
        while (polling) {
          expect((await server.fetch(`/api/events/${polled}/snapshot`)).status).toBe(200)
          await Bun.sleep(100)
        }
      })()
      try {
        await Bun.sleep(1500)
        expect(channels()).toBe(1)
        expect(await (await server.fetch('/metrics')).text()).toContain('glowband_stream_channels 1\n')
        // Their follow loops end with them: in cluster mode no tail blocks on Redis for the idle ones.
        await until(() => blocked() <= 1, 7000)
      } finally {
        polling = false
        await poller
      }
    })

    test.skipIf(skip)('the ticker forgets an event that ended, and gives up its lease', async () => {
      const seeded = await seedEvent(server, { wristbands: 3 })
      const lease = `ticker:${seeded.event.id}`
      await until(async () => (await server.rt.live.leases.owner(lease)) === server.config.INSTANCE_ID, 5000)
      const owner = `glowband_ticker_owner{event="${seeded.event.id}"`
      expect(await (await server.fetch('/metrics')).text()).toContain(owner)
      await server.rt.status.setStatus(seeded.event, 'ended', '')
      await until(async () => (await server.rt.live.leases.owner(lease)) === null, 5000)
      expect(server.rt.tickers.stats.owned.has(seeded.event.id)).toBe(false)
      expect(await (await server.fetch('/metrics')).text()).not.toContain(owner)
    })
  })
}

describe('stream lifetimes against a Redis of its own', async () => {
  const skip = !(await clusterReachable())
  let redis: PrivateRedis

  beforeAll(async () => {
    if (skip) return
    redis = await new PrivateRedis({ aof: false }).start()
  })
  afterAll(async () => {
    if (!skip) await redis.stop()
  })

  test.skipIf(skip)('a new channel while Redis is down: 503 with Retry-After within a few seconds', async () => {
    const server = await startTestServer('cluster', { env: { REDIS_URL: redis.url } })
    try {
      const seeded = await seedEvent(server, { wristbands: 2 })
      await redis.kill()
      for (const path of ['snapshot', 'stream']) {
        const started = Date.now()
        const res = await server.fetch(`/api/events/${seeded.event.slug}/${path}`)
        expect({ path, status: res.status, body: res.status === 503 ? '' : await res.text() }).toEqual({
          path,
          status: 503,
          body: '',
        })
        expect(res.headers.get('retry-after')).toBeTruthy()
        expect(await res.json()).toMatchObject({ error: 'unavailable' })
        expect(Date.now() - started).toBeLessThan(5000)
      }
    } finally {
      await redis.start()
      await server.stop()
    }
  })

  test.skipIf(skip)(
    'after Redis lost the log, an id from the old history gets a snapshot, not new deltas',
    async () => {
      // Both instances share one scratch deployment, so stopping the first keeps the database.
      const scratch = await scratchBackends(TEST_DATABASE_URL, redis.url, 'gb_test')
      const share = { databaseUrl: scratch.env.DATABASE_URL, redisPrefix: scratch.env.REDIS_PREFIX }
      const a = await startTestServer('cluster', { share, env: { REDIS_URL: redis.url } })
      let aRunning = true
      let b: TestServer | undefined
      let next = 0
      const seeded = await seedEvent(a, { wristbands: 20 })
      const checkIn = (s: TestServer) =>
        s.fetch(`/api/events/${seeded.event.slug}/checkin`, json({ code: seeded.wristbands[next++].code }))
      const snapshotOf = async (s: TestServer) =>
        (await (await s.fetch(`/api/events/${seeded.event.slug}/snapshot`)).json()).snapshot
      try {
        for (let i = 0; i < 3; i++) await checkIn(a)
        await until(async () => (await snapshotOf(a)).checkins === 3, 5000)
        const old = (await snapshotOf(a)).seq as number
        // Only what reached Postgres survives Redis losing everything: wait for the flush, or the
        // count below is short by whatever was still queued (the loss the README admits).
        await until(async () => (await a.rt.live.queue.depth(seeded.event.id)) === 0, 5000)
        // The instance that ticked goes away with its state, and Redis loses everything. (Were
        // a ticker with its state still running, it would rightly go on with its own history.)
        await a.stop()
        aRunning = false
        const admin = new Redis(redis.url)
        await admin.flushall()
        admin.disconnect()
        // Another one takes over the ticker and makes more deltas than the old history had.
        const fresh = await startTestServer('cluster', { share, env: { REDIS_URL: redis.url } })
        b = fresh
        const baseB = listen(fresh)
        for (let i = 0; i < 8; i++) {
          expect((await checkIn(fresh)).status).toBe(200)
          await Bun.sleep(80)
        }
        await until(async () => (await snapshotOf(fresh)).checkins === 11, 10_000)
        const now = await snapshotOf(fresh)
        expect(now.seq).toBeGreaterThan(old + 8)
        const reader = await SseReader.open(`${baseB}/api/events/${seeded.event.slug}/stream`, {
          'last-event-id': String(old),
        })
        const first = await reader.nextEvent()
        expect(first?.event).toBe('snapshot')
        expect(JSON.parse(first!.data!)).toMatchObject({ checkins: 11 })
        await reader.close()
        const polled = await (await fresh.fetch(`/api/events/${seeded.event.slug}/snapshot?since=${old}`)).json()
        expect(polled.type).toBe('snapshot')
        expect(polled.snapshot.checkins).toBe(11)
      } finally {
        if (aRunning) await a.stop()
        if (b) {
          await b.app.stop(true)
          await b.stop()
        }
        await scratch.drop()
      }
    },
    30_000,
  )
})
