/**
 * The whole write path, on both backends: guest action -> counter layer -> queue ->
 * flusher -> Postgres, with exact counts, dedupe and the stream seeing the result.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { and, count, eq } from 'drizzle-orm'
import { checkins, messages, responses } from '../../db/schema.ts'
import { formatCode } from '../../server/host/wristbands/codes.ts'
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
  describe(`guest path (${backend})`, async () => {
    const skip = backend === 'cluster' && !(await clusterReachable())
    let server: TestServer
    let seeded: Awaited<ReturnType<typeof seedEvent>>
    let slug: string
    let pollId: number
    let optionIds: number[]
    const host = () => ({ authorization: `Bearer ${seeded.hostSecret}` })

    beforeAll(async () => {
      if (skip) return
      server = await startTestServer(backend)
      seeded = await seedEvent(server, { wristbands: 20 })
      slug = seeded.event.slug
      const poll = await (
        await server.fetch(
          `/api/admin/events/${slug}/polls`,
          json({ question: 'Best colour?', options: ['Red', 'Green', 'Blue'] }, host()),
        )
      ).json()
      pollId = poll.id
      optionIds = poll.options.map((o: { id: number }) => o.id)
      expect((await server.fetch(`/api/admin/events/${slug}/polls/${pollId}/open`, json({}, host()))).status).toBe(200)
    })
    afterAll(async () => {
      if (!skip) await server.stop()
    })

    const db = () => server.rt.database.db
    const countVotes = async () =>
      Number((await db().select({ n: count() }).from(responses).where(eq(responses.interactionId, pollId)))[0].n)
    const flushed = () => until(async () => (await server.rt.live.queue.depth(seeded.event.id)) === 0, 10_000)

    test.skipIf(skip)('check-in by typed code is forgiving about case, spaces and dashes', async () => {
      const code = seeded.wristbands[0].code
      const typed = ` ${formatCode(code).toLowerCase()} `
      const res = await server.fetch(`/api/events/${slug}/checkin`, json({ code: typed }))
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({ number: seeded.wristbands[0].number })
      expect(res.headers.get('set-cookie')).toContain('HttpOnly')
    })

    test.skipIf(skip)('the QR target checks in and redirects to the event page', async () => {
      const res = await server.fetch(`/w/${seeded.wristbands[1].code}`)
      expect(res.status).toBe(303)
      expect(res.headers.get('location')).toBe(`/e/${slug}`)
      const cookie = res.headers.get('set-cookie')!.split(';')[0]
      const me = await server.fetch(`/api/events/${slug}/me`, { headers: { cookie } })
      expect(await me.json()).toEqual({
        number: seeded.wristbands[1].number,
        votes: {},
        choices: {},
        wins: [],
        questions: [],
        upvoted: [],
      })
    })

    test.skipIf(skip)('votes, changed votes and messages reach Postgres with exact counts', async () => {
      const cookies = await Promise.all(seeded.wristbands.slice(0, 10).map((w) => checkIn(server, slug, w.code)))
      // 10 guests vote: 4 red, 3 green, 3 blue.
      const choice = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2]
      const results = await Promise.all(
        cookies.map((cookie, i) =>
          server.fetch(`/api/events/${slug}/votes`, json({ pollId, optionId: optionIds[choice[i]] }, { cookie })),
        ),
      )
      expect(results.map((r) => r.status)).toEqual(Array(10).fill(202))
      // Two red voters change to blue: 2 red, 3 green, 5 blue.
      for (const cookie of cookies.slice(0, 2)) {
        const r = await server.fetch(`/api/events/${slug}/votes`, json({ pollId, optionId: optionIds[2] }, { cookie }))
        expect(r.status).toBe(202)
      }
      const msg = await server.fetch(
        `/api/events/${slug}/messages`,
        json({ text: 'hello 🎉 世界' }, { cookie: cookies[0] }),
      )
      expect(msg.status).toBe(202)
      const { id: messageId } = await msg.json()
      await flushed()

      const rows = await db().select().from(responses).where(eq(responses.interactionId, pollId))
      const tally = (optionId: number) =>
        rows.filter((r) => (r.response as { optionIds: number[] }).optionIds[0] === optionId).length
      expect(rows.length).toBe(10)
      expect([tally(optionIds[0]), tally(optionIds[1]), tally(optionIds[2])]).toEqual([2, 3, 5])
      const checkinRows = await db().select().from(checkins).where(eq(checkins.eventId, seeded.event.id))
      // Wristbands 0 and 1 checked in in the tests above, again here: still one check-in each.
      expect(checkinRows.length).toBe(10)
      const [stored] = await db()
        .select()
        .from(messages)
        .where(and(eq(messages.eventId, seeded.event.id), eq(messages.id, messageId)))
      expect(stored).toMatchObject({ text: 'hello 🎉 世界', state: 'visible', number: seeded.wristbands[0].number })

      // The live snapshot agrees with Postgres.
      const snap = await until(async () => {
        const body = await (await server.fetch(`/api/events/${slug}/snapshot`)).json()
        const poll = body.snapshot.polls.find((p: { id: number }) => p.id === pollId)
        return poll?.options.reduce((s: number, o: { votes: number }) => s + o.votes, 0) === 10 ? body.snapshot : null
      })
      expect(snap.polls[0].options.map((o: { votes: number }) => o.votes)).toEqual([2, 3, 5])
      expect(snap.checkins).toBe(10)
      expect(snap.danmaku.map((d: { text: string }) => d.text)).toContain('hello 🎉 世界')

      const me = await (await server.fetch(`/api/events/${slug}/me`, { headers: { cookie: cookies[0] } })).json()
      expect(me.votes).toEqual({ [pollId]: optionIds[2] })

      // The host's stats read Postgres, not the counters: the same numbers.
      const stats = await (await server.fetch(`/api/admin/events/${slug}/stats`, { headers: host() })).json()
      expect(stats).toMatchObject({ wristbands: 20, checkins: 10, queueDepth: 0 })
      expect(stats.polls[pollId]).toEqual({ [optionIds[0]]: 2, [optionIds[1]]: 3, [optionIds[2]]: 5 })
    })

    test.skipIf(skip)('the same actionId twice counts once; the same vote twice changes nothing', async () => {
      const cookie = await checkIn(server, slug, seeded.wristbands[12].code)
      const before = await countVotes()
      const body = { pollId, optionId: optionIds[1], actionId: 'retry-me-12345' }
      const first = await server.fetch(`/api/events/${slug}/votes`, json(body, { cookie }))
      const second = await server.fetch(`/api/events/${slug}/votes`, json(body, { cookie }))
      expect(await first.json()).toEqual({ status: 'accepted', duplicate: false })
      expect(await second.json()).toEqual({ status: 'accepted', duplicate: true })
      // The same choice again under a new actionId: accepted, and still one vote.
      const third = await server.fetch(
        `/api/events/${slug}/votes`,
        json({ pollId, optionId: optionIds[1] }, { cookie }),
      )
      expect(third.status).toBe(202)
      // A retried message returns the id it got the first time.
      const m = { text: 'once only', actionId: 'msg-action-0001' }
      const m1 = await (await server.fetch(`/api/events/${slug}/messages`, json(m, { cookie }))).json()
      const m2 = await (await server.fetch(`/api/events/${slug}/messages`, json(m, { cookie }))).json()
      expect(m2).toEqual({ ...m1, duplicate: true })
      await flushed()
      expect(await countVotes()).toBe(before + 1)
      const rows = await db()
        .select()
        .from(messages)
        .where(and(eq(messages.eventId, seeded.event.id), eq(messages.text, 'once only')))
      expect(rows.length).toBe(1)
    })

    test.skipIf(skip)('a vote after the poll closed is refused and not written', async () => {
      const poll = await (
        await server.fetch(
          `/api/admin/events/${slug}/polls`,
          json({ question: 'Closing?', options: ['Yes', 'No'] }, host()),
        )
      ).json()
      await server.fetch(`/api/admin/events/${slug}/polls/${poll.id}/open`, json({}, host()))
      const cookie = await checkIn(server, slug, seeded.wristbands[13].code)
      const ok = await server.fetch(
        `/api/events/${slug}/votes`,
        json({ pollId: poll.id, optionId: poll.options[0].id }, { cookie }),
      )
      expect(ok.status).toBe(202)
      await server.fetch(`/api/admin/events/${slug}/polls/${poll.id}/close`, json({}, host()))
      const other = await checkIn(server, slug, seeded.wristbands[14].code)
      const late = await server.fetch(
        `/api/events/${slug}/votes`,
        json({ pollId: poll.id, optionId: poll.options[1].id }, { cookie: other }),
      )
      expect(late.status).toBe(409)
      expect(await late.json()).toMatchObject({ error: 'poll_not_open', fields: { pollId: 'poll is not open' } })
      await flushed()
      const rows = await db().select().from(responses).where(eq(responses.interactionId, poll.id))
      expect(rows.map((r) => r.number)).toEqual([seeded.wristbands[13].number])
    })

    test.skipIf(skip)('a hidden message leaves the snapshot and is stored hidden', async () => {
      const cookie = await checkIn(server, slug, seeded.wristbands[15].code)
      const { id } = await (
        await server.fetch(`/api/events/${slug}/messages`, json({ text: 'hide me please' }, { cookie }))
      ).json()
      await until(async () =>
        (await (await server.fetch(`/api/events/${slug}/snapshot`)).json()).snapshot.danmaku.some(
          (d: { id: number }) => d.id === id,
        ),
      )
      const hide = await server.fetch(`/api/admin/events/${slug}/messages/${id}/hide`, json({}, host()))
      expect(hide.status).toBe(200)
      await until(
        async () =>
          !(await (await server.fetch(`/api/events/${slug}/snapshot`)).json()).snapshot.danmaku.some(
            (d: { id: number }) => d.id === id,
          ),
      )
      await flushed()
      const [row] = await db()
        .select()
        .from(messages)
        .where(and(eq(messages.eventId, seeded.event.id), eq(messages.id, id)))
      expect(row.state).toBe('hidden')
    })

    test.skipIf(skip)('pre-moderation holds messages until a host approves them', async () => {
      const patch = await server.fetch(`/api/admin/events/${slug}/settings`, {
        ...json({ premoderate: true }, host()),
        method: 'PATCH',
      })
      expect(patch.status).toBe(200)
      server.rt.directory.forget(slug)
      const cookie = await checkIn(server, slug, seeded.wristbands[16].code)
      const sent = await (
        await server.fetch(`/api/events/${slug}/messages`, json({ text: 'needs approval' }, { cookie }))
      ).json()
      expect(sent).toMatchObject({ status: 'accepted', held: true })
      await Bun.sleep(200)
      const snap = (await (await server.fetch(`/api/events/${slug}/snapshot`)).json()).snapshot
      expect(snap.danmaku.some((d: { id: number }) => d.id === sent.id)).toBe(false)
      const admin = await (await server.fetch(`/api/admin/events/${slug}/snapshot`, { headers: host() })).json()
      expect(admin.snapshot.admin.held.map((h: { id: number }) => h.id)).toContain(sent.id)
      await server.fetch(`/api/admin/events/${slug}/messages/${sent.id}/approve`, json({}, host()))
      await until(async () =>
        (await (await server.fetch(`/api/events/${slug}/snapshot`)).json()).snapshot.danmaku.some(
          (d: { id: number }) => d.id === sent.id,
        ),
      )
      await server.fetch(`/api/admin/events/${slug}/settings`, {
        ...json({ premoderate: false }, host()),
        method: 'PATCH',
      })
      server.rt.directory.forget(slug)
    })

    test.skipIf(skip)('raffles draw checked-in wristbands and tell the winner', async () => {
      const raffle = await (
        await server.fetch(`/api/admin/events/${slug}/raffles`, json({ name: 'T-shirt', winners: 3 }, host()))
      ).json()
      const draw = await server.fetch(`/api/admin/events/${slug}/raffles/${raffle.id}/draw`, json({}, host()))
      expect(draw.status).toBe(200)
      const drawn = await draw.json()
      expect(drawn.winners.length).toBe(3)
      const checkedIn = new Set(await server.rt.live.counters.checkedIn(seeded.event.id))
      for (const n of drawn.winners) expect(checkedIn.has(n)).toBe(true)
      const again = await server.fetch(`/api/admin/events/${slug}/raffles/${raffle.id}/draw`, json({}, host()))
      expect(again.status).toBe(409)
      const winner = seeded.wristbands.find((w) => w.number === drawn.winners[0])!
      const cookie = await checkIn(server, slug, winner.code)
      const me = await (await server.fetch(`/api/events/${slug}/me`, { headers: { cookie } })).json()
      expect(me.wins).toEqual([{ raffleId: raffle.id, name: 'T-shirt', tier: 1, prize: 'T-shirt', claimed: false }])
      await until(async () =>
        (await (await server.fetch(`/api/events/${slug}/snapshot`)).json()).snapshot.raffles.some(
          (r: { winners: number[] }) => r.winners.length === 3,
        ),
      )
      const list = await (await server.fetch(`/api/admin/events/${slug}/raffles`, { headers: host() })).json()
      expect(list).toEqual([
        expect.objectContaining({
          id: raffle.id,
          name: 'T-shirt',
          winnersWanted: 3,
          rules: { excludePreviousWinners: true },
          winners: drawn.winners,
          drawnAt: drawn.drawnAt,
          state: 'drawn',
          prizes: [{ tier: 1, name: 'T-shirt', count: 3, winners: drawn.winners }],
        }),
      ])
      expect(list[0].winnerDetails.map((w: { number: number }) => w.number)).toEqual(drawn.winners)
    })

    test.skipIf(skip)('pausing reaches /time and the snapshot', async () => {
      const res = await server.fetch(`/api/admin/events/${slug}/status`, {
        ...json({ status: 'paused', message: 'Back in 5 minutes' }, host()),
        method: 'PUT',
      })
      expect(res.status).toBe(200)
      const time = await (await server.fetch(`/time?event=${slug}`)).json()
      expect(time).toMatchObject({ status: 'paused', message: 'Back in 5 minutes' })
      expect(Math.abs(time.serverTime - Date.now())).toBeLessThan(1000)
      await until(
        async () => (await (await server.fetch(`/api/events/${slug}/snapshot`)).json()).snapshot.status === 'paused',
      )
      // An emergency pause stops new votes and messages, with the host's words as the reason.
      const cookie = await checkIn(server, slug, seeded.wristbands[17].code)
      const vote = await server.fetch(`/api/events/${slug}/votes`, json({ pollId, optionId: optionIds[0] }, { cookie }))
      expect(vote.status).toBe(409)
      expect(await vote.json()).toEqual({ error: 'event_paused', message: 'Back in 5 minutes' })
      const msg = await server.fetch(`/api/events/${slug}/messages`, json({ text: 'still here?' }, { cookie }))
      expect(msg.status).toBe(409)
      await server.fetch(`/api/admin/events/${slug}/status`, { ...json({ status: 'live' }, host()), method: 'PUT' })
      expect(
        (await server.fetch(`/api/events/${slug}/votes`, json({ pollId, optionId: optionIds[0] }, { cookie }))).status,
      ).toBe(202)
    })

    test.skipIf(skip)('a host signs in with the secret for a strict cookie and signs out again', async () => {
      const wrong = await server.fetch(`/api/admin/events/${slug}/session`, json({ secret: 'nope' }))
      expect(wrong.status).toBe(422)
      const ok = await server.fetch(`/api/admin/events/${slug}/session`, json({ secret: seeded.hostSecret }))
      const setCookie = ok.headers.get('set-cookie')!
      expect(setCookie).toContain('SameSite=Strict')
      expect(setCookie).toContain('HttpOnly')
      const cookie = setCookie.split(';')[0]
      expect((await server.fetch(`/api/admin/events/${slug}/stats`, { headers: { cookie } })).status).toBe(200)
      // A cookie write without the CSRF header is refused; with it, it works.
      const csrf = await server.fetch(`/api/admin/events/${slug}/session`, { method: 'DELETE', headers: { cookie } })
      expect(csrf.status).toBe(403)
      const out = await server.fetch(`/api/admin/events/${slug}/session`, {
        method: 'DELETE',
        headers: { cookie, 'x-glowband-csrf': '1' },
      })
      expect(out.headers.get('set-cookie')).toContain('Max-Age=0')
    })

    test.skipIf(skip)('a revoked wristband stops working at once', async () => {
      const w = seeded.wristbands[19]
      const cookie = await checkIn(server, slug, w.code)
      const res = await server.fetch(
        `/api/admin/events/${slug}/wristbands/revoke`,
        json({ numbers: [w.number] }, host()),
      )
      expect(await res.json()).toEqual({ revoked: 1 })
      const vote = await server.fetch(`/api/events/${slug}/votes`, json({ pollId, optionId: optionIds[0] }, { cookie }))
      expect(vote.status).toBe(403)
      const again = await server.fetch(`/api/events/${slug}/checkin`, json({ code: w.code }))
      expect(again.status).toBe(404)
      expect(await again.json()).toMatchObject({ error: 'unknown_code' })
    })
  })
}
