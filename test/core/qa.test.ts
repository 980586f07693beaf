/**
 * Q&A, write moderation and reactions through the public interface, on both backends:
 * questions and their upvotes (responses to the event's Q&A board) reach the snapshot in
 * board order, the flusher writes them to Postgres, a rebuild from Postgres gives the same
 * counts, and bad input is a 4xx that changes nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { and, eq, isNotNull } from 'drizzle-orm'
import { questions, responses } from '../../db/schema.ts'
import type { Question, Snapshot } from '../../protocol/index.ts'
import {
  BACKENDS,
  checkIn,
  clusterReachable,
  json,
  seedEvent,
  startTestServer,
  type TestServer,
  until,
} from '../support/backends.ts'

for (const backend of BACKENDS) {
  describe(`Q&A, bans, slow mode, reactions (${backend})`, async () => {
    const skip = backend === 'cluster' && !(await clusterReachable())
    let server: TestServer
    let seeded: Awaited<ReturnType<typeof seedEvent>>
    let slug: string
    const guests: string[] = []
    const host = () => ({ authorization: `Bearer ${seeded.hostSecret}` })
    const as = (i: number, init: RequestInit = {}): RequestInit => ({
      ...init,
      headers: { ...(init.headers as Record<string, string>), cookie: guests[i] },
    })
    const post = (path: string, i: number, body: unknown = {}) => server.fetch(path, as(i, json(body)))
    const snapshot = async (): Promise<Snapshot> =>
      (await (await server.fetch(`/api/events/${slug}/snapshot`)).json()).snapshot
    const board = async () => (await snapshot()).questions
    const ask = async (i: number, text: string) => {
      const res = await post(`/api/events/${slug}/questions`, i, { text })
      expect(res.status).toBe(202)
      return (await res.json()) as { id: number; held: boolean; duplicate: boolean }
    }
    const upvote = (i: number, id: number, actionId?: string) =>
      post(`/api/events/${slug}/questions/${id}/upvote`, i, actionId ? { actionId } : {})
    const unvote = (i: number, id: number) =>
      server.fetch(`/api/events/${slug}/questions/${id}/upvote`, as(i, { method: 'DELETE' }))
    const votesOf = async (id: number) => (await board()).find((q) => q.id === id)?.votes
    const flushed = () => until(async () => (await server.rt.live.queue.depth(seeded.event.id)) === 0, 10_000)
    const db = () => server.rt.database.db

    beforeAll(async () => {
      if (skip) return
      server = await startTestServer(backend)
      seeded = await seedEvent(server, { wristbands: 12 })
      slug = seeded.event.slug
      for (const w of seeded.wristbands) guests.push(await checkIn(server, slug, w.code))
    })
    afterAll(async () => {
      if (!skip) await server.stop()
    })

    test.skipIf(skip)(
      'a question reaches the board; upvotes count once per wristband and can be taken back',
      async () => {
        const q = await ask(0, '  What is the Wi-Fi password?  ')
        expect(q).toMatchObject({ held: false, duplicate: false })
        await until(async () => (await board()).some((x) => x.id === q.id))
        expect((await board()).find((x) => x.id === q.id)).toEqual({
          id: q.id,
          text: 'What is the Wi-Fi password?',
          number: seeded.wristbands[0].number,
          votes: 0,
          pinned: false,
          answered: false,
        })
        expect((await upvote(1, q.id, 'upvote-one-1')).status).toBe(202)
        expect((await upvote(2, q.id)).status).toBe(202)
        // A second upvote is refused and changes nothing; the same actionId again is a harmless repeat.
        const again = await upvote(1, q.id)
        expect(again.status).toBe(409)
        expect((await again.json()).error).toBe('already_upvoted')
        const repeat = await upvote(1, q.id, 'upvote-one-1')
        expect(repeat.status).toBe(202)
        expect(await repeat.json()).toMatchObject({ duplicate: true })
        await until(async () => (await votesOf(q.id)) === 2)
        expect((await unvote(2, q.id)).status).toBe(202)
        const twice = await unvote(2, q.id)
        expect(twice.status).toBe(409)
        expect((await twice.json()).error).toBe('not_upvoted')
        await until(async () => (await votesOf(q.id)) === 1)

        const me = await (await server.fetch(`/api/events/${slug}/me`, as(1))).json()
        expect(me.upvoted).toEqual([q.id])
        const asker = await (await server.fetch(`/api/events/${slug}/me`, as(0))).json()
        expect(asker.questions).toEqual([
          { id: q.id, text: 'What is the Wi-Fi password?', state: 'visible', pinned: false, answered: false },
        ])
      },
    )

    test.skipIf(skip)('the board is ordered pinned first, then by upvotes, then newest', async () => {
      const a = await ask(3, 'Question A')
      const b = await ask(4, 'Question B')
      const c = await ask(5, 'Question C')
      for (const i of [6, 7, 8]) expect((await upvote(i, b.id)).status).toBe(202)
      for (const i of [6, 7]) expect((await upvote(i, a.id)).status).toBe(202)
      const order = () => board().then((list) => list.filter((x) => [a.id, b.id, c.id].includes(x.id)).map((x) => x.id))
      await until(async () => JSON.stringify(await order()) === JSON.stringify([b.id, a.id, c.id]))
      const pin = await server.fetch(`/api/admin/events/${slug}/questions/${c.id}`, json({ pinned: true }, host()))
      expect(pin.status).toBe(200)
      expect(await pin.json()).toMatchObject({ id: c.id, pinned: true, state: 'visible' })
      await until(async () => (await order())[0] === c.id)
      const answered = await server.fetch(
        `/api/admin/events/${slug}/questions/${b.id}`,
        json({ answered: true }, host()),
      )
      expect(answered.status).toBe(200)
      await until(async () => (await board()).find((x) => x.id === b.id)?.answered === true)
      // Hidden: off the board, takes no upvotes.
      await server.fetch(`/api/admin/events/${slug}/questions/${a.id}`, json({ state: 'hidden' }, host()))
      await until(async () => !(await board()).some((x) => x.id === a.id))
      const refused = await upvote(9, a.id)
      expect(refused.status).toBe(404)
      expect((await refused.json()).fields).toHaveProperty('id')
      // The stream's deltas rebuild the same board the snapshot shows (applyDelta sorts with questionOrder).
      const snap = await snapshot()
      const sorted = [...snap.questions].sort(
        (x: Question, y: Question) => Number(y.pinned) - Number(x.pinned) || y.votes - x.votes || y.id - x.id,
      )
      expect(snap.questions).toEqual(sorted)
    })

    test.skipIf(skip)('bad input is a clear 4xx naming the field, and changes nothing', async () => {
      const before = await board()
      const cases: [string, RequestInit, number, string?][] = [
        [`/api/events/${slug}/questions`, as(0, json({ text: '   ' })), 422, 'text'],
        [`/api/events/${slug}/questions`, as(0, json({ text: 'x'.repeat(281) })), 422, 'text'],
        [`/api/events/${slug}/questions`, as(0, json({})), 422, 'text'],
        [`/api/events/${slug}/questions/999999/upvote`, as(0, json({})), 404, 'id'],
        [`/api/events/${slug}/questions/abc/upvote`, as(0, json({})), 422, 'id'],
        [`/api/events/${slug}/reactions`, as(0, json({ emoji: '💩' })), 422, 'emoji'],
        [`/api/events/${slug}/questions`, json({ text: 'no cookie' }), 401],
        [`/api/admin/events/${slug}/questions/999999`, json({ pinned: true }, host()), 404],
        [`/api/admin/events/${slug}/questions/1`, json({}, host()), 422, 'state'],
      ]
      for (const [path, init, status, field] of cases) {
        const res = await server.fetch(path, init)
        expect(res.status, path).toBe(status)
        const body = await res.json()
        expect(typeof body.error).toBe('string')
        if (field) expect(Object.keys(body.fields ?? {}), `${path} ${JSON.stringify(body)}`).toContain(field)
      }
      await Bun.sleep(150)
      expect(await board()).toEqual(before)
    })

    test.skipIf(skip)('pre-moderation holds questions for the host; bulk approve and hide', async () => {
      await server.fetch(`/api/admin/events/${slug}/settings`, {
        ...json({ premoderate: true }, host()),
        method: 'PATCH',
      })
      server.rt.directory.forget(slug)
      const held = (await until(async () => {
        const q = await ask(10, `held ${Math.random()}`)
        return q.held ? q : null
      }))!
      const held2 = await ask(10, 'held two')
      const admin = async () =>
        (await (await server.fetch(`/api/admin/events/${slug}/snapshot`, { headers: host() })).json()).snapshot
      await until(async () => ((await admin()).admin.heldQuestions ?? []).length >= 2)
      expect((await board()).some((q) => q.id === held.id)).toBe(false)
      expect((await upvote(1, held.id)).status).toBe(404)
      const mine = await (await server.fetch(`/api/events/${slug}/me`, as(10))).json()
      expect(mine.questions[0]).toMatchObject({ id: held2.id, state: 'held' })
      const bulk = await server.fetch(
        `/api/admin/events/${slug}/questions/bulk`,
        json({ ids: [held.id, held2.id, 999999], action: 'approve' }, host()),
      )
      expect(await bulk.json()).toEqual({ state: 'visible', done: [held.id, held2.id], unknown: [999999] })
      await until(async () => (await board()).some((q) => q.id === held2.id))
      expect((await admin()).admin.heldQuestions).toEqual([])
      const m1 = await (await post(`/api/events/${slug}/messages`, 11, { text: 'held message 1' })).json()
      const m2 = await (await post(`/api/events/${slug}/messages`, 11, { text: 'held message 2' })).json()
      expect(m1.held && m2.held).toBe(true)
      const hide = await server.fetch(
        `/api/admin/events/${slug}/messages/bulk`,
        json({ ids: [m1.id, m2.id], action: 'hide' }, host()),
      )
      expect(await hide.json()).toEqual({ state: 'hidden', done: [m1.id, m2.id], unknown: [] })
      await until(async () => (await admin()).admin.held.length === 0)
      await server.fetch(`/api/admin/events/${slug}/settings`, {
        ...json({ premoderate: false }, host()),
        method: 'PATCH',
      })
      server.rt.directory.forget(slug)
    })

    test.skipIf(skip)('questions and upvotes reach Postgres, and a rebuild from it gives the same board', async () => {
      await flushed()
      const rows = await db().select().from(questions).where(eq(questions.eventId, seeded.event.id))
      const live = await board()
      for (const q of live) {
        const row = rows.find((r) => r.id === q.id)
        expect(row).toMatchObject({ text: q.text, number: q.number, pinned: q.pinned, answered: q.answered })
        const ups = await db()
          .select()
          .from(responses)
          .where(
            and(
              eq(responses.eventId, seeded.event.id),
              eq(responses.slot, String(q.id)),
              isNotNull(responses.response),
            ),
          )
        expect(ups.length).toBe(q.votes)
      }
      expect(rows.find((r) => r.state === 'hidden')).toBeDefined()
      await server.rt.directory.ensureLoaded(seeded.event.id, true)
      const read = await server.rt.live.engagement.read(
        seeded.event.id,
        await server.rt.directory.qaBoard(seeded.event.id),
        50,
        50,
      )
      expect(read.questions).toEqual(live)
    })

    test.skipIf(skip)(
      'the Q&A board is not a poll: the host reorders polls without it and cannot edit it',
      async () => {
        const boardId = await server.rt.directory.qaBoard(seeded.event.id)
        const admin = (method: string, path: string, body?: unknown) =>
          server.fetch(`/api/admin/events/${slug}${path}`, {
            method,
            headers: { ...host(), 'content-type': 'application/json' },
            body: body === undefined ? undefined : JSON.stringify(body),
          })
        const made: number[] = []
        for (const q of ['One?', 'Two?']) {
          const res = await admin('POST', '/polls', { question: q, options: ['A', 'B'] })
          made.push(((await res.json()) as { id: number }).id)
        }
        // The order lists the polls the host sees; the board (which exists since the first question) is not one of them.
        const order = await admin('PUT', '/polls/order', { ids: [...made].reverse() })
        expect(order.status).toBe(200)
        const withBoard = await admin('PUT', '/polls/order', { ids: [boardId, ...made] })
        expect(withBoard.status).toBe(422)
        for (const action of ['open', 'close', 'duplicate', 'reset']) {
          const res = await admin('POST', `/polls/${boardId}/${action}`)
          expect(res.status).toBe(404)
        }
        const before = await board()
        await Bun.sleep(200)
        expect(await board()).toEqual(before)
        const boards = await db()
          .select()
          .from(responses)
          .where(and(eq(responses.eventId, seeded.event.id), eq(responses.interactionId, boardId)))
        expect(boards.length).toBeGreaterThan(0)
      },
    )

    test.skipIf(skip)(
      'upvotes are exact under concurrency: 150 wristbands at once, twice each, some taken back',
      async () => {
        const big = await seedEvent(server, { wristbands: 150 })
        const bigCookies = await Promise.all(big.wristbands.map((w) => checkIn(server, big.event.slug, w.code)))
        const base = `/api/events/${big.event.slug}`
        const send = (cookie: string, path: string, init: RequestInit) =>
          server.fetch(`${base}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), cookie } })
        const asked = await (await send(bigCookies[0], '/questions', json({ text: 'Everyone at once?' }))).json()
        const statuses = await Promise.all(
          bigCookies.flatMap((cookie) => [
            send(cookie, `/questions/${asked.id}/upvote`, json({})).then((r) => r.status),
            send(cookie, `/questions/${asked.id}/upvote`, json({})).then((r) => r.status),
          ]),
        )
        // Each wristband's upvote counts once, whatever the interleaving of its two requests.
        expect(statuses.every((s) => s === 202 || s === 409)).toBe(true)
        expect(statuses.filter((s) => s === 202).length).toBeGreaterThanOrEqual(150)
        const back = await Promise.all(
          bigCookies.slice(0, 40).map((cookie) => send(cookie, `/questions/${asked.id}/upvote`, { method: 'DELETE' })),
        )
        expect(back.every((r) => r.status === 202)).toBe(true)
        const boardOf = async () =>
          ((await (await server.fetch(`${base}/snapshot`)).json()).snapshot as Snapshot).questions
        await until(async () => (await boardOf()).find((q) => q.id === asked.id)?.votes === 110)
        await until(async () => (await server.rt.live.queue.depth(big.event.id)) === 0, 10_000)
        const rows = await db()
          .select()
          .from(responses)
          .where(
            and(
              eq(responses.eventId, big.event.id),
              eq(responses.slot, String(asked.id)),
              isNotNull(responses.response),
            ),
          )
        expect(rows.length).toBe(110)
        await server.rt.directory.ensureLoaded(big.event.id, true)
        const read = await server.rt.live.engagement.read(
          big.event.id,
          await server.rt.directory.qaBoard(big.event.id),
          50,
          50,
        )
        expect(read.questions.find((q) => q.id === asked.id)?.votes).toBe(110)
      },
    )

    test.skipIf(skip)('a banned wristband cannot write, whatever cookie or phone it comes back with', async () => {
      const n = seeded.wristbands[3].number
      const ban = await server.fetch(`/api/admin/events/${slug}/bans/${n}`, { method: 'PUT', headers: host() })
      expect(await ban.json()).toEqual({ number: n, banned: true })
      // A phone that cleared its cookies (or another phone) checks the same wristband in again.
      const fresh = await checkIn(server, slug, seeded.wristbands[3].code)
      for (const cookie of [guests[3], fresh]) {
        for (const [path, body] of [
          ['messages', { text: 'let me speak' }],
          ['questions', { text: 'let me ask' }],
        ] as const) {
          const res = await server.fetch(`/api/events/${slug}/${path}`, {
            ...json(body),
            headers: { 'content-type': 'application/json', cookie },
          })
          expect(res.status).toBe(403)
          expect((await res.json()).error).toBe('banned')
        }
      }
      const list = await (await server.fetch(`/api/admin/events/${slug}/bans`, { headers: host() })).json()
      expect(list.bans.map((b: { number: number }) => b.number)).toEqual([n])
      // Survives a rebuild of the live state from Postgres.
      await server.rt.directory.ensureLoaded(seeded.event.id, true)
      expect((await post(`/api/events/${slug}/messages`, 3, { text: 'after rebuild' })).status).toBe(403)
      await server.fetch(`/api/admin/events/${slug}/bans/${n}`, { method: 'DELETE', headers: host() })
      expect((await post(`/api/events/${slug}/messages`, 3, { text: 'free again' })).status).toBe(202)
      const unknown = await server.fetch(`/api/admin/events/${slug}/bans/99999`, { method: 'PUT', headers: host() })
      expect(unknown.status).toBe(404)
    })

    test.skipIf(skip)('slow mode spaces one wristband’s writes; a retry of the same action passes', async () => {
      await server.fetch(`/api/admin/events/${slug}/settings`, {
        ...json({ slowModeSeconds: 2 }, host()),
        method: 'PATCH',
      })
      server.rt.directory.forget(slug)
      await until(async () => (await server.rt.directory.bySlug(slug))?.settings.slowModeSeconds === 2)
      const first = await post(`/api/events/${slug}/messages`, 9, { text: 'one', actionId: 'slow-mode-first' })
      expect(first.status).toBe(202)
      const second = await post(`/api/events/${slug}/questions`, 9, { text: 'two' })
      expect(second.status).toBe(429)
      expect((await second.json()).error).toBe('slow_mode')
      expect(Number(second.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
      const retry = await post(`/api/events/${slug}/messages`, 9, { text: 'one', actionId: 'slow-mode-first' })
      expect(retry.status).toBe(202)
      expect(await retry.json()).toMatchObject({ duplicate: true })
      // Another wristband is not slowed by this one.
      expect((await post(`/api/events/${slug}/messages`, 8, { text: 'other' })).status).toBe(202)
      await server.fetch(`/api/admin/events/${slug}/settings`, {
        ...json({ slowModeSeconds: 0 }, host()),
        method: 'PATCH',
      })
      server.rt.directory.forget(slug)
    })

    test.skipIf(skip)('reactions are counted per tick into the delta, rate-limited per wristband', async () => {
      const eventId = seeded.event.id
      const tapped: Record<string, number> = {}
      const seen: Record<string, number> = {}
      for (let i = 0; i < 5; i++) {
        expect((await post(`/api/events/${slug}/reactions`, i, { emoji: '👏' })).status).toBe(202)
        tapped['👏'] = (tapped['👏'] ?? 0) + 1
      }
      expect((await post(`/api/events/${slug}/reactions`, 0, { emoji: '🔥' })).status).toBe(202)
      tapped['🔥'] = 1
      // Read the deltas the ticker appended since.
      await until(async () => {
        const entries = await server.rt.live.log.read(eventId, 0, 100_000)
        for (const k of Object.keys(seen)) delete seen[k]
        for (const e of entries) {
          const d = JSON.parse(e.json)
          for (const [emoji, n] of Object.entries((d.reactions ?? {}) as Record<string, number>)) {
            seen[emoji] = (seen[emoji] ?? 0) + n
          }
        }
        return JSON.stringify(seen) === JSON.stringify(tapped)
      })
      // Ten a second per wristband: a burst beyond it is refused.
      const statuses: number[] = []
      for (let i = 0; i < 14; i++)
        statuses.push((await post(`/api/events/${slug}/reactions`, 11, { emoji: '🎉' })).status)
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0)
      expect(statuses.filter((s) => s === 202).length).toBeLessThanOrEqual(20)
    })
  })
}
