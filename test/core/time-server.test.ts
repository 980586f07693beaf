/**
 * `bun run time-server`: GET /time as its own process, with the event's status, in
 * embedded mode (status from the running app, found through DATA_DIR/server.json) and in
 * cluster mode (status from Postgres); and the reason it exists: while a bounded load
 * from this machine saturates the app's API, the standalone /time keeps answering fast.
 * The figures are printed (docs/benchmarks.md, "GET /time under load").
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Subprocess } from 'bun'
import { type EventStatus, StatusCache, type StatusLoader } from '../../server/system/time-server.ts'
import { clusterReachable, seedEvent, startTestServer, TEST_REDIS_URL, until } from '../support/backends.ts'
import { freePort, ROOT, type ServerProcess, startServerProcess } from '../support/process.ts'

interface TimeServer {
  url: string
  proc: Subprocess
  stop(): Promise<void>
}

async function startTimeServer(env: Record<string, string>): Promise<TimeServer> {
  const port = await freePort()
  const proc = Bun.spawn([process.execPath, 'run', 'time-server'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', ...env, TIME_PORT: String(port) },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const url = `http://127.0.0.1:${port}`
  await until(
    async () => {
      if (proc.exitCode !== null) throw new Error(`time server exited: ${await new Response(proc.stderr).text()}`)
      return (await fetch(`${url}/time`).catch(() => null))?.ok
    },
    30_000,
    100,
  )
  return {
    url,
    proc,
    stop: async () => {
      proc.kill('SIGTERM')
      await proc.exited
    },
  }
}

type Time = { serverTime: number; status: string; message: string }
const time = async (url: string, slug?: string): Promise<Time> =>
  (await fetch(`${url}/time${slug ? `?event=${slug}` : ''}`)).json() as Promise<Time>

const setStatus = (url: string, slug: string, secret: string, status: string, message: string) =>
  fetch(`${url}/api/admin/events/${slug}/status`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ status, message }),
  })

/** Latency percentiles of a list of ms. */
function summary(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b)
  const q = (p: number) => Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))] * 10) / 10
  return { n: s.length, p50: q(0.5), p95: q(0.95), p99: q(0.99), max: q(1) }
}

describe('the status cache behind it', () => {
  test('answers from memory, keeps the last status while its source fails, looks a new slug up once', async () => {
    let up = true
    let paused = false
    const asked: string[][] = []
    const loader: StatusLoader = {
      async load(slugs) {
        asked.push(slugs)
        if (!up) throw new Error('database down')
        const gala: EventStatus = paused ? { status: 'paused', message: 'break' } : { status: 'live', message: '' }
        return { bySlug: new Map([['gala', gala]]), fallback: gala }
      },
    }
    const cache = new StatusCache(loader)
    await cache.refresh()
    expect(cache.statusOf('gala')).toEqual({ status: 'live', message: '' })
    paused = true
    // A slug never asked for: one lookup (briefly awaited), then from memory.
    expect(await cache.statusOf('other')).toEqual({ status: 'live', message: '' })
    expect(asked.at(-1)).toContain('other')
    await cache.refresh()
    expect(cache.statusOf('gala')).toEqual({ status: 'paused', message: 'break' })
    up = false
    paused = false
    await cache.refresh()
    expect(cache.failures).toBe(1)
    expect(cache.statusOf('gala')).toEqual({ status: 'paused', message: 'break' })
    expect(cache.statusOf(null)).toEqual({ status: 'paused', message: 'break' })
  })
})

describe('bun run time-server, embedded mode', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gb-time-'))
  let app: ServerProcess
  let clock: TimeServer
  let secret: string

  beforeAll(async () => {
    app = await startServerProcess({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, { args: ['--demo'], timeoutMs: 90_000 })
    secret = JSON.parse(readFileSync(join(dataDir, 'demo.host-secret'), 'utf8')).secret
    clock = await startTimeServer({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' })
  }, 120_000)

  afterAll(async () => {
    await clock?.stop()
    await app?.stop('SIGKILL')
    rmSync(dataDir, { recursive: true, force: true })
  })

  test('answers {serverTime, status, message}: uncached, readable from any origin, nothing else served', async () => {
    const before = Date.now()
    const res = await fetch(`${clock.url}/time?event=demo`)
    const body = (await res.json()) as Time
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect(body).toEqual({ serverTime: expect.any(Number), status: 'live', message: '' })
    expect(body.serverTime).toBeGreaterThanOrEqual(before - 5)
    expect(body.serverTime).toBeLessThanOrEqual(Date.now() + 5)
    expect((await fetch(`${clock.url}/api/events/demo/snapshot`)).status).toBe(404)
    // Not a slug: answered like no event at all.
    expect((await fetch(`${clock.url}/time?event=../x`)).status).toBe(200)
  })

  test('carries the status the host sets, within a couple of seconds, with and without ?event', async () => {
    expect((await setStatus(app.url, 'demo', secret, 'paused', 'back in 5')).status).toBe(200)
    await until(async () => (await time(clock.url, 'demo')).status === 'paused', 4000, 100)
    expect(await time(clock.url, 'demo')).toMatchObject({ status: 'paused', message: 'back in 5' })
    // The demo is the one open event, so it is also the answer without ?event.
    expect(await time(clock.url)).toMatchObject({ status: 'paused', message: 'back in 5' })
    await setStatus(app.url, 'demo', secret, 'live', '')
    await until(async () => (await time(clock.url, 'demo')).status === 'live', 4000, 100)
  }, 15_000)

  test('keeps answering fast while a bounded load saturates the app', async () => {
    const LOAD_SECONDS = 6
    const load = Bun.spawn(
      [process.execPath, 'test/fixtures/api-load.ts', app.url, 'demo', '128', String(LOAD_SECONDS)],
      { cwd: ROOT, stdout: 'pipe', stderr: 'inherit' },
    )
    await Bun.sleep(1000)
    const standalone: number[] = []
    const inApp: number[] = []
    let failures = 0
    const end = Date.now() + (LOAD_SECONDS - 2) * 1000
    while (Date.now() < end) {
      for (const [url, into] of [
        [clock.url, standalone],
        [app.url, inApp],
      ] as const) {
        const t = performance.now()
        try {
          const res = await fetch(`${url}/time?event=demo`, { signal: AbortSignal.timeout(5000) })
          await res.json()
          if (res.ok) into.push(performance.now() - t)
          else if (into === standalone) failures++
        } catch {
          if (into === standalone) failures++
        }
      }
      await Bun.sleep(20)
    }
    const api = JSON.parse(await new Response(load.stdout).text())
    await load.exited
    const figures = { api, standalone: summary(standalone), inApp: summary(inApp) }
    console.log(`GET /time under load: ${JSON.stringify(figures)}`)
    expect(failures).toBe(0)
    // The load really loaded the app: thousands of requests, each waiting in line.
    expect(api.requests).toBeGreaterThan(1000)
    // The standalone clock stays fast, and faster than the app's own /time under the same load.
    expect(figures.standalone.p95).toBeLessThan(50)
    expect(figures.standalone.p50).toBeLessThan(figures.inApp.p50)
  }, 30_000)
})

describe('bun run time-server, cluster mode', async () => {
  const reachable = await clusterReachable()

  test.if(reachable)(
    'reads the status from Postgres, as the app does',
    async () => {
      const server = await startTestServer('cluster')
      let clock: TimeServer | null = null
      try {
        const { event, hostSecret } = await seedEvent(server)
        clock = await startTimeServer({
          DATABASE_URL: server.config.DATABASE_URL!,
          REDIS_URL: TEST_REDIS_URL,
          LOG_LEVEL: 'warn',
        })
        expect(await time(clock.url, event.slug)).toMatchObject({ status: 'live', message: '' })
        const res = await server.fetch(`/api/admin/events/${event.slug}/status`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${hostSecret}`, 'content-type': 'application/json' },
          body: JSON.stringify({ status: 'paused', message: 'a short break' }),
        })
        expect(res.status).toBe(200)
        await until(async () => (await time(clock!.url, event.slug)).status === 'paused', 4000, 100)
        expect(await time(clock.url, event.slug)).toMatchObject({ message: 'a short break' })
        // An unknown event: answered at once, as live.
        expect(await time(clock.url, 'no-such-event')).toMatchObject({ status: 'live' })
      } finally {
        await clock?.stop()
        await server.stop()
      }
    },
    60_000,
  )
})
