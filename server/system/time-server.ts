/**
 * `GET /time` as its own tiny process (`bun run time-server`), so the clock can live at
 * the edge and keeps answering when the app is saturated: the answer comes from memory
 * and never waits on the app or the database. The event's status is refreshed in the
 * background, once a second, from
 *
 * - Postgres, when `DATABASE_URL` is set (cluster mode: the same `events` rows the app reads);
 * - otherwise the app itself (embedded mode, where the database belongs to the app
 *   process): `TIME_STATUS_URL`, or the address the running app announces in
 *   `DATA_DIR/server.json`. A status that cannot be refreshed keeps its last value.
 *
 * Listens on `TIME_PORT` (default 3001) and `HOST`. Route `location = /time` to it at the
 * proxy (docs/clock.md).
 */
import { inArray, ne, or } from 'drizzle-orm'
import { events } from '../../db/schema.ts'
import type { Database } from '../database/connect.ts'
import { SLUG_PATTERN } from '../events/directory.ts'
import { ApiFailure, errorResponse } from '../http/errors.ts'
import { overHttps, securityHeaders } from '../http/security-headers.ts'

export type EventStatus = { status: 'live' | 'paused' | 'ended'; message: string }

const LIVE: EventStatus = { status: 'live', message: '' }
/** How often statuses are refreshed in the background. */
export const REFRESH_MS = 1000
/** Slugs asked for that are followed (a scan of random slugs must not grow memory or queries). */
const SLUGS_FOLLOWED = 1000
/** The first answer for a slug never seen waits this long at most for its status. */
const FIRST_LOOKUP_WAIT_MS = 250
/** A lookup that hangs (a stuck database) is given up on, so the next one can run. */
const LOAD_TIMEOUT_MS = 5000

export interface StatusLoad {
  /** The open events and the slugs asked for that exist. */
  bySlug: Map<string, EventStatus>
  /** For `/time` without `?event`: the one open event's, if exactly one; null if unknown this time. */
  fallback: EventStatus | null
  /** Slugs that could not be looked up this time: their last status stands. */
  failed?: string[]
}

/** Where statuses come from: `refresh` loads the open events and the slugs asked for. */
export interface StatusLoader {
  /** Statuses by slug; `null` for the default (the one open event, if exactly one). Throws when unreachable. */
  load(slugs: string[]): Promise<StatusLoad>
  close?(): Promise<void>
}

/** Statuses from the `events` table, like the app's directory reads them. */
export function postgresLoader(db: Database, close?: () => Promise<void>): StatusLoader {
  return {
    async load(slugs) {
      const cols = { slug: events.slug, status: events.status, message: events.message }
      const open = ne(events.status, 'ended')
      const rows = await db
        .select(cols)
        .from(events)
        .where(slugs.length ? or(open, inArray(events.slug, slugs)) : open)
      const bySlug = new Map(rows.map((r) => [r.slug, { status: r.status, message: r.message } as EventStatus]))
      const openRows = rows.filter((r) => r.status !== 'ended')
      return { bySlug, fallback: openRows.length === 1 ? bySlug.get(openRows[0].slug)! : LIVE }
    },
    close,
  }
}

/** Statuses from the app's own `/time` (embedded mode); `base` is asked for the app's URL before every refresh. */
export function upstreamLoader(base: () => string | null, timeoutMs = 2000): StatusLoader {
  const ask = async (url: string, slug: string | null): Promise<EventStatus> => {
    const res = await fetch(slug ? `${url}/time?event=${slug}` : `${url}/time`, {
      signal: AbortSignal.timeout(timeoutMs),
    })
    if (!res.ok) throw new Error(`the app answered ${res.status}`)
    const { status, message } = (await res.json()) as EventStatus
    return { status, message }
  }
  return {
    async load(slugs) {
      const url = base()
      if (!url) throw new Error('no app to ask (DATA_DIR/server.json has no address)')
      const bySlug = new Map<string, EventStatus>()
      const failed: string[] = []
      const [fallback, ...each] = await Promise.allSettled([ask(url, null), ...slugs.map((s) => ask(url, s))])
      each.forEach((r, i) => {
        if (r.status === 'fulfilled') bySlug.set(slugs[i], r.value)
        else failed.push(slugs[i])
      })
      if (fallback.status === 'rejected' && !bySlug.size) throw fallback.reason
      return { bySlug, failed, fallback: fallback.status === 'fulfilled' ? fallback.value : null }
    },
  }
}

/** The statuses in memory, refreshed in the background; answers never wait (but a first look at a slug, briefly). */
export class StatusCache {
  private bySlug = new Map<string, EventStatus>()
  private fallback: EventStatus = LIVE
  /** Slugs asked for, oldest first (bounded). */
  private followed = new Set<string>()
  private timer: ReturnType<typeof setInterval> | null = null
  private running: Promise<void> | null = null
  /** Refreshes that failed in a row (the last statuses stand meanwhile). */
  failures = 0

  constructor(private loader: StatusLoader) {}

  start(everyMs = REFRESH_MS) {
    void this.refresh()
    this.timer = setInterval(() => void this.refresh(), everyMs)
    return this
  }

  async stop() {
    if (this.timer) clearInterval(this.timer)
    await this.running?.catch(() => {})
    await this.loader.close?.()
  }

  /** One refresh at a time; a caller arriving meanwhile shares it. */
  refresh(): Promise<void> {
    this.running ??= (async () => {
      try {
        const got = await Promise.race([
          this.loader.load([...this.followed]),
          Bun.sleep(LOAD_TIMEOUT_MS).then(() => Promise.reject(new Error('status lookup timed out'))),
        ])
        for (const slug of got.failed ?? []) {
          const last = this.bySlug.get(slug)
          if (last) got.bySlug.set(slug, last)
        }
        this.bySlug = got.bySlug
        if (got.fallback) this.fallback = got.fallback
        this.failures = 0
      } catch {
        this.failures++
      } finally {
        this.running = null
      }
    })()
    return this.running
  }

  /** The status for `?event=slug` (or none given), from memory when known. */
  statusOf(slug: string | null): EventStatus | Promise<EventStatus> {
    if (!slug) return this.fallback
    const known = this.bySlug.get(slug)
    if (this.followed.has(slug)) return known ?? LIVE
    this.followed.add(slug)
    if (this.followed.size > SLUGS_FOLLOWED) {
      const oldest = this.followed.values().next().value!
      this.followed.delete(oldest)
      this.bySlug.delete(oldest)
    }
    if (known) return known
    // A refresh already under way started without this slug: look again after it.
    const looked = this.running ? this.running.then(() => this.refresh()) : this.refresh()
    return Promise.race([looked, Bun.sleep(FIRST_LOOKUP_WAIT_MS)]).then(() => this.bySlug.get(slug) ?? LIVE)
  }
}

const HEADERS = {
  'content-type': 'application/json',
  'cache-control': 'no-store',
  'access-control-allow-origin': '*',
  // Lets a page on another origin read the Resource Timing of its /time requests.
  'timing-allow-origin': '*',
}

const PLAIN = { ...HEADERS, ...securityHeaders(new Request('http://time/')) }
const SECURE = { ...HEADERS, ...securityHeaders(new Request('https://time/')) }

const answer = (req: Request, { status, message }: EventStatus) =>
  // Stamped as late as possible: the clock is read right before the answer leaves.
  new Response(`{"serverTime":${Date.now()},"status":${JSON.stringify(status)},"message":${JSON.stringify(message)}}`, {
    headers: overHttps(req) ? SECURE : PLAIN,
  })

/** Anything but `GET /time`, in the public error shape with the app's headers. */
const refuse = (req: Request, status: number, error: string, message: string) =>
  errorResponse(new ApiFailure(status, error, message, undefined, overHttps(req) ? SECURE : PLAIN))

/** Serves `GET /time` from `cache`; everything else is a 404. */
export function serveTime(cache: StatusCache, opts: { port: number; hostname: string }) {
  return Bun.serve({
    port: opts.port,
    hostname: opts.hostname,
    routes: {
      '/time': {
        GET: (req) => {
          const q = req.url.indexOf('?')
          let slug = q < 0 ? null : new URLSearchParams(req.url.slice(q + 1)).get('event')
          if (slug !== null && !SLUG_PATTERN.test(slug)) slug = null
          const status = cache.statusOf(slug)
          return status instanceof Promise ? status.then((st) => answer(req, st)) : answer(req, status)
        },
      },
    },
    fetch: (req) =>
      new URL(req.url).pathname === '/time'
        ? refuse(req, 405, 'method_not_allowed', 'the time server answers only GET /time')
        : refuse(req, 404, 'not_found', 'the time server answers only GET /time'),
  })
}

if (import.meta.main) {
  const { loadConfig } = await import('../config.ts')
  // The app's rule that DATABASE_URL needs REDIS_URL too does not apply to the clock.
  const env = { ...process.env }
  if (env.DATABASE_URL && !env.REDIS_URL) env.REDIS_URL = 'redis://unused.invalid'
  const config = loadConfig(env)
  const port = Number(process.env.TIME_PORT ?? 3001)
  let loader: StatusLoader
  let from: string
  if (config.DATABASE_URL) {
    const { openPostgres } = await import('../database/connect.ts')
    const pg = await openPostgres({ url: config.DATABASE_URL, poolMax: 2 })
    loader = postgresLoader(pg.db, async () => pg.close?.())
    from = 'Postgres'
  } else {
    const { readServerFile } = await import('../operator/data-dir.ts')
    const fixed = process.env.TIME_STATUS_URL?.replace(/\/+$/, '')
    loader = upstreamLoader(() => fixed ?? readServerFile(config.dataDir)?.url ?? null)
    from = fixed ?? `the app in ${config.dataDir}/server.json`
  }
  const cache = new StatusCache(loader).start()
  const server = serveTime(cache, { port, hostname: config.HOST })
  console.log(`time server on :${server.port}, event status from ${from}`)
  const shutdown = async () => {
    server.stop(true)
    await cache.stop()
    process.exit(0)
  }
  process.on('SIGTERM', shutdown)
  process.on('SIGINT', shutdown)
}
