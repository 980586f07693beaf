/**
 * Conformance suite for the delta log (server/live/log): appends fenced by the ticker
 * lease and the sequence, retention, tails that wake, and new histories (epochs).
 */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import type { LiveLayer } from '../../server/live/index.ts'
import { E, E2, logState, type MakeLayer, SUITE_RETENTION, tickerState } from './suite-support.ts'

export function describeLog(name: string, make: MakeLayer) {
  describe(`delta log: ${name}`, () => {
    let live: LiveLayer
    let cleanup: () => Promise<void>

    beforeEach(async () => {
      ;({ live, cleanup } = await make({ retention: SUITE_RETENTION }))
    })
    afterEach(async () => {
      await cleanup()
    })

    const append = (eventId: number, owner: string, seq: number, json = `{"seq":${seq}}`) =>
      live.log.append(eventId, owner, seq, json, JSON.stringify(tickerState(seq)))
    const seqs = (entries: { seq: number }[]) => entries.map((e) => e.seq)

    test('append needs the ticker lease and the next seq', async () => {
      const json = (seq: number) => JSON.stringify({ seq, checkins: seq })
      expect(await append(E, 'A', 1, json(1))).toBe(false)
      expect(await live.leases.acquire(`ticker:${E}`, 'A', 5000)).toBe(true)
      expect(await append(E, 'B', 1, json(1))).toBe(false)
      expect(await append(E2, 'A', 1, json(1))).toBe(false)
      expect(await append(E, 'A', 1, json(1))).toBe(true)
      expect(await logState(live, E)).toEqual(tickerState(1))
      expect(await append(E, 'A', 1, json(1))).toBe(false)
      expect(await append(E, 'A', 3, json(3))).toBe(false)
      expect(await append(E, 'A', 2, json(2))).toBe(true)
      expect(await logState(live, E)).toEqual(tickerState(2))
      expect(await logState(live, E2)).toBeNull()
      expect(await live.log.read(E, 0, 10)).toEqual([
        { seq: 1, json: json(1) },
        { seq: 2, json: json(2) },
      ])
      expect(await live.log.read(E, 1, 10)).toEqual([{ seq: 2, json: json(2) }])
      expect(await live.log.read(E, 0, 1)).toEqual([{ seq: 1, json: json(1) }])
      expect(await live.log.read(E, 2, 10)).toEqual([])
      expect(await live.log.read(E, 0, 0)).toEqual([])
      // Another owner takes over only once the lease is free, and continues the sequence.
      await live.leases.release(`ticker:${E}`, 'A')
      expect(await append(E, 'A', 3, json(3))).toBe(false)
      expect(await live.leases.acquire(`ticker:${E}`, 'B', 5000)).toBe(true)
      expect(await append(E, 'B', 1, json(1))).toBe(false)
      expect(await append(E, 'B', 3, json(3))).toBe(true)
    })

    test('an empty log starts at any seq (a new history at its epoch), then only follows it', async () => {
      await live.leases.acquire(`ticker:${E}`, 'A', 5000)
      const epoch = 1_765_000_000_000
      expect(await append(E, 'A', epoch + 1)).toBe(true)
      expect(await append(E, 'A', 1)).toBe(false)
      expect(await append(E, 'A', epoch + 2)).toBe(true)
      expect(seqs(await live.log.read(E, 0, 10))).toEqual([epoch + 1, epoch + 2])
      expect(seqs(await live.log.read(E, epoch + 1, 10))).toEqual([epoch + 2])
      // An id from an older, smaller history is below everything this one holds.
      expect(seqs(await live.log.read(E, 57, 10))).toEqual([epoch + 1, epoch + 2])
    })

    test('a log written to the store as it runs now is from the same store (a restart is the fault suite)', async () => {
      expect(await live.log.sameStore(E)).toBe(true)
      expect(await live.leases.acquire(`ticker:${E}`, 'A', 5000)).toBe(true)
      expect(await append(E, 'A', 1)).toBe(true)
      expect(await live.log.sameStore(E)).toBe(true)
    })

    test('append refuses once the lease expired', async () => {
      expect(await live.leases.acquire(`ticker:${E}`, 'A', 60)).toBe(true)
      expect(await append(E, 'A', 1)).toBe(true)
      await Bun.sleep(120)
      expect(await append(E, 'A', 2)).toBe(false)
      expect(await logState(live, E)).toEqual(tickerState(1))
    })

    test('the log keeps the newest `retention` entries', async () => {
      await live.leases.acquire(`ticker:${E}`, 'A', 5000)
      for (let seq = 1; seq <= SUITE_RETENTION + 3; seq++) expect(await append(E, 'A', seq)).toBe(true)
      expect(seqs(await live.log.read(E, 0, 100))).toEqual([4, 5, 6, 7, 8])
      expect(seqs(await live.log.read(E, 5, 2))).toEqual([6, 7])
      expect(seqs(await live.log.read(E, 7, 100))).toEqual([8])
      expect(seqs(await live.log.tail(E, 0, 1000))).toEqual([4, 5, 6, 7, 8])
      expect(seqs(await live.log.tail(E, 6, 1000))).toEqual([7, 8])
      expect((await live.log.read(E, 7, 100))[0].json).toBe('{"seq":8}')
    })

    test('tail wakes when an entry is appended and times out with []', async () => {
      await live.leases.acquire(`ticker:${E}`, 'A', 5000)
      await live.leases.acquire(`ticker:${E2}`, 'A', 5000)
      let started = Date.now()
      expect(await live.log.tail(E, 0, 150)).toEqual([])
      expect(Date.now() - started).toBeGreaterThanOrEqual(120)
      expect(await live.log.tail(E, 0, 0)).toEqual([])
      started = Date.now()
      // Two tails at once, on different events: both must wake.
      const tails = Promise.all([live.log.tail(E, 0, 5000), live.log.tail(E2, 0, 5000)])
      await Bun.sleep(50)
      expect(await append(E, 'A', 1)).toBe(true)
      expect(await append(E2, 'A', 1, '{"seq":1,"e":2}')).toBe(true)
      const [a, b] = await tails
      expect(Date.now() - started).toBeLessThan(2000)
      expect(a).toEqual([{ seq: 1, json: '{"seq":1}' }])
      expect(b).toEqual([{ seq: 1, json: '{"seq":1,"e":2}' }])
      // Already there: no waiting.
      started = Date.now()
      expect(await live.log.tail(E, 0, 5000)).toEqual([{ seq: 1, json: '{"seq":1}' }])
      expect(Date.now() - started).toBeLessThan(1000)
      const next = live.log.tail(E, 1, 5000)
      await Bun.sleep(30)
      await append(E, 'A', 2)
      expect(await next).toEqual([{ seq: 2, json: '{"seq":2}' }])
    })
  })
}
