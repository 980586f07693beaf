/**
 * Resources with bounds and owners: caches that cannot grow without limit, rate-limit
 * buckets that evict one at a time, settings that two instances change at once.
 */
import { describe, expect, test } from 'bun:test'
import { TokenBuckets } from '../../server/lib/rate-limit.ts'
import { BACKENDS, clusterReachable, seedEvent, startTestServer } from '../support/backends.ts'

describe('token buckets', () => {
  test('past maxKeys the least recently used bucket goes, and nobody else is reset', () => {
    const buckets = new TokenBuckets({ burst: 2, perSecond: 0, maxKeys: 3 })
    const t = 1_000_000
    // "victim" has spent its tokens; a spray of new keys must not hand them back.
    expect(buckets.take('victim', t)).toBe(true)
    expect(buckets.take('victim', t)).toBe(true)
    expect(buckets.take('victim', t)).toBe(false)
    for (let i = 0; i < 50; i++) {
      buckets.take(`spray-${i}`, t)
      // The victim keeps asking, so it stays among the recently used.
      expect(buckets.take('victim', t)).toBe(false)
    }
    expect(buckets.size).toBe(3)
    // A key not touched since is the one forgotten.
    buckets.take('a', t)
    buckets.take('b', t)
    buckets.take('c', t)
    expect(buckets.size).toBe(3)
  })
})

for (const backend of BACKENDS) {
  describe(`bounded lookups and shared settings (${backend})`, async () => {
    const skip = backend === 'cluster' && !(await clusterReachable())

    test.skipIf(skip)('a scan of unknown event slugs does not grow the event cache', async () => {
      const server = await startTestServer(backend)
      try {
        for (let i = 0; i < 1300; i++) {
          const res = await server.fetch(`/api/events/no-such-${i}`)
          expect(res.status).toBe(404)
        }
        expect(server.rt.directory.cachedSlugs).toBeLessThanOrEqual(1000 + 10)
      } finally {
        await server.stop()
      }
    })

    test.skipIf(skip)('two instances changing different settings at once keep both changes', async () => {
      const a = await startTestServer(backend)
      try {
        const seeded = await seedEvent(a)
        // Both hold the event as it was; each changes one setting.
        const stale = (await a.rt.directory.bySlug(seeded.event.slug))!
        await Promise.all([
          a.rt.status.updateSettings(stale, { premoderate: true }),
          a.rt.status.updateSettings(stale, { maxMessageLength: 42 }),
        ])
        const got = await a.fetch(`/api/admin/events/${seeded.event.slug}`, {
          headers: { authorization: `Bearer ${seeded.hostSecret}` },
        })
        expect((await got.json()).settings).toMatchObject({ premoderate: true, maxMessageLength: 42 })
      } finally {
        await a.stop()
      }
    })
  })
}
