/**
 * The host guard: one named plugin for every host route under /api/admin/events/:slug.
 *
 * It authenticates in `onRequest`, before the router, the body parser and validation
 * run, so nothing an unauthenticated client sends is read, parsed or validated. A route
 * says `host: true` to get the authenticated event.
 *
 * Host access is the event's secret as `Authorization: Bearer`, the signed host cookie
 * (set by sign-in), or the operator token of the glowband CLI. A cookie-authenticated
 * write must also carry `X-Glowband-CSRF`: a cross-site form cannot set a header, and a
 * cross-site script cannot without a CORS preflight we never allow.
 *
 * Limits: failures are counted per client address and, once spent, further secrets from
 * that address are refused without being checked. The host's own calls are counted per
 * event, whatever credential or spelling they use, so nobody else can spend them.
 */
import { timingSafeEqual } from 'node:crypto'
import { Elysia } from 'elysia'
import { type EventRecord, hashSecret, SLUG_PATTERN } from '../events/directory.ts'
import { clientAddress } from '../http/client-address.ts'
import { ApiFailure, errorResponse, notFound, tooMany } from '../http/errors.ts'
import { pathOf } from '../http/paths.ts'
import { hostCookieName, readCookie } from '../http/session.ts'
import { TokenBuckets } from '../lib/rate-limit.ts'
import { isOperator } from '../operator/token.ts'
import type { Runtime } from '../runtime.ts'

const ADMIN_EVENT_PATH = /^\/api\/admin\/events\/([^/]+)(\/.*)?$/

/** Whether a secret is this event's host secret (constant time). */
export function isHostSecret(given: string, event: EventRecord): boolean {
  const a = Buffer.from(hashSecret(given))
  const b = Buffer.from(event.hostSecretHash)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** The secret of an `Authorization: Bearer <secret>` header, or null. */
export const bearerSecret = (authorization: string | null) =>
  authorization?.match(/^Bearer\s+(\S{1,200})\s*$/i)?.[1] ?? null

export interface HostLimits {
  /** Failed host authentications (wrong secret, bad cookie, none) per client address. */
  failures: TokenBuckets
  /** Authenticated host calls per event: enough for a busy host, not for a runaway script. */
  calls: TokenBuckets
}

export const createHostLimits = (): HostLimits => ({
  failures: new TokenBuckets({ burst: 20, perSecond: 0.5 }),
  calls: new TokenBuckets({ burst: 120, perSecond: 40 }),
})

const failed = (message: string) => new ApiFailure(401, 'unauthorized', message)

/**
 * Authenticates a host request for an event. Throws the answer to give (401, 403, 429);
 * returns when the request may go on.
 */
export function authenticateHost(rt: Runtime, event: EventRecord, request: Request, client: string) {
  const auth = request.headers.get('authorization')
  if (isOperator(rt, auth)) return
  const limits = rt.hostLimits
  const refuseGuess = () => {
    if (!limits.failures.peek(client))
      throw tooMany('too many failed host sign-ins from this address; wait a minute', 30)
  }
  if (auth) {
    refuseGuess()
    const secret = bearerSecret(auth)
    if (!secret || !isHostSecret(secret, event)) {
      limits.failures.take(client)
      throw failed('the host secret is not right for this event')
    }
  } else {
    const cookie = readCookie(request.headers.get('cookie'), hostCookieName(event.id))
    // A signed cookie cannot be guessed, so a good one is never refused for others' failures.
    if (!rt.signer.isHost(event.id, event.hostSecretHash, cookie)) {
      limits.failures.take(client)
      throw failed('host access needs the host secret (Authorization: Bearer)')
    }
    if (request.method !== 'GET' && request.method !== 'HEAD' && !request.headers.get('x-glowband-csrf')) {
      throw new ApiFailure(403, 'csrf', 'host writes with a cookie need the X-Glowband-CSRF header')
    }
  }
  if (!limits.calls.take(String(event.id))) throw tooMany('too many host requests; slow down', 1)
}

const guards = new WeakMap<Runtime, ReturnType<typeof build>>()

function build(rt: Runtime) {
  const authenticated = new WeakMap<Request, EventRecord>()
  return new Elysia({ name: 'host-guard' })
    .onRequest(async ({ request, server }) => {
      const match = ADMIN_EVENT_PATH.exec(pathOf(request.url))
      if (!match) return
      // Sign-in itself is open: it checks the secret in its body, under the same failure limit.
      if (match[2] === '/session' && request.method === 'POST') return
      try {
        const slug = decodeURIComponent(match[1])
        const event = SLUG_PATTERN.test(slug) ? await rt.directory.bySlug(slug) : null
        if (!event) throw notFound('event')
        authenticateHost(rt, event, request, clientAddress(rt.config, request, server))
        authenticated.set(request, event)
      } catch (err) {
        if (err instanceof ApiFailure) return errorResponse(err)
        throw err
      }
    })
    .macro({
      host: {
        async resolve({ request, params, server }) {
          const known = authenticated.get(request)
          if (known) return { event: known }
          // Only reachable for a path the gate above did not recognise: check here instead.
          const event = await rt.directory.bySlug((params as { slug: string }).slug)
          if (!event) throw notFound('event')
          authenticateHost(rt, event, request, clientAddress(rt.config, request, server))
          return { event }
        },
      },
    })
}

/** The host guard of a runtime: one instance, shared by every host route module. */
export function hostGuard(rt: Runtime) {
  let guard = guards.get(rt)
  if (!guard) guards.set(rt, (guard = build(rt)))
  return guard
}
