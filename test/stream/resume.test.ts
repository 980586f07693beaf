/**
 * SSE resume over plain HTTP, on both backends: a client that reconnects with
 * Last-Event-ID (or ?lastEventId=) gets exactly the deltas it missed, in order, while
 * they are all retained; otherwise one fresh snapshot, never a partial replay.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { applyDelta, type Delta, type Snapshot } from '../../protocol/index.ts'
import {
  BACKENDS,
  clusterReachable,
  json,
  seedEvent,
  startTestServer,
  type TestServer,
  until,
} from '../support/backends.ts'
import { SseReader } from '../support/sse.ts'

const RETENTION = 40

for (const backend of BACKENDS) {
  describe(`stream resume (${backend})`, async () => {
    const skip = backend === 'cluster' && !(await clusterReachable())
    let server: TestServer
    let base: string
    let seeded: Awaited<ReturnType<typeof seedEvent>>
    let next = 0

    beforeAll(async () => {
      if (skip) return
      server = await startTestServer(backend, { env: { LOG_RETENTION: String(RETENTION) } })
      server.app.listen({ port: 0, hostname: '127.0.0.1' })
      base = `http://127.0.0.1:${server.app.server!.port}`
      seeded = await seedEvent(server, { wristbands: 200 })
    })
    afterAll(async () => {
      if (skip) return
      await server.app.stop(true)
      await server.stop()
    })

    const channel = () => server.rt.hub.channel(seeded.event.id)
    const streamUrl = () => `${base}/api/events/${seeded.event.slug}/stream`
    /** One check-in, then wait until the hub has applied the delta it causes. */
    const change = async () => {
      const before = channel().seq
      const res = await server.fetch(
        `/api/events/${seeded.event.slug}/checkin`,
        json({ code: seeded.wristbands[next++].code }),
      )
      expect(res.status).toBe(200)
      await until(() => channel().seq > before)
      return channel().seq
    }

    test.skipIf(skip)('a reconnect with Last-Event-ID gets exactly the missed deltas, in order', async () => {
      await channel().ready
      await change()
      const first = await SseReader.open(streamUrl())
      const snapFrame = await first.nextEvent()
      expect(snapFrame?.event).toBe('snapshot')
      let snapshot = JSON.parse(snapFrame!.data!) as Snapshot
      expect(String(snapshot.seq)).toBe(snapFrame!.id!)
      for (let i = 0; i < 3; i++) {
        const seq = await change()
        const f = await first.nextEvent()
        expect(f).toMatchObject({ event: 'delta', id: String(seq) })
        snapshot = applyDelta(snapshot, JSON.parse(f!.data!) as Delta)
      }
      await first.close()
      const lastSeen = snapshot.seq

      const missed: number[] = []
      for (let i = 0; i < 5; i++) missed.push(await change())

      for (const headers of [{ 'last-event-id': String(lastSeen) }, {}] as Record<string, string>[]) {
        const url = 'last-event-id' in headers ? streamUrl() : `${streamUrl()}?lastEventId=${lastSeen}`
        const again = await SseReader.open(url, headers)
        const got: Snapshot[] = []
        let s = snapshot
        for (const seq of missed) {
          const f = await again.nextEvent()
          expect(f).toMatchObject({ event: 'delta', id: String(seq) })
          s = applyDelta(s, JSON.parse(f!.data!) as Delta)
          got.push(s)
        }
        // Nothing more: no repeat, no snapshot.
        expect(await again.nextEvent(300)).toBeNull()
        await again.close()
        // The replayed state is exactly what a new client gets as its snapshot.
        const fresh = await (await fetch(`${base}/api/events/${seeded.event.slug}/snapshot`)).json()
        expect(got.at(-1)).toEqual(fresh.snapshot)
      }
    })

    test.skipIf(skip)('an id older than the log keeps, or one from the future, gets one fresh snapshot', async () => {
      const old = channel().seq
      for (let i = 0; i < RETENTION + 5; i++) await change()
      for (const id of [old, channel().seq + 1000]) {
        const r = await SseReader.open(streamUrl(), { 'last-event-id': String(id) })
        const f = await r.nextEvent()
        expect(f?.event).toBe('snapshot')
        expect(f?.id).toBe(String(channel().seq))
        expect(await r.nextEvent(300)).toBeNull()
        await r.close()
      }
    })

    test.skipIf(skip)(
      'the stream starts with a jittered retry and sends the same bytes to every subscriber',
      async () => {
        const a = await SseReader.open(streamUrl())
        const b = await SseReader.open(streamUrl())
        const retryA = await a.next()
        expect(retryA?.retry).toBeGreaterThanOrEqual(2000)
        expect(retryA?.retry).toBeLessThan(4000)
        await a.nextEvent()
        await b.nextEvent()
        await change()
        const [fa, fb] = await Promise.all([a.nextEvent(), b.nextEvent()])
        expect(fa).toEqual(fb)
        await a.close()
        await b.close()
        await until(() => server.rt.hub.subscriberCount === 0)
      },
    )

    test.skipIf(skip)('polling: deltas since a seq, 304 when current, a snapshot when too old', async () => {
      const url = `${base}/api/events/${seeded.event.slug}/snapshot`
      const start = channel().seq
      await change()
      await change()
      const res = await fetch(`${url}?since=${start}`)
      const body = await res.json()
      expect(body.type).toBe('deltas')
      expect(body.deltas.map((d: Delta) => d.seq)).toEqual([start + 1, start + 2])
      const etag = res.headers.get('etag')!
      expect(etag).toBe(`"${start + 2}"`)
      const same = await fetch(`${url}?since=${start + 2}`, { headers: { 'if-none-match': etag } })
      expect(same.status).toBe(304)
      const tooOld = await (await fetch(`${url}?since=0`)).json()
      expect(tooOld.type).toBe('snapshot')
      expect(tooOld.snapshot.seq).toBe(start + 2)
    })
  })
}
