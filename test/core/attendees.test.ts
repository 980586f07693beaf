/**
 * Attendees at a glance (issue 17), on both backends, for a scripted event: two batches,
 * check-ins at known minutes, a checked-in wristband and an unused one revoked. The list
 * (search by number or batch, state filter, pages) and the per-minute check-in curve per
 * batch are exact; revoked wristbands are left out of the curve and counted apart in the
 * batch summary, so the overview's count and its total agree.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { eq, sql } from 'drizzle-orm'
import { checkins } from '../../db/schema.ts'
import {
  BACKENDS,
  checkIn,
  clusterReachable,
  json,
  startTestServer,
  type TestServer,
  until,
} from '../support/backends.ts'

const T0 = Date.parse('2026-06-01T18:00:00Z')
const at = (min: number, sec: number) => T0 + min * 60_000 + sec * 1000
/** number -> when it checked in. 1-6 are batch door-a, 7-10 batch vip. */
const SCRIPT: Record<number, number> = {
  1: at(0, 10),
  2: at(0, 50),
  3: at(2, 5),
  4: at(2, 30),
  7: at(1, 0),
  8: at(3, 59),
}
const REVOKED = [2, 10]

for (const backend of BACKENDS) {
  describe(`attendees at a glance (${backend})`, async () => {
    const skip = backend === 'cluster' && !(await clusterReachable())
    let server: TestServer
    let slug: string
    let auth: Record<string, string>
    const get = async (path: string) => {
      const res = await server.fetch(`/api/admin/events/${slug}${path}`, { headers: auth })
      return { status: res.status, body: await res.json() }
    }

    beforeAll(async () => {
      if (skip) return
      server = await startTestServer(backend)
      const { event, hostSecret } = await server.rt.directory.create({ name: 'Scripted', slug: `att-${backend}` })
      slug = event.slug
      auth = { authorization: `Bearer ${hostSecret}` }
      const doorA = await server.rt.wristbands.createWristbands(event, { count: 6, label: 'door-a' })
      const vip = await server.rt.wristbands.createWristbands(event, { count: 4, label: 'vip' })
      const codes = new Map([...doorA.wristbands, ...vip.wristbands].map((w) => [w.number, w.code]))
      for (const n of Object.keys(SCRIPT).map(Number)) await checkIn(server, slug, codes.get(n)!)
      const db = server.rt.database.db
      // Once the flusher has written them, the check-ins get their scripted times.
      await until(async () => (await db.select().from(checkins).where(eq(checkins.eventId, event.id))).length === 6)
      for (const [n, t] of Object.entries(SCRIPT)) {
        await db.execute(
          sql`update ${checkins} set at = ${new Date(t).toISOString()}::timestamptz where event_id = ${event.id} and number = ${Number(n)}`,
        )
      }
      const res = await server.fetch(`/api/admin/events/${slug}/wristbands/revoke`, json({ numbers: REVOKED }, auth))
      expect(res.status).toBe(200)
    })
    afterAll(async () => {
      if (!skip) await server.stop()
    })

    test.skipIf(skip)('the list pages through every wristband by number', async () => {
      const first = await get('/attendees/list?limit=4')
      expect(first.status).toBe(200)
      expect(first.body).toEqual({
        total: 10,
        limit: 4,
        offset: 0,
        rows: [
          { number: 1, batch: 'door-a', checkedInAt: at(0, 10), revoked: false },
          { number: 2, batch: 'door-a', checkedInAt: at(0, 50), revoked: true },
          { number: 3, batch: 'door-a', checkedInAt: at(2, 5), revoked: false },
          { number: 4, batch: 'door-a', checkedInAt: at(2, 30), revoked: false },
        ],
      })
      const page = await get('/attendees/list?limit=3&offset=6')
      expect(page.body.rows).toEqual([
        { number: 7, batch: 'vip', checkedInAt: at(1, 0), revoked: false },
        { number: 8, batch: 'vip', checkedInAt: at(3, 59), revoked: false },
        { number: 9, batch: 'vip', checkedInAt: null, revoked: false },
      ])
      expect(
        (await get('/attendees/list?limit=50&offset=9')).body.rows.map((r: { number: number }) => r.number),
      ).toEqual([10])
    })

    test.skipIf(skip)('search by number or batch label, and filter by state', async () => {
      const numbers = async (query: string) => {
        const r = await get(`/attendees/list?${query}`)
        expect(r.status).toBe(200)
        return { total: r.body.total, numbers: r.body.rows.map((row: { number: number }) => row.number) }
      }
      expect(await numbers('q=vip')).toEqual({ total: 4, numbers: [7, 8, 9, 10] })
      expect(await numbers('q=DOOR')).toEqual({ total: 6, numbers: [1, 2, 3, 4, 5, 6] })
      // A number: the exact one first, then those it begins.
      expect(await numbers('q=1')).toEqual({ total: 2, numbers: [1, 10] })
      expect(await numbers('q=%237')).toEqual({ total: 1, numbers: [7] })
      expect(await numbers('q=nothing')).toEqual({ total: 0, numbers: [] })
      // LIKE wildcards are taken as they are typed.
      expect(await numbers('q=%25')).toEqual({ total: 0, numbers: [] })
      expect(await numbers('state=in')).toEqual({ total: 5, numbers: [1, 3, 4, 7, 8] })
      expect(await numbers('state=out')).toEqual({ total: 3, numbers: [5, 6, 9] })
      expect(await numbers('state=revoked')).toEqual({ total: 2, numbers: [2, 10] })
      expect(await numbers('state=in&q=vip')).toEqual({ total: 2, numbers: [7, 8] })
    })

    test.skipIf(skip)('the curve: running totals per minute per batch, revoked left out', async () => {
      const r = await get('/attendees/curve')
      expect(r.status).toBe(200)
      expect(r.body).toEqual({
        bucketMs: 60_000,
        from: at(0, 0),
        to: at(3, 0),
        batches: [
          {
            label: 'door-a',
            wristbands: 5,
            checkedIn: 3,
            points: [
              { at: at(0, 0), total: 1 },
              { at: at(2, 0), total: 3 },
            ],
          },
          {
            label: 'vip',
            wristbands: 3,
            checkedIn: 2,
            points: [
              { at: at(1, 0), total: 1 },
              { at: at(3, 0), total: 2 },
            ],
          },
        ],
      })
      const wide = await get('/attendees/curve?bucket=2')
      expect(wide.body.batches.map((b: { points: unknown }) => b.points)).toEqual([
        [
          { at: at(0, 0), total: 1 },
          { at: at(2, 0), total: 3 },
        ],
        [
          { at: at(0, 0), total: 1 },
          { at: at(2, 0), total: 2 },
        ],
      ])
    })

    test.skipIf(skip)('the batch summary counts revoked check-ins apart, so count and total agree', async () => {
      const r = await get('/wristbands')
      expect(
        r.body.map((b: Record<string, unknown>) => [b.label, b.count, b.revoked, b.checkedIn, b.revokedCheckedIn]),
      ).toEqual([
        ['door-a', 6, 1, 3, 1],
        ['vip', 4, 1, 2, 0],
      ])
      // The live count still holds the revoked check-in; less it, it matches the usable total's check-ins.
      const snap = await until(async () => {
        const body = await (await server.fetch(`/api/events/${slug}/snapshot`)).json()
        return body.snapshot?.checkins === 6 && body.snapshot
      })
      expect(snap.checkins - 1).toBe(3 + 2)
    })

    test.skipIf(skip)('bad queries are a 422 naming the field', async () => {
      for (const [query, field] of [
        ['limit=0', 'limit'],
        ['limit=201', 'limit'],
        ['offset=-1', 'offset'],
        ['state=gone', 'state'],
        [`q=${'x'.repeat(65)}`, 'q'],
      ]) {
        const r = await get(`/attendees/list?${query}`)
        expect({ query, status: r.status }).toEqual({ query, status: 422 })
        expect(r.body.fields).toHaveProperty(field)
      }
      const curve = await get('/attendees/curve?bucket=0')
      expect(curve.status).toBe(422)
      expect(curve.body.fields).toHaveProperty('bucket')
    })
  })
}
