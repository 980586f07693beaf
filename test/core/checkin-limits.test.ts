/**
 * The failed check-in limit under concurrency (issue 12): bursts of parallel wrong-code
 * guesses from one address are held to the limit, counting the lookups the counter layer
 * actually did; a right code is not charged, and a typo (caught by the check character,
 * no lookup) spends nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { CODE_ALPHABET, generateCodes, parseCode } from '../../server/host/wristbands/codes.ts'
import { BACKENDS, clusterReachable, json, seedEvent, startTestServer, type TestServer } from '../support/backends.ts'

const ATTACKER = '203.0.113.9'
/** The limit's burst and refill (server/guest/service.ts). */
const BURST = 60
const PER_SECOND = 2

for (const backend of BACKENDS) {
  describe(`failed check-in limit (${backend})`, async () => {
    const skip = backend === 'cluster' && !(await clusterReachable())
    let server: TestServer
    let slug: string
    let codes: string[]
    /** Code lookups the counter layer did (each one a guess checked). */
    let lookups = 0

    beforeAll(async () => {
      if (skip) return
      server = await startTestServer(backend, { env: { TRUST_PROXY: 'true' } })
      const seeded = await seedEvent(server, { wristbands: 20 })
      slug = seeded.event.slug
      codes = seeded.wristbands.map((w) => w.code)
      const counters = server.rt.live.counters
      const checkin = counters.checkin.bind(counters)
      counters.checkin = (...args) => {
        lookups++
        return checkin(...args)
      }
    })
    afterAll(async () => {
      if (!skip) await server.stop()
    })

    const guess = (code: string, address = ATTACKER) =>
      server.fetch(`/api/events/${slug}/checkin`, json({ code }, { 'x-forwarded-for': address }))
    const scan = (code: string, address = ATTACKER) =>
      server.fetch(`/w/${code}`, { headers: { 'x-forwarded-for': address } })
    const statuses = (responses: Response[]) => {
      const n: Record<number, number> = {}
      for (const r of responses) n[r.status] = (n[r.status] ?? 0) + 1
      return n
    }
    const fresh = async () => {
      await server.rt.guests.failedCheckins.clear()
      lookups = 0
    }

    test.skipIf(skip)('100 parallel wrong codes: only the burst is looked up', async () => {
      await fresh()
      const answers = await Promise.all(generateCodes(100).map((c) => guess(c)))
      const n = statuses(answers)
      console.log(`${backend}: 100 parallel wrong codes:`, n, `lookups ${lookups}`)
      expect(lookups).toBeLessThanOrEqual(BURST)
      expect(n[404]).toBe(lookups)
      expect(n[429]).toBe(100 - lookups)
    })

    test.skipIf(skip)('100 parallel wrong QR scans (/w/:code): only the burst is looked up', async () => {
      await fresh()
      const answers = await Promise.all(generateCodes(100).map((c) => scan(c)))
      const refused = answers.filter((r) => r.headers.get('location')?.includes('rate_limited')).length
      console.log(`${backend}: 100 parallel wrong scans: refused ${refused}, lookups ${lookups}`)
      expect(lookups).toBeLessThanOrEqual(BURST)
      expect(refused).toBe(100 - lookups)
    })

    test.skipIf(skip)('bursts of 100 for two seconds: lookups stay within burst + refill', async () => {
      await fresh()
      const t0 = performance.now()
      let sent = 0
      while (performance.now() - t0 < 2000) {
        await Promise.all(generateCodes(100).map((c) => guess(c)))
        sent += 100
        await Bun.sleep(50)
      }
      const seconds = (performance.now() - t0) / 1000
      const allowed = BURST + PER_SECOND * seconds
      console.log(
        `${backend}: ${sent} guesses in ${seconds.toFixed(1)} s, ${lookups} looked up ` +
          `(${Math.round((lookups / seconds) * 60)}/min over this burst; steady state ${PER_SECOND * 60}/min)`,
      )
      expect(lookups).toBeLessThanOrEqual(Math.ceil(allowed))
    })

    test.skipIf(skip)('right codes are not charged, typos spend nothing', async () => {
      await fresh()
      // Twenty guests behind the venue's address check in at once, then again (phones die).
      for (let round = 0; round < 2; round++) {
        const ok = await Promise.all(codes.map((c) => guess(c)))
        expect(ok.map((r) => r.status)).toEqual(codes.map(() => 200))
      }
      // Typos: the check character catches them without a lookup, and they spend nothing.
      const typo = (code: string, i: number) => {
        // One character changed, as a person mistypes: the check character catches it.
        for (const c of CODE_ALPHABET) {
          const at = i % (code.length - 1)
          const typed = code.slice(0, at) + c + code.slice(at + 1)
          if (typed !== code && !parseCode(typed).ok) return typed
        }
        return `${code}!`
      }
      const typos = await Promise.all(Array.from({ length: 100 }, (_, i) => guess(typo(codes[i % codes.length], i))))
      expect(typos.every((r) => r.status === 422)).toBe(true)
      expect(lookups).toBe(2 * codes.length)
      // The whole burst is still there for wrong codes.
      const wrong = await Promise.all(generateCodes(BURST + 10).map((c) => guess(c)))
      const looked = wrong.filter((r) => r.status === 404).length
      // The burst, give or take a token refilled meanwhile on a slow machine; the rest 429.
      expect(looked).toBeGreaterThanOrEqual(BURST)
      expect(looked).toBeLessThanOrEqual(BURST + 2)
      expect(wrong.filter((r) => r.status === 429).length).toBe(BURST + 10 - looked)
      // Another address is not affected.
      expect((await guess(codes[0], '198.51.100.20')).status).toBe(200)
      await fresh()
    })
  })
}
