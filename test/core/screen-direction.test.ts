/**
 * The host directs the big screen, on both backends: `PUT .../screen` and the winners
 * panel calls reach the stream (snapshot and deltas) and the polling snapshot, survive a
 * rebuild of the live state from Postgres and a restart of an embedded server, a draw brings its winners panel up, and bad
 * input is a 4xx naming the field that changes nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  applyDelta,
  type Delta,
  type ScreenState,
  type Snapshot,
  screenViews,
  snapshotSchema,
} from '../../protocol/index.ts'
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

for (const backend of BACKENDS) {
  describe(`screen direction (${backend})`, async () => {
    const skip = backend === 'cluster' && !(await clusterReachable())
    let server: TestServer
    let seeded: Awaited<ReturnType<typeof seedEvent>>
    let slug: string
    let pollId: number
    const host = () => ({ authorization: `Bearer ${seeded.hostSecret}` })
    const call = (method: string, path: string, body?: unknown) =>
      server.fetch(`/api/admin/events/${slug}${path}`, {
        method,
        headers: { ...host(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
    const snapshot = async (): Promise<Snapshot> =>
      (await (await server.fetch(`/api/events/${slug}/snapshot`)).json()).snapshot
    const screenNow = async () => (await snapshot()).screen

    beforeAll(async () => {
      if (skip) return
      server = await startTestServer(backend)
      seeded = await seedEvent(server, { wristbands: 5 })
      slug = seeded.event.slug
      const res = await server.fetch(
        `/api/admin/events/${slug}/polls`,
        json({ question: 'Tea or coffee?', options: ['Tea', 'Coffee'] }, host()),
      )
      pollId = (await res.json()).id
    })
    afterAll(async () => {
      if (!skip) await server.stop()
    })

    test.skipIf(skip)('every view travels through the stream: the snapshot, then deltas applied in order', async () => {
      await until(async () => (await snapshot()).seq > 0)
      const stream = await server.fetch(`/api/events/${slug}/stream`, { headers: { accept: 'text/event-stream' } })
      const sse = new SseReader(stream)
      try {
        let first = await sse.next()
        while (first && !first.event) first = await sse.next()
        expect(first?.event).toBe('snapshot')
        let snap = snapshotSchema.parse(JSON.parse(first!.data!))
        expect(snap.screen?.view ?? 'auto').toBe('auto')
        const choices: { view: (typeof screenViews)[number]; id?: number }[] = [
          ...screenViews.filter((v) => v !== 'auto').map((view) => ({ view })),
          { view: 'poll', id: pollId },
          { view: 'auto' },
        ]
        for (const choice of choices) {
          const started = Date.now()
          const res = await call('PUT', '/screen', choice)
          expect(res.status).toBe(200)
          const state = (await res.json()) as ScreenState
          expect(state).toMatchObject({ ...choice, winners: null })
          if (choice.id === undefined) expect(state.id).toBeUndefined()
          // Deltas until the screen state arrives: well inside the 2 s promise.
          while (snap.screen?.view !== choice.view || snap.screen?.id !== choice.id) {
            const frame = await sse.next(2000)
            expect(frame).not.toBeNull()
            if (frame?.event !== 'delta') continue
            snap = applyDelta(snap, JSON.parse(frame.data!) as Delta)
          }
          expect(Date.now() - started).toBeLessThan(2000)
          expect(snap.screen).toEqual(state)
        }
        expect(await screenNow()).toEqual(snap.screen)
      } finally {
        await sse.close()
      }
    })

    test.skipIf(skip)('bad input is a 4xx naming the field, and changes nothing', async () => {
      const before = await screenNow()
      const cases: [string, string, unknown, number, string][] = [
        ['PUT', '/screen', { view: 'movie' }, 422, 'view'],
        ['PUT', '/screen', {}, 422, 'view'],
        ['PUT', '/screen', { view: 'poll', id: -1 }, 422, 'id'],
        ['PUT', '/screen', { view: 'poll', id: 'x' }, 422, 'id'],
        ['PUT', '/screen', { view: 'poll', id: 999_999 }, 422, 'id'],
        ['PUT', '/screen', { view: 'idle', id: pollId }, 422, 'id'],
        ['PUT', '/screen', { view: 'raffle', id: 999_999 }, 422, 'id'],
        ['PUT', '/screen/winners', {}, 422, 'raffleId'],
        ['PUT', '/screen/winners', { raffleId: 999_999 }, 422, 'raffleId'],
        ['PUT', '/screen/winners', { raffleId: 1, reveal: 'slowly' }, 422, 'reveal'],
        ['PUT', '/screen/winners', { raffleId: 1, pageSeconds: 0 }, 422, 'pageSeconds'],
      ]
      for (const [method, path, body, status, field] of cases) {
        const res = await call(method, path, body)
        const text = await res.text()
        expect([res.status, path, JSON.stringify(body)]).toEqual([status, path, JSON.stringify(body)])
        const err = JSON.parse(text) as { error: string; message: string; fields?: Record<string, string> }
        expect(err.message).toBeString()
        expect(Object.keys(err.fields ?? {})).toContain(field)
      }
      // Not signed in: refused before anything.
      const anon = await server.fetch(`/api/admin/events/${slug}/screen`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ view: 'idle' }),
      })
      expect(anon.status).toBe(401)
      await Bun.sleep(200)
      expect(await screenNow()).toEqual(before)
    })

    test.skipIf(skip)(
      'a draw brings its winners panel up; the host steps it and dismisses it; it survives a rebuild',
      async () => {
        await call('PUT', '/screen', { view: 'qa' })
        const created = await call('POST', '/raffles', {
          name: 'Door prizes',
          prizes: [
            { name: 'Trip', count: 1 },
            { name: 'Mug', count: 2 },
          ],
          rules: { excludePreviousWinners: false },
        })
        const raffleId = (await created.json()).id as number
        // Nobody checked in yet: a raffle not drawn has no winners panel.
        const early = await call('PUT', '/screen/winners', { raffleId })
        expect(early.status).toBe(422)
        expect((await early.json()).fields).toHaveProperty('raffleId')
        for (const w of seeded.wristbands) await server.fetch(`/api/events/${slug}/checkin`, json({ code: w.code }))
        const drawn = await call('POST', `/raffles/${raffleId}/draw`)
        expect(drawn.status).toBe(200)
        const raffle = await drawn.json()
        const up = await until(async () => {
          const s = await screenNow()
          return s?.winners?.raffleId === raffleId ? s : null
        }, 2000)
        if (!up) throw new Error('no winners panel')
        // Two tiers: they come up by themselves, after the drum has landed; the stage stays.
        expect(up.view).toBe('qa')
        expect(up.winners).toMatchObject({ reveal: 'auto', step: 1 })
        expect(up.winners!.at).toBeGreaterThan(raffle.drawnAt)

        const step = await call('PUT', '/screen/winners', { raffleId, reveal: 'step', step: 2, pageSeconds: 2 })
        expect(step.status).toBe(200)
        expect((await step.json()).winners).toMatchObject({ raffleId, reveal: 'step', step: 2, pageMs: 2000 })
        await until(async () => (await screenNow())?.winners?.reveal === 'step', 2000)
        const stepped = await screenNow()

        // Rebuilt from Postgres (a restart, a lost Redis): the same state, and no new delta for it.
        await server.rt.directory.ensureLoaded(seeded.event.id, true)
        const live = await server.rt.live.counters.readLive(seeded.event.id, 0, [])
        expect(live.screen).toEqual(stepped!)
        const res = await call('GET', '/screen')
        expect(await res.json()).toEqual(stepped)

        const gone = await call('DELETE', '/screen/winners')
        expect(gone.status).toBe(200)
        expect((await gone.json()).winners).toBeNull()
        const after = await until(async () => {
          const s = await screenNow()
          return s?.winners === null ? s : null
        }, 2000)
        expect(after?.view).toBe('qa')
        // The settings the host edits neither show nor change it.
        const settings = await server.fetch(`/api/admin/events/${slug}/settings`, {
          method: 'PATCH',
          headers: { ...host(), 'content-type': 'application/json' },
          body: JSON.stringify({ premoderate: false, screen: { view: 'idle' } }),
        })
        expect(settings.status).toBe(200)
        expect(await settings.json()).not.toHaveProperty('screen')
        expect((await (await call('GET', '/screen')).json()).view).toBe('qa')
      },
    )
  })
}

describe('screen direction across a restart (embedded, on disk)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gb-screen-restart-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  test("the host's view and winners panel are back after the server restarts", async () => {
    let server = await startTestServer('embedded', { env: { DATA_DIR: dir } })
    const seeded = await seedEvent(server, { wristbands: 3 })
    const slug = seeded.event.slug
    const headers = { authorization: `Bearer ${seeded.hostSecret}`, 'content-type': 'application/json' }
    const call = (method: string, path: string, body?: unknown) =>
      server.fetch(`/api/admin/events/${slug}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      })
    const screenNow = async (): Promise<ScreenState | undefined> =>
      (await (await server.fetch(`/api/events/${slug}/snapshot`)).json()).snapshot.screen
    try {
      for (const w of seeded.wristbands) await server.fetch(`/api/events/${slug}/checkin`, json({ code: w.code }))
      const raffle = await (await call('POST', '/raffles', { name: 'Mugs', winners: 2 })).json()
      expect((await call('POST', `/raffles/${raffle.id}/draw`)).status).toBe(200)
      expect((await call('PUT', '/screen', { view: 'raffle', id: raffle.id })).status).toBe(200)
      const put = await call('PUT', '/screen/winners', { raffleId: raffle.id, pageSeconds: 3 })
      const state = (await put.json()) as ScreenState
      await until(async () => JSON.stringify(await screenNow()) === JSON.stringify(state), 2000)
    } finally {
      await server.stop()
    }
    server = await startTestServer('embedded', { env: { DATA_DIR: dir } })
    try {
      const back = await until(async () => {
        const s = await screenNow()
        return s?.view === 'raffle' ? s : null
      }, 5000)
      expect(back?.winners).toMatchObject({ reveal: 'all', pageMs: 3000 })
      expect(await (await call('GET', '/screen')).json()).toEqual(back)
    } finally {
      await server.stop()
    }
  })
})
