/**
 * 503 means only "a dependency is down, retry"; a bug is a 500 with an error id that is
 * in the log. Faults are injected into the counter layer of a real runtime, on both
 * backends, and the guest and host routes are asked through the app.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { errorSchema } from '../../protocol/index.ts'
import {
  BACKENDS,
  checkIn,
  clusterReachable,
  json,
  seedEvent,
  startTestServer,
  type TestServer,
} from '../support/backends.ts'

for (const backend of BACKENDS) {
  describe(`unexpected errors (${backend})`, async () => {
    const skip = backend === 'cluster' && !(await clusterReachable())
    let server: TestServer
    let slug: string
    let cookie: string
    let pollId: number
    let optionId: number
    const logged: Record<string, unknown>[] = []

    beforeAll(async () => {
      if (skip) return
      server = await startTestServer(backend)
      const seeded = await seedEvent(server, { wristbands: 2 })
      slug = seeded.event.slug
      const auth = { authorization: `Bearer ${seeded.hostSecret}` }
      const poll = await (
        await server.fetch(`/api/admin/events/${slug}/polls`, json({ question: 'Q', options: ['a', 'b'] }, auth))
      ).json()
      pollId = poll.id
      optionId = poll.options[0].id
      await server.fetch(`/api/admin/events/${slug}/polls/${pollId}/open`, json({}, auth))
      cookie = await checkIn(server, slug, seeded.wristbands[0].code)
      server.rt.log.error = (msg, data) => void logged.push({ msg, ...data })
    })
    afterAll(() => server?.stop())

    const vote = () =>
      server.fetch(
        `/api/events/${slug}/votes`,
        json({ pollId, optionId, actionId: `act-${crypto.randomUUID()}` }, { cookie }),
      )

    /** Makes the counter layer's `respond` throw `error` for the duration of `fn`. */
    async function whileRespondThrows<T>(error: unknown, fn: () => Promise<T>): Promise<T> {
      const counters = server.rt.live.counters
      const respond = counters.respond
      counters.respond = async () => {
        throw error
      }
      try {
        return await fn()
      } finally {
        counters.respond = respond
      }
    }

    test.skipIf(skip)('a bug answers 500 with an error id, in the error shape, and the id is in the log', async () => {
      const res = await whileRespondThrows(new TypeError("Cannot read properties of undefined (reading 'x')"), vote)
      expect(res.status).toBe(500)
      expect(res.headers.get('retry-after')).toBeNull()
      const body = await res.json()
      expect(errorSchema.safeParse(body).success).toBe(true)
      expect(body.error).toBe('internal')
      expect(body.errorId).toMatch(/^[0-9a-f]{12}$/)
      expect(body.message).toContain(body.errorId)
      const line = logged.find((l) => l.errorId === body.errorId)
      expect(line?.msg).toBe('unhandled error')
      expect(String(line?.error)).toContain('TypeError')
    })

    test.skipIf(skip)('a dependency going away answers 503 with Retry-After, not 500', async () => {
      const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' })
      const res = await whileRespondThrows(down, vote)
      expect(res.status).toBe(503)
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
      expect((await res.json()).error).toBe('unavailable')
    })

    test.skipIf(skip)('after the fault the same route works again', async () => {
      expect((await vote()).status).toBe(202)
    })
  })
}
