/**
 * `GET /time` as its own tiny process (`bun server/system/time-server.ts`), for deployments
 * that want the clock apart from the app (cluster mode): it needs only Postgres to
 * report an event's status, and answers from memory between lookups.
 */
import { eq, ne } from 'drizzle-orm'
import { events } from '../../db/schema.ts'
import { loadConfig } from '../config.ts'
import { openPostgres } from '../database/connect.ts'
import { ApiFailure, errorResponse } from '../http/errors.ts'
import { securityHeaders } from '../http/security-headers.ts'

// Only DATABASE_URL, PORT and HOST are used here: the app's rule that cluster mode needs
// REDIS_URL too does not apply to the clock, so a placeholder satisfies it when unset.
const config = loadConfig({ ...process.env, REDIS_URL: process.env.REDIS_URL || 'redis://unused.invalid' })
if (!config.DATABASE_URL) {
  // The embedded database belongs to the server process; there, the app serves /time itself.
  console.error('the standalone time server needs DATABASE_URL (cluster mode); embedded mode serves /time from the app')
  process.exit(2)
}
const { db } = await openPostgres({ url: config.DATABASE_URL, poolMax: 2 })

type Status = { status: 'live' | 'paused' | 'ended'; message: string }
const cache = new Map<string, { at: number; value: Status }>()
const STALE_MS = 1000

async function statusOf(slug: string | null): Promise<Status> {
  const key = slug ?? ''
  const hit = cache.get(key)
  if (hit && Date.now() - hit.at < STALE_MS) return hit.value
  try {
    const rows = slug
      ? await db.select({ status: events.status, message: events.message }).from(events).where(eq(events.slug, slug))
      : await db
          .select({ status: events.status, message: events.message })
          .from(events)
          .where(ne(events.status, 'ended'))
    const value: Status = rows.length === 1 ? rows[0] : { status: 'live', message: '' }
    cache.set(key, { at: Date.now(), value })
    return value
  } catch {
    return hit?.value ?? { status: 'live', message: '' }
  }
}

async function timeAnswer(req: Request): Promise<Response> {
  const url = new URL(req.url)
  if (url.pathname !== '/time') return errorResponse(new ApiFailure(404, 'not_found', 'this server answers only /time'))
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return errorResponse(new ApiFailure(405, 'method_not_allowed', 'GET /time', undefined, { allow: 'GET, HEAD' }))
  }
  const serverTime = Date.now()
  const slug = url.searchParams.get('event')
  const { status, message } = await statusOf(slug && /^[a-z0-9-]{1,48}$/.test(slug) ? slug : null)
  return new Response(JSON.stringify({ serverTime, status, message }), {
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', 'access-control-allow-origin': '*' },
  })
}

const server = Bun.serve({
  port: config.PORT,
  hostname: config.HOST,
  async fetch(req) {
    const answer = await timeAnswer(req)
    // The same security headers as the app's answers.
    for (const [name, value] of Object.entries(securityHeaders(req))) answer.headers.set(name, value)
    return answer
  },
  // A failure we did not foresee still answers in the error shape.
  error: () => errorResponse(new ApiFailure(500, 'internal', 'an unexpected error; it is in the server log')),
})
console.log(`time server on :${server.port}`)
