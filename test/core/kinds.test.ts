/**
 * The interaction kinds end to end through the public interface, on both backends:
 * rating, word cloud and open text on the one response primitive (answer, change the
 * answer, refusals that change nothing), persisted by the flusher, the same after the
 * counters are rebuilt from Postgres; and results hidden until the host reveals them.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { and, eq, isNotNull } from 'drizzle-orm'
import { responses } from '../../db/schema.ts'
import type { Poll } from '../../protocol/index.ts'
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

/** `until` for a value that is null until it is there. */
const found = async <T>(fn: () => Promise<T | null | undefined>): Promise<T> => (await until(fn)) as T

for (const backend of BACKENDS) {
  describe(`interaction kinds (${backend})`, async () => {
    const skip = backend === 'cluster' && !(await clusterReachable())
    let server: TestServer
    let seeded: Awaited<ReturnType<typeof seedEvent>>
    let slug: string
    let cookies: string[]
    const host = () => ({ authorization: `Bearer ${seeded.hostSecret}` })

    beforeAll(async () => {
      if (skip) return
      server = await startTestServer(backend)
      seeded = await seedEvent(server, { wristbands: 70 })
      slug = seeded.event.slug
      cookies = await Promise.all(seeded.wristbands.map((w) => checkIn(server, slug, w.code)))
    })
    afterAll(async () => {
      if (!skip) await server.stop()
    })

    const admin = (path: string, body: unknown = {}) =>
      server.fetch(`/api/admin/events/${slug}${path}`, json(body, host()))
    const create = async (body: Record<string, unknown>, open = true) => {
      const res = await admin('/polls', body)
      expect(res.status).toBe(201)
      const poll = (await res.json()) as { id: number; kind: string; options: { id: number }[] }
      if (open) expect((await admin(`/polls/${poll.id}/open`)).status).toBe(200)
      return poll
    }
    const answer = (i: number, body: Record<string, unknown>) =>
      server.fetch(`/api/events/${slug}/votes`, json(body, { cookie: cookies[i] }))
    const publicPoll = async (id: number): Promise<Poll | undefined> =>
      (await (await server.fetch(`/api/events/${slug}/snapshot`)).json()).snapshot.polls.find((p: Poll) => p.id === id)
    const hostView = async () =>
      (await (await server.fetch(`/api/admin/events/${slug}/snapshot`, { headers: host() })).json()).snapshot
    const flushed = () => until(async () => (await server.rt.live.queue.depth(seeded.event.id)) === 0, 10_000)
    const stored = async (pollId: number) =>
      server.rt.database.db
        .select({ number: responses.number, response: responses.response })
        .from(responses)
        .where(and(eq(responses.interactionId, pollId), isNotNull(responses.response)))
    /** Rebuilds the live counters from Postgres (as after a Redis loss or a restart). */
    const rebuild = () => server.rt.directory.ensureLoaded(seeded.event.id, true)
    const settle = () => Bun.sleep(250)

    test.skipIf(skip)('rating: distribution and live average; a changed answer moves its count', async () => {
      const poll = await create({ kind: 'rating', question: 'How was the show?', scale: { min: 0, max: 10 } })
      expect(poll.kind).toBe('rating')
      // 10, 10, 8, 7, 0  -> average 7
      const values = [10, 10, 8, 7, 0]
      for (const [i, value] of values.entries()) {
        expect((await answer(i, { pollId: poll.id, value })).status).toBe(202)
      }
      // Guest 4 changes their mind: 0 -> 5 (average 8).
      expect((await answer(4, { pollId: poll.id, value: 5 })).status).toBe(202)
      const view = await found(async () => {
        const p = await publicPoll(poll.id)
        return p?.responses === 5 && p.rating?.average === 8 ? p : null
      })
      expect(view.kind).toBe('rating')
      expect(view.rating).toEqual({ min: 0, max: 10, average: 8 })
      expect(view.options).toHaveLength(11)
      const votes = Object.fromEntries(view.options.map((o) => [o.label, o.votes]))
      expect(votes).toMatchObject({ '0': 0, '5': 1, '7': 1, '8': 1, '10': 2 })

      // Off the scale, the wrong field, or a non-integer: a 4xx naming the field, nothing changes.
      const off = await answer(5, { pollId: poll.id, value: 11 })
      expect(off.status).toBe(422)
      expect(await off.json()).toMatchObject({ error: 'value_off_scale', fields: { value: expect.any(String) } })
      const wrong = await answer(5, { pollId: poll.id, optionId: 3 })
      expect(wrong.status).toBe(422)
      expect(await wrong.json()).toMatchObject({ error: 'wrong_kind', fields: { optionId: expect.any(String) } })
      expect((await answer(5, { pollId: poll.id, value: 2.5 })).status).toBe(422)
      expect((await answer(5, { pollId: poll.id, value: 3, words: ['x'] })).status).toBe(422)
      expect((await answer(5, { pollId: poll.id })).status).toBe(422)

      // Closed: refused; the counts stay.
      expect((await admin(`/polls/${poll.id}/close`)).status).toBe(200)
      const closed = await answer(5, { pollId: poll.id, value: 3 })
      expect(closed.status).toBe(409)
      expect(await closed.json()).toMatchObject({ error: 'poll_not_open' })
      await settle()
      expect((await publicPoll(poll.id))?.rating?.average).toBe(8)

      // Persisted once per wristband, with the changed answer; rebuilt counts are the same.
      await flushed()
      const rows = await stored(poll.id)
      expect(rows.map((r) => (r.response as { value: number }).value).sort((a, b) => a - b)).toEqual([5, 7, 8, 10, 10])
      await rebuild()
      await settle()
      const again = await publicPoll(poll.id)
      expect(again?.options).toEqual(view.options)
      expect(again?.rating).toEqual(view.rating)
      expect(again?.responses).toBe(5)
    })

    test.skipIf(skip)('words: normalised for case, width and punctuation, filtered, bounded', async () => {
      await server.fetch(`/api/admin/events/${slug}/settings`, {
        ...json({ blockedWords: ['badword'] }, host()),
        method: 'PATCH',
      })
      server.rt.directory.forget(slug)
      const poll = await create({ kind: 'words', question: 'One word for tonight?' })
      expect((await answer(0, { pollId: poll.id, words: ['Neon', ' Gold!'] })).status).toBe(202)
      // Full-width, upper case and punctuation around it: the same word.
      expect((await answer(1, { pollId: poll.id, words: ['ＮＥＯＮ'] })).status).toBe(202)
      expect((await answer(2, { pollId: poll.id, words: ['«neon»', 'NEON', 'Late  Night'] })).status).toBe(202)
      const view = await found(async () => {
        const p = await publicPoll(poll.id)
        return p?.responses === 3 ? p : null
      })
      expect(view.words).toEqual([
        { text: 'neon', count: 3 },
        { text: 'gold', count: 1 },
        { text: 'late night', count: 1 },
      ])
      // Guest 0 changes their words: gold goes, neon stays.
      expect((await answer(0, { pollId: poll.id, words: ['neon', 'stars'] })).status).toBe(202)

      // Refusals name `words` and change nothing.
      const blocked = await answer(3, { pollId: poll.id, words: ['fine', 'BadWord!'] })
      expect(blocked.status).toBe(422)
      expect(await blocked.json()).toMatchObject({ error: 'blocked_word', fields: { words: expect.any(String) } })
      const many = await answer(3, { pollId: poll.id, words: ['a', 'b', 'c', 'd'] })
      expect(many.status).toBe(422)
      expect((await many.json()).fields).toHaveProperty('words')
      expect((await answer(3, { pollId: poll.id, words: ['!!!'] })).status).toBe(422)
      expect((await answer(3, { pollId: poll.id, words: ['x'.repeat(41)] })).status).toBe(422)
      expect((await answer(3, { pollId: poll.id, value: 3 })).status).toBe(422)

      // 60 more distinct words: the view keeps the top 50, the most given first.
      const all = await Promise.all(
        Array.from({ length: 60 }, (_, i) => answer(4 + i, { pollId: poll.id, words: [`w${i}`] })),
      )
      expect(all.map((r) => r.status)).toEqual(all.map(() => 202))
      const big = await found(async () => {
        const p = await publicPoll(poll.id)
        return p?.responses === 63 ? p : null
      })
      expect(big.words).toHaveLength(50)
      expect(big.words?.[0]).toEqual({ text: 'neon', count: 3 })
      expect(big.words?.some((w) => w.text === 'gold')).toBe(false)

      await flushed()
      expect(await stored(poll.id)).toHaveLength(63)
      await rebuild()
      await settle()
      expect((await publicPoll(poll.id))?.words).toEqual(big.words)
      const me = await (await server.fetch(`/api/events/${slug}/me`, { headers: { cookie: cookies[0] } })).json()
      expect(me.answers[poll.id]).toEqual({ words: ['neon', 'stars'] })
    })

    test.skipIf(skip)('text: answers as cards; pre-moderation holds them until the host approves', async () => {
      const poll = await create({ kind: 'text', question: 'What should we play next?' })
      expect((await answer(0, { pollId: poll.id, text: '  Something\nloud  ' })).status).toBe(202)
      expect((await answer(1, { pollId: poll.id, text: 'Jazz' })).status).toBe(202)
      const first = await found(async () => {
        const p = await publicPoll(poll.id)
        return p?.answers?.length === 2 ? p : null
      })
      // Newest first; control characters became spaces.
      expect(first.answers?.map((a) => [a.number, a.text])).toEqual([
        [seeded.wristbands[1].number, 'Jazz'],
        [seeded.wristbands[0].number, 'Something loud'],
      ])
      const empty = await answer(2, { pollId: poll.id, text: '   ' })
      expect(empty.status).toBe(422)
      expect((await empty.json()).fields).toHaveProperty('text')
      expect((await answer(2, { pollId: poll.id, text: 'x'.repeat(81) })).status).toBe(422)

      await server.fetch(`/api/admin/events/${slug}/settings`, {
        ...json({ premoderate: true }, host()),
        method: 'PATCH',
      })
      server.rt.directory.forget(slug)
      // A new answer and a changed one: both held, the changed one leaves the screen.
      expect((await answer(2, { pollId: poll.id, text: 'Disco please' })).status).toBe(202)
      expect((await answer(1, { pollId: poll.id, text: 'Jazz, really' })).status).toBe(202)
      const held = await found(async () => {
        const p = await publicPoll(poll.id)
        return p?.responses === 3 && p.answers?.length === 1 ? p : null
      })
      expect(held.answers?.[0].text).toBe('Something loud')
      const me = await (await server.fetch(`/api/events/${slug}/me`, { headers: { cookie: cookies[2] } })).json()
      expect(me.answers[poll.id]).toEqual({ text: 'Disco please', held: true })

      await flushed()
      const queue = await (
        await server.fetch(`/api/admin/events/${slug}/polls/${poll.id}/answers?state=held`, { headers: host() })
      ).json()
      expect(queue.map((a: { text: string }) => a.text).sort()).toEqual(['Disco please', 'Jazz, really'])
      const number2 = seeded.wristbands[2].number
      const approved = await admin(`/polls/${poll.id}/answers/${number2}/approve`)
      expect(approved.status).toBe(200)
      expect(await approved.json()).toMatchObject({ number: number2, state: 'visible', text: 'Disco please' })
      await until(async () => (await publicPoll(poll.id))?.answers?.some((a) => a.text === 'Disco please'))
      // The host hides a card, even once the poll is closed.
      expect((await admin(`/polls/${poll.id}/close`)).status).toBe(200)
      const number0 = seeded.wristbands[0].number
      expect((await admin(`/polls/${poll.id}/answers/${number0}/hide`)).status).toBe(200)
      const after = await found(async () => {
        const p = await publicPoll(poll.id)
        return p?.answers?.length === 1 ? p : null
      })
      expect(after.answers?.map((a) => a.text)).toEqual(['Disco please'])
      expect((await admin(`/polls/${poll.id}/answers/9999/hide`)).status).toBe(404)

      await flushed()
      await rebuild()
      await settle()
      expect((await publicPoll(poll.id))?.answers).toEqual(after.answers)
      await server.fetch(`/api/admin/events/${slug}/settings`, {
        ...json({ premoderate: false }, host()),
        method: 'PATCH',
      })
      server.rt.directory.forget(slug)
    })

    test.skipIf(skip)('hideResults: no counts on the public stream until revealed; the host sees them', async () => {
      const poll = await create({ question: 'Secret ballot?', options: ['Yes', 'No'], hideResults: true })
      const rating = await create({ kind: 'rating', question: 'Hidden rating', hideResults: true })
      for (let i = 0; i < 5; i++) {
        expect((await answer(i, { pollId: poll.id, optionId: poll.options[i % 2].id })).status).toBe(202)
        expect((await answer(i, { pollId: rating.id, value: 4 })).status).toBe(202)
      }
      const hostPoll = await found(async () => {
        const results: Poll[] = (await hostView()).admin.results ?? []
        const p = results.find((r) => r.id === poll.id)
        const r = results.find((x) => x.id === rating.id)
        return p && p.options[0].votes === 3 && r?.rating?.average === 4 ? p : null
      })
      expect(hostPoll.options.map((o) => o.votes)).toEqual([3, 2])
      // The public snapshot, the host snapshot's public part and the SSE stream carry no counts.
      const pub = await publicPoll(poll.id)
      expect(pub).toMatchObject({ hideResults: true, revealed: false, responses: 5 })
      expect(pub?.options.map((o) => o.votes)).toEqual([0, 0])
      const pubRating = await publicPoll(rating.id)
      expect(pubRating?.rating?.average).toBeNull()
      expect(pubRating?.options.every((o) => o.votes === 0)).toBe(true)
      expect((await hostView()).polls.find((p: Poll) => p.id === poll.id).options[0].votes).toBe(0)
      const stream = await server.fetch(`/api/events/${slug}/stream`)
      const reader = stream.body!.getReader()
      const { value } = await reader.read()
      await reader.cancel()
      const text = new TextDecoder().decode(value)
      expect(text).toContain('Secret ballot?')
      expect(text).not.toContain('"results"')
      expect(text).not.toContain('"votes":3')

      // Closed, then revealed: the public view gets the counts.
      expect((await admin(`/polls/${poll.id}/close`)).status).toBe(200)
      expect((await admin(`/polls/${poll.id}/reveal`)).status).toBe(200)
      const shown = await found(async () => {
        const p = await publicPoll(poll.id)
        return p?.revealed ? p : null
      })
      expect(shown.options.map((o) => o.votes)).toEqual([3, 2])
      expect((await hostView()).admin.results?.some((r: Poll) => r.id === poll.id) ?? false).toBe(false)
      // A poll that never hid its results cannot be revealed.
      const plain = await create({ question: 'Plain?', options: ['A', 'B'] }, false)
      expect((await admin(`/polls/${plain.id}/reveal`)).status).toBe(409)
      // After a rebuild the rating is still hidden, the choice still shown.
      await flushed()
      await rebuild()
      await settle()
      expect((await publicPoll(rating.id))?.rating?.average).toBeNull()
      expect((await publicPoll(poll.id))?.options.map((o) => o.votes)).toEqual([3, 2])
    })

    const put = (path: string, body: unknown) =>
      server.fetch(`/api/admin/events/${slug}${path}`, { ...json(body, host()), method: 'PUT' })

    test.skipIf(skip)(
      'host: edit a draft, not an opened poll; duplicate copies kind, options and settings',
      async () => {
        const draft = await create({ question: 'Draft?', options: ['A', 'B'] }, false)
        const edited = await put(`/polls/${draft.id}`, {
          kind: 'rating',
          question: 'Rate it',
          scale: { min: 1, max: 3 },
        })
        expect(edited.status).toBe(200)
        expect(await edited.json()).toEqual({ id: draft.id, kind: 'rating', question: 'Rate it', options: [] })
        const view = await found(async () => {
          const p = await publicPoll(draft.id)
          return p?.kind === 'rating' ? p : null
        })
        expect(view.options.map((o) => o.label)).toEqual(['1', '2', '3'])
        expect((await admin(`/polls/${draft.id}/open`)).status).toBe(200)
        const late = await put(`/polls/${draft.id}`, { question: 'Too late', options: ['X', 'Y'] })
        expect(late.status).toBe(409)
        expect(await late.json()).toMatchObject({ error: 'poll_not_draft' })
        expect((await put('/polls/999999', { question: 'Q', options: ['X', 'Y'] })).status).toBe(404)
        expect((await put(`/polls/${draft.id}`, { kind: 'words', question: 'Q', options: ['X', 'Y'] })).status).toBe(
          422,
        )

        const secret = await create({
          question: 'Copy me?',
          options: ['One', 'Two', 'Three'],
          maxChoices: 2,
          hideResults: true,
        })
        expect((await answer(0, { pollId: secret.id, optionIds: [secret.options[0].id] })).status).toBe(202)
        expect((await admin(`/polls/${secret.id}/reveal`)).status).toBe(200)
        const copyRes = await admin(`/polls/${secret.id}/duplicate`)
        expect(copyRes.status).toBe(201)
        const copy = await copyRes.json()
        expect(copy.id).not.toBe(secret.id)
        expect(copy.options.map((o: { label: string }) => o.label)).toEqual(['One', 'Two', 'Three'])
        const copied = await found(() => publicPoll(copy.id))
        // A new draft: not open, no votes, results hidden again, multiple choice kept.
        expect(copied).toMatchObject({ open: false, closed: false, maxChoices: 2, hideResults: true, revealed: false })
        expect(copied.options.every((o) => o.votes === 0)).toBe(true)
        expect((await admin('/polls/999999/duplicate')).status).toBe(404)
      },
    )

    test.skipIf(skip)('host: reset clears the counts live and in Postgres; answers after it count', async () => {
      const poll = await create({ kind: 'rating', question: 'Reset me', scale: { min: 1, max: 5 } })
      for (let i = 0; i < 4; i++) expect((await answer(i, { pollId: poll.id, value: 5 })).status).toBe(202)
      await found(async () => ((await publicPoll(poll.id))?.responses === 4 ? true : null))
      const reset = await admin(`/polls/${poll.id}/reset`)
      expect(reset.status).toBe(200)
      expect(await reset.json()).toMatchObject({ id: poll.id, open: true, closed: false })
      // Guest 0 answers again straight after the reset.
      expect((await answer(0, { pollId: poll.id, value: 2 })).status).toBe(202)
      const after = await found(async () => {
        const p = await publicPoll(poll.id)
        return p?.responses === 1 ? p : null
      })
      expect(after.rating?.average).toBe(2)
      const me = await (await server.fetch(`/api/events/${slug}/me`, { headers: { cookie: cookies[1] } })).json()
      expect(me.answers?.[poll.id]).toBeUndefined()
      await flushed()
      expect((await stored(poll.id)).map((r) => r.response)).toEqual([{ value: 2 }])
      await rebuild()
      await settle()
      expect((await publicPoll(poll.id))?.rating).toEqual({ min: 1, max: 5, average: 2 })
      expect((await admin('/polls/999999/reset')).status).toBe(404)
    })

    test.skipIf(skip)('host: reorder lists every poll once; the snapshot follows the order', async () => {
      const made: number[] = []
      for (const q of ['First?', 'Second?', 'Third?'])
        made.push((await create({ question: q, options: ['A', 'B'] }, false)).id)
      const ids = await found(async () => {
        const list: number[] = (await hostView()).polls.map((p: Poll) => p.id)
        return made.every((id) => list.includes(id)) ? list : null
      })
      const reversed = [...ids].reverse()
      const res = await put('/polls/order', { ids: reversed })
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({ ids: reversed })
      await found(async () => {
        const polls: Poll[] = (await (await server.fetch(`/api/events/${slug}/snapshot`)).json()).snapshot.polls
        return JSON.stringify(polls.map((p) => p.id)) === JSON.stringify(reversed) ? true : null
      })
      // The snapshot endpoint serves the hub's copy, made by applying deltas: applyDelta keeps the order too.
      for (const bad of [reversed.slice(1), [...reversed, reversed[0]], [...reversed.slice(1), 999999]]) {
        const r = await put('/polls/order', { ids: bad })
        expect(r.status).toBe(422)
        expect((await r.json()).fields).toHaveProperty('ids')
      }
      await rebuild()
      await settle()
      const polls: Poll[] = (await (await server.fetch(`/api/events/${slug}/snapshot`)).json()).snapshot.polls
      expect(polls.map((p) => p.id)).toEqual(reversed)
    })

    test.skipIf(skip)(
      'every kind at once: concurrent and changed answers are counted once, live and in Postgres',
      async () => {
        const rating = await create({ kind: 'rating', question: 'Busy rating', scale: { min: 0, max: 10 } })
        const cloud = await create({ kind: 'words', question: 'Busy cloud' })
        const open = await create({ kind: 'text', question: 'Busy text' })
        const choice = await create({ question: 'Busy choice', options: ['A', 'B', 'C'], maxChoices: 2 })
        const n = cookies.length
        const first = (i: number) => [
          answer(i, { pollId: rating.id, value: i % 11 }),
          answer(i, { pollId: cloud.id, words: [`w${i % 7}`, `x${i % 3}`] }),
          answer(i, { pollId: open.id, text: `answer ${i}` }),
          answer(i, { pollId: choice.id, optionIds: [choice.options[i % 3].id] }),
        ]
        // Every guest answers all four at once; then the even ones change every answer, all at once.
        const changed = (i: number) => [
          answer(i, { pollId: rating.id, value: 10 }),
          answer(i, { pollId: cloud.id, words: ['changed'] }),
          answer(i, { pollId: open.id, text: `changed ${i}` }),
          answer(i, { pollId: choice.id, optionIds: [choice.options[0].id, choice.options[1].id] }),
        ]
        const all = await Promise.all(Array.from({ length: n }, (_, i) => [...first(i)]).flat())
        expect(all.every((r) => r.status === 202)).toBe(true)
        const again = await Promise.all(Array.from({ length: n }, (_, i) => (i % 2 ? [] : changed(i))).flat())
        expect(again.every((r) => r.status === 202)).toBe(true)

        await flushed()
        // Postgres holds one row per wristband and poll: the newest answer.
        const final = new Map<number, unknown[]>()
        for (const id of [rating.id, cloud.id, open.id, choice.id])
          final.set(
            id,
            (await stored(id)).map((r) => r.response),
          )
        for (const rows of final.values()) expect(rows).toHaveLength(n)
        const expectedAvg = (() => {
          let sum = 0
          for (let i = 0; i < n; i++) sum += i % 2 ? i % 11 : 10
          return Math.round((sum / n) * 100) / 100
        })()
        // The live counts and the rows agree: count the choice poll from Postgres.
        const rowsChoice = final.get(choice.id) as { optionIds: number[] }[]
        const fromRows = choice.options.map((o) => rowsChoice.filter((r) => r.optionIds.includes(o.id)).length)
        const live = await found(async () => {
          const c = await publicPoll(choice.id)
          const r = await publicPoll(rating.id)
          return c && r?.responses === n && r.rating?.average === expectedAvg ? c : null
        })
        expect(live.options.map((o) => o.votes)).toEqual(fromRows)
        const words = (await publicPoll(cloud.id))?.words ?? []
        expect(words.find((x) => x.text === 'changed')?.count).toBe(Math.ceil(n / 2))
        const wordRows = final.get(cloud.id) as { words: string[] }[]
        for (const w of words) expect(w.count).toBe(wordRows.filter((r) => r.words.includes(w.text)).length)
        expect((await publicPoll(open.id))?.responses).toBe(n)
        // Rebuilt from Postgres: the same views.
        const before = await Promise.all([rating.id, cloud.id, open.id, choice.id].map((id) => publicPoll(id)))
        await rebuild()
        await settle()
        const after = await Promise.all([rating.id, cloud.id, open.id, choice.id].map((id) => publicPoll(id)))
        expect(after).toEqual(before)
      },
    )

    test.skipIf(skip)(
      'a wristband banned from writing cannot send words or an open answer, but can still rate',
      async () => {
        const cloud = await create({ kind: 'words', question: 'Banned cloud?' })
        const open = await create({ kind: 'text', question: 'Banned text?' })
        const rating = await create({ kind: 'rating', question: 'Banned rating?' })
        const number = seeded.wristbands[69].number
        const ban = await server.fetch(`/api/admin/events/${slug}/bans/${number}`, {
          ...json({}, host()),
          method: 'PUT',
        })
        expect(ban.status).toBeLessThan(300)
        const words = await answer(69, { pollId: cloud.id, words: ['hello'] })
        expect(words.status).toBe(403)
        expect(await words.json()).toMatchObject({ error: 'banned' })
        expect((await answer(69, { pollId: open.id, text: 'hello' })).status).toBe(403)
        expect((await answer(69, { pollId: rating.id, value: 3 })).status).toBe(202)
        await server.fetch(`/api/admin/events/${slug}/bans/${number}`, { headers: host(), method: 'DELETE' })
      },
    )

    test.skipIf(skip)('creating a poll: fields that belong to another kind are refused', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ kind: 'rating', question: 'Q', options: ['A', 'B'] }, 'options'],
        [{ kind: 'rating', question: 'Q', scale: { min: 1, max: 11 } }, 'scale'],
        [{ kind: 'words', question: 'Q', maxChoices: 2 }, 'maxChoices'],
        [{ kind: 'text', question: 'Q', scale: { min: 1, max: 5 } }, 'scale'],
        [{ question: 'Q', options: ['A'] }, 'options'],
        [{ question: 'Q', options: ['A', 'B'], maxChoices: 3 }, 'maxChoices'],
        [{ kind: 'quiz', question: 'Q' }, 'kind'],
      ]
      for (const [body, field] of cases) {
        const res = await admin('/polls', body)
        expect(res.status, JSON.stringify(body)).toBe(422)
        const err = await res.json()
        expect(Object.keys(err.fields ?? {}).join(','), JSON.stringify(body)).toContain(field)
      }
    })
  })
}
