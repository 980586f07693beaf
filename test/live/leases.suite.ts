/** Conformance suite for leases (server/live/leases): exclusive, renewable, expiring. */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import type { Leases } from '../../server/live/leases/types.ts'
import { E, type MakeLayer, SUITE_RETENTION } from './suite-support.ts'

export function describeLeases(name: string, make: MakeLayer) {
  describe(`leases: ${name}`, () => {
    let leases: Leases
    let cleanup: () => Promise<void>

    beforeEach(async () => {
      const made = await make({ retention: SUITE_RETENTION })
      leases = made.live.leases
      cleanup = made.cleanup
    })
    afterEach(async () => {
      await cleanup()
    })

    test('exclusive, renewable, released only by the owner', async () => {
      expect(await leases.owner('flusher:1')).toBeNull()
      expect(await leases.acquire('flusher:1', 'A', 5000)).toBe(true)
      expect(await leases.acquire('flusher:1', 'B', 5000)).toBe(false)
      expect(await leases.acquire('flusher:1', 'A', 5000)).toBe(true)
      expect(await leases.owner('flusher:1')).toBe('A')
      expect(await leases.acquire('flusher:2', 'B', 5000)).toBe(true)
      expect(await leases.acquire(`ticker:${E}`, 'B', 5000)).toBe(true)
      await leases.release('flusher:1', 'B')
      expect(await leases.owner('flusher:1')).toBe('A')
      await leases.release('flusher:1', 'A')
      expect(await leases.owner('flusher:1')).toBeNull()
      expect(await leases.acquire('flusher:1', 'B', 5000)).toBe(true)
      expect(await leases.owner('flusher:1')).toBe('B')
      expect(await leases.owner(`ticker:${E}`)).toBe('B')
      expect(await leases.owner('flusher:2')).toBe('B')
    })

    test('leases expire unless renewed', async () => {
      expect(await leases.acquire('x', 'A', 60)).toBe(true)
      await Bun.sleep(120)
      expect(await leases.owner('x')).toBeNull()
      expect(await leases.acquire('x', 'B', 150)).toBe(true)
      await Bun.sleep(90)
      expect(await leases.acquire('x', 'B', 150)).toBe(true)
      await Bun.sleep(90)
      // 180 ms after the first grant, alive thanks to the renewal.
      expect(await leases.owner('x')).toBe('B')
      expect(await leases.acquire('x', 'A', 150)).toBe(false)
    })
  })
}
