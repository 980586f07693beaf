/**
 * Failure limits hold across instances (issue 12): two cluster instances of one deployment
 * behind a load balancer give an attacker the limit once, not once per instance, because
 * the buckets are in the counter layer (Redis). And with Redis gone, each instance's own
 * bucket still holds.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { FAILED_CHECKINS } from '../../server/guest/service.ts'
import { HOST_GUESSES } from '../../server/host/guard.ts'
import { generateCodes } from '../../server/host/wristbands/codes.ts'
import { FailureLimit } from '../../server/lib/rate-limit.ts'
import { clusterReachable, json, seedEvent, startTestServer, type TestServer } from '../support/backends.ts'

const ATTACKER = '203.0.113.77'

describe('failure limits across two instances (cluster)', async () => {
  const skip = !(await clusterReachable())
  let a: TestServer
  let b: TestServer
  let slug: string
  let code: string
  let lookups = 0

  beforeAll(async () => {
    if (skip) return
    a = await startTestServer('cluster', { env: { TRUST_PROXY: 'true' } })
    b = await startTestServer('cluster', {
      env: { TRUST_PROXY: 'true' },
      share: { databaseUrl: a.config.DATABASE_URL!, redisPrefix: a.config.REDIS_PREFIX },
    })
    const seeded = await seedEvent(a, { wristbands: 3 })
    slug = seeded.event.slug
    code = seeded.wristbands[0].code
    for (const s of [a, b]) {
      const counters = s.rt.live.counters
      const checkin = counters.checkin.bind(counters)
      counters.checkin = (...args) => {
        lookups++
        return checkin(...args)
      }
    }
  })
  afterAll(async () => {
    if (skip) return
    await b.stop()
    await a.stop()
  })
  const fresh = async () => {
    for (const s of [a, b]) {
      await s.rt.guests.failedCheckins.clear()
      await s.rt.hostLimits.failures.clear()
    }
    lookups = 0
  }
  const either = (i: number) => (i % 2 ? b : a)

  test.skipIf(skip)('100 parallel wrong codes over two instances: the burst is looked up once', async () => {
    await fresh()
    const answers = await Promise.all(
      generateCodes(100).map((c, i) =>
        either(i).fetch(`/api/events/${slug}/checkin`, json({ code: c }, { 'x-forwarded-for': ATTACKER })),
      ),
    )
    const notFound = answers.filter((r) => r.status === 404).length
    console.log(`two instances: ${lookups} of 100 wrong codes looked up (limit ${FAILED_CHECKINS.burst})`)
    expect(lookups).toBeLessThanOrEqual(FAILED_CHECKINS.burst)
    expect(notFound).toBe(lookups)
    // Spent on both: even a right code waits, on either instance.
    for (const s of [a, b]) {
      const r = await s.fetch(`/api/events/${slug}/checkin`, json({ code }, { 'x-forwarded-for': ATTACKER }))
      expect(r.status).toBe(429)
    }
    // A right code from elsewhere is not charged, on either instance.
    for (const s of [a, b]) {
      const r = await s.fetch(`/api/events/${slug}/checkin`, json({ code }, { 'x-forwarded-for': '198.51.100.3' }))
      expect(r.status).toBe(200)
    }
  })

  test.skipIf(skip)('1,000 wrong host secrets over two instances: the burst is checked once', async () => {
    await fresh()
    const answers = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        either(i).fetch(`/api/admin/events/${slug}`, {
          headers: { 'x-forwarded-for': ATTACKER, authorization: `Bearer wrong-${i}` },
        }),
      ),
    )
    const checked = answers.filter((r) => r.status === 401).length
    console.log(`two instances: ${checked} of 1000 wrong secrets checked (limit ${HOST_GUESSES.burst})`)
    expect(checked).toBeLessThanOrEqual(HOST_GUESSES.burst)
    expect(answers.filter((r) => r.status === 429).length).toBe(1000 - checked)
  })

  test.skipIf(skip)('a right code or secret gives its charge back on every instance', async () => {
    await fresh()
    for (let i = 0; i < 100; i++) {
      const r = await either(i).fetch(`/api/events/${slug}/checkin`, json({ code }, { 'x-forwarded-for': ATTACKER }))
      expect(r.status).toBe(200)
    }
    // The whole burst is still there, counted across both (give or take a token refilled meanwhile).
    const wrong = await Promise.all(
      generateCodes(FAILED_CHECKINS.burst + 20).map((c, i) =>
        either(i).fetch(`/api/events/${slug}/checkin`, json({ code: c }, { 'x-forwarded-for': ATTACKER })),
      ),
    )
    const looked = wrong.filter((r) => r.status === 404).length
    expect(looked).toBeGreaterThanOrEqual(FAILED_CHECKINS.burst)
    expect(looked).toBeLessThanOrEqual(FAILED_CHECKINS.burst + 2)
    expect(wrong.filter((r) => r.status === 429).length).toBe(FAILED_CHECKINS.burst + 20 - looked)
    await fresh()
  })
})

describe('a failure limit whose shared store is down', () => {
  const spec = { burst: 3, perSecond: 0.001 }
  for (const [name, store] of [
    ['refusing', { take: () => Promise.reject(new Error('connection is closed')), clear: async () => {} }],
    ['stalled', { take: () => new Promise<boolean>(() => {}), clear: async () => {} }],
  ] as const) {
    test(`${name}: this instance's bucket alone holds, without stalling`, async () => {
      const limit = new FailureLimit('t', spec, store)
      const t0 = performance.now()
      const taken = await Promise.all(Array.from({ length: 10 }, () => limit.take('1.2.3.4')))
      expect(taken.filter(Boolean).length).toBe(3)
      expect(performance.now() - t0).toBeLessThan(1000)
      limit.refund('1.2.3.4')
      expect(await limit.take('1.2.3.4')).toBe(true)
      expect(await limit.take('1.2.3.4')).toBe(false)
    })
  }
})
