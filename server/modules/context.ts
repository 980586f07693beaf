/** Request helpers the route modules share: find the event, the guest, the host. */
import { timingSafeEqual } from 'node:crypto'
import { z } from 'zod'
import { ApiFailure, notFound, tooMany, unauthorized } from '../errors.ts'
import { type EventRecord, hashSecret, SLUG_PATTERN } from '../events.ts'
import { isOperator } from '../operator.ts'
import { TokenBuckets } from '../rate-limit.ts'
import type { Runtime } from '../runtime.ts'
import { guestCookieName, hostCookieName, readCookie } from '../session.ts'

export const slugParams = z.object({ slug: z.string().regex(SLUG_PATTERN, 'not an event slug') })

export async function requireEvent(rt: Runtime, slug: string): Promise<EventRecord> {
  const event = await rt.directory.bySlug(slug)
  if (!event) throw notFound('event')
  return event
}

/** The wristband number of the checked-in guest making this request. */
export function requireGuest(rt: Runtime, event: EventRecord, request: Request): number {
  const cookie = readCookie(request.headers.get('cookie'), guestCookieName(event.id))
  if (!cookie) throw unauthorized('check in first: scan your wristband or type its code')
  const number = rt.signer.guestNumber(event.id, cookie)
  if (number === null) throw unauthorized('your check-in is not valid here; scan your wristband again')
  return number
}

/** Host calls per event and credential: enough for a busy host, not for a script hammering. */
const hostBuckets = new TokenBuckets({ burst: 60, perSecond: 20 })

const sameSecret = (given: string, event: EventRecord) => {
  const a = Buffer.from(hashSecret(given))
  const b = Buffer.from(event.hostSecretHash)
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * Host access: the secret (or the operator token) as a Bearer token, or the host cookie.
 * A cookie-authenticated write must also carry `X-Glowband-CSRF` (a cross-site form cannot
 * set a header, and a cross-site script cannot without a CORS preflight we never allow).
 */
export function requireHost(rt: Runtime, event: EventRecord, request: Request) {
  const auth = request.headers.get('authorization')
  // The operator token (the CLI, with DATA_DIR/server.json) opens every event.
  if (isOperator(rt, auth)) return
  const key = `${event.id}:${auth ?? 'cookie'}`
  if (!hostBuckets.take(key)) throw tooMany('too many host requests; slow down', 1)
  if (auth) {
    const m = auth.match(/^Bearer\s+(\S{1,200})$/i)
    if (m && sameSecret(m[1], event)) return
    throw new ApiFailure(401, 'unauthorized', 'the host secret is not right for this event')
  }
  const cookie = readCookie(request.headers.get('cookie'), hostCookieName(event.id))
  if (!rt.signer.isHost(event.id, event.hostSecretHash, cookie)) {
    throw new ApiFailure(401, 'unauthorized', 'host access needs the host secret (Authorization: Bearer)')
  }
  if (request.method !== 'GET' && request.method !== 'HEAD' && !request.headers.get('x-glowband-csrf')) {
    throw new ApiFailure(403, 'csrf', 'host writes with a cookie need the X-Glowband-CSRF header')
  }
}

export { sameSecret }

/** The client's address, for limits on failed check-ins. Behind a proxy we trust X-Forwarded-For. */
export function clientAddress(
  rt: Runtime,
  request: Request,
  server: { requestIP(r: Request): { address: string } | null } | null,
): string {
  if (rt.config.TRUST_PROXY) {
    const fwd = request.headers.get('x-forwarded-for')
    if (fwd) return fwd.split(',').pop()!.trim()
  }
  return server?.requestIP(request)?.address ?? 'unknown'
}

/** Parses a non-negative integer sequence number, or null. */
export function parseSeq(value: string | null | undefined): number | null {
  if (!value || !/^\d{1,15}$/.test(value)) return null
  return Number(value)
}
