/**
 * Concurrent wristband batches (issue 12): eight at once, through the host route and the
 * operator route, all succeed with distinct number ranges, or get a clear 409 for a label
 * or a range taken meanwhile; never a 503, never a half-written batch.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { count, eq } from 'drizzle-orm'
import { wristbandBatches, wristbands } from '../../db/schema.ts'
import { issueOperatorToken } from '../../server/operator/token.ts'
import { BACKENDS, clusterReachable, json, seedEvent, startTestServer, type TestServer } from '../support/backends.ts'

interface Batch {
  label: string
  firstNumber: number
  wristbands: { number: number; code: string }[]
}

for (const backend of BACKENDS) {
  describe(`concurrent wristband batches (${backend})`, async () => {
    const skip = backend === 'cluster' && !(await clusterReachable())
    let server: TestServer
    let slug: string
    let eventId: number
    let host: Record<string, string>
    let operator: Record<string, string>

    beforeAll(async () => {
      if (skip) return
      server = await startTestServer(backend)
      const seeded = await seedEvent(server, { wristbands: 5 })
      slug = seeded.event.slug
      eventId = seeded.event.id
      host = { authorization: `Bearer ${seeded.hostSecret}` }
      operator = { authorization: `Bearer ${issueOperatorToken(server.rt)}` }
    })
    afterAll(async () => {
      if (!skip) await server.stop()
    })

    /** Half through the host route, half through the operator route, all at once. */
    const createEight = (body: (i: number) => Record<string, unknown>) =>
      Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          server.fetch(
            i % 2 ? `/api/operator/events/${slug}/wristbands` : `/api/admin/events/${slug}/wristbands`,
            json(body(i), i % 2 ? operator : host),
          ),
        ),
      )
    const bodies = async (responses: Response[]) =>
      Promise.all(responses.map(async (r) => ({ status: r.status, body: await r.json() })))

    /** Postgres and the counter layer agree: every number once, every batch's count its rows. */
    async function consistent() {
      const db = server.rt.database.db
      const [{ n }] = await db.select({ n: count() }).from(wristbands).where(eq(wristbands.eventId, eventId))
      const batches = await db.select().from(wristbandBatches).where(eq(wristbandBatches.eventId, eventId))
      expect(batches.reduce((sum, b) => sum + b.count, 0)).toBe(Number(n))
      return Number(n)
    }

    test.skipIf(skip)('eight batches with their own labels: all 201, distinct ranges, every code works', async () => {
      const before = await consistent()
      const answers = await bodies(await createEight((i) => ({ count: 25, label: `door-${i}` })))
      expect(answers.map((a) => `${a.status} ${a.body.error ?? ''}`)).toEqual(answers.map(() => '201 '))
      const batches = answers.map((a) => a.body as Batch)
      const numbers = batches.flatMap((b) => b.wristbands.map((w) => w.number))
      expect(new Set(numbers).size).toBe(8 * 25)
      for (const b of batches) {
        expect(b.wristbands.map((w) => w.number)).toEqual(Array.from({ length: 25 }, (_, i) => b.firstNumber + i))
      }
      expect(await consistent()).toBe(before + 8 * 25)
      // Every new wristband checks in (the counter layer has them all).
      const codes = batches.map((b) => b.wristbands.at(-1)!.code)
      for (const code of codes) {
        const res = await server.fetch(`/api/events/${slug}/checkin`, json({ code }))
        expect(res.status).toBe(200)
      }
    })

    test.skipIf(skip)('eight batches with one label: one 201, seven clear 409s', async () => {
      const before = await consistent()
      const answers = await bodies(await createEight(() => ({ count: 10, label: 'vip' })))
      const statuses = answers.map((a) => a.status).sort()
      expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409])
      for (const a of answers.filter((x) => x.status === 409)) {
        expect(a.body.error).toBe('batch_exists')
        expect(a.body.message).toContain('vip')
      }
      expect(await consistent()).toBe(before + 10)
    })

    test.skipIf(skip)('eight additions to one label: all 201, one batch, distinct ranges', async () => {
      const before = await consistent()
      const answers = await bodies(await createEight(() => ({ count: 5, label: 'staff', add: true })))
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 201))
      const numbers = answers.flatMap((a) => (a.body as Batch).wristbands.map((w) => w.number))
      expect(new Set(numbers).size).toBe(40)
      expect(await consistent()).toBe(before + 40)
      const [staff] = await server.rt.database.db
        .select()
        .from(wristbandBatches)
        .where(eq(wristbandBatches.label, 'staff'))
      expect(staff.count).toBe(40)
    })

    test.skipIf(skip)('eight batches asking for the same numbers: one 201, seven 409 numbers_taken', async () => {
      const before = await consistent()
      const answers = await bodies(await createEight((i) => ({ count: 10, label: `fixed-${i}`, startNumber: 50_000 })))
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409])
      for (const a of answers.filter((x) => x.status === 409)) expect(a.body.error).toBe('numbers_taken')
      expect(await consistent()).toBe(before + 10)
    })
  })
}
