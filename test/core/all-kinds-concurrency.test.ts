/**
 * 2,000 guests answering every kind at once over real HTTP, on both backends: multiple
 * choice and rating answers changed mid-burst, a word cloud, open text, Q&A questions with
 * upvotes given and taken back. Afterwards every accepted response is in Postgres exactly
 * once (the changed ones as changed), the live counts equal what was sent, and counters
 * rebuilt from Postgres say the same.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { and, eq, isNotNull } from 'drizzle-orm'
import { responses } from '../../db/schema.ts'
import type { Poll, Question } from '../../protocol/index.ts'
import { guestCookieName } from '../../server/http/session.ts'
import {
  BACKENDS,
  clusterReachable,
  each,
  seedEvent,
  startTestServer,
  type TestServer,
  until,
} from '../support/backends.ts'

const GUESTS = 2000
/** Guests with i % ASK_EVERY === 0 ask a question: 40, inside the board's 50. */
const ASK_EVERY = 50
const WORDS = ['Neon', 'loud', 'golden', 'late', 'bass', 'magic', '快乐']

for (const backend of BACKENDS) {
  describe(`every kind at once, ${GUESTS} guests (${backend})`, async () => {
    const skip = backend === 'cluster' && !(await clusterReachable())
    let server: TestServer
    let base: string
    let seeded: Awaited<ReturnType<typeof seedEvent>>
    let slug: string
    const cookies: string[] = []
    const host = () => ({ authorization: `Bearer ${seeded.hostSecret}`, 'content-type': 'application/json' })

    beforeAll(async () => {
      if (skip) return
      server = await startTestServer(backend)
      server.app.listen({ port: 0, hostname: '127.0.0.1' })
      base = `http://127.0.0.1:${server.app.server!.port}`
      seeded = await seedEvent(server, { wristbands: GUESTS })
      slug = seeded.event.slug
      for (const w of seeded.wristbands) {
        await server.rt.guests.checkin(seeded.event, w.code, '127.0.0.1')
        cookies.push(`${guestCookieName(seeded.event.id)}=${server.rt.signer.guestCookie(seeded.event.id, w.number)}`)
      }
    }, 120_000)
    afterAll(async () => {
      if (skip) return
      await server.app.stop(true)
      await server.stop()
    })

    const call = async (method: string, path: string, body: unknown, headers: Record<string, string>) => {
      const res = await fetch(base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      return { status: res.status, body: await res.json().catch(() => null) }
    }
    const guest = (i: number, method: string, path: string, body?: unknown) =>
      call(method, `/api/events/${slug}${path}`, body, { cookie: cookies[i], 'content-type': 'application/json' })
    const admin = async (path: string, body: unknown = {}) => {
      const res = await call('POST', `/api/admin/events/${slug}${path}`, body, host())
      if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`)
      return res.body
    }
    const open = async (body: Record<string, unknown>) => {
      const poll = (await admin('/polls', body)) as { id: number; options: { id: number }[] }
      await admin(`/polls/${poll.id}/open`)
      return poll
    }
    const stored = (pollId: number) =>
      server.rt.database.db
        .select({ number: responses.number, slot: responses.slot, response: responses.response })
        .from(responses)
        .where(and(eq(responses.interactionId, pollId), isNotNull(responses.response)))

    test.skipIf(skip)(
      'each accepted response is stored once, changed answers as changed, and the live counts agree',
      async () => {
        const choice = await open({ question: 'Pick two', options: ['A', 'B', 'C', 'D'], maxChoices: 2 })
        const rating = await open({ kind: 'rating', question: 'Rate it', scale: { min: 1, max: 5 } })
        const words = await open({ kind: 'words', question: 'One word?' })
        const text = await open({ kind: 'text', question: 'Why?' })
        const opt = choice.options.map((o) => o.id)

        // What each guest's answers end as (odd guests keep their first; even ones change it).
        const finalChoice = (i: number) =>
          i % 2 === 0 ? [opt[(i + 1) % 4], opt[(i + 2) % 4]].sort((a, b) => a! - b!) : [opt[i % 4]]
        const finalRating = (i: number) => (i % 2 === 0 ? 5 : (i % 5) + 1)
        const wordsOf = (i: number) => [WORDS[i % 7]!, WORDS[(i + 3) % 7]!]

        // Phase one: answers, questions; every guest at once (256 in flight).
        const refused: string[] = []
        const expect202 = (what: string, r: { status: number; body: unknown }) => {
          if (r.status !== 202) refused.push(`${what}: ${r.status} ${JSON.stringify(r.body)}`)
        }
        const asked = new Map<number, number>() // asker -> question id
        await each(GUESTS, 256, async (i) => {
          expect202('choice', await guest(i, 'POST', '/votes', { pollId: choice.id, optionIds: [opt[i % 4]] }))
          expect202('rating', await guest(i, 'POST', '/votes', { pollId: rating.id, value: (i % 5) + 1 }))
          const w = wordsOf(i)
          // Case, width and punctuation variants count as one word.
          const sent = i % 3 === 0 ? w.map((x) => `${x.toUpperCase()}!`) : w
          expect202('words', await guest(i, 'POST', '/votes', { pollId: words.id, words: sent }))
          expect202('text', await guest(i, 'POST', '/votes', { pollId: text.id, text: `answer from ${i}` }))
          if (i % 2 === 0) {
            expect202(
              'choice again',
              await guest(i, 'POST', '/votes', { pollId: choice.id, optionIds: finalChoice(i) }),
            )
            expect202('rating again', await guest(i, 'POST', '/votes', { pollId: rating.id, value: 5 }))
          }
          if (i % ASK_EVERY === 0) {
            const q = await guest(i, 'POST', '/questions', { text: `Question from guest ${i}?` })
            expect202('question', q)
            asked.set(i, (q.body as { id: number }).id)
          }
        })
        expect(refused).toEqual([])
        const questionIds = [...asked.values()]
        expect(questionIds).toHaveLength(GUESTS / ASK_EVERY)

        // Phase two: every guest upvotes one question; every tenth takes it back.
        await each(GUESTS, 256, async (i) => {
          const q = questionIds[i % questionIds.length]!
          expect202('upvote', await guest(i, 'POST', `/questions/${q}/upvote`, {}))
          if (i % 10 === 0) {
            const back = await guest(i, 'DELETE', `/questions/${q}/upvote`)
            if (back.status !== 202 && back.status !== 200) refused.push(`take back: ${back.status}`)
          }
        })
        expect(refused).toEqual([])

        // Expected counts, from what was sent.
        const choiceCounts = new Map<number, number>()
        const ratingCounts = new Map<number, number>()
        const wordCounts = new Map<string, number>()
        const upvotes = new Map<number, number>()
        for (let i = 0; i < GUESTS; i++) {
          for (const id of finalChoice(i)) choiceCounts.set(id!, (choiceCounts.get(id!) ?? 0) + 1)
          ratingCounts.set(finalRating(i), (ratingCounts.get(finalRating(i)) ?? 0) + 1)
          for (const w of wordsOf(i)) wordCounts.set(w.toLowerCase(), (wordCounts.get(w.toLowerCase()) ?? 0) + 1)
          const q = questionIds[i % questionIds.length]!
          if (i % 10 !== 0) upvotes.set(q, (upvotes.get(q) ?? 0) + 1)
        }

        const liveView = async () => {
          const snap = (await (await fetch(`${base}/api/admin/events/${slug}/snapshot`, { headers: host() })).json())
            .snapshot as { polls: Poll[]; questions: Question[] }
          return snap
        }
        const matches = (snap: { polls: Poll[]; questions: Question[] }) => {
          const p = (id: number) => snap.polls.find((x) => x.id === id)
          const c = p(choice.id)
          const r = p(rating.id)
          const w = p(words.id)
          const t = p(text.id)
          if (!c || !r || !w || !t) return false
          return (
            c.options.every((o) => o.votes === (choiceCounts.get(o.id) ?? 0)) &&
            r.options.every((o) => o.votes === (ratingCounts.get(Number(o.label)) ?? 0)) &&
            (w.words ?? []).every((x) => x.count === wordCounts.get(x.text)) &&
            (w.words ?? []).length === wordCounts.size &&
            t.responses === GUESTS &&
            questionIds.every((id) => snap.questions.find((q) => q.id === id)?.votes === (upvotes.get(id) ?? 0))
          )
        }
        // The live counts, once the last tick is out.
        const snap = (await until(async () => {
          const s = await liveView()
          return matches(s) ? s : undefined
        }, 20_000).catch(async (err) => {
          const s = await liveView()
          throw new Error(
            `live counts never matched: ${JSON.stringify({
              polls: s.polls.map((p) => [p.id, p.options, p.words]),
              questions: s.questions.map((q) => [q.id, q.votes, upvotes.get(q.id)]),
            })}\n${err}`,
          )
        }))!
        expect(snap.polls.find((p) => p.id === rating.id)?.rating?.average).toBeCloseTo(
          [...ratingCounts].reduce((a, [v, n]) => a + v * n, 0) / GUESTS,
          6,
        )

        // Postgres: one row per wristband per interaction (per question for upvotes), as last answered.
        await until(async () => (await server.rt.live.queue.depth(seeded.event.id)) === 0, 60_000)
        const byNumber = new Map(seeded.wristbands.map((w, i) => [w.number, i]))
        const choiceRows = await stored(choice.id)
        expect(choiceRows).toHaveLength(GUESTS)
        for (const row of choiceRows)
          expect((row.response as { optionIds: number[] }).optionIds).toEqual(finalChoice(byNumber.get(row.number)!))
        const ratingRows = await stored(rating.id)
        expect(ratingRows).toHaveLength(GUESTS)
        for (const row of ratingRows)
          expect((row.response as { value: number }).value).toBe(finalRating(byNumber.get(row.number)!))
        expect(await stored(words.id)).toHaveLength(GUESTS)
        const textRows = await stored(text.id)
        expect(new Set(textRows.map((r) => JSON.stringify(r.response))).size).toBe(GUESTS)
        const board = await server.rt.database.db.select().from(responses).where(eq(responses.eventId, seeded.event.id))
        const upvoteRows = board.filter((r) => r.response !== null && questionIds.includes(Number(r.slot)))
        expect(upvoteRows).toHaveLength([...upvotes.values()].reduce((a, b) => a + b, 0))

        // Rebuilt from Postgres (a restart or a Redis loss): the same counts.
        await server.rt.directory.ensureLoaded(seeded.event.id, true)
        await until(async () => matches(await liveView()), 10_000)
      },
      240_000,
    )
  })
}
