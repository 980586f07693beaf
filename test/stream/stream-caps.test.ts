/**
 * A full instance refuses new streams clearly instead of leaving phones waiting: a real
 * listening server with a small MAX_STREAMS, real HTTP clients. The refusal is a 503
 * with Retry-After in the public error shape (a load balancer or the phone goes
 * elsewhere), it is logged at most once per interval, the connection is closed (its
 * file descriptor is freed), and /healthz, votes and the host's own stream still answer.
 * MAX_STREAMS_PER_ADDRESS caps one address, and is off by default.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { defaultMaxStreams, openFileLimit, parseOpenFileLimit } from '../../server/fanout/capacity.ts'
import {
  BACKENDS,
  checkIn,
  clusterReachable,
  json,
  seedEvent,
  startTestServer,
  type TestServer,
  until,
} from '../support/backends.ts'
import { SseReader } from '../support/sse.ts'

interface Listening {
  server: TestServer
  url: string
  slug: string
  hostSecret: string
  cookie: string
  pollId: number
  optionId: number
  warnings: { msg: string; data?: Record<string, unknown> }[]
}

async function listen(backend: 'embedded' | 'cluster', env: Record<string, string>): Promise<Listening> {
  const server = await startTestServer(backend, { env })
  const warnings: Listening['warnings'] = []
  // The hub logs through the runtime's logger: record its warnings.
  server.rt.log.warn = (msg, data) => void warnings.push({ msg, data })
  const seeded = await seedEvent(server, { wristbands: 3 })
  const poll = await server.rt.polls.createPoll(seeded.event, { question: 'Q?', options: ['A', 'B'] })
  await server.rt.polls.setPollState(seeded.event, poll.id, 'open')
  server.app.listen({ port: 0, hostname: '127.0.0.1' })
  const url = `http://127.0.0.1:${server.app.server!.port}`
  return {
    server,
    url,
    slug: seeded.event.slug,
    hostSecret: seeded.hostSecret,
    cookie: await checkIn(server, seeded.event.slug, seeded.wristbands[0].code),
    pollId: poll.id,
    optionId: poll.options[0].id,
    warnings,
  }
}

async function stopListening(l: Listening) {
  await l.server.app.server?.stop(true)
  await l.server.stop()
}

/** Opens a stream and waits for its snapshot. */
async function openStream(url: string, headers: Record<string, string> = {}) {
  const ctrl = new AbortController()
  const reader = await SseReader.open(url, headers, ctrl.signal)
  const first = await reader.nextEvent()
  expect(first?.event).toBe('snapshot')
  return { reader, close: () => ctrl.abort() }
}

/** One raw HTTP/1.1 request; resolves with what came back and whether the server closed the socket. */
function rawRequest(port: number, path: string): Promise<{ head: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    let text = ''
    let settled = false
    const done = (closed: boolean) => {
      if (settled) return
      settled = true
      resolve({ head: text, closed })
    }
    Bun.connect({
      hostname: '127.0.0.1',
      port,
      socket: {
        open(s) {
          s.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`)
          setTimeout(() => {
            done(false)
            s.end()
          }, 3000)
        },
        data(_s, chunk) {
          text += chunk.toString()
        },
        close() {
          done(true)
        },
        error(_s, err) {
          reject(err)
        },
      },
    }).catch(reject)
  })
}

describe('stream capacity from the open-file limit', () => {
  test('the limit is read from /proc/self/limits (or ulimit -n)', () => {
    const text = [
      'Limit                     Soft Limit           Hard Limit           Units',
      'Max open files            20000                20000                files',
    ].join('\n')
    expect(parseOpenFileLimit(text)).toBe(20000)
    expect(parseOpenFileLimit('Max open files            unlimited            unlimited            files')).toBe(
      Number.POSITIVE_INFINITY,
    )
    expect(parseOpenFileLimit('nothing here')).toBeNull()
    const limit = openFileLimit()
    expect(limit === null || limit > 0).toBe(true)
  })

  test('max streams leave headroom for everything else a process opens', () => {
    expect(defaultMaxStreams(20_000)).toBe(18_000)
    expect(defaultMaxStreams(1024)).toBe(768)
    expect(defaultMaxStreams(300)).toBe(44)
    expect(defaultMaxStreams(100)).toBe(1)
    expect(defaultMaxStreams(Number.POSITIVE_INFINITY)).toBe(1_000_000)
    expect(defaultMaxStreams(null)).toBe(defaultMaxStreams(1024))
  })
})

for (const backend of BACKENDS) {
  describe(`stream caps (${backend})`, async () => {
    const skip = backend === 'cluster' && !(await clusterReachable())

    describe('MAX_STREAMS', () => {
      let l: Listening
      beforeAll(async () => {
        if (!skip) l = await listen(backend, { MAX_STREAMS: '3' })
      })
      afterAll(async () => {
        if (!skip) await stopListening(l)
      })

      test.skipIf(skip)('a full instance answers 503 with Retry-After, logs once, and keeps serving', async () => {
        const stream = `${l.url}/api/events/${l.slug}/stream`
        const open = [await openStream(stream), await openStream(stream), await openStream(stream)]
        expect(l.server.rt.hub.subscriberCount).toBe(3)
        // No per-address cap unless one is configured: these three share 127.0.0.1.
        expect(l.server.rt.hub.opts.maxStreamsPerAddress).toBe(0)

        const refused = await fetch(stream, { headers: { accept: 'text/event-stream' } })
        expect(refused.status).toBe(503)
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
        expect(refused.headers.get('content-type')).toContain('application/json')
        const body = await refused.json()
        expect(body).toEqual({ error: 'instance_full', message: expect.any(String) })

        // More refusals in a burst: still one log line for the interval.
        for (let i = 0; i < 20; i++) expect((await fetch(stream)).status).toBe(503)
        const full = l.warnings.filter((w) => w.msg.includes('instance full'))
        expect(full.length).toBe(1)
        expect(full[0].data).toMatchObject({ maxStreams: 3, open: 3 })

        // The refused connection is closed at once, so its file descriptor is free again.
        const raw = await rawRequest(l.server.app.server!.port!, `/api/events/${l.slug}/stream`)
        expect(raw.head).toStartWith('HTTP/1.1 503')
        expect(raw.closed).toBe(true)

        // Everything else answers while the instance is full.
        expect((await fetch(`${l.url}/healthz`)).status).toBe(200)
        const vote = await fetch(
          `${l.url}/api/events/${l.slug}/votes`,
          json({ pollId: l.pollId, optionId: l.optionId }, { cookie: l.cookie }),
        )
        expect(vote.status).toBe(202)
        expect((await fetch(`${l.url}/api/events/${l.slug}/snapshot`)).status).toBe(200)
        // The host is never locked out of its own stream by a full room.
        const host = await openStream(`${l.url}/api/admin/events/${l.slug}/stream`, {
          authorization: `Bearer ${l.hostSecret}`,
        })
        host.close()

        // A phone that leaves makes room for the next.
        open[0].close()
        await until(() => l.server.rt.hub.subscriberCount === 2, 3000)
        const next = await until(async () => {
          const res = await fetch(stream, { headers: { accept: 'text/event-stream' } })
          if (res.status === 200) return res
          await res.body?.cancel()
          return null
        }, 3000)
        await next?.body?.cancel()
        for (const s of open.slice(1)) s.close()
        await until(() => l.server.rt.hub.subscriberCount === 0, 3000)
        expect(l.server.rt.hub.reservedStreams).toBe(0)
      })
    })

    describe('MAX_STREAMS_PER_ADDRESS', () => {
      let l: Listening
      beforeAll(async () => {
        if (!skip) l = await listen(backend, { MAX_STREAMS_PER_ADDRESS: '2' })
      })
      afterAll(async () => {
        if (!skip) await stopListening(l)
      })

      test.skipIf(skip)(
        'one address over its cap gets 429; others and the rest of the API are unaffected',
        async () => {
          const stream = `${l.url}/api/events/${l.slug}/stream`
          const open = [await openStream(stream), await openStream(stream)]
          const refused = await fetch(stream)
          expect(refused.status).toBe(429)
          expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
          expect(await refused.json()).toEqual({ error: 'too_many_streams', message: expect.any(String) })
          expect(l.warnings.filter((w) => w.msg.includes('address')).length).toBe(1)
          expect((await fetch(`${l.url}/healthz`)).status).toBe(200)
          for (const s of open) s.close()
          await until(() => l.server.rt.hub.subscriberCount === 0, 3000)
          const again = await openStream(stream)
          again.close()
        },
      )

      test.skipIf(skip)('without MAX_STREAMS the instance cap comes from the open-file limit', () => {
        expect(l.server.rt.hub.opts.maxStreams).toBe(defaultMaxStreams(openFileLimit()))
      })
    })
  })
}
