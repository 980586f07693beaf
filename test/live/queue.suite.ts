/**
 * Conformance suite for the write queue (server/live/queue): claims, reclaims after an
 * idle time, acknowledgement, dead letters. Entries are appended by the counters' guest
 * actions (check-ins here), as in production.
 */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import type { LiveLayer } from '../../server/live/index.ts'
import { DEAD_LETTERS_KEPT, type QueueItem } from '../../server/live/queue/types.ts'
import { bands, baseSeed, drainQueue, E, E2, hash, type MakeLayer, SUITE_RETENTION, T0 } from './suite-support.ts'

export function describeQueue(name: string, make: MakeLayer) {
  describe(`write queue: ${name}`, () => {
    let live: LiveLayer
    let cleanup: () => Promise<void>

    beforeEach(async () => {
      ;({ live, cleanup } = await make({ retention: SUITE_RETENTION }))
      await live.counters.loadEvent(E, baseSeed({ wristbands: bands(1, 1200) }))
    })
    afterEach(async () => {
      await cleanup()
    })

    const item = (n: number): QueueItem => ({ t: 'checkin', number: n, at: T0 + n })
    const checkIn = (n: number, eventId = E) => live.counters.checkin(eventId, hash(n), T0 + n)

    test('own pending comes back, others reclaim after idle, ack removes', async () => {
      for (let n = 1; n <= 3; n++) await checkIn(n)
      const q = live.queue
      expect(await q.depth(E)).toBe(3)
      const first = await q.read(E, 'a', 2, 60_000)
      expect(first.map((e) => e.item)).toEqual([item(1), item(2)])
      expect(first.every((e) => typeof e.id === 'string')).toBe(true)
      expect(await q.depth(E)).toBe(3)
      // "a" restarted: its claimed entries first, then the new one.
      const again = await q.read(E, 'a', 10, 60_000)
      expect(again.map((e) => e.item)).toEqual([item(1), item(2), item(3)])
      expect(again.slice(0, 2).map((e) => e.id)).toEqual(first.map((e) => e.id))
      expect(await q.read(E, 'a', 1, 60_000).then((r) => r.map((e) => e.item))).toEqual([item(1)])
      // "b" does not take entries "a" claimed recently.
      expect(await q.read(E, 'b', 10, 60_000)).toEqual([])
      await Bun.sleep(80)
      // ...but does once they sat idle long enough ("a" died).
      const taken = await q.read(E, 'b', 10, 40)
      expect(taken.map((e) => e.item)).toEqual([item(1), item(2), item(3)])
      expect(await q.read(E, 'a', 10, 60_000)).toEqual([])
      await q.ack(
        E,
        taken.slice(0, 2).map((e) => e.id),
      )
      expect(await q.depth(E)).toBe(1)
      expect((await q.read(E, 'b', 10, 60_000)).map((e) => e.item)).toEqual([item(3)])
      await checkIn(4)
      expect(await q.depth(E)).toBe(2)
      const rest = await q.read(E, 'b', 10, 60_000)
      expect(rest.map((e) => e.item)).toEqual([item(3), item(4)])
      await q.ack(
        E,
        rest.map((e) => e.id),
      )
      await q.ack(E, [])
      expect(await q.depth(E)).toBe(0)
      expect(await q.read(E, 'b', 10, 0)).toEqual([])
      expect(await q.events()).toContain(E)
    })

    test('events are separate and count limits the batch', async () => {
      await live.counters.loadEvent(E2, baseSeed())
      for (let n = 1; n <= 5; n++) await checkIn(n)
      await checkIn(9, E2)
      const q = live.queue
      expect(await q.depth(E)).toBe(5)
      expect(await q.depth(E2)).toBe(1)
      expect((await q.read(E, 'a', 3, 60_000)).length).toBe(3)
      expect((await q.read(E, 'b', 3, 60_000)).map((e) => e.item)).toEqual([item(4), item(5)])
      expect(await drainQueue(live, E2)).toEqual([item(9)])
      expect(await q.depth(E2)).toBe(0)
      expect(await q.depth(E)).toBe(5)
      const events = await q.events()
      expect(events).toContain(E)
      expect(events).toContain(E2)
    })

    test('a dead letter leaves the queue, is kept with its reason, and the rest goes on', async () => {
      for (let n = 1; n <= 4; n++) await checkIn(n)
      const q = live.queue
      const entries = await q.read(E, 'a', 10, 60_000)
      await q.deadLetter(E, [entries[1]], 'violates a check constraint')
      expect(await q.depth(E)).toBe(3)
      const dead = await q.deadLetters(E)
      expect(dead.map((d) => [d.item, d.reason])).toEqual([[item(2), 'violates a check constraint']])
      expect(dead[0].at).toBeGreaterThan(T0)
      // The claimed ones are still this consumer's; the dead one never comes back.
      expect((await q.read(E, 'a', 10, 60_000)).map((e) => e.item)).toEqual([item(1), item(3), item(4)])
      expect(await q.deadLetters(E2)).toEqual([])
    })

    test('dead letters are bounded', async () => {
      const n = DEAD_LETTERS_KEPT + 20
      for (let i = 1; i <= n; i++) await checkIn(i)
      const entries = await live.queue.read(E, 'a', n, 60_000)
      for (let i = 0; i < entries.length; i += 100) await live.queue.deadLetter(E, entries.slice(i, i + 100), 'bad')
      const dead = await live.queue.deadLetters(E)
      // Redis trims a stream approximately (MAXLEN ~): never below the bound, never far above it.
      expect(dead.length).toBeGreaterThanOrEqual(DEAD_LETTERS_KEPT)
      expect(dead.length).toBeLessThan(DEAD_LETTERS_KEPT + 200)
      expect(dead.at(-1)?.item).toEqual(item(n))
      expect(await live.queue.depth(E)).toBe(0)
    })
  })
}
