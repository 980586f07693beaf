/**
 * Host sign-in: the host secret in, a signed host cookie out (the admin page uses it
 * from then on, so the secret leaves the address bar). Wrong secrets spend the same
 * per-address failure limit as the host guard.
 */
import { Elysia } from 'elysia'
import { z } from 'zod'
import { okSchema } from '../../../protocol/host.ts'
import { eventScope } from '../../events/scope.ts'
import { clientAddress } from '../../http/client-address.ts'
import { badRequest } from '../../http/errors.ts'
import { slugParams } from '../../http/params.ts'
import { hostCookieName, setCookie } from '../../http/session.ts'
import type { Runtime } from '../../runtime.ts'
import { checkHostSecret } from '../guard.ts'
import { ADMIN_PREFIX, hostScope } from '../scope.ts'

const HOST_COOKIE_SECONDS = 24 * 60 * 60

export function sessionRoutes(rt: Runtime) {
  const secure = rt.config.publicUrl.startsWith('https:')
  const hostCookie = (eventId: number, value: string, maxAgeSeconds: number) =>
    setCookie(hostCookieName(eventId), value, { maxAgeSeconds, secure, sameSite: 'Strict' })
  const signIn = new Elysia({ name: 'host-sign-in', prefix: ADMIN_PREFIX }).use(eventScope(rt)).post(
    '/session',
    async ({ event, body, set, request, server }) => {
      // Under the same per-address guess limit as the guard (429 unchecked once spent).
      if (!(await checkHostSecret(rt, event, body.secret, clientAddress(rt.config, request, server)))) {
        throw badRequest('wrong_secret', 'that host secret is not right', { secret: 'wrong' })
      }
      set.headers['set-cookie'] = hostCookie(
        event.id,
        rt.signer.hostCookie(event.id, event.hostSecretHash),
        HOST_COOKIE_SECONDS,
      )
      return { ok: true as const }
    },
    {
      params: slugParams,
      body: z.object({ secret: z.string().min(1).max(200) }),
      response: okSchema,
      event: true,
    },
  )
  const signOut = hostScope(rt, 'host-sign-out').delete(
    '/session',
    ({ event, set }) => {
      set.headers['set-cookie'] = hostCookie(event.id, '', 0)
      return { ok: true as const }
    },
    { params: slugParams, response: okSchema, host: true },
  )
  return new Elysia({ name: 'host-session' }).use(signIn).use(signOut)
}
