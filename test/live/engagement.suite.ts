/**
 * The engagement store's conformance suite (questions, bans, slow mode, reactions), run
 * against both backends by memory.test.ts and redis.test.ts: the board's top is the same
 * exact order on both (pinned, upvotes from the board's counters, newest), whatever is
 * hidden or tied at the cut; host changes queue their whole state; reactions queue nothing.
 */
import { afterEach, describe, expect, test } from 'bun:test'
import { type Question, questionOrder } from '../../protocol/index.ts'
import { qa, upvoteAnswer } from '../../server/interactions/kinds/qa.ts'
import {
  aid,
  baseSeed,
  drainQueue,
  E,
  type LayerUnderTest,
  LIMIT,
  type MakeLayer,
  SUITE_RETENTION,
  T0,
} from './suite-support.ts'

const BOARD = 50
const board = () => qa.define({ id: BOARD, kind: 'qa', question: 'Q&A', state: 'open', config: {}, options: [] })

export function describeEngagement(name: string, make: MakeLayer) {
  describe(`engagement store (${name})`, () => {
    let layer: LayerUnderTest | null = null
    afterEach(async () => {
      await layer?.cleanup()
      layer = null
    })
    const open = async () => {
      layer = await make({ retention: SUITE_RETENTION })
      const { live } = layer
      await live.counters.loadEvent(E, baseSeed({ interactions: [board()] }))
      await live.engagement.load(E, { questions: [], maxQuestionId: 0, bans: [] })
      return live
    }
    const ask = async (live: LayerUnderTest['live'], number: number, text: string, held = false) => {
      const r = await live.engagement.ask(E, { number, text, held, actionId: aid(), now: T0, limit: LIMIT })
      if (!r.ok) throw new Error('ask refused')
      return r.id
    }
    const up = async (live: LayerUnderTest['live'], number: number, questionId: number, yes = true) => {
      const r = await live.counters.respond(E, {
        number,
        interactionId: BOARD,
        kind: 'qa',
        ...upvoteAnswer(questionId, yes),
        actionId: aid(),
        now: T0,
        limit: LIMIT,
      })
      expect(r).toEqual({ ok: true, duplicate: false })
    }

    test('the top of the board is exact: pinned, then upvotes, then newest, past hidden ones and ties', async () => {
      const live = await open()
      const ids: number[] = []
      for (let i = 0; i < 40; i++) ids.push(await ask(live, (i % 19) + 1, `q${i}`))
      // Votes: q0..q9 get 10-i votes (the first ones hidden below), q10..q29 one vote each (ties across the cut).
      for (let i = 0; i < 10; i++) for (let n = 1; n <= 10 - i; n++) await up(live, n, ids[i])
      for (let i = 10; i < 30; i++) await up(live, 1, ids[i])
      for (const i of [0, 1, 2]) await live.engagement.moderateQuestion(E, ids[i], { state: 'hidden' }, T0)
      await live.engagement.moderateQuestion(E, ids[39], { pinned: true }, T0)
      await live.engagement.moderateQuestion(E, ids[5], { answered: true }, T0)
      const votes = new Map<number, number>()
      for (let i = 0; i < 10; i++) votes.set(ids[i], 10 - i)
      for (let i = 10; i < 30; i++) votes.set(ids[i], 1)
      const expected: Question[] = ids
        .map((id, i) => ({ id, i }))
        .filter(({ i }) => i > 2)
        .map(({ id, i }) => ({
          id,
          text: `q${i}`,
          number: (i % 19) + 1,
          votes: votes.get(id) ?? 0,
          pinned: i === 39,
          answered: i === 5,
        }))
        .sort(questionOrder)
      for (const limit of [5, 12, 30, 50]) {
        const read = await live.engagement.read(E, BOARD, limit, 50)
        expect(read.questions).toEqual(expected.slice(0, limit))
      }
      // A taken-back upvote leaves the count and the order with it.
      await up(live, 1, ids[3], false)
      const after = await live.engagement.read(E, BOARD, 50, 50)
      expect(after.questions.find((q) => q.id === ids[3])?.votes).toBe(6)
      expect(await live.engagement.upvoted(E, BOARD, 1, ids[3])).toBe(false)
      expect(await live.engagement.upvoted(E, BOARD, 2, ids[3])).toBe(true)
    })

    test('questions queue once; a host change queues the whole new state, a no-op nothing', async () => {
      const live = await open()
      const actionId = aid()
      const first = await live.engagement.ask(E, {
        number: 4,
        text: 'held?',
        held: true,
        actionId,
        now: T0,
        limit: LIMIT,
      })
      const again = await live.engagement.ask(E, {
        number: 4,
        text: 'held?',
        held: true,
        actionId,
        now: T0,
        limit: LIMIT,
      })
      expect(first).toEqual({ ok: true, id: 1, held: true, duplicate: false })
      expect(again).toEqual({ ok: true, id: 1, held: true, duplicate: true })
      expect((await live.engagement.read(E, BOARD, 50, 50)).held).toEqual([{ id: 1, text: 'held?', number: 4, at: T0 }])
      expect(await live.engagement.moderateQuestion(E, 1, { state: 'visible', pinned: true }, T0 + 1)).toMatchObject({
        state: 'visible',
        pinned: true,
        answered: false,
      })
      await live.engagement.moderateQuestion(E, 1, { pinned: true }, T0 + 2)
      expect(await live.engagement.moderateQuestion(E, 99, { pinned: true }, T0)).toBeNull()
      expect(await drainQueue(live)).toEqual([
        { t: 'question', id: 1, number: 4, text: 'held?', state: 'held', at: T0 },
        { t: 'questionState', id: 1, state: 'visible', pinned: true, answered: false, at: T0 + 1 },
      ])
      expect((await live.engagement.questionsOf(E, 4)).map((q) => [q.id, q.state])).toEqual([[1, 'visible']])
      const limited = { count: 1, windowMs: 60_000 }
      expect(
        (await live.engagement.ask(E, { number: 5, text: 'a', held: false, actionId: aid(), now: T0, limit: limited }))
          .ok,
      ).toBe(true)
      expect(
        await live.engagement.ask(E, { number: 5, text: 'b', held: false, actionId: aid(), now: T0, limit: limited }),
      ).toEqual({
        ok: false,
        error: 'rate_limited',
      })
    })

    test('a reload from Postgres keeps questions, bans and ids going up', async () => {
      const live = await open()
      await live.engagement.load(E, {
        questions: [{ id: 7, number: 3, text: 'old', state: 'visible', pinned: false, answered: true, at: T0 }],
        maxQuestionId: 7,
        bans: [9],
      })
      expect((await live.engagement.read(E, BOARD, 50, 50)).questions).toEqual([
        { id: 7, text: 'old', number: 3, votes: 0, pinned: false, answered: true },
      ])
      expect(await ask(live, 3, 'new')).toBe(8)
      expect((await live.engagement.questionsOf(E, 3)).map((q) => q.id)).toEqual([8, 7])
      expect(await live.engagement.writeGate(E, 9, aid(), 0, T0)).toEqual({ ok: false, error: 'banned' })
    })

    test('write gate: bans by number, slow mode per wristband, a repeated actionId passes', async () => {
      const live = await open()
      await live.engagement.setBan(E, 2, true)
      expect(await live.engagement.writeGate(E, 2, aid(), 0, T0)).toEqual({ ok: false, error: 'banned' })
      await live.engagement.setBan(E, 2, false)
      expect(await live.engagement.writeGate(E, 2, aid(), 0, T0)).toEqual({ ok: true })
      const a = aid()
      expect(await live.engagement.writeGate(E, 3, a, 5000, T0)).toEqual({ ok: true })
      expect(await live.engagement.writeGate(E, 3, a, 5000, T0 + 100)).toEqual({ ok: true })
      expect(await live.engagement.writeGate(E, 3, aid(), 5000, T0 + 1000)).toEqual({
        ok: false,
        error: 'slow',
        waitMs: 4000,
      })
      expect(await live.engagement.writeGate(E, 4, aid(), 5000, T0 + 1000)).toEqual({ ok: true })
      expect(await live.engagement.writeGate(E, 3, aid(), 5000, T0 + 5000)).toEqual({ ok: true })
    })

    test('reactions: counted until the next read, limited per wristband, nothing queued', async () => {
      const live = await open()
      const limit = { count: 3, windowMs: 1000 }
      const results: boolean[] = []
      for (let i = 0; i < 5; i++) results.push(await live.engagement.react(E, 1, '👏', limit, T0))
      expect(results).toEqual([true, true, true, false, false])
      expect(await live.engagement.react(E, 2, '🔥', limit, T0)).toBe(true)
      expect((await live.engagement.read(E, null, 50, 50)).reactions).toEqual({ '👏': 3, '🔥': 1 })
      expect((await live.engagement.read(E, null, 50, 50)).reactions).toEqual({})
      expect(await drainQueue(live)).toEqual([])
    })
  })
}
