/**
 * Conformance suite for the live counters (server/live/counters): every backend must
 * give exactly these answers, so embedded and cluster mode behave the same. Polls here
 * are choice interactions on the generic response primitive.
 */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import type { EventSeed, InteractionDef, LiveCounters, ResponseInput } from '../../server/live/counters/types.ts'
import type { LiveLayer } from '../../server/live/index.ts'
import { ACTION_TTL_MS, ADMIN_LIST_KEPT, FEED_KEPT } from '../../server/live/limits.ts'
import type { QueueItem } from '../../server/live/queue/types.ts'
import { emptyLiveRead } from '../support/live-read.ts'
import {
  aid,
  band,
  bands,
  baseSeed,
  chosen,
  drainQueue,
  E,
  E2,
  hash,
  type LayerUnderTest,
  LIMIT,
  logState as logStateOf,
  type MakeLayer,
  msg,
  optionVotes,
  poll,
  SUITE_RETENTION,
  seededVote,
  T0,
  tickerState,
  viewsOf,
  vote,
  voteItem,
  votesOf as votesOfLayer,
} from './suite-support.ts'

export function describeCounters(name: string, make: MakeLayer) {
  describe(`live counters: ${name}`, () => {
    let layer: LiveLayer
    let store: LiveCounters
    let cleanup: () => Promise<void>

    beforeEach(async () => {
      ;({ live: layer, cleanup } = await make({ retention: SUITE_RETENTION }))
      store = layer.counters
    })
    afterEach(async () => {
      await cleanup()
    })

    const drain = (eventId = E): Promise<QueueItem[]> => drainQueue(layer, eventId)
    const votesOf = (eventId: number, number: number) => votesOfLayer(store, eventId, number)
    const logState = (eventId: number) => logStateOf(layer, eventId)
    const load = (over: Partial<EventSeed> = {}, eventId = E) => store.loadEvent(eventId, baseSeed(over))

    // ---- event state ----

    test('an unknown event reads as blank, with arrays for every list', async () => {
      expect(await store.isLoaded(E)).toBe(false)
      const live = await store.readLive(E, 0, [])
      expect(live).toEqual(emptyLiveRead())
      for (const list of [
        viewsOf(live),
        live.feed,
        live.hidden,
        live.raffles,
        live.admin.held,
        live.admin.recentCheckins,
      ]) {
        expect(Array.isArray(list)).toBe(true)
      }
      expect(await store.checkin(E, hash(1), T0)).toEqual({ ok: false })
      expect(await logState(E)).toBeNull()
      expect(await layer.log.read(E, 0, 10)).toEqual([])
      expect(await layer.queue.depth(E)).toBe(0)
    })

    test('loadEvent marks the event loaded and active', async () => {
      expect(await store.isLoaded(E)).toBe(false)
      await load()
      expect(await store.isLoaded(E)).toBe(true)
      expect(await store.isLoaded(E2)).toBe(false)
      const live = await store.readLive(E, 0, [])
      expect(viewsOf(live).map((p) => p.id)).toEqual([1, 2, 3, 4])
      expect(viewsOf(live)[0]).toEqual({
        id: 1,
        kind: 'choice',
        question: 'Question 1?',
        open: true,
        closed: false,
        maxChoices: 1,
        options: [
          { id: 11, label: 'Red', votes: 0 },
          { id: 12, label: 'Green', votes: 0 },
          { id: 13, label: 'Blue', votes: 0 },
        ],
      })
      expect(viewsOf(live)[1]).toMatchObject({ open: false, closed: true })
      expect(viewsOf(live)[2]).toMatchObject({ open: false, closed: false })
    })

    test('status, message, raffles and show', async () => {
      await load()
      await store.setStatus(E, 'paused', 'back in 5 "minutes" ✨')
      await store.putRaffle(E, { id: 1, name: 'Door prize', winners: [], drawnAt: null })
      await store.putRaffle(E, { id: 2, name: 'T-shirt', winners: [], drawnAt: null })
      await store.putRaffle(E, { id: 1, name: 'Door prize', winners: [3, 9], drawnAt: T0 })
      await store.setShow(E, { cueSheet: '/cues/abc123.json', startAt: T0 + 0.5 })
      let live = await store.readLive(E, 0, [])
      expect(live.status).toBe('paused')
      expect(live.message).toBe('back in 5 "minutes" ✨')
      expect(live.raffles).toEqual([
        { id: 1, name: 'Door prize', winners: [3, 9], drawnAt: T0 },
        { id: 2, name: 'T-shirt', winners: [], drawnAt: null },
      ])
      expect(live.show).toEqual({ cueSheet: '/cues/abc123.json', startAt: T0 + 0.5 })
      await store.setShow(E, null)
      await store.setStatus(E, 'ended', '')
      live = await store.readLive(E, 0, [])
      expect(live.show).toBeNull()
      expect(live.status).toBe('ended')
      expect(live.message).toBe('')
    })

    // ---- check-in ----

    test('checkin: unknown code, revoked, first and repeat', async () => {
      await load()
      expect(await store.checkin(E, 'no-such-hash', T0)).toEqual({ ok: false })
      expect(await store.checkin(E, hash(20), T0)).toEqual({ ok: false })
      expect(await store.checkin(E, hash(2), T0)).toEqual({ ok: true, number: 2, first: true })
      expect(await store.checkin(E, hash(2), T0 + 1)).toEqual({ ok: true, number: 2, first: false })
      expect(await store.checkin(E, hash(3), T0 + 2)).toEqual({ ok: true, number: 3, first: true })
      const live = await store.readLive(E, 0, [])
      expect(live.checkins).toBe(2)
      expect(live.admin.recentCheckins).toEqual([
        { number: 3, at: T0 + 2 },
        { number: 2, at: T0 },
      ])
      expect(await drain()).toEqual([
        { t: 'checkin', number: 2, at: T0 },
        { t: 'checkin', number: 3, at: T0 + 2 },
      ])
      expect((await store.checkedIn(E)).sort((a, b) => a - b)).toEqual([2, 3])
      await store.revokeWristbands(E, [3])
      expect(await store.checkedIn(E)).toEqual([2])
      expect(await store.checkin(E, hash(3), T0 + 3)).toEqual({ ok: false })
      // Revoking does not undo the check-in count.
      expect((await store.readLive(E, 0, [])).checkins).toBe(2)
      expect(await layer.queue.depth(E)).toBe(0)
    })

    test('recent check-ins: newest first, at most ADMIN_LIST_KEPT', async () => {
      await load({ wristbands: bands(1, 60) })
      for (let n = 1; n <= 60; n++) await store.checkin(E, hash(n), T0 + n)
      const live = await store.readLive(E, 0, [])
      expect(live.checkins).toBe(60)
      expect(live.admin.recentCheckins.length).toBe(ADMIN_LIST_KEPT)
      expect(live.admin.recentCheckins[0]).toEqual({ number: 60, at: T0 + 60 })
      expect(live.admin.recentCheckins.at(-1)).toEqual({
        number: 60 - ADMIN_LIST_KEPT + 1,
        at: T0 + 60 - ADMIN_LIST_KEPT + 1,
      })
    })

    test('isActive, addWristbands and revokeWristbands', async () => {
      await load()
      expect(await store.isActive(E, 1)).toBe(true)
      expect(await store.isActive(E, 20)).toBe(false)
      expect(await store.isActive(E, 21)).toBe(false)
      expect(await store.isActive(E2, 1)).toBe(false)
      await store.addWristbands(E, [band(21), band(22, true)])
      expect(await store.isActive(E, 21)).toBe(true)
      expect(await store.isActive(E, 22)).toBe(false)
      expect(await store.checkin(E, hash(21), T0)).toEqual({ ok: true, number: 21, first: true })
      expect(await store.checkin(E, hash(22), T0)).toEqual({ ok: false })
      await store.revokeWristbands(E, [21, 1])
      expect(await store.isActive(E, 21)).toBe(false)
      expect(await store.isActive(E, 1)).toBe(false)
      expect(await store.isActive(E, 2)).toBe(true)
    })

    // ---- votes ----

    test('vote, re-vote and same option again', async () => {
      await load({ maxRev: 40 })
      expect(await store.respond(E, vote(1, 1, 11, { now: T0 + 1 }))).toEqual({ ok: true, duplicate: false })
      expect(optionVotes(await store.readLive(E, 0, []), 1)).toEqual([1, 0, 0])
      expect(await votesOf(E, 1)).toEqual({ '1': 11 })
      expect(await store.respond(E, vote(1, 1, 12, { now: T0 + 2 }))).toEqual({ ok: true, duplicate: false })
      expect(optionVotes(await store.readLive(E, 0, []), 1)).toEqual([0, 1, 0])
      // The same choice again is accepted and changes nothing, queues nothing.
      expect(await store.respond(E, vote(1, 1, 12, { now: T0 + 3 }))).toEqual({ ok: true, duplicate: false })
      expect(await store.respond(E, vote(2, 1, 12, { now: T0 + 4 }))).toEqual({ ok: true, duplicate: false })
      expect(await store.respond(E, vote(2, 4, 43, { now: T0 + 5 }))).toEqual({ ok: true, duplicate: false })
      const live = await store.readLive(E, 0, [])
      expect(optionVotes(live, 1)).toEqual([0, 2, 0])
      expect(optionVotes(live, 4)).toEqual([0, 0, 1])
      expect(await votesOf(E, 2)).toEqual({ '1': 12, '4': 43 })
      expect(await votesOf(E, 3)).toEqual({})
      expect(await drain()).toEqual([
        voteItem(1, 1, 11, 41, T0 + 1),
        voteItem(1, 1, 12, 42, T0 + 2),
        voteItem(1, 2, 12, 43, T0 + 4),
        voteItem(4, 2, 43, 44, T0 + 5),
      ])
    })

    test('vote: a repeated actionId is a duplicate and changes nothing', async () => {
      await load()
      const actionId = aid()
      expect(await store.respond(E, vote(1, 1, 11, { actionId }))).toEqual({ ok: true, duplicate: false })
      expect(await store.respond(E, vote(1, 1, 12, { actionId, now: T0 + 1000 }))).toEqual({
        ok: true,
        duplicate: true,
      })
      expect(await store.respond(E, vote(1, 4, 41, { actionId, now: T0 + 2000 }))).toEqual({
        ok: true,
        duplicate: true,
      })
      expect(optionVotes(await store.readLive(E, 0, []), 1)).toEqual([1, 0, 0])
      expect(await votesOf(E, 1)).toEqual({ '1': 11 })
      expect(await layer.queue.depth(E)).toBe(1)
      // actionIds are per wristband.
      expect(await store.respond(E, vote(2, 1, 12, { actionId }))).toEqual({ ok: true, duplicate: false })
      // Still remembered just before the TTL runs out (the memory backend ages by `now`).
      expect(await store.respond(E, vote(2, 1, 13, { actionId, now: T0 + ACTION_TTL_MS - 1 }))).toEqual({
        ok: true,
        duplicate: true,
      })
    })

    test('vote errors, in order, and refused votes are not remembered', async () => {
      await load()
      expect(await store.respond(E, vote(1, 99, 11))).toEqual({ ok: false, error: 'unknown_interaction' })
      expect(await store.respond(E, vote(1, 2, 21))).toEqual({ ok: false, error: 'not_open' })
      expect(await store.respond(E, vote(1, 3, 31))).toEqual({ ok: false, error: 'not_open' })
      expect(await store.respond(E, vote(1, 1, 21))).toEqual({ ok: false, error: 'unknown_key' })
      expect(await store.respond(E, vote(20, 1, 11))).toEqual({ ok: false, error: 'revoked' })
      expect(await store.respond(E, vote(999, 1, 11))).toEqual({ ok: false, error: 'revoked' })
      expect(await store.respond(E2, vote(1, 1, 11))).toEqual({ ok: false, error: 'revoked' })
      // Wristband first: a revoked one is refused even with a known actionId.
      const actionId = aid()
      expect(await store.respond(E, vote(5, 1, 19, { actionId }))).toEqual({ ok: false, error: 'unknown_key' })
      expect(await store.respond(E, vote(5, 1, 11, { actionId }))).toEqual({ ok: true, duplicate: false })
      await store.revokeWristbands(E, [5])
      expect(await store.respond(E, vote(5, 1, 11, { actionId }))).toEqual({ ok: false, error: 'revoked' })
      // actionId before poll checks: a retry is a duplicate even once the poll closed.
      const retried = aid()
      expect(await store.respond(E, vote(6, 1, 12, { actionId: retried }))).toEqual({ ok: true, duplicate: false })
      await store.putInteraction(E, poll(1, { open: false, closed: true }))
      expect(await store.respond(E, vote(6, 1, 12, { actionId: retried }))).toEqual({ ok: true, duplicate: true })
      expect(await store.respond(E, vote(7, 1, 11))).toEqual({ ok: false, error: 'not_open' })
      const live = await store.readLive(E, 0, [])
      expect(optionVotes(live, 1)).toEqual([1, 1, 0])
      expect(viewsOf(live)[0]).toMatchObject({ open: false, closed: true })
      expect(await drain()).toEqual([voteItem(1, 5, 11, 1, T0), voteItem(1, 6, 12, 2, T0)])
    })

    test('vote rate limit: fixed window per wristband, only changes count', async () => {
      await load()
      const limit = { count: 2, windowMs: 1000 }
      const t = Math.floor(T0 / 1000) * 1000 + 10
      expect(await store.respond(E, vote(1, 1, 11, { now: t, limit }))).toEqual({ ok: true, duplicate: false })
      expect(await store.respond(E, vote(1, 1, 12, { now: t + 1, limit }))).toEqual({ ok: true, duplicate: false })
      const limitedId = aid()
      expect(await store.respond(E, vote(1, 1, 13, { now: t + 2, limit, actionId: limitedId }))).toEqual({
        ok: false,
        error: 'rate_limited',
      })
      // Other polls share the wristband's window.
      expect(await store.respond(E, vote(1, 4, 41, { now: t + 3, limit }))).toEqual({
        ok: false,
        error: 'rate_limited',
      })
      // Re-sending the current choice is not a change, so not limited.
      expect(await store.respond(E, vote(1, 1, 12, { now: t + 4, limit }))).toEqual({ ok: true, duplicate: false })
      // Other wristbands have their own window.
      expect(await store.respond(E, vote(2, 1, 13, { now: t + 5, limit }))).toEqual({ ok: true, duplicate: false })
      // The next window; the limited actionId was not remembered.
      expect(await store.respond(E, vote(1, 1, 13, { now: t + 1000, limit, actionId: limitedId }))).toEqual({
        ok: true,
        duplicate: false,
      })
      expect(optionVotes(await store.readLive(E, 0, []), 1)).toEqual([0, 0, 2])
      expect((await drain()).map((i) => (i.t === 'response' ? [i.number, chosen(i), i.rev] : null))).toEqual([
        [1, 11, 1],
        [1, 12, 2],
        [2, 13, 3],
        [1, 13, 4],
      ])
    })

    test('putPoll: closing keeps counts, new options start at 0, reopening takes votes', async () => {
      await load()
      await store.respond(E, vote(1, 1, 11))
      await store.respond(E, vote(2, 1, 12))
      await store.putInteraction(E, poll(1, { open: false, closed: true }))
      expect(await store.respond(E, vote(3, 1, 11))).toEqual({ ok: false, error: 'not_open' })
      expect(optionVotes(await store.readLive(E, 0, []), 1)).toEqual([1, 1, 0])
      const options = [
        { id: 14, label: 'Purple' },
        ...(poll(1).spec as { options: { id: number; label: string }[] }).options,
      ]
      await store.putInteraction(E, poll(1, { question: 'Renamed?', options }))
      expect(await store.respond(E, vote(3, 1, 14))).toEqual({ ok: true, duplicate: false })
      const p = viewsOf(await store.readLive(E, 0, []))[0]
      expect(p).toEqual({
        id: 1,
        kind: 'choice',
        question: 'Renamed?',
        open: true,
        closed: false,
        maxChoices: 1,
        options: [
          { id: 14, label: 'Purple', votes: 1 },
          { id: 11, label: 'Red', votes: 1 },
          { id: 12, label: 'Green', votes: 1 },
          { id: 13, label: 'Blue', votes: 0 },
        ],
      })
      await store.putInteraction(E, poll(5))
      expect(viewsOf(await store.readLive(E, 0, [])).map((q) => q.id)).toEqual([1, 2, 3, 4, 5])
      expect(await store.respond(E, vote(3, 5, 52))).toEqual({ ok: true, duplicate: false })
      expect(await votesOf(E, 3)).toEqual({ '1': 14, '5': 52 })
    })

    // ---- messages ----

    test('messages: visible ones go to the feed in order, with a cursor', async () => {
      await load({ maxMessageId: 100 })
      const text = 'héllo "quoted" \\ / 🎉\nline <b>'
      expect(await store.message(E, msg(1, text, { now: T0 + 1 }))).toEqual({
        ok: true,
        id: 101,
        held: false,
        duplicate: false,
      })
      let live = await store.readLive(E, 0, [])
      expect(live.feed).toEqual([{ id: 101, text, number: 1 }])
      expect(live.feedCursor).toBe(1)
      expect(await store.message(E, msg(2, 'second', { now: T0 + 2 }))).toEqual({
        ok: true,
        id: 102,
        held: false,
        duplicate: false,
      })
      live = await store.readLive(E, 1, [])
      expect(live.feed).toEqual([{ id: 102, text: 'second', number: 2 }])
      expect(live.feedCursor).toBe(2)
      expect((await store.readLive(E, 2, [])).feed).toEqual([])
      expect((await store.readLive(E, 0, [])).feed.map((d) => d.id)).toEqual([101, 102])
      expect(await drain()).toEqual([
        { t: 'message', id: 101, number: 1, text, state: 'visible', at: T0 + 1 },
        { t: 'message', id: 102, number: 2, text: 'second', state: 'visible', at: T0 + 2 },
      ])
    })

    test('messages: held ones wait in the admin list, not the feed', async () => {
      await load()
      expect(await store.message(E, msg(3, 'wait for me', { held: true, now: T0 + 5 }))).toEqual({
        ok: true,
        id: 1,
        held: true,
        duplicate: false,
      })
      const live = await store.readLive(E, 0, [])
      expect(live.feed).toEqual([])
      expect(live.feedCursor).toBe(0)
      expect(live.admin.held).toEqual([{ id: 1, text: 'wait for me', number: 3, at: T0 + 5 }])
      expect(await drain()).toEqual([
        { t: 'message', id: 1, number: 3, text: 'wait for me', state: 'held', at: T0 + 5 },
      ])
    })

    test('messages: a repeated actionId returns the same id and changes nothing', async () => {
      await load()
      const a = aid()
      const b = aid()
      expect(await store.message(E, msg(1, 'once', { actionId: a }))).toEqual({
        ok: true,
        id: 1,
        held: false,
        duplicate: false,
      })
      expect(await store.message(E, msg(1, 'held', { actionId: b, held: true }))).toEqual({
        ok: true,
        id: 2,
        held: true,
        duplicate: false,
      })
      expect(await store.message(E, msg(1, 'once again', { actionId: a, now: T0 + 5000 }))).toEqual({
        ok: true,
        id: 1,
        held: false,
        duplicate: true,
      })
      // The first answer stands, whatever the retry says.
      expect(await store.message(E, msg(1, 'held', { actionId: b, held: false }))).toEqual({
        ok: true,
        id: 2,
        held: true,
        duplicate: true,
      })
      const live = await store.readLive(E, 0, [])
      expect(live.feed).toEqual([{ id: 1, text: 'once', number: 1 }])
      expect(live.feedCursor).toBe(1)
      expect(await layer.queue.depth(E)).toBe(2)
      // A vote's actionId makes a later vote with it a duplicate too (one namespace per wristband).
      expect(await store.respond(E, vote(1, 1, 11, { actionId: a }))).toEqual({ ok: true, duplicate: true })
    })

    test('messages: rate limit and revoked wristbands', async () => {
      await load()
      const limit = { count: 2, windowMs: 10_000 }
      const t = Math.floor(T0 / 10_000) * 10_000
      expect((await store.message(E, msg(1, 'a', { now: t, limit }))).ok).toBe(true)
      expect((await store.message(E, msg(1, 'b', { now: t + 1, limit }))).ok).toBe(true)
      expect(await store.message(E, msg(1, 'c', { now: t + 2, limit }))).toEqual({ ok: false, error: 'rate_limited' })
      expect((await store.message(E, msg(2, 'd', { now: t + 3, limit }))).ok).toBe(true)
      expect(await store.message(E, msg(1, 'e', { now: t + 10_000, limit }))).toEqual({
        ok: true,
        id: 4,
        held: false,
        duplicate: false,
      })
      expect(await store.message(E, msg(20, 'f'))).toEqual({ ok: false, error: 'revoked' })
      expect(await store.message(E, msg(999, 'g'))).toEqual({ ok: false, error: 'revoked' })
      expect((await store.readLive(E, 0, [])).feed.map((d) => d.text)).toEqual(['a', 'b', 'd', 'e'])
      expect(await layer.queue.depth(E)).toBe(4)
    })

    test('feed keeps the newest FEED_KEPT; held list the newest ADMIN_LIST_KEPT', async () => {
      await load({ wristbands: bands(1, 2) })
      for (let i = 1; i <= FEED_KEPT + 10; i++) await store.message(E, msg(1, `m${i}`))
      for (let i = 1; i <= ADMIN_LIST_KEPT + 10; i++) await store.message(E, msg(2, `h${i}`, { held: true }))
      const live = await store.readLive(E, 0, [])
      expect(live.feed.length).toBe(FEED_KEPT)
      expect(live.feed[0]).toEqual({ id: 11, text: 'm11', number: 1 })
      expect(live.feed.at(-1)).toEqual({ id: FEED_KEPT + 10, text: `m${FEED_KEPT + 10}`, number: 1 })
      expect(live.feedCursor).toBe(FEED_KEPT + 10)
      expect(live.admin.held.length).toBe(ADMIN_LIST_KEPT)
      expect(live.admin.held[0].text).toBe('h11')
      expect(live.admin.held.at(-1)!.text).toBe(`h${ADMIN_LIST_KEPT + 10}`)
    })

    // ---- moderation ----

    test('moderate: hide, approve, unknown, no-op', async () => {
      await load()
      await store.message(E, msg(1, 'visible one', { now: T0 + 1 })) // id 1, cursor 1
      await store.message(E, msg(2, 'held two', { held: true, now: T0 + 2 })) // id 2
      await store.message(E, msg(3, 'held three', { held: true, now: T0 + 3 })) // id 3
      await drain()
      expect(await store.moderate(E, 99, 'hidden', T0 + 10)).toBe(false)
      expect(await store.moderate(E2, 1, 'hidden', T0 + 10)).toBe(false)
      expect(await store.moderate(E, 1, 'hidden', T0 + 11)).toBe(true)
      let live = await store.readLive(E, 1, [1, 2, 42])
      expect(live.hidden).toEqual([1])
      expect(live.feed).toEqual([])
      // Approving a held message puts it on the feed.
      expect(await store.moderate(E, 2, 'visible', T0 + 12)).toBe(true)
      live = await store.readLive(E, 1, [])
      expect(live.feed).toEqual([{ id: 2, text: 'held two', number: 2 }])
      expect(live.feedCursor).toBe(2)
      expect(live.admin.held).toEqual([{ id: 3, text: 'held three', number: 3, at: T0 + 3 }])
      // Hiding a held one takes it off the held list without touching the feed.
      expect(await store.moderate(E, 3, 'hidden', T0 + 13)).toBe(true)
      live = await store.readLive(E, 2, [])
      expect(live.admin.held).toEqual([])
      expect(live.feed).toEqual([])
      // No change: true, nothing queued.
      expect(await store.moderate(E, 1, 'hidden', T0 + 14)).toBe(true)
      // Un-hiding a hidden one does not bring it back to the feed.
      expect(await store.moderate(E, 1, 'visible', T0 + 15)).toBe(true)
      live = await store.readLive(E, 0, [1])
      expect(live.feed.map((d) => d.id)).toEqual([1, 2])
      expect(live.feedCursor).toBe(2)
      expect(live.hidden).toEqual([])
      expect(await drain()).toEqual([
        { t: 'moderate', id: 1, state: 'hidden', at: T0 + 11 },
        { t: 'moderate', id: 2, state: 'visible', at: T0 + 12 },
        { t: 'moderate', id: 3, state: 'hidden', at: T0 + 13 },
        { t: 'moderate', id: 1, state: 'visible', at: T0 + 15 },
      ])
    })

    test('readLive reports hidden ids among those asked and those in the feed', async () => {
      await load()
      for (let i = 1; i <= 4; i++) await store.message(E, msg(1, `m${i}`))
      await store.moderate(E, 1, 'hidden', T0)
      await store.moderate(E, 3, 'hidden', T0)
      const live = await store.readLive(E, 2, [1, 2])
      expect(live.feed.map((d) => d.id)).toEqual([3, 4])
      expect(live.hidden).toEqual([1, 3])
    })

    // ---- bounded message history ----

    /** A store of its own with a small message history; removed by the returned cleanup. */
    const withHistory = async (messagesKept: number, body: (s: LayerUnderTest) => Promise<void>) => {
      const small = await make({ retention: SUITE_RETENTION, messagesKept })
      try {
        await body(small)
      } finally {
        await small.cleanup()
      }
    }
    const ids = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)
    const MANY = { count: 1_000_000, windowMs: 60_000 }

    test('message history keeps exactly the newest messagesKept, and backend memory stops growing', async () => {
      const N = 50
      await withHistory(N, async ({ live: small, footprint }) => {
        const s = small.counters
        await s.loadEvent(E, baseSeed({ wristbands: bands(1, 2) }))
        // Same-length texts, so a later batch takes exactly the room of an earlier one.
        const text = (id: number) => `m${String(id).padStart(6, '0')}`
        const send = async (from: number, to: number) => {
          for (const id of ids(from, to)) {
            expect(await s.message(E, msg(1, text(id), { limit: MANY }))).toEqual({
              ok: true,
              id,
              held: false,
              duplicate: false,
            })
          }
        }
        /** Ids moderate still knows. Approving a visible message is a no-op: it changes and queues nothing. */
        const known = async (upTo: number) => {
          const out: number[] = []
          for (const id of ids(1, upTo)) if (await s.moderate(E, id, 'visible', T0)) out.push(id)
          return out
        }
        const drainAll = async () => {
          const entries = await small.queue.read(E, 'drainer', 100_000, 60_000)
          await small.queue.ack(
            E,
            entries.map((e) => e.id),
          )
          return entries.length
        }
        // Past both the history and the feed, twice over: the second batch must take no more room.
        const batch = FEED_KEPT + 2 * N
        await send(1, batch)
        expect(await known(batch)).toEqual(ids(batch - N + 1, batch))
        expect(await drainAll()).toBe(batch)
        const before = await footprint?.(E)
        await send(batch + 1, 2 * batch)
        const total = 2 * batch
        expect(await known(total)).toEqual(ids(total - N + 1, total))
        expect(await drainAll()).toBe(batch)

        // A dropped message is unknown (the API answers 404), the oldest kept one is not.
        expect(await s.moderate(E, total - N, 'hidden', T0 + 1)).toBe(false)
        expect(await s.moderate(E, total - N + 1, 'hidden', T0 + 2)).toBe(true)
        expect(await s.moderate(E, total, 'hidden', T0 + 3)).toBe(true)
        expect(await drainAll()).toBe(2)
        let live = await s.readLive(E, total - 3, [1, total - N, total - N + 1])
        expect(live.feed.map((d) => d.id)).toEqual([total - 2, total - 1, total])
        expect(live.hidden).toEqual([total - N + 1, total])
        // The feed still reads whole, texts included, beyond the history.
        live = await s.readLive(E, 0, [])
        expect(live.feed.length).toBe(FEED_KEPT)
        expect(live.feed[0]).toEqual({ id: total - FEED_KEPT + 1, text: text(total - FEED_KEPT + 1), number: 1 })
        expect(live.feedCursor).toBe(total)

        if (before) {
          const after = await footprint!(E)
          expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort())
          for (const [key, { length, bytes }] of Object.entries(after)) {
            expect({ key, length }).toEqual({ key, length: before[key].length })
            expect(length).toBeLessThanOrEqual(Math.max(N, FEED_KEPT))
            // The write queue is a stream: deleted entries may leave an emptied node behind.
            if (key !== 'q')
              expect({ key, bytes: Math.min(bytes, before[key].bytes * 1.05 + 64) }).toEqual({ key, bytes })
          }
        }
      })
    })

    test('message history: a held message outlives it until moderated; rebuild keeps the same bound', async () => {
      const N = 10
      await withHistory(N, async ({ live: small, footprint }) => {
        const s = small.counters
        await s.loadEvent(E, baseSeed({ wristbands: bands(1, 3) }))
        await s.message(E, msg(2, 'old held', { held: true, now: T0 + 1 })) // id 1
        await s.message(E, msg(3, 'old visible', { now: T0 + 2 })) // id 2, cursor 1
        for (const id of ids(3, N + 5)) await s.message(E, msg(1, `m${id}`, { now: T0 + id }))
        // id 2 left the history (still on the feed); held id 1 waits for the host.
        expect(await s.moderate(E, 2, 'hidden', T0 + 50)).toBe(false)
        let live = await s.readLive(E, 0, [1, 2])
        expect(live.feed[0]).toEqual({ id: 2, text: 'old visible', number: 3 })
        expect(live.hidden).toEqual([])
        expect(live.admin.held).toEqual([{ id: 1, text: 'old held', number: 2, at: T0 + 1 }])
        // Approving it puts it on the feed, text included...
        const cursor = live.feedCursor
        expect(await s.moderate(E, 1, 'visible', T0 + 51)).toBe(true)
        live = await s.readLive(E, cursor, [1])
        expect(live.feed).toEqual([{ id: 1, text: 'old held', number: 2 }])
        expect(live.hidden).toEqual([])
        expect(live.admin.held).toEqual([])
        // ...after which it is as old as it is: out of the live state.
        expect(await s.moderate(E, 1, 'hidden', T0 + 52)).toBe(false)
        const queued = (await small.queue.read(E, 'drainer', 100_000, 60_000)).map((e) => e.item)
        expect(queued.filter((i) => i.t === 'moderate')).toEqual([
          { t: 'moderate', id: 1, state: 'visible', at: T0 + 51 },
        ])

        // Rebuilt from Postgres rows (3N of them): the newest N plus the old held one.
        const rows = ids(1, 3 * N).map((id) => ({
          id,
          number: 1,
          text: `row ${id}`,
          state: id === 1 ? ('held' as const) : id === 2 || id === 3 * N ? ('hidden' as const) : ('visible' as const),
          at: T0 + id,
        }))
        await s.loadEvent(E, baseSeed({ wristbands: bands(1, 3), messages: [...rows].reverse(), maxMessageId: 3 * N }))
        live = await s.readLive(E, 0, [2, 2 * N, 3 * N])
        expect(live.feed).toEqual([])
        expect(live.hidden).toEqual([3 * N])
        expect(live.admin.held).toEqual([{ id: 1, text: 'row 1', number: 1, at: T0 + 1 }])
        if (footprint) {
          for (const [key, { length }] of Object.entries(await footprint(E))) {
            if (key !== 'q') expect({ key, length: Math.min(length, N + 1) }).toEqual({ key, length })
          }
        }
        const known: number[] = []
        for (const id of ids(1, 3 * N))
          if (await s.moderate(E, id, id === 3 * N ? 'hidden' : 'visible', T0)) known.push(id)
        expect(known).toEqual([1, ...ids(2 * N + 1, 3 * N)])
        // New messages continue above the rows and push the oldest out.
        expect(await s.message(E, msg(1, 'next'))).toMatchObject({ ok: true, id: 3 * N + 1 })
        expect(await s.moderate(E, 2 * N + 1, 'hidden', T0)).toBe(false)
        expect(await s.moderate(E, 2 * N + 2, 'hidden', T0)).toBe(true)
      })
    })

    // ---- rebuild ----

    test('loadEvent from the equivalent seed reproduces readLive, votes and counters', async () => {
      await load({ wristbands: bands(1, 10), interactions: [poll(1), poll(2)], maxRev: 5, maxMessageId: 10 })
      await store.setStatus(E, 'paused', 'intermission')
      await store.putRaffle(E, { id: 4, name: 'Prize', winners: [2], drawnAt: T0 })
      await store.setShow(E, { cueSheet: '/c.json', startAt: T0 })
      await store.revokeWristbands(E, [9])
      for (const n of [1, 2, 3, 9]) await store.checkin(E, hash(n), T0 + n)
      await store.respond(E, vote(1, 1, 11))
      await store.respond(E, vote(2, 1, 12))
      await store.respond(E, vote(3, 1, 12))
      await store.respond(E, vote(3, 2, 23))
      await store.message(E, msg(1, 'shown', { now: T0 + 20 })) // 11
      await store.message(E, msg(2, 'held', { held: true, now: T0 + 21 })) // 12
      await store.message(E, msg(3, 'hidden later', { now: T0 + 22 })) // 13
      await store.moderate(E, 13, 'hidden', T0 + 23)
      const cursor = (await store.readLive(E, 0, [])).feedCursor
      expect(cursor).toBe(2)
      const before = await store.readLive(E, cursor, [11, 13])
      const depth = await layer.queue.depth(E)
      const seed = baseSeed({
        status: 'paused',
        message: 'intermission',
        wristbands: bands(1, 10).map((w) => ({ ...w, revoked: w.number === 9 })),
        checkins: [1, 2, 3].map((n) => ({ number: n, at: T0 + n })),
        interactions: [poll(1), poll(2)],
        responses: [seededVote(1, 1, 11), seededVote(1, 2, 12), seededVote(1, 3, 12), seededVote(2, 3, 23)],
        messages: [
          { id: 13, number: 3, text: 'hidden later', state: 'hidden', at: T0 + 22 },
          { id: 11, number: 1, text: 'shown', state: 'visible', at: T0 + 20 },
          { id: 12, number: 2, text: 'held', state: 'held', at: T0 + 21 },
        ],
        raffles: [{ id: 4, name: 'Prize', winners: [2], drawnAt: T0 }],
        show: { cueSheet: '/c.json', startAt: T0 },
        maxMessageId: 13,
        maxRev: 9,
      })
      await store.loadEvent(E, seed)
      const after = await store.readLive(E, cursor, [11, 13])
      expect(after).toEqual(before)
      expect(after.checkins).toBe(3)
      expect(after.hidden).toEqual([13])
      expect(after.admin.held).toEqual([{ id: 12, text: 'held', number: 2, at: T0 + 21 }])
      // The queue is kept; counters continue.
      expect(await layer.queue.depth(E)).toBe(depth)
      expect(await votesOf(E, 3)).toEqual({ '1': 12, '2': 23 })
      expect(await store.checkedIn(E).then((n) => n.sort((a, b) => a - b))).toEqual([1, 2, 3])
      expect(await store.message(E, msg(4, 'next'))).toMatchObject({ ok: true, id: 14 })
      expect((await store.readLive(E, cursor, [])).feed).toEqual([{ id: 14, text: 'next', number: 4 }])
      await drain()
      await store.respond(E, vote(4, 1, 13))
      expect(await drain()).toEqual([voteItem(1, 4, 13, 10, T0)])
      // Loading the same seed twice reads the same.
      await store.loadEvent(E, seed)
      const once = await store.readLive(E, 0, [])
      await store.loadEvent(E, seed)
      expect(await store.readLive(E, 0, [])).toEqual(once)
    })

    test('loadEvent replaces live state but keeps actionIds and rate windows', async () => {
      await load()
      await store.addWristbands(E, [band(30)])
      await store.putInteraction(E, poll(9))
      await store.setStatus(E, 'ended', 'bye')
      const actionId = aid()
      await store.respond(E, vote(1, 1, 11, { actionId }))
      await store.checkin(E, hash(1), T0)
      await store.message(E, msg(1, 'hi'))
      await load()
      expect(await store.isActive(E, 30)).toBe(false)
      const live = await store.readLive(E, 0, [])
      expect(viewsOf(live).map((p) => p.id)).toEqual([1, 2, 3, 4])
      expect(live.status).toBe('live')
      expect(live.message).toBe('')
      expect(live.checkins).toBe(0)
      expect(live.feed).toEqual([])
      expect(optionVotes(live, 1)).toEqual([0, 0, 0])
      expect(await votesOf(E, 1)).toEqual({})
      expect(await store.moderate(E, 1, 'hidden', T0)).toBe(false)
      expect(await store.respond(E, vote(1, 1, 12, { actionId }))).toEqual({ ok: true, duplicate: true })
      expect(await layer.queue.depth(E)).toBe(3)
    })

    test('the feed cursor survives reloads, and comes from the ticker state on a fresh load', async () => {
      await load()
      await store.message(E, msg(1, 'a'))
      await store.message(E, msg(1, 'b'))
      await load({ maxMessageId: 2 })
      let live = await store.readLive(E, 0, [])
      expect(live.feedCursor).toBe(2)
      expect(live.feed).toEqual([])
      await store.message(E, msg(1, 'c'))
      live = await store.readLive(E, 2, [])
      expect(live.feed).toEqual([{ id: 3, text: 'c', number: 1 }])
      expect(live.feedCursor).toBe(3)

      // A fresh counter layer (say Redis restarted empty) next to a surviving ticker state.
      await layer.leases.acquire(`ticker:${E2}`, 'A', 5000)
      await layer.log.append(E2, 'A', 1, '{"seq":1}', JSON.stringify(tickerState(1, 7)))
      await load({}, E2)
      expect((await store.readLive(E2, 0, [])).feedCursor).toBe(7)
      await store.message(E2, msg(1, 'after restart'))
      live = await store.readLive(E2, 7, [])
      expect(live.feed).toEqual([{ id: 1, text: 'after restart', number: 1 }])
      expect(live.feedCursor).toBe(8)
    })

    test('loadEvent and addWristbands handle 100,000 wristbands', async () => {
      let started = performance.now()
      await load({
        wristbands: bands(1, 100_000),
        checkins: bands(1, 3000).map((w) => ({ number: w.number, at: T0 + w.number })),
      })
      const loadMs = performance.now() - started
      started = performance.now()
      await store.addWristbands(E, bands(100_001, 200_000))
      const addMs = performance.now() - started
      expect(loadMs).toBeLessThan(20_000)
      expect(addMs).toBeLessThan(20_000)
      expect(await store.checkin(E, hash(100_000), T0)).toEqual({ ok: true, number: 100_000, first: true })
      expect(await store.checkin(E, hash(200_000), T0)).toEqual({ ok: true, number: 200_000, first: true })
      expect(await store.checkin(E, hash(5), T0)).toEqual({ ok: true, number: 5, first: false })
      expect(await store.isActive(E, 150_000)).toBe(true)
      const live = await store.readLive(E, 0, [])
      expect(live.checkins).toBe(3002)
      expect(live.admin.recentCheckins[0]).toEqual({ number: 200_000, at: T0 })
      expect(live.admin.recentCheckins[2]).toEqual({ number: 3000, at: T0 + 3000 })
      expect((await store.checkedIn(E)).length).toBe(3002)
    })

    test('5,000 concurrent votes give exact counts and one queue entry per change', async () => {
      const N = 5000
      await load({ wristbands: bands(1, N), interactions: [poll(1)], maxRev: 0 })
      const choice = (n: number) => 11 + (n % 3)
      // Every wristband votes; the first 500 also send their choice a second time, concurrently.
      const results = await Promise.all([
        ...Array.from({ length: N }, (_, i) => store.respond(E, vote(i + 1, 1, choice(i + 1)))),
        ...Array.from({ length: 500 }, (_, i) => store.respond(E, vote(i + 1, 1, choice(i + 1)))),
      ])
      expect(results.every((r) => r.ok && !r.duplicate)).toBe(true)
      const expected = [0, 0, 0]
      for (let n = 1; n <= N; n++) expected[choice(n) - 11]++
      expect(optionVotes(await store.readLive(E, 0, []), 1)).toEqual(expected)
      expect(await layer.queue.depth(E)).toBe(N)
      // 300 change their minds, concurrently, with one retry each (same actionId).
      const changes = Array.from({ length: 300 }, (_, i) => vote(i + 1, 1, 11 + ((i + 2) % 3)))
      const changed = await Promise.all([...changes, ...changes].map((v) => store.respond(E, v)))
      expect(changed.filter((r) => r.ok && r.duplicate).length).toBe(300)
      for (const v of changes) {
        expected[choice(v.number) - 11]--
        expected[chosen(v) - 11]++
      }
      expect(optionVotes(await store.readLive(E, 0, []), 1)).toEqual(expected)
      expect(await layer.queue.depth(E)).toBe(N + 300)
      const items = await drain()
      expect(items.length).toBe(N + 300)
      const revs = items.map((i) => (i.t === 'response' ? i.rev : 0))
      expect(revs).toEqual(Array.from({ length: N + 300 }, (_, i) => i + 1))
      expect(await layer.queue.depth(E)).toBe(0)
    })

    // ---- the response primitive, beyond single choice ----

    /** A response of any kind, as its kind module would build it. */
    const answer = (
      number: number,
      interactionId: number,
      keys: string[],
      over: { kind?: string; slot?: string; response?: string | null; actionId?: string } = {},
    ): ResponseInput => ({
      number,
      interactionId,
      kind: over.kind ?? 'choice',
      slot: over.slot ?? '',
      response: over.response === undefined ? JSON.stringify({ keys }) : over.response,
      keys,
      actionId: over.actionId ?? aid(),
      now: T0,
      limit: LIMIT,
    })
    const def = (id: number, accept: InteractionDef['accept'], over: Partial<InteractionDef> = {}): InteractionDef => ({
      id,
      kind: 'test',
      open: true,
      closed: false,
      spec: {},
      accept,
      ...over,
    })
    const countsOf = async (id: number) => {
      const i = (await store.readLive(E, 0, [])).interactions.find((x) => x.def.id === id)!
      return { counts: Object.fromEntries(i.counts), responders: i.responders }
    }

    test('an event is loaded only once loadEvent ran, whatever host writes came before', async () => {
      await store.putInteraction(E, poll(1))
      await store.setStatus(E, 'paused', '')
      await store.addWristbands(E, [band(1)])
      expect(await store.isLoaded(E)).toBe(false)
      await load()
      expect(await store.isLoaded(E)).toBe(true)
    })

    test('several keys per response, a bound on them, and a kind that must match', async () => {
      await load({ interactions: [def(9, { keys: ['a', 'b', 'c'], maxKeys: 2 })] })
      expect(await store.respond(E, answer(1, 9, ['a', 'b'], { kind: 'test' }))).toEqual({ ok: true, duplicate: false })
      expect(await store.respond(E, answer(2, 9, ['b'], { kind: 'test' }))).toEqual({ ok: true, duplicate: false })
      expect(await countsOf(9)).toEqual({ counts: { a: 1, b: 2 }, responders: 2 })
      expect(await store.respond(E, answer(3, 9, ['a', 'b', 'c'], { kind: 'test' }))).toEqual({
        ok: false,
        error: 'too_many_keys',
      })
      expect(await store.respond(E, answer(3, 9, ['d'], { kind: 'test' }))).toEqual({ ok: false, error: 'unknown_key' })
      expect(await store.respond(E, answer(3, 9, ['a']))).toEqual({ ok: false, error: 'wrong_kind' })
      // A changed answer moves every key: b and c now, a no longer.
      expect(await store.respond(E, answer(1, 9, ['b', 'c'], { kind: 'test' }))).toEqual({ ok: true, duplicate: false })
      expect(await countsOf(9)).toEqual({ counts: { b: 2, c: 1 }, responders: 2 })
      expect((await drain()).map((i) => (i.t === 'response' ? [i.number, i.response, i.rev] : i))).toEqual([
        [1, JSON.stringify({ keys: ['a', 'b'] }), 1],
        [2, JSON.stringify({ keys: ['b'] }), 2],
        [1, JSON.stringify({ keys: ['b', 'c'] }), 3],
      ])
    })

    test('resetInteraction clears counts and responses in one step and queues the reset', async () => {
      await load({ interactions: [def(9, { maxKeys: 2 }), def(8, { maxKeys: 1 })] })
      await store.respond(E, answer(1, 9, ['a', 'b'], { kind: 'test' }))
      await store.respond(E, answer(2, 9, ['a'], { kind: 'test', slot: 's' }))
      await store.respond(E, answer(1, 8, ['x'], { kind: 'test' }))
      expect(await store.resetInteraction(E, 9, T0 + 1)).toBe(true)
      expect(await store.resetInteraction(E, 77, T0 + 1)).toBe(false)
      expect(await countsOf(9)).toEqual({ counts: {}, responders: 0 })
      expect(await countsOf(8)).toEqual({ counts: { x: 1 }, responders: 1 })
      expect(await store.responsesOf(E, 2)).toEqual([])
      expect(await store.responsesOf(E, 1)).toEqual([
        { interactionId: 8, slot: '', response: JSON.stringify({ keys: ['x'] }) },
      ])
      // Answering again after the reset counts from zero.
      await store.respond(E, answer(1, 9, ['b'], { kind: 'test' }))
      expect(await countsOf(9)).toEqual({ counts: { b: 1 }, responders: 1 })
      expect((await drain()).map((i) => [i.t, i.t === 'reset' || i.t === 'response' ? i.rev : 0])).toEqual([
        ['response', 1],
        ['response', 2],
        ['response', 3],
        ['reset', 4],
        ['response', 5],
      ])
    })

    test('byHost: the host rewrites a response on a closed interaction, whatever the limit or the wristband', async () => {
      await load({ interactions: [def(9, { maxKeys: 1 })] })
      await store.respond(E, answer(1, 9, ['card'], { kind: 'test' }))
      await store.putInteraction(E, def(9, { maxKeys: 1 }, { open: false, closed: true }))
      await store.revokeWristbands(E, [1])
      const host = (keys: string[], response: string, over: Partial<ResponseInput> = {}) => ({
        ...answer(1, 9, keys, { kind: 'test', response }),
        limit: { count: 0, windowMs: 1000 },
        byHost: true,
        ...over,
      })
      expect(await store.respond(E, answer(1, 9, [], { kind: 'test', response: '"x"' }))).toEqual({
        ok: false,
        error: 'revoked',
      })
      expect(await store.respond(E, host([], '"hidden"'))).toEqual({ ok: true, duplicate: false })
      expect(await countsOf(9)).toEqual({ counts: {}, responders: 1 })
      // Kind and keys are still checked.
      expect(await store.respond(E, host(['a', 'b'], '"two"'))).toEqual({ ok: false, error: 'too_many_keys' })
      expect(await store.respond(E, host([], '"k"', { kind: 'choice' }))).toEqual({ ok: false, error: 'wrong_kind' })
      expect(await store.responsesOf(E, 1)).toEqual([{ interactionId: 9, slot: '', response: '"hidden"' }])
      expect((await drain()).at(-1)).toMatchObject({ t: 'response', number: 1, response: '"hidden"', rev: 2 })
    })

    test('any key when the interaction names none; keys at 0 are dropped; a response taken back', async () => {
      await load({ interactions: [def(9, { maxKeys: 3 })] })
      await store.respond(E, answer(1, 9, ['neon', 'gold'], { kind: 'test' }))
      await store.respond(E, answer(2, 9, ['neon'], { kind: 'test' }))
      expect(await countsOf(9)).toEqual({ counts: { neon: 2, gold: 1 }, responders: 2 })
      expect(await store.respond(E, answer(1, 9, [], { kind: 'test', response: null }))).toEqual({
        ok: true,
        duplicate: false,
      })
      expect(await countsOf(9)).toEqual({ counts: { neon: 1 }, responders: 1 })
      expect(await store.responsesOf(E, 1)).toEqual([])
      expect((await drain()).at(-1)).toMatchObject({ t: 'response', number: 1, response: null, rev: 3 })
    })

    test('slots: one response per wristband and slot, listed for the wristband', async () => {
      await load({ interactions: [def(9, { maxKeys: 1 })] })
      const upvote = (number: number, question: string, on = true) =>
        answer(number, 9, on ? [question] : [], { kind: 'test', slot: question, response: on ? 'true' : null })
      await store.respond(E, upvote(1, 'q1'))
      await store.respond(E, upvote(1, 'q2'))
      await store.respond(E, upvote(2, 'q2'))
      // The same again changes nothing.
      await store.respond(E, upvote(2, 'q2'))
      expect(await countsOf(9)).toEqual({ counts: { q1: 1, q2: 2 }, responders: 3 })
      const mine = (await store.responsesOf(E, 1)).sort((a, b) => a.slot.localeCompare(b.slot))
      expect(mine).toEqual([
        { interactionId: 9, slot: 'q1', response: 'true' },
        { interactionId: 9, slot: 'q2', response: 'true' },
      ])
      await store.respond(E, upvote(1, 'q2', false))
      expect(await store.responsesOf(E, 1)).toEqual([{ interactionId: 9, slot: 'q1', response: 'true' }])
      expect(await countsOf(9)).toEqual({ counts: { q1: 1, q2: 1 }, responders: 2 })
      expect((await drain()).map((i) => (i.t === 'response' ? [i.number, i.slot, i.response] : i))).toEqual([
        [1, 'q1', 'true'],
        [1, 'q2', 'true'],
        [2, 'q2', 'true'],
        [1, 'q2', null],
      ])
    })

    test('once: a second answer is refused and changes nothing', async () => {
      await load({ interactions: [def(9, { keys: ['1', '2'], maxKeys: 1, once: true })] })
      expect(await store.respond(E, answer(1, 9, ['1'], { kind: 'test' }))).toEqual({ ok: true, duplicate: false })
      expect(await store.respond(E, answer(1, 9, ['2'], { kind: 'test' }))).toEqual({
        ok: false,
        error: 'already_answered',
      })
      expect(await countsOf(9)).toEqual({ counts: { '1': 1 }, responders: 1 })
      expect(await layer.queue.depth(E)).toBe(1)
    })

    test('closesAt: a response at or after the deadline (by the server time it carries) is refused', async () => {
      await load({ interactions: [def(9, { keys: ['1', '2'], maxKeys: 1, once: true, closesAt: T0 + 1000 })] })
      const at = (number: number, now: number) => ({ ...answer(number, 9, ['1'], { kind: 'test' }), now })
      expect(await store.respond(E, at(1, T0 + 999))).toEqual({ ok: true, duplicate: false })
      expect(await store.respond(E, at(2, T0 + 1000))).toEqual({ ok: false, error: 'closed' })
      expect(await store.respond(E, at(3, T0 + 5000))).toEqual({ ok: false, error: 'closed' })
      expect(await countsOf(9)).toEqual({ counts: { '1': 1 }, responders: 1 })
      expect(await layer.queue.depth(E)).toBe(1)
    })

    test('responsesTo: every current response to one interaction, with its wristband', async () => {
      await load({ interactions: [def(9, { keys: ['1', '2'], maxKeys: 1 })] })
      await store.respond(E, answer(1, 9, ['1'], { kind: 'test', response: '{"o":1}' }))
      await store.respond(E, answer(2, 9, ['2'], { kind: 'test', response: '{"o":2}' }))
      const all = (await store.responsesTo(E, 9)).sort((a, b) => a.number - b.number)
      expect(all).toEqual([
        { number: 1, slot: '', response: '{"o":1}' },
        { number: 2, slot: '', response: '{"o":2}' },
      ])
      expect(await store.responsesTo(E, 404)).toEqual([])
    })

    test('top: only the most counted keys are read, highest first', async () => {
      await load({ wristbands: bands(1, 12), interactions: [def(9, { maxKeys: 1 }, { top: 3 })] })
      const words = ['a', 'b', 'b', 'c', 'c', 'c', 'd', 'd', 'd', 'd', 'e', 'f']
      for (const [i, w] of words.entries()) await store.respond(E, answer(i + 1, 9, [w], { kind: 'test' }))
      const i = (await store.readLive(E, 0, [])).interactions[0]
      expect([...i.counts]).toEqual([
        ['d', 4],
        ['c', 3],
        ['b', 2],
      ])
      expect(i.responders).toBe(12)
    })

    test('ping', async () => {
      expect(await layer.ping()).toBe(true)
    })
  })
}
