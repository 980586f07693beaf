/** Guest routes: the QR target, check-in, own state, votes, danmaku. */
import { Elysia } from 'elysia'
import { z } from 'zod'
import { checkinBodySchema, messageBodySchema, voteBodySchema } from '../../protocol/index.ts'
import { eventScope } from '../events/scope.ts'
import { clientAddress } from '../http/client-address.ts'
import { slugParams } from '../http/params.ts'
import { guestCookieName, setCookie } from '../http/session.ts'
import type { Runtime } from '../runtime.ts'
import { guestGuard } from './guard.ts'

/** A guest stays checked in for the length of a long festival. */
const GUEST_COOKIE_SECONDS = 4 * 24 * 60 * 60

export function guestRoutes(rt: Runtime) {
  const secure = rt.config.publicUrl.startsWith('https:')
  const cookieFor = (eventId: number, number: number) =>
    setCookie(guestCookieName(eventId), rt.signer.guestCookie(eventId, number), {
      maxAgeSeconds: GUEST_COOKIE_SECONDS,
      secure,
    })

  return new Elysia({ name: 'guest' })
    .use(eventScope(rt))
    .use(guestGuard(rt))
    .get(
      '/w/:code',
      async ({ params, request, server }) => {
        try {
          const { event, number } = await rt.guests.checkinAnyEvent(
            params.code,
            clientAddress(rt.config, request, server),
          )
          return new Response(null, {
            status: 303,
            headers: {
              location: `/e/${event.slug}`,
              'set-cookie': cookieFor(event.id, number),
              'cache-control': 'no-store',
            },
          })
        } catch (err) {
          // A person scanned this: send them somewhere they can type the code instead.
          const reason = (err as { error?: string }).error ?? 'unavailable'
          return new Response(null, {
            status: 303,
            headers: { location: `/?checkin=${encodeURIComponent(reason)}`, 'cache-control': 'no-store' },
          })
        }
      },
      { params: z.object({ code: z.string().max(64) }) },
    )
    .group('/api/events/:slug', (app) =>
      app
        .get(
          '',
          ({ event }) => {
            return {
              slug: event.slug,
              name: event.name,
              joinUrl: `${rt.config.publicUrl}/e/${event.slug}`,
              maxMessageLength: event.settings.maxMessageLength,
              premoderate: event.settings.premoderate,
            }
          },
          { params: slugParams, event: true },
        )
        .post(
          '/checkin',
          async ({ event, body, request, server, set }) => {
            const number = await rt.guests.checkin(event, body.code, clientAddress(rt.config, request, server))
            set.headers['set-cookie'] = cookieFor(event.id, number)
            set.headers['cache-control'] = 'no-store'
            return { number }
          },
          { params: slugParams, body: checkinBodySchema, event: true },
        )
        .get(
          '/me',
          ({ event, number, set }) => {
            set.headers['cache-control'] = 'no-store'
            return rt.guests.me(event, number)
          },
          { params: slugParams, guest: true },
        )
        .post(
          '/votes',
          async ({ event, number, body, set }) => {
            const result = await rt.guests.vote(event, number, body)
            set.status = 202
            return result
          },
          { params: slugParams, body: voteBodySchema, guest: true },
        )
        .post(
          '/messages',
          async ({ event, number, body, set }) => {
            const result = await rt.guests.message(event, number, body)
            set.status = 202
            return result
          },
          { params: slugParams, body: messageBodySchema, guest: true },
        ),
    )
}
