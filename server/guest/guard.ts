/**
 * The `guest` macro: a route that says `guest: true` gets the event and the wristband
 * number of the checked-in guest making the request (401 without a valid guest cookie).
 */
import { Elysia } from 'elysia'
import { requireEvent } from '../events/scope.ts'
import { unauthorized } from '../http/errors.ts'
import { guestCookieName, readCookie } from '../http/session.ts'
import type { Runtime } from '../runtime.ts'

const guards = new WeakMap<Runtime, ReturnType<typeof build>>()

/** The guest cookie of this request; an unreadable one (`gb_g1=%`) is no check-in, a 401, never a 500. */
function guestCookie(request: Request, eventId: number) {
  try {
    return readCookie(request.headers.get('cookie'), guestCookieName(eventId))
  } catch {
    return ''
  }
}

const build = (rt: Runtime) =>
  new Elysia({ name: 'guest-guard' }).macro({
    guest: {
      async resolve({ params, request }) {
        const event = await requireEvent(rt, (params as { slug: string }).slug)
        const cookie = guestCookie(request, event.id)
        if (!cookie) throw unauthorized('check in first: scan your wristband or type its code')
        const number = rt.signer.guestNumber(event.id, cookie)
        if (number === null) throw unauthorized('your check-in is not valid here; scan your wristband again')
        return { event, number }
      },
    },
  })

/** One instance per runtime, shared by every route module that uses it. */
export function guestGuard(rt: Runtime) {
  let guard = guards.get(rt)
  if (!guard) guards.set(rt, (guard = build(rt)))
  return guard
}
