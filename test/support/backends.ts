/**
 * Test backends. Every integration test runs against both:
 * - embedded: PGlite in memory + the in-process counter layer;
 * - cluster: the real Postgres (a fresh database per runtime) + the real Redis (a unique key prefix).
 *
 * Cluster mode needs TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test, used
 * only to create and drop scratch databases) and TEST_REDIS_URL (default redis://127.0.0.1:6379).
 * When either is unreachable the cluster tests are skipped with a loud warning, except under
 * CI=true, where they fail instead.
 */
import { randomBytes } from 'node:crypto'
import {
  createScratchDatabase,
  deleteRedisPrefix,
  LOCAL_DATABASE_URL,
  LOCAL_REDIS_URL,
  pingBackends,
  scratchBackends,
} from '../../scripts/scratch-backends.ts'
import { createApp } from '../../server/app.ts'
import { type Config, loadConfig } from '../../server/config.ts'
import { createRuntime, type Runtime } from '../../server/runtime.ts'

export type BackendName = 'embedded' | 'cluster'
export const BACKENDS: BackendName[] = ['embedded', 'cluster']

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? LOCAL_DATABASE_URL
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? LOCAL_REDIS_URL

let clusterAvailable: Promise<boolean> | null = null

/** Whether the real Postgres and Redis answer. Under CI they must. */
export function clusterReachable(): Promise<boolean> {
  clusterAvailable ??= (async () => {
    try {
      await pingBackends(TEST_DATABASE_URL, TEST_REDIS_URL)
      return true
    } catch (err) {
      if (process.env.CI) throw new Error(`cluster backends unreachable under CI: ${err}`)
      console.warn(`\n!!! SKIPPING cluster-mode tests: Postgres or Redis unreachable (${err}) !!!\n`)
      return false
    }
  })()
  return clusterAvailable
}

/** Creates an empty scratch database on the test Postgres and returns its URL and a dropper. */
export const scratchDatabase = () => createScratchDatabase(TEST_DATABASE_URL, 'gb_test')

/** Deletes every Redis key under a prefix. */
export const dropRedisPrefix = (prefix: string, url = TEST_REDIS_URL) => deleteRedisPrefix(url, prefix)

export interface TestServer {
  backend: BackendName
  rt: Runtime
  app: ReturnType<typeof createApp>
  config: Config
  /** Sends a request to the app without a socket. */
  fetch(path: string, init?: RequestInit): Promise<Response>
  stop(): Promise<void>
}

export interface TestServerOptions {
  env?: Record<string, string>
  /** Reuse a cluster database/prefix (a second instance of the same deployment). */
  share?: { databaseUrl: string; redisPrefix: string }
  /** Start the flusher/ticker loops (default true). */
  start?: boolean
}

/** A runtime plus its app, for one backend; `stop()` removes everything it made. */
export async function startTestServer(backend: BackendName, opts: TestServerOptions = {}): Promise<TestServer> {
  let cleanup = async () => {}
  const env: Record<string, string> = { LOG_LEVEL: process.env.LOG_LEVEL ?? 'error', TICK_MS: '50', FLUSH_MS: '20' }
  if (backend === 'cluster') {
    if (opts.share) {
      env.DATABASE_URL = opts.share.databaseUrl
      env.REDIS_PREFIX = opts.share.redisPrefix
    } else {
      const scratch = await scratchBackends(TEST_DATABASE_URL, opts.env?.REDIS_URL ?? TEST_REDIS_URL, 'gb_test')
      Object.assign(env, scratch.env)
      cleanup = scratch.drop
    }
    env.REDIS_URL = TEST_REDIS_URL
    env.INSTANCE_ID = `test-${randomBytes(3).toString('hex')}`
  } else {
    env.DATA_DIR = ':memory:'
  }
  // What the test asks for wins (a Redis of its own, an instance name...).
  Object.assign(env, opts.env)
  const config = loadConfig(env)
  const rt = await createRuntime(config)
  const app = createApp(rt)
  if (opts.start !== false) rt.start()
  return {
    backend,
    rt,
    app,
    config,
    fetch: (path, init) => app.handle(new Request(`http://localhost${path}`, init)),
    stop: async () => {
      await rt.stop()
      await cleanup()
    },
  }
}

/** A small event with wristbands, as most tests need. */
export async function seedEvent(server: TestServer, opts: { wristbands?: number; slug?: string } = {}) {
  const { event, hostSecret } = await server.rt.directory.create({
    name: 'Test Night',
    slug: opts.slug ?? `t-${randomBytes(3).toString('hex')}`,
  })
  const batch = await server.rt.wristbands.createWristbands(event, { count: opts.wristbands ?? 10, label: 'test' })
  return { event, hostSecret, wristbands: batch.wristbands }
}

export const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
})

/** Checks a wristband in through the API and returns the cookie header to send. */
export async function checkIn(server: TestServer, slug: string, code: string): Promise<string> {
  const res = await server.fetch(`/api/events/${slug}/checkin`, json({ code }))
  if (res.status !== 200) throw new Error(`check-in failed: ${res.status} ${await res.text()}`)
  return res.headers.get('set-cookie')!.split(';')[0]
}

/** Polls until `fn` returns a truthy value or the time runs out. */
export async function until<T>(fn: () => Promise<T> | T, timeoutMs = 5000, stepMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await fn()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`)
    await Bun.sleep(stepMs)
  }
}

/** Runs `fn` for 0..n-1 with at most `width` in flight (a room of phones, not one socket each). */
export async function each(n: number, width: number, fn: (i: number) => Promise<unknown>) {
  let next = 0
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) await fn(next++)
    }),
  )
}
