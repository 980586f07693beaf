/**
 * Hostile HTTP input, on both backends, through a real listening socket: a deeply nested
 * JSON body must not freeze the process (size and depth are checked before JSON.parse,
 * on every route, authenticated or not), bodies are JSON only when they say exactly
 * `application/json` in UTF-8, odd cookies are a 4xx, and every refusal is in the
 * `{error, message}` shape.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { MAX_JSON_DEPTH, nestsDeeperThan, SOCKET_BODY_CAP } from '../../server/http/body.ts'
import {
  BACKENDS,
  checkIn,
  clusterReachable,
  seedEvent,
  startTestServer,
  type TestServer,
} from '../support/backends.ts'

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth)

/** Asserts the public error shape and returns the body. */
async function expectShape(res: Response, status: number, error?: string) {
  const text = await res.text()
  expect({ status: res.status, text }).toMatchObject({ status })
  const body = JSON.parse(text)
  expect(typeof body.error).toBe('string')
  expect(typeof body.message).toBe('string')
  if (error) expect(body.error).toBe(error)
  return body
}

test('the depth scan counts brackets outside strings only', () => {
  expect(nestsDeeperThan(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false)
  expect(nestsDeeperThan(nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true)
  expect(nestsDeeperThan(JSON.stringify({ text: '['.repeat(1000) }), 2)).toBe(false)
  expect(nestsDeeperThan(JSON.stringify({ text: 'a\\"[[[[' }), 2)).toBe(false)
  expect(nestsDeeperThan('{"a":{"b":{"c":[1]}}}', 3)).toBe(true)
})

for (const backend of BACKENDS) {
  describe(`hostile HTTP input (${backend})`, async () => {
    const skip = backend === 'cluster' && !(await clusterReachable())
    let server: TestServer
    let base: string
    let slug: string
    let hostSecret: string
    let cookie: string

    beforeAll(async () => {
      if (skip) return
      server = await startTestServer(backend)
      const seeded = await seedEvent(server, { wristbands: 3 })
      slug = seeded.event.slug
      hostSecret = seeded.hostSecret
      cookie = await checkIn(server, slug, seeded.wristbands[0].code)
      server.app.listen({ port: 0, hostname: '127.0.0.1', maxRequestBodySize: SOCKET_BODY_CAP })
      base = `http://127.0.0.1:${server.app.server!.port}`
    })
    afterAll(async () => {
      if (skip) return
      server.app.server?.stop(true)
      await server.stop()
    })

    test.skipIf(skip)(
      'JSON nested 100,000 deep is refused at once on every kind of route; healthz stays fast',
      async () => {
        const deep = nested(100_000) // 200 KB
        const guestDeep = nested(8_000) // 16 KB, inside the guest limit
        const post = (path: string, body: string, headers: Record<string, string> = {}) =>
          fetch(`${base}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers },
            body,
            signal: AbortSignal.timeout(20_000),
          })
        const latencies: number[] = []
        let probing = true
        const probe = (async () => {
          while (probing) {
            const t = performance.now()
            const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(20_000) })
            await res.arrayBuffer()
            latencies.push(performance.now() - t)
            await Bun.sleep(10)
          }
        })()
        await Bun.sleep(50)
        const started = performance.now()
        const answers = await Promise.all([
          // An authenticated host route takes up to 2 MB: the depth check refuses it.
          post(`/api/admin/events/${slug}/polls`, deep, { authorization: `Bearer ${hostSecret}` }),
          post(`/api/admin/events/${slug}/polls`, deep, { authorization: `Bearer ${hostSecret}` }),
          // Host sign-in is open to anyone: its body is held to the guest limit.
          post(`/api/admin/events/${slug}/session`, deep),
          post(`/api/admin/events/${slug}/session`, guestDeep),
          // Guest routes, with and without a session.
          post(`/api/events/${slug}/checkin`, guestDeep),
          post(`/api/events/${slug}/votes`, guestDeep, { cookie }),
          post(`/api/events/${slug}/messages`, deep, { cookie }),
        ])
        const took = performance.now() - started
        await Bun.sleep(100)
        probing = false
        await probe
        const expected: [number, string][] = [
          [400, 'body_too_deep'],
          [400, 'body_too_deep'],
          [413, 'body_too_large'],
          [400, 'body_too_deep'],
          [400, 'body_too_deep'],
          [400, 'body_too_deep'],
          [413, 'body_too_large'],
        ]
        for (const [i, res] of answers.entries()) await expectShape(res, expected[i][0], expected[i][1])
        const worst = Math.max(...latencies)
        console.log(
          `  ${backend}: 7 hostile bodies answered in ${took.toFixed(0)} ms; healthz worst ${worst.toFixed(1)} ms over ${latencies.length} probes`,
        )
        expect(took).toBeLessThan(2000)
        expect(worst).toBeLessThan(1000)
      },
      60_000,
    )

    test.skipIf(skip)('a body without Content-Length is cut off at the limit with a 413 in the shape', async () => {
      let sent = 0
      const body = new ReadableStream<Uint8Array>({
        pull(c) {
          if (sent >= 8 * 1024 * 1024) return c.close()
          sent += 64 * 1024
          c.enqueue(new TextEncoder().encode(' '.repeat(64 * 1024)))
        },
      })
      const res = await fetch(`${base}/api/admin/events/${slug}/polls`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${hostSecret}` },
        body,
        duplex: 'half',
      } as RequestInit)
      await expectShape(res, 413, 'body_too_large')
      expect(sent).toBeLessThan(8 * 1024 * 1024)
    })

    test.skipIf(skip)('a declared body of 5 MB (over the old socket cap) is a 413 in the shape', async () => {
      const res = await fetch(`${base}/api/admin/events/${slug}/polls`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${hostSecret}` },
        body: ' '.repeat(5 * 1024 * 1024),
      })
      await expectShape(res, 413, 'body_too_large')
    })
  })
}
