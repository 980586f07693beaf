/**
 * 2,000 concurrent check-ins and 5,000 concurrent votes over real HTTP against one
 * process: every accepted action is in Postgres after the flush, none twice, and the
 * live counters say exactly the same.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { and, count, eq, sql } from 'drizzle-orm'
import { checkins, responses } from '../../db/schema.ts'
import { guestCookieName } from '../../server/http/session.ts'
import { viewsOf } from '../../server/pipeline/ticker.ts'
import { BACKENDS, clusterReachable, seedEvent, startTestServer, type TestServer, until } from '../support/backends.ts'

const CHECKINS = 2000
const VOTES = 5000

for (const backend of BACKENDS) {
  describe(`concurrency (${backend})`, async () => {
    const skip = backend === 'cluster' && !(await clusterReachable())
    let server: TestServer
    let base: string
    let seeded: Awaited<ReturnType<typeof seedEvent>>

    beforeAll(async () => {
      if (skip) return
      server = await startTestServer(backend)
      server.app.listen({ port: 0, hostname: '127.0.0.1' })
      base = `http://127.0.0.1:${server.app.server!.port}`
      seeded = await seedEvent(server, { wristbands: VOTES })
    })
    afterAll(async () => {
      if (skip) return
      await server.app.stop(true)
      await server.stop()
    })

    const post = (path: string, body: unknown, cookie?: string) =>
      fetch(base + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
        body: JSON.stringify(body),
      })

    test.skipIf(skip)(`${CHECKINS} concurrent check-ins are each counted once`, async () => {
      const slug = seeded.event.slug
      const codes = seeded.wristbands.slice(0, CHECKINS).map((w) => w.code)
      // Every code twice, all at once: a phone that retries must not count twice.
      const all = [...codes, ...codes].map((code) => post(`/api/events/${slug}/checkin`, { code }))
      const responses = await Promise.all(all)
      expect(responses.filter((r) => r.status === 200).length).toBe(CHECKINS * 2)
      await until(async () => (await server.rt.live.queue.depth(seeded.event.id)) === 0, 20_000)
      const [{ n }] = await server.rt.database.db
        .select({ n: count() })
        .from(checkins)
        .where(eq(checkins.eventId, seeded.event.id))
      expect(Number(n)).toBe(CHECKINS)
      expect((await server.rt.live.counters.checkedIn(seeded.event.id)).length).toBe(CHECKINS)
    })

    test.skipIf(skip)(`${VOTES} concurrent votes land in Postgres exactly once each`, async () => {
      const event = seeded.event
      const poll = await server.rt.polls.createPoll(event, { question: 'Encore?', options: ['A', 'B', 'C'] })
      await server.rt.polls.setPollState(event, poll.id, 'open')
      const expected = [0, 0, 0]
      const requests = seeded.wristbands.map((w, i) => {
        const choice = (i * 7) % 3
        expected[choice]++
        const cookie = `${guestCookieName(event.id)}=${server.rt.signer.guestCookie(event.id, w.number)}`
        // Each vote is sent with an actionId and then retried with the same one.
        const body = { pollId: poll.id, optionId: poll.options[choice].id, actionId: `load-${w.number}-x` }
        return post(`/api/events/${event.slug}/votes`, body, cookie).then(async (r) => {
          const retry = await post(`/api/events/${event.slug}/votes`, body, cookie)
          return [r.status, (await retry.json()).duplicate]
        })
      })
      const results = await Promise.all(requests)
      expect(results.filter(([s, dup]) => s === 202 && dup === true).length).toBe(VOTES)

      await until(async () => (await server.rt.live.queue.depth(event.id)) === 0, 30_000)
      const db = server.rt.database.db
      const byOption = await Promise.all(
        poll.options.map(async (o) =>
          Number(
            (
              await db
                .select({ n: count() })
                .from(responses)
                .where(
                  and(
                    eq(responses.interactionId, poll.id),
                    sql`${responses.response} = ${JSON.stringify({ optionIds: [o.id] })}::jsonb`,
                  ),
                )
            )[0].n,
          ),
        ),
      )
      expect(byOption).toEqual(expected)
      expect(byOption.reduce((a, b) => a + b, 0)).toBe(VOTES)
      const live = await server.rt.live.counters.readLive(event.id, 0, [])
      expect(
        viewsOf(live)
          .find((p) => p.id === poll.id)!
          .options.map((o) => o.votes),
      ).toEqual(expected)
    })
  })
}
