/**
 * The quiz through the public interface, on both backends: the host builds and runs a quiz;
 * answers are taken once per wristband per question and only before the deadline by the
 * server's clock; bad answers are 4xx that change nothing; scores and ranks are exact for a
 * scripted set of answers (from the server's own accept times); a wristband checked in on a
 * second phone keeps its score; scores come back the same from Postgres.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { and, eq } from 'drizzle-orm'
import { polls, responses } from '../../db/schema.ts'
import { type Me, quizScore, type Snapshot } from '../../protocol/index.ts'
import { leaderRanks, type Quiz, type ScoreResult } from '../../protocol/quiz-api.ts'
import { QuizService } from '../../server/quiz/service.ts'
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

/** `/me` with the quiz's fields (protocol/quiz-api.ts meQuizFields). */
type QuizMe = Me & { score?: number; rank?: number | null }

const SECONDS = 5

for (const backend of BACKENDS) {
  describe(`quiz (${backend})`, async () => {
    const skip = backend === 'cluster' && !(await clusterReachable())
    let server: TestServer
    let seeded: Awaited<ReturnType<typeof seedEvent>>
    let slug: string
    const guests: string[] = []
    const host = () => ({ authorization: `Bearer ${seeded.hostSecret}` })
    const hostPost = (path: string, body: unknown = {}) =>
      server.fetch(`/api/admin/events/${slug}${path}`, json(body, host()))
    const answer = (i: number, body: Record<string, unknown>) =>
      server.fetch(`/api/events/${slug}/answers`, json(body, { cookie: guests[i] }))
    const me = async (cookie: string): Promise<QuizMe> =>
      (await server.fetch(`/api/events/${slug}/me`, { headers: { cookie } })).json()
    const score = async (cookie: string): Promise<ScoreResult> =>
      (await server.fetch(`/api/events/${slug}/score`, { headers: { cookie } })).json()
    const snapshot = async (): Promise<Snapshot> =>
      (await (await server.fetch(`/api/events/${slug}/snapshot`)).json()).snapshot

    beforeAll(async () => {
      if (skip) return
      server = await startTestServer(backend)
      seeded = await seedEvent(server, { wristbands: 8 })
      slug = seeded.event.slug
      for (const w of seeded.wristbands) guests.push(await checkIn(server, slug, w.code))
    })
    afterAll(async () => {
      if (!skip) await server.stop()
    })

    test.skipIf(skip)('a quiz with a bad question is refused with the field named, and nothing is made', async () => {
      const good = { question: 'Q', options: ['a', 'b'], correct: [0], seconds: SECONDS }
      const cases: [unknown, string][] = [
        [{ ...good, options: ['only'] }, 'questions.0.options'],
        [{ ...good, options: ['1', '2', '3', '4', '5', '6', '7'] }, 'questions.0.options'],
        [{ ...good, correct: [2] }, 'questions.0.correct'],
        [{ ...good, correct: [] }, 'questions.0.correct'],
        [{ ...good, seconds: 0 }, 'questions.0.seconds'],
      ]
      for (const [question, field] of cases) {
        const res = await hostPost('/quizzes', { title: 'Bad', questions: [good, question] })
        expect(res.status).toBe(422)
        const body = await res.json()
        expect(Object.keys(body.fields)).toContain(field.replace('.0.', '.1.'))
      }
      const list = await (await server.fetch(`/api/admin/events/${slug}/quizzes`, { headers: host() })).json()
      expect(list).toEqual([])
    })

    test.skipIf(skip)(
      'deadline by server time, one answer per wristband, exact scores and ranks, a second phone keeps its score',
      async () => {
        const created = await hostPost('/quizzes', {
          title: 'Pub quiz',
          questions: [
            { question: 'Capital of France?', options: ['Paris', 'Lyon', 'Nice'], correct: [0], seconds: SECONDS },
            {
              question: 'Which are prime?',
              options: ['2', '4', '5', '9'],
              correct: [0, 2],
              seconds: SECONDS,
              points: 500,
            },
          ],
        })
        expect(created.status).toBe(201)
        const quiz = (await created.json()) as Quiz
        expect(quiz.current).toBe(-1)
        const [q1, q2] = quiz.questions
        expect(q1.correct).toEqual([q1.options[0].id])
        expect(q2.correct).toEqual([q2.options[0].id, q2.options[2].id])
        const ans = (i: number, q: Quiz['questions'][number], option: number, extra = {}) =>
          answer(i, { quizId: quiz.id, questionId: q.id, optionId: q.options[option].id, ...extra })

        // Not started yet.
        const early = await ans(0, q1, 0)
        expect(early.status).toBe(409)
        expect((await early.json()).error).toBe('question_not_open')

        const started = (await (await hostPost(`/quizzes/${quiz.id}/next`)).json()) as Quiz
        expect(started.current).toBe(0)
        const endsAt1 = started.questions[0].endsAt!
        const startsAt1 = endsAt1 - SECONDS * 1000
        expect(Math.abs(startsAt1 - Date.now())).toBeLessThan(2000)
        // The next question waits for this one's deadline.
        const tooSoon = await hostPost(`/quizzes/${quiz.id}/next`)
        expect(tooSoon.status).toBe(409)
        expect((await tooSoon.json()).error).toBe('question_running')

        const at: number[] = []
        const script1: [number, number][] = [
          [0, 0], // right, first
          [1, 1], // wrong
          [2, 0], // right, later
        ]
        for (const [i, option] of script1) {
          const res = await ans(i, q1, option, { actionId: `answer-${i}-q1` })
          expect(res.status).toBe(202)
          at[i] = (await res.json()).at
          await Bun.sleep(150)
        }
        // A second answer is refused (even the same option); the same actionId again is a harmless repeat.
        const second = await ans(0, q1, 1)
        expect(second.status).toBe(409)
        expect((await second.json()).error).toBe('already_answered')
        const repeat = await ans(0, q1, 0, { actionId: 'answer-0-q1' })
        expect(repeat.status).toBe(202)
        expect((await repeat.json()).duplicate).toBe(true)
        // An option of another question, a question of another quiz: refused.
        const otherOption = await answer(3, { quizId: quiz.id, questionId: q1.id, optionId: q2.options[0].id })
        expect(otherOption.status).toBe(422)
        expect((await otherOption.json()).fields).toHaveProperty('optionId')
        const otherQuiz = await answer(3, { quizId: quiz.id + 1000, questionId: q1.id, optionId: q1.options[0].id })
        expect(otherQuiz.status).toBe(404)
        const bad = await answer(3, { quizId: quiz.id, questionId: q1.id })
        expect(bad.status).toBe(422)

        // Guest 3 answers just before the deadline by the server's clock: accepted.
        await Bun.sleep(Math.max(0, endsAt1 - 400 - Date.now()))
        const last = await ans(3, q1, 0)
        expect(last.status).toBe(202)
        at[3] = (await last.json()).at
        expect(at[3]).toBeLessThan(endsAt1)
        // Guest 4 just after it: refused, nothing counted.
        await Bun.sleep(Math.max(0, endsAt1 + 20 - Date.now()))
        const late = await ans(4, q1, 0)
        expect(late.status).toBe(409)
        expect((await late.json()).error).toBe('question_closed')

        const expected1 = new Map<number, number>()
        for (const i of [0, 1, 2, 3]) {
          const right = i !== 1
          expected1.set(
            seeded.wristbands[i].number,
            quizScore({ points: 1000, durationMs: SECONDS * 1000, elapsedMs: at[i] - startsAt1, correct: right }),
          )
        }
        expect(expected1.get(seeded.wristbands[0].number)).toBeGreaterThan(expected1.get(seeded.wristbands[2].number)!)

        // The reveal, then the leaderboard, on the stream's snapshot.
        const revealed = await until(async () => {
          const s = await snapshot()
          return s.quiz?.questionId === q1.id && s.quiz.leaderboard ? s.quiz : null
        }, 8000)
        if (!revealed) throw new Error('no reveal')
        expect(revealed.endsAt).toBe(endsAt1)
        expect(revealed.answered).toBe(4)
        expect(revealed.reveal).toEqual({
          correct: [q1.options[0].id],
          counts: [3, 1, 0],
        })
        const order1 = [0, 2, 3, 1]
        expect(revealed.leaderboard!.map((r) => r.number)).toEqual(order1.map((i) => seeded.wristbands[i].number))
        expect(revealed.leaderboard!.map((r) => r.score)).toEqual(
          order1.map((i) => expected1.get(seeded.wristbands[i].number)!),
        )
        expect(leaderRanks(revealed.leaderboard!)).toEqual([1, 2, 3, 4])
        expect((await score(guests[0])).players).toBe(4)
        for (const [rank, i] of order1.entries()) {
          const mine = await me(guests[i])
          expect(mine.score).toBe(expected1.get(seeded.wristbands[i].number)!)
          expect(mine.rank).toBe(rank + 1)
          expect((await score(guests[i])).scoredQuestionId).toBe(q1.id)
        }
        const idle = await me(guests[5])
        expect(idle.score).toBe(0)
        expect(idle.rank).toBeNull()

        // Question 2: guest 2 answers right at once, guest 0 wrong, guest 5 right.
        const started2 = (await (await hostPost(`/quizzes/${quiz.id}/next`)).json()) as Quiz
        const endsAt2 = started2.questions[1].endsAt!
        const startsAt2 = endsAt2 - SECONDS * 1000
        const script2: [number, number][] = [
          [2, 2],
          [0, 1],
          [5, 0],
        ]
        const at2: number[] = []
        for (const [i, option] of script2) {
          const res = await ans(i, q2, option)
          expect(res.status).toBe(202)
          at2[i] = (await res.json()).at
        }
        // Guest 0 rescans the wristband on a second phone (a fresh check-in): same answers and score.
        const secondPhone = await checkIn(server, slug, seeded.wristbands[0].code)
        const again = await answer(0, { quizId: quiz.id, questionId: q2.id, optionId: q2.options[0].id })
        expect(again.status).toBe(409)
        const onSecond = await score(secondPhone)
        expect(onSecond.answers).toEqual({ [q1.id]: q1.options[0].id, [q2.id]: q2.options[1].id })

        await until(
          async () => (await snapshot()).quiz?.leaderboard && (await snapshot()).quiz?.questionId === q2.id,
          8000,
        )
        const total = new Map(expected1)
        for (const [i] of script2) {
          const n = seeded.wristbands[i].number
          const points = quizScore({
            points: 500,
            durationMs: SECONDS * 1000,
            elapsedMs: at2[i] - startsAt2,
            correct: i !== 0,
          })
          total.set(n, (total.get(n) ?? 0) + points)
        }
        const ranking = [...total].sort((a, b) => b[1] - a[1] || a[0] - b[0])
        const board = (await snapshot()).quiz!.leaderboard!
        expect(board.map((r) => [r.number, r.score])).toEqual(ranking)
        expect((await me(secondPhone)).score).toBe(total.get(seeded.wristbands[0].number)!)
        for (const [rank, [n, score]] of ranking.entries()) {
          const i = seeded.wristbands.findIndex((w) => w.number === n)
          const mine = await me(guests[i])
          expect([mine.score, mine.rank]).toEqual([score, rank + 1])
        }
        const finished = await hostPost(`/quizzes/${quiz.id}/next`)
        expect(finished.status).toBe(409)
        expect((await finished.json()).error).toBe('quiz_finished')

        // Durable: every accepted answer is in Postgres once, and scores rebuilt from it are the same.
        const db = server.rt.database.db
        await until(async () => (await server.rt.live.queue.depth(seeded.event.id)) === 0, 10_000)
        const stored = await db
          .select()
          .from(responses)
          .where(and(eq(responses.eventId, seeded.event.id)))
        expect(stored.filter((r) => r.interactionId === q1.id)).toHaveLength(4)
        expect(stored.filter((r) => r.interactionId === q2.id)).toHaveLength(3)
        await server.rt.directory.ensureLoaded(seeded.event.id, true)
        const rebuilt = new QuizService(db, server.rt.live.counters, server.rt.directory, server.rt.log)
        const standing = await rebuilt.standing(seeded.event, seeded.wristbands[2].number)
        expect(standing.score).toBe(total.get(seeded.wristbands[2].number)!)
        expect(standing.rank).toBe(ranking.findIndex(([n]) => n === seeded.wristbands[2].number) + 1)
        const [row] = await db.select().from(polls).where(eq(polls.id, q2.id))
        expect((row.config as { leaderboard?: unknown[] }).leaderboard).toHaveLength(ranking.length)
      },
      40_000,
    )

    test.skipIf(skip)(
      'a quiz question is not a poll: the poll routes refuse it and leave it out of the order',
      async () => {
        const quizzes = (await (
          await server.fetch(`/api/admin/events/${slug}/quizzes`, { headers: host() })
        ).json()) as Quiz[]
        const question = quizzes[0].questions[0]
        expect((await hostPost(`/polls/${question.id}/open`)).status).toBe(404)
        expect((await hostPost(`/polls/${question.id}/reset`)).status).toBe(404)
        const vote = await server.fetch(
          `/api/events/${slug}/votes`,
          json({ pollId: question.id, optionId: question.options[0].id }, { cookie: guests[6] }),
        )
        expect(vote.status).toBe(422)
        const order = await server.fetch(`/api/admin/events/${slug}/polls/order`, {
          ...json({ ids: [] }, host()),
          method: 'PUT',
        })
        expect(order.status).toBe(200)
      },
    )

    test.skipIf(skip)(
      'nicknames pass the word filter, show on the leaderboard, and the host can reset one',
      async () => {
        const put = (i: number, nickname: string) =>
          server.fetch(`/api/events/${slug}/nickname`, { ...json({ nickname }, { cookie: guests[i] }), method: 'PUT' })
        await server.fetch(`/api/admin/events/${slug}/settings`, {
          ...json({ blockedWords: ['rude'] }, host()),
          method: 'PATCH',
        })
        const refused = await put(2, 'so rude')
        expect(refused.status).toBe(422)
        expect((await refused.json()).fields).toHaveProperty('nickname')
        expect((await put(2, 'x'.repeat(21))).status).toBe(422)
        const ok = await put(2, '  Quizzy  ')
        expect(await ok.json()).toEqual({ nickname: 'Quizzy' })
        const named = await until(async () => (await snapshot()).quiz?.leaderboard?.find((r) => r.nickname), 5000)
        expect(named).toMatchObject({ number: seeded.wristbands[2].number, nickname: 'Quizzy' })
        expect((await score(guests[2])).nickname).toBe('Quizzy')
        const reset = await server.fetch(`/api/admin/events/${slug}/nicknames/${seeded.wristbands[2].number}`, {
          method: 'DELETE',
          headers: host(),
        })
        expect(reset.status).toBe(200)
        expect((await score(guests[2])).nickname).toBeNull()
        // The screens' leaderboard shows the number again at the next tick.
        await until(async () => (await snapshot()).quiz?.leaderboard?.every((r) => !r.nickname), 5000)
      },
    )
  })
}
