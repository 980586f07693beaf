/** Guest routes: the QR target, check-in, own state, votes, danmaku. */
import { Elysia } from 'elysia'
import { z } from 'zod'
import { checkinBodySchema, messageBodySchema, voteBodySchema } from '../protocol.ts'
import type { Runtime } from '../runtime.ts'
import { guestCookieName, setCookie } from '../session.ts'
import { clientAddress, requireEvent, requireGuest, slugParams } from './context.ts'

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
    .get(
      '/w/:code',
      async ({ params, request, server }) => {
        try {
          const { event, number } = await rt.guests.checkinAnyEvent(params.code, clientAddress(rt, request, server))
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
          async ({ params }) => {
            const event = await requireEvent(rt, params.slug)
            return {
              slug: event.slug,
              name: event.name,
              joinUrl: `${rt.config.publicUrl}/e/${event.slug}`,
              maxMessageLength: event.settings.maxMessageLength,
              premoderate: event.settings.premoderate,
            }
          },
          { params: slugParams },
        )
        .post(
          '/checkin',
          async ({ params, body, request, server, set }) => {
            const event = await requireEvent(rt, params.slug)
            const number = await rt.guests.checkin(event, body.code, clientAddress(rt, request, server))
            set.headers['set-cookie'] = cookieFor(event.id, number)
            set.headers['cache-control'] = 'no-store'
            return { number }
          },
          { params: slugParams, body: checkinBodySchema },
        )
        .get(
          '/me',
          async ({ params, request, set }) => {
            const event = await requireEvent(rt, params.slug)
            set.headers['cache-control'] = 'no-store'
            return rt.guests.me(event, requireGuest(rt, event, request))
          },
          { params: slugParams },
        )
        .post(
          '/votes',
          async ({ params, body, request, set }) => {
            const event = await requireEvent(rt, params.slug)
            const number = requireGuest(rt, event, request)
            const result = await rt.guests.vote(event, number, body)
            set.status = 202
            return result
          },
          { params: slugParams, body: voteBodySchema },
        )
        .post(
          '/messages',
          async ({ params, body, request, set }) => {
            const event = await requireEvent(rt, params.slug)
            const number = requireGuest(rt, event, request)
            const result = await rt.guests.message(event, number, body)
            set.status = 202
            return result
          },
          { params: slugParams, body: messageBodySchema },
        ),
    )
}
