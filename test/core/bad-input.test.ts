/**
 * Bad input on every endpoint: a clear 4xx in the public error shape, naming what is
 * wrong, and nothing written anywhere (Postgres, the queue, the live counters).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { count } from 'drizzle-orm'
import { auditLog, checkins, messages, polls, responses } from '../../db/schema.ts'
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

interface Case {
  name: string
  path: string | (() => string)
  init: () => RequestInit
  status: number
  error?: string
  field?: string
}

for (const backend of BACKENDS) {
  describe(`bad input (${backend})`, async () => {
    const skip = backend === 'cluster' && !(await clusterReachable())
    let server: TestServer
    let slug: string
    let cookie: string
    let hostSecret: string
    let pollId: number
    let optionId: number
    let closedPollId: number
    let code: string

    beforeAll(async () => {
      if (skip) return
      server = await startTestServer(backend)
      const seeded = await seedEvent(server, { wristbands: 5 })
      slug = seeded.event.slug
      hostSecret = seeded.hostSecret
      code = seeded.wristbands[1].code
      cookie = await checkIn(server, slug, seeded.wristbands[0].code)
      const poll = await server.rt.polls.createPoll(seeded.event, { question: 'Q?', options: ['A', 'B'] })
      await server.rt.polls.setPollState(seeded.event, poll.id, 'open')
      pollId = poll.id
      optionId = poll.options[0].id
      const closed = await server.rt.polls.createPoll(seeded.event, { question: 'Old?', options: ['A', 'B'] })
      closedPollId = closed.id
      // The snapshot is part of what must not change: let it show the setup first.
      await until(async () => {
        const body = await (await server.fetch(`/api/events/${slug}/snapshot`)).json()
        return body.snapshot.polls.length === 2
      }, 5000)
    })
    afterAll(async () => {
      if (!skip) await server.stop()
    })

    const guest =
      (body: unknown, extra: Record<string, string> = {}) =>
      () =>
        json(body, { cookie, ...extra })
    const raw =
      (body: string, headers: Record<string, string> = {}) =>
      (): RequestInit => ({
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, ...headers },
        body,
      })
    const host =
      (body: unknown, method = 'POST') =>
      (): RequestInit => ({
        ...json(body, { authorization: `Bearer ${hostSecret}` }),
        method,
      })
    const cases = (): Case[] => [
      // check-in
      {
        name: 'check-in without a code',
        path: () => `/api/events/${slug}/checkin`,
        init: () => json({}),
        status: 422,
        error: 'invalid_input',
        field: 'code',
      },
      {
        name: 'check-in with a number for a code',
        path: () => `/api/events/${slug}/checkin`,
        init: () => json({ code: 12345 }),
        status: 422,
        field: 'code',
      },
      {
        name: 'check-in with a typo',
        path: () => `/api/events/${slug}/checkin`,
        init: () => json({ code: code.slice(0, -1) + (code.endsWith('A') ? 'B' : 'A') }),
        status: 422,
        error: 'invalid_code',
        field: 'code',
      },
      {
        name: 'check-in with a well-formed unknown code',
        path: () => `/api/events/${slug}/checkin`,
        init: () => json({ code: '000000000000' }),
        status: 404,
        error: 'unknown_code',
        field: 'code',
      },
      {
        name: 'check-in at an unknown event',
        path: '/api/events/no-such-event/checkin',
        init: () => json({ code }),
        status: 404,
        error: 'not_found',
      },
      {
        name: 'check-in at a malformed slug',
        path: '/api/events/NOT_A_SLUG!/checkin',
        init: () => json({ code }),
        status: 422,
        field: 'slug',
      },
      {
        name: 'check-in with malformed JSON',
        path: () => `/api/events/${slug}/checkin`,
        init: raw('{"code":'),
        status: 400,
        error: 'malformed_body',
      },
      // votes
      {
        name: 'vote without a cookie',
        path: () => `/api/events/${slug}/votes`,
        init: () => json({ pollId, optionId }),
        status: 401,
        error: 'unauthorized',
      },
      {
        name: 'vote with a forged cookie',
        path: () => `/api/events/${slug}/votes`,
        init: () => json({ pollId, optionId }, { cookie: cookie.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) }),
        status: 401,
      },
      {
        name: 'vote with a cookie for another wristband number',
        path: () => `/api/events/${slug}/votes`,
        init: () => json({ pollId, optionId }, { cookie: cookie.replace(/(\.\d+)\./, '.4242.') }),
        status: 401,
      },
      {
        name: 'vote with a string pollId',
        path: () => `/api/events/${slug}/votes`,
        init: guest({ pollId: 'one', optionId }),
        status: 422,
        field: 'pollId',
      },
      {
        name: 'vote with a float optionId',
        path: () => `/api/events/${slug}/votes`,
        init: guest({ pollId, optionId: 1.5 }),
        status: 422,
        field: 'optionId',
      },
      {
        name: 'vote on an unknown poll',
        path: () => `/api/events/${slug}/votes`,
        init: guest({ pollId: 999999, optionId }),
        status: 404,
        error: 'unknown_poll',
        field: 'pollId',
      },
      {
        name: 'vote for an option of another poll',
        path: () => `/api/events/${slug}/votes`,
        init: guest({ pollId, optionId: 999999 }),
        status: 422,
        error: 'unknown_option',
        field: 'optionId',
      },
      {
        name: 'vote on a poll that is not open',
        path: () => `/api/events/${slug}/votes`,
        init: () => json({ pollId: closedPollId, optionId }, { cookie }),
        status: 409,
        error: 'poll_not_open',
      },
      {
        name: 'vote with a malformed actionId',
        path: () => `/api/events/${slug}/votes`,
        init: guest({ pollId, optionId, actionId: 'a b' }),
        status: 422,
        field: 'actionId',
      },
      {
        name: 'vote as an array',
        path: () => `/api/events/${slug}/votes`,
        init: guest([{ pollId, optionId }]),
        status: 422,
      },
      {
        name: 'vote with an oversized body',
        path: () => `/api/events/${slug}/votes`,
        init: guest({ pollId, optionId, pad: 'x'.repeat(20_000) }),
        status: 413,
        error: 'body_too_large',
      },
      // messages
      {
        name: 'message without a cookie',
        path: () => `/api/events/${slug}/messages`,
        init: () => json({ text: 'hi' }),
        status: 401,
      },
      {
        name: 'empty message',
        path: () => `/api/events/${slug}/messages`,
        init: guest({ text: '   ' }),
        status: 422,
        error: 'empty_message',
        field: 'text',
      },
      {
        name: 'message over the length limit',
        path: () => `/api/events/${slug}/messages`,
        init: guest({ text: 'x'.repeat(81) }),
        status: 422,
        error: 'message_too_long',
        field: 'text',
      },
      {
        name: 'message text as a number',
        path: () => `/api/events/${slug}/messages`,
        init: guest({ text: 42 }),
        status: 422,
        field: 'text',
      },
      {
        name: 'message with an oversized body',
        path: () => `/api/events/${slug}/messages`,
        init: guest({ text: 'x'.repeat(17_000) }),
        status: 413,
      },
      // me, stream, snapshot
      { name: 'me without a cookie', path: () => `/api/events/${slug}/me`, init: () => ({}), status: 401 },
      { name: 'stream of an unknown event', path: '/api/events/nope/stream', init: () => ({}), status: 404 },
      { name: 'snapshot of an unknown event', path: '/api/events/nope/snapshot', init: () => ({}), status: 404 },
      // host
      {
        name: 'host call without credentials',
        path: () => `/api/admin/events/${slug}/polls`,
        init: () => json({ question: 'Q', options: ['a', 'b'] }),
        status: 401,
      },
      {
        name: 'host call with a wrong secret',
        path: () => `/api/admin/events/${slug}/polls`,
        init: () => json({ question: 'Q', options: ['a', 'b'] }, { authorization: 'Bearer wrong' }),
        status: 401,
      },
      {
        name: 'host call with a guest cookie',
        path: () => `/api/admin/events/${slug}/polls`,
        init: () => json({ question: 'Q', options: ['a', 'b'] }, { cookie }),
        status: 401,
      },
      {
        name: 'poll with one option',
        path: () => `/api/admin/events/${slug}/polls`,
        init: host({ question: 'Q', options: ['a'] }),
        status: 422,
        field: 'options',
      },
      {
        name: 'poll without a question',
        path: () => `/api/admin/events/${slug}/polls`,
        init: host({ options: ['a', 'b'] }),
        status: 422,
        field: 'question',
      },
      {
        name: 'opening an unknown poll',
        path: () => `/api/admin/events/${slug}/polls/999999/open`,
        init: host({}),
        status: 404,
      },
      {
        name: 'opening a poll with a non-numeric id',
        path: () => `/api/admin/events/${slug}/polls/abc/open`,
        init: host({}),
        status: 422,
        field: 'id',
      },
      {
        name: 'unknown status',
        path: () => `/api/admin/events/${slug}/status`,
        init: host({ status: 'asleep' }, 'PUT'),
        status: 422,
        field: 'status',
      },
      {
        name: 'hiding an unknown message',
        path: () => `/api/admin/events/${slug}/messages/999999/hide`,
        init: host({}),
        status: 404,
      },
      {
        name: 'raffle with zero winners',
        path: () => `/api/admin/events/${slug}/raffles`,
        init: host({ name: 'R', winners: 0 }),
        status: 422,
        field: 'winners',
      },
      {
        name: 'drawing an unknown raffle',
        path: () => `/api/admin/events/${slug}/raffles/999999/draw`,
        init: host({}),
        status: 404,
      },
      {
        name: 'settings with a wrong type',
        path: () => `/api/admin/events/${slug}/settings`,
        init: host({ premoderate: 'yes' }, 'PATCH'),
        status: 422,
        field: 'premoderate',
      },
      {
        name: 'revoke with neither numbers nor batch',
        path: () => `/api/admin/events/${slug}/wristbands/revoke`,
        init: host({}),
        status: 422,
      },
      { name: 'unknown route', path: '/api/nothing-here', init: () => ({}), status: 404, error: 'not_found' },
    ]

    const counts = async () => {
      const db = server.rt.database.db
      const n = async (t: typeof checkins | typeof responses | typeof messages | typeof polls | typeof auditLog) =>
        Number((await db.select({ n: count() }).from(t))[0].n)
      await server.rt.flusher.drain((await server.rt.directory.bySlug(slug))!.id)
      return {
        checkins: await n(checkins),
        votes: await n(responses),
        messages: await n(messages),
        polls: await n(polls),
        audit: await n(auditLog),
        snapshot: JSON.stringify((await (await server.fetch(`/api/events/${slug}/snapshot`)).json()).snapshot.polls),
      }
    }

    test.skipIf(skip)('every bad request gets its 4xx, names the field, and writes nothing', async () => {
      const before = await counts()
      for (const c of cases()) {
        const path = typeof c.path === 'function' ? c.path() : c.path
        const res = await server.fetch(path, c.init())
        const body = await res.json().catch(() => null)
        const where = `${c.name}: ${res.status} ${JSON.stringify(body)}`
        expect(where).toStartWith(`${c.name}: ${c.status}`)
        expect(body).toHaveProperty('error')
        expect(typeof body.message).toBe('string')
        if (c.error) expect(body.error).toBe(c.error)
        if (c.field) expect(Object.keys(body.fields ?? {})).toContain(c.field)
      }
      expect(await counts()).toEqual(before)
    })

    test.skipIf(skip)(
      'failed check-ins are rate-limited per address, with the same answer for every code',
      async () => {
        const fails = []
        for (let i = 0; i < 70; i++) {
          fails.push(await server.fetch(`/api/events/${slug}/checkin`, json({ code: '000000000000' })))
        }
        const statuses = fails.map((r) => r.status)
        expect(statuses.slice(0, 50).every((s) => s === 404)).toBe(true)
        expect(statuses.at(-1)).toBe(429)
        expect(fails.at(-1)!.headers.get('retry-after')).toBeTruthy()
        // Once limited, even a good code waits: guessing gets no oracle.
        const good = await server.fetch(`/api/events/${slug}/checkin`, json({ code }))
        expect(good.status).toBe(429)
        server.rt.guests.failedCheckins.clear()
      },
    )

    test.skipIf(skip)('messages are limited per wristband, not per address', async () => {
      const statuses = []
      for (let i = 0; i < 7; i++) {
        statuses.push((await server.fetch(`/api/events/${slug}/messages`, json({ text: `m${i}` }, { cookie }))).status)
      }
      expect(statuses).toEqual([202, 202, 202, 202, 202, 429, 429])
      // Another wristband from the same address is not affected.
      const other = await checkIn(server, slug, code)
      expect(
        (await server.fetch(`/api/events/${slug}/messages`, json({ text: 'mine' }, { cookie: other }))).status,
      ).toBe(202)
    })

    test.skipIf(skip)('blocked words refuse a message with a reason', async () => {
      const event = (await server.rt.directory.bySlug(slug))!
      await server.rt.status.updateSettings(event, { blockedWords: ['spoiler'] })
      const other = await checkIn(server, slug, code)
      const res = await server.fetch(
        `/api/events/${slug}/messages`,
        json({ text: 'huge SPOILER ahead' }, { cookie: other }),
      )
      expect(res.status).toBe(422)
      expect(await res.json()).toMatchObject({ error: 'blocked_word', fields: { text: 'contains a blocked word' } })
      // Latin words match whole: "unspoiled" does not contain the word "spoiler".
      const fine = await server.fetch(
        `/api/events/${slug}/messages`,
        json({ text: 'unspoiled fun' }, { cookie: other }),
      )
      expect(fine.status).toBe(202)
    })
  })
}
