/**
 * /metrics and the details of /healthz are private, on both backends: with METRICS_TOKEN
 * only its bearer sees them; without it only a direct local connection (no proxy header)
 * or an in-process call does. Everyone still gets /healthz's verdict as `{ok}` and the
 * status code, which is all a load balancer needs.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { loadConfig } from '../../server/config.ts'
import { mayReadDetails } from '../../server/system/ops-access.ts'
import { BACKENDS, clusterReachable, startTestServer, type TestServer } from '../support/backends.ts'

const TOKEN = 'metrics-token-for-tests-0123456789'

test('who may read the details, by address and header', () => {
  const open = loadConfig({ DATA_DIR: ':memory:' })
  const from = (address: string) => ({ requestIP: () => ({ address }) })
  const req = (headers: Record<string, string> = {}) => new Request('http://x/metrics', { headers })
  expect(mayReadDetails(open, req(), from('127.0.0.1'))).toBe(true)
  expect(mayReadDetails(open, req(), from('::1'))).toBe(true)
  expect(mayReadDetails(open, req(), from('::ffff:127.0.0.1'))).toBe(true)
  expect(mayReadDetails(open, req(), from('192.168.1.20'))).toBe(false)
  expect(mayReadDetails(open, req(), from('::ffff:10.0.0.5'))).toBe(false)
  // A proxy on the same machine connects from loopback, but says it is a proxy.
  expect(mayReadDetails(open, req({ 'x-forwarded-for': '203.0.113.9' }), from('127.0.0.1'))).toBe(false)
  expect(mayReadDetails(open, req({ forwarded: 'for=203.0.113.9' }), from('127.0.0.1'))).toBe(false)
  expect(mayReadDetails(open, req(), null)).toBe(true)

  const closed = loadConfig({ DATA_DIR: ':memory:', METRICS_TOKEN: TOKEN })
  expect(mayReadDetails(closed, req(), from('127.0.0.1'))).toBe(false)
  expect(mayReadDetails(closed, req(), null)).toBe(false)
  expect(mayReadDetails(closed, req({ authorization: `Bearer ${TOKEN}` }), from('192.168.1.20'))).toBe(true)
  expect(mayReadDetails(closed, req({ authorization: `bearer ${TOKEN}` }), null)).toBe(true)
  expect(mayReadDetails(closed, req({ authorization: `Bearer ${TOKEN}x` }), null)).toBe(false)
  expect(mayReadDetails(closed, req({ authorization: `Basic ${TOKEN}` }), null)).toBe(false)
  expect(mayReadDetails(closed, req({ authorization: 'Bearer ' }), null)).toBe(false)
  expect(() => loadConfig({ DATA_DIR: ':memory:', METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/)
})

const DETAIL_KEYS = ['mode', 'instance', 'database', 'live', 'flusher', 'uptimeSeconds']

for (const backend of BACKENDS) {
  describe(`private operational details (${backend})`, async () => {
    const skip = backend === 'cluster' && !(await clusterReachable())
    let open: TestServer
    let closed: TestServer
    let openUrl: string
    let closedUrl: string

    beforeAll(async () => {
      if (skip) return
      ;[open, closed] = await Promise.all([
        startTestServer(backend, { start: false }),
        startTestServer(backend, { start: false, env: { METRICS_TOKEN: TOKEN } }),
      ])
      for (const s of [open, closed]) s.app.listen({ port: 0, hostname: '127.0.0.1' })
      openUrl = `http://127.0.0.1:${open.app.server!.port}`
      closedUrl = `http://127.0.0.1:${closed.app.server!.port}`
    }, 60_000)
    afterAll(async () => {
      if (skip) return
      for (const s of [open, closed]) {
        s?.app.server?.stop(true)
        await s?.stop()
      }
    }, 30_000)

    const get = async (url: string, headers: Record<string, string> = {}) => {
      const res = await fetch(url, { headers })
      return { status: res.status, headers: res.headers, text: await res.text() }
    }
    const shaped = (text: string) => {
      const body = JSON.parse(text)
      expect(typeof body.error).toBe('string')
      expect(typeof body.message).toBe('string')
      return body
    }

    test.skipIf(skip)('without METRICS_TOKEN: local direct connections only', async () => {
      const local = await get(`${openUrl}/healthz`)
      expect(local.status).toBe(200)
      expect(Object.keys(JSON.parse(local.text))).toEqual(expect.arrayContaining(['ok', ...DETAIL_KEYS]))
      expect((await get(`${openUrl}/metrics`)).text).toContain('glowband_streams_open')
      // Through a proxy (nginx on this machine still connects from 127.0.0.1).
      const proxied = { 'x-forwarded-for': '203.0.113.9' }
      const health = await get(`${openUrl}/healthz`, proxied)
      expect({ status: health.status, body: JSON.parse(health.text) }).toEqual({ status: 200, body: { ok: true } })
      const metrics = await get(`${openUrl}/metrics`, proxied)
      expect(metrics.status).toBe(403)
      expect(shaped(metrics.text).error).toBe('forbidden')
      expect(metrics.text).not.toContain('glowband_')
    })

    test.skipIf(skip)('with METRICS_TOKEN: its bearer only; others get the verdict', async () => {
      const refused: Record<string, string>[] = [
        {},
        { authorization: 'Bearer wrong-token-0123456789' },
        { authorization: TOKEN },
      ]
      for (const headers of refused) {
        const health = await get(`${closedUrl}/healthz`, headers)
        expect({ status: health.status, body: JSON.parse(health.text) }).toEqual({ status: 200, body: { ok: true } })
        const metrics = await get(`${closedUrl}/metrics`, headers)
        expect(metrics.status).toBe(401)
        expect(metrics.headers.get('www-authenticate')).toContain('Bearer')
        expect(shaped(metrics.text).error).toBe('unauthorized')
      }
      // In-process calls need it too once it is set.
      expect((await closed.fetch('/metrics')).status).toBe(401)
      const auth = { authorization: `Bearer ${TOKEN}` }
      const health = await get(`${closedUrl}/healthz`, auth)
      expect(Object.keys(JSON.parse(health.text))).toEqual(expect.arrayContaining(['ok', ...DETAIL_KEYS]))
      const metrics = await get(`${closedUrl}/metrics`, { ...auth, 'x-forwarded-for': '203.0.113.9' })
      expect(metrics.status).toBe(200)
      expect(metrics.text).toContain('glowband_streams_open')
    })

    test.skipIf(skip)('a failing dependency is a 503 with {ok: false} for everyone', async () => {
      const ping = closed.rt.database.ping
      closed.rt.database.ping = async () => false
      try {
        const anonymous = await get(`${closedUrl}/healthz`)
        expect({ status: anonymous.status, body: JSON.parse(anonymous.text) }).toEqual({
          status: 503,
          body: { ok: false },
        })
        const operator = await get(`${closedUrl}/healthz`, { authorization: `Bearer ${TOKEN}` })
        expect(operator.status).toBe(503)
        expect(JSON.parse(operator.text).database.ok).toBe(false)
      } finally {
        closed.rt.database.ping = ping
      }
    })
  })
}
