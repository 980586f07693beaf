/**
 * Security headers on every kind of answer, on both backends: pages, assets, API calls,
 * streams, redirects, errors from the router, the limits and the host guard. HSTS only
 * when the request came over https (directly or as the proxy's X-Forwarded-Proto).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY } from '../../server/http/security-headers.ts'
import { clientDist } from '../../server/pages/routes.ts'
import {
  BACKENDS,
  checkIn,
  clusterReachable,
  seedEvent,
  startTestServer,
  type TestServer,
} from '../support/backends.ts'

for (const backend of BACKENDS) {
  describe(`security headers (${backend})`, async () => {
    const skip = backend === 'cluster' && !(await clusterReachable())
    let server: TestServer
    let slug: string
    let hostSecret: string
    let cookie: string
    let code: string

    beforeAll(async () => {
      if (skip) return
      server = await startTestServer(backend)
      // The static plugin registers its routes asynchronously, and the first request fixes the router.
      await server.app.modules
      const seeded = await seedEvent(server, { wristbands: 3 })
      slug = seeded.event.slug
      hostSecret = seeded.hostSecret
      cookie = await checkIn(server, slug, seeded.wristbands[0].code)
      code = seeded.wristbands[1].code
    })
    afterAll(async () => {
      if (!skip) await server.stop()
    })

    const answers = (): [string, string, RequestInit?][] => {
      const asset = readdirSync(join(clientDist, 'assets')).find((f) => f.endsWith('.js'))
      return [
        ['home page', '/'],
        ['guest page', `/e/${slug}`],
        ['screen page', `/e/${slug}/screen`],
        ['admin page', `/e/${slug}/admin`],
        ['asset', `/assets/${asset}`],
        ['api docs', '/docs/api'],
        ['openapi', '/openapi.json'],
        ['time', '/time'],
        ['healthz', '/healthz'],
        ['QR check-in redirect', `/w/${code}`],
        ['guest call', `/api/events/${slug}/me`, { headers: { cookie } }],
        ['snapshot', `/api/events/${slug}/snapshot`],
        ['host call', `/api/admin/events/${slug}/attendees`, { headers: { authorization: `Bearer ${hostSecret}` } }],
        ['host guard refusal', `/api/admin/events/${slug}/polls`],
        ['unknown route', '/no/such/thing'],
        ['validation error', `/api/events/${slug}/checkin`, { method: 'POST', body: '{}', headers: json }],
        ['malformed body', `/api/events/${slug}/checkin`, { method: 'POST', body: '{', headers: json }],
        ['declared body too large', `/api/events/${slug}/checkin`, { method: 'POST', body: 'x'.repeat(20_000) }],
        ['stream', `/api/events/${slug}/stream`],
      ]
    }
    const json = { 'content-type': 'application/json' }
    const statuses: Record<string, number> = {
      'guest page': 200,
      asset: 200,
      'QR check-in redirect': 303,
      'host call': 200,
      'host guard refusal': 401,
      'declared body too large': 413,
      stream: 200,
    }

    test.skipIf(skip)('every kind of answer carries them; HSTS only over https', async () => {
      for (const [name, path, init] of answers()) {
        for (const via of ['http', 'https', 'proxy'] as const) {
          const url = `${via === 'https' ? 'https' : 'http'}://localhost${path}`
          const headers = new Headers(init?.headers)
          if (via === 'proxy') headers.set('x-forwarded-proto', 'https')
          const res = await server.app.handle(new Request(url, { ...init, headers, redirect: 'manual' }))
          const got = {
            name,
            csp: res.headers.get('content-security-policy'),
            nosniff: res.headers.get('x-content-type-options'),
            frame: res.headers.get('x-frame-options'),
            referrer: res.headers.get('referrer-policy'),
            permissions: res.headers.get('permissions-policy'),
            hsts: res.headers.get('strict-transport-security'),
          }
          expect(got).toEqual({
            name,
            csp: CONTENT_SECURITY_POLICY,
            nosniff: 'nosniff',
            frame: 'DENY',
            referrer: 'no-referrer',
            permissions: PERMISSIONS_POLICY,
            hsts: via === 'http' ? null : 'max-age=31536000',
          })
          expect({ name, via, status: res.status }).toEqual({ name, via, status: statuses[name] ?? res.status })
          expect(res.status).toBeLessThan(500)
          await res.body?.cancel()
        }
      }
    })

    test.skipIf(skip)('the policy forbids framing, inline and foreign scripts, and plugins', () => {
      const directives = Object.fromEntries(
        CONTENT_SECURITY_POLICY.split(';').map((d) => {
          const [name, ...values] = d.trim().split(/\s+/)
          return [name, values]
        }),
      )
      expect(directives['frame-ancestors']).toEqual(["'none'"])
      expect(directives['script-src']).toEqual(["'self'"])
      expect(directives['object-src']).toEqual(["'none'"])
      expect(directives['base-uri']).toEqual(["'none'"])
    })
  })
}
