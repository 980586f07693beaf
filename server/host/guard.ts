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
 * Limits (docs/limits.md):
 * - A wrong host secret (Bearer, or sign-in's body) is a guess: guesses are counted per
 *   client address (IPv6 per /64) and, once spent, further secrets from that address are
 *   refused with 429 without being hashed or compared. The charge is taken before the
 *   check and given back when the secret is right, so a burst cannot overrun it.
 * - A request with no credential at all, or with a host cookie that does not verify, guesses
 *   nothing (a signed cookie cannot be guessed): it gets 401 and spends nothing, so floods
 *   of anonymous requests never lock out a host at the same address (venue Wi-Fi).
 * - The host's own calls are counted per event, whatever credential or spelling they use,
 *   so nobody else can spend them; the emergency pause (PUT .../status) is never refused
 *   for the host's own call rate.
 */
import { timingSafeEqual } from 'node:crypto'
import { Elysia } from 'elysia'
import { type EventRecord, hashSecret, SLUG_PATTERN } from '../events/directory.ts'
import { clientAddress } from '../http/client-address.ts'
import { ApiFailure, errorResponse, notFound, tooMany } from '../http/errors.ts'
import { pathOf } from '../http/paths.ts'
import { hostCookieName, readCookie } from '../http/session.ts'
import { addressKey, FailureLimit, TokenBuckets } from '../lib/rate-limit.ts'
import type { SharedBuckets } from '../live/limits.ts'
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
  /** Wrong host secrets (Bearer or sign-in) per client address, across every instance: checked guesses. */
  failures: FailureLimit
  /** Authenticated host calls per event and instance: enough for a busy host, not for a runaway script. */
  calls: TokenBuckets
}

/** Host secret guesses one address may make: a burst of 20, then one every two seconds. */
export const HOST_GUESSES = { burst: 20, perSecond: 0.5 }

export const createHostLimits = (shared: SharedBuckets | null = null): HostLimits => ({
  failures: new FailureLimit('host', HOST_GUESSES, shared),
  calls: new TokenBuckets({ burst: 120, perSecond: 40 }),
})

/** An operator token's length: 32 random bytes in base64url (operator/token.ts). */
const OPERATOR_TOKEN_CHARS = 43

const failed = (message: string) => new ApiFailure(401, 'unauthorized', message)
const guessesSpent = () => tooMany('too many wrong host secrets from this address; wait a minute', 30)

/**
 * Checks a host secret under the per-address guess limit: throws 429 (unchecked) once the
 * address' guesses are spent. The guess is charged before the comparison (atomically, on
 * this instance and in the shared store) and refunded when the secret is right, so only
 * wrong secrets count and a burst cannot all pass a check made before any was charged.
 */
export async function checkHostSecret(
  rt: Runtime,
  event: EventRecord,
  secret: string,
  client: string,
): Promise<boolean> {
  const failures = rt.hostLimits.failures
  const key = addressKey(client)
  if (!(await failures.take(key))) throw guessesSpent()
  if (!isHostSecret(secret, event)) return false
  failures.refund(key)
  return true
}

/** The host cookie of this request, or undefined (an unreadable Cookie header counts as none). */
function hostCookie(request: Request, eventId: number) {
  try {
    return readCookie(request.headers.get('cookie'), hostCookieName(eventId))
  } catch {
    return undefined
  }
}

/** The emergency pause and its undoing: never refused for the host's own call rate. */
const isStatusWrite = (request: Request, rest: string | undefined) =>
  request.method === 'PUT' && (rest === '/status' || rest === '/status/')

/**
 * Authenticates a host request for an event. Throws the answer to give (401, 403, 429);
 * returns when the request may go on. `rest` is the path after the event's slug.
 */
export async function authenticateHost(
  rt: Runtime,
  event: EventRecord,
  request: Request,
  client: string,
  rest?: string,
) {
  const auth = request.headers.get('authorization')
  if (auth) {
    const secret = bearerSecret(auth)
    // Only a value as long as an operator token is hashed to compare with it, so a flood of
    // guesses is refused below without hashing any of them.
    if (secret?.length === OPERATOR_TOKEN_CHARS && isOperator(rt, auth)) return
    // Not a Bearer secret at all (another scheme, nothing after it): no guess, nothing to check.
    if (!secret) throw failed('host access needs the host secret as Authorization: Bearer <secret>')
    if (!(await checkHostSecret(rt, event, secret, client))) throw failed('the host secret is not right for this event')
  } else {
    const cookie = hostCookie(request, event.id)
    // No credential, or a forged cookie: nothing guessable was tried, so nothing is spent.
    // A signed cookie cannot be guessed, so a good one is never refused for others' failures.
    if (!cookie || !rt.signer.isHost(event.id, event.hostSecretHash, cookie)) {
      throw failed('host access needs the host secret (Authorization: Bearer)')
    }
    if (request.method !== 'GET' && request.method !== 'HEAD' && !request.headers.get('x-glowband-csrf')) {
      throw new ApiFailure(403, 'csrf', 'host writes with a cookie need the X-Glowband-CSRF header')
    }
  }
  if (!rt.hostLimits.calls.take(String(event.id)) && !isStatusWrite(request, rest)) {
    throw tooMany('too many host requests; slow down', 1)
  }
}

const guards = new WeakMap<Runtime, ReturnType<typeof build>>()

/** A path segment, decoded; a malformed escape (`%E0%A4%A`) is no slug at all, so a 404. */
const decodeSegment = (segment: string) => {
  try {
    return decodeURIComponent(segment)
  } catch {
    return ''
  }
}

function build(rt: Runtime) {
  const authenticated = new WeakMap<Request, EventRecord>()
  return new Elysia({ name: 'host-guard' })
    .onRequest(async ({ request, server }) => {
      const match = ADMIN_EVENT_PATH.exec(pathOf(request.url))
      if (!match) return
      // Sign-in itself is open: it checks the secret in its body, under the same failure limit.
      if (match[2] === '/session' && request.method === 'POST') return
      try {
        const slug = decodeSegment(match[1])
        const event = SLUG_PATTERN.test(slug) ? await rt.directory.bySlug(slug) : null
        if (!event) throw notFound('event')
        await authenticateHost(rt, event, request, clientAddress(rt.config, request, server), match[2])
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
          await authenticateHost(
            rt,
            event,
            request,
            clientAddress(rt.config, request, server),
            ADMIN_EVENT_PATH.exec(pathOf(request.url))?.[2],
          )
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
