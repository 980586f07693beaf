/**
 * The quiz under load, on both backends: 5,000 wristbands answer one question within 2 s
 * (requests handed to the app in-process, 200 at a time, so no sockets), plus retries of
 * accepted answers (same actionId), second answers and answers after the deadline. Every
 * answer accepted before the deadline is counted once (live counts, reveal, Postgres), the
 * leaderboard is the exact top 10 from the server's accept times, and every phone's `/me`
 * rank is right. Prints the figures docs/benchmarks.md ("Quiz") quotes.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { eq } from 'drizzle-orm'
import { responses } from '../../db/schema.ts'
import { type Me, QUIZ_SCORE_GRACE_MS, quizScore, type Snapshot, standingOrder } from '../../protocol/index.ts'
import type { Quiz, ScoreResult } from '../../protocol/quiz-api.ts'
import { guestCookieName } from '../../server/http/session.ts'
import {
  BACKENDS,
  clusterReachable,
  json,
  seedEvent,
  startTestServer,
  type TestServer,
  until,
} from '../support/backends.ts'

/** `/me` with the quiz's fields (protocol/quiz-api.ts meQuizFields). */
type QuizMe = Me & { score?: number; rank?: number | null }

const GUESTS = 5000
const SECONDS = 5
const SEND_WITHIN_MS = 2000
const CONCURRENCY = 200

/** Runs `fn` over 0..n-1, `CONCURRENCY` at a time, starting item i no earlier than `spreadMs * i / n`. */
async function spread(n: number, spreadMs: number, fn: (i: number) => Promise<void>) {
  const t0 = performance.now()
  let next = 0
  const worker = async () => {
    for (;;) {
      const i = next++
      if (i >= n) return
      const due = t0 + (spreadMs * i) / n
      const wait = due - performance.now()
      if (wait > 1) await Bun.sleep(wait)
      await fn(i)
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
}

for (const backend of BACKENDS) {
  describe(`quiz under load (${backend})`, async () => {
    const skip = backend === 'cluster' && !(await clusterReachable())
    let server: TestServer
    let seeded: Awaited<ReturnType<typeof seedEvent>>

    beforeAll(async () => {
      if (skip) return
      server = await startTestServer(backend)
      seeded = await seedEvent(server, { wristbands: GUESTS })
    }, 120_000)
    afterAll(async () => {
      if (!skip) await server.stop()
    })

    test.skipIf(skip)(
      `${GUESTS} guests answer one question within 2 s: each counted once, exact leaderboard and ranks`,
      async () => {
        const slug = seeded.event.slug
        const host = { authorization: `Bearer ${seeded.hostSecret}` }
        const numbers = seeded.wristbands.map((w) => w.number)
        const cookies = numbers.map(
          (n) => `${guestCookieName(seeded.event.id)}=${server.rt.signer.guestCookie(seeded.event.id, n)}`,
        )
        const quiz = (await (
          await server.fetch(
            `/api/admin/events/${slug}/quizzes`,
            json(
              {
                title: 'Load',
                questions: [{ question: 'Pick', options: ['a', 'b', 'c', 'd'], correct: [1, 3], seconds: SECONDS }],
              },
              host,
            ),
          )
        ).json()) as Quiz
        const q = quiz.questions[0]
        const started = (await (
          await server.fetch(`/api/admin/events/${slug}/quizzes/${quiz.id}/next`, json({}, host))
        ).json()) as Quiz
        const endsAt = started.questions[0].endsAt!
        const startsAt = endsAt - SECONDS * 1000

        const at = new Array<number>(GUESTS)
        const option = (i: number) => (i * 7) % 4
        const statuses = new Map<number, number>()
        const t0 = performance.now()
        await spread(GUESTS, SEND_WITHIN_MS, async (i) => {
          const res = await server.fetch(
            `/api/events/${slug}/answers`,
            json(
              { quizId: quiz.id, questionId: q.id, optionId: q.options[option(i)].id, actionId: `load-${i}-answer` },
              { cookie: cookies[i] },
            ),
          )
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
          if (res.status === 202) at[i] = ((await res.json()) as { at: number }).at
        })
        const sendMs = performance.now() - t0
        expect(Object.fromEntries(statuses)).toEqual({ 202: GUESTS })
        expect(at.every((t) => t < endsAt)).toBe(true)

        // Retries of accepted answers change nothing; second answers are refused.
        for (let i = 0; i < 200; i++) {
          const retry = await server.fetch(
            `/api/events/${slug}/answers`,
            json(
              { quizId: quiz.id, questionId: q.id, optionId: q.options[option(i)].id, actionId: `load-${i}-answer` },
              { cookie: cookies[i] },
            ),
          )
          expect(retry.status).toBe(202)
          const second = await server.fetch(
            `/api/events/${slug}/answers`,
            json({ quizId: quiz.id, questionId: q.id, optionId: q.options[0].id }, { cookie: cookies[i] }),
          )
          expect(second.status).toBe(409)
        }

        await Bun.sleep(Math.max(0, endsAt + 10 - Date.now()))
        const late = await server.fetch(
          `/api/events/${slug}/answers`,
          json({ quizId: quiz.id, questionId: q.id, optionId: q.options[1].id }, { cookie: cookies[0] }),
        )
        expect(late.status).toBe(409)

        // The leaderboard reaches the snapshot; time from the deadline.
        const view = await until(async () => {
          const s = (await (await server.fetch(`/api/events/${slug}/snapshot`)).json()).snapshot as Snapshot
          return s.quiz?.leaderboard ? s.quiz : null
        }, 10_000)
        const leaderboardMs = Date.now() - endsAt
        if (!view) throw new Error('no leaderboard')

        const right = new Set(q.correct)
        const expected = numbers.map((number, i) => ({
          number,
          score: quizScore({
            points: 1000,
            durationMs: SECONDS * 1000,
            elapsedMs: at[i] - startsAt,
            correct: right.has(q.options[option(i)].id),
          }),
        }))
        const counts: Record<string, number> = {}
        for (let i = 0; i < GUESTS; i++) counts[q.options[option(i)].id] = (counts[q.options[option(i)].id] ?? 0) + 1
        expect(view.answered).toBe(GUESTS)
        expect(view.reveal?.counts).toEqual(q.options.map((o) => counts[o.id] ?? 0))
        const sorted = [...expected].sort(standingOrder)
        const rankOf = new Map<number, number>()
        sorted.forEach((r, i) => {
          rankOf.set(r.number, i > 0 && sorted[i - 1].score === r.score ? rankOf.get(sorted[i - 1].number)! : i + 1)
        })
        expect(view.leaderboard).toEqual(sorted.slice(0, 10))

        // Every phone learns its rank (spread over 1 s, as the phones' jitter does); a sample also through /me.
        const r0 = performance.now()
        let wrong = 0
        await spread(GUESTS, 1000, async (i) => {
          const mine = (await (
            await server.fetch(`/api/events/${slug}/score`, { headers: { cookie: cookies[i] } })
          ).json()) as ScoreResult
          if (mine.rank !== rankOf.get(numbers[i]) || mine.score !== expected[i].score) wrong++
        })
        const ranksMs = performance.now() - r0
        expect(wrong).toBe(0)
        for (let i = 0; i < GUESTS; i += 50) {
          const me = (await (
            await server.fetch(`/api/events/${slug}/me`, { headers: { cookie: cookies[i] } })
          ).json()) as QuizMe
          expect([me.score, me.rank]).toEqual([expected[i].score, rankOf.get(numbers[i])])
        }

        // Durable: each answer once in Postgres.
        await until(async () => (await server.rt.live.queue.depth(seeded.event.id)) === 0, 20_000)
        const stored = await server.rt.database.db
          .select({ number: responses.number })
          .from(responses)
          .where(eq(responses.interactionId, q.id))
        expect(stored.length).toBe(GUESTS)
        expect(new Set(stored.map((r) => r.number)).size).toBe(GUESTS)

        console.log(
          `quiz load (${backend}): ${GUESTS} answers in ${Math.round(sendMs)} ms ` +
            `(${Math.round(GUESTS / (sendMs / 1000))}/s); leaderboard on the snapshot ${leaderboardMs} ms after the deadline ` +
            `(scores taken ${QUIZ_SCORE_GRACE_MS} ms after it); ${GUESTS} phones got their rank (GET /score, spread over 1 s) in ${Math.round(ranksMs)} ms`,
        )
      },
      120_000,
    )
  })
}
