/** Guest routes: the QR target, check-in, own state, votes, danmaku. */
import { Elysia } from 'elysia'
import { z } from 'zod'
import { CHECKED_IN_MARK } from '../../protocol/constants.ts'
import { publicEventSchema } from '../../protocol/host.ts'
import {
  actionIdSchema,
  checkinBodySchema,
  meSchema,
  messageBodySchema,
  messageResultSchema,
  questionBodySchema,
  questionResultSchema,
  reactionBodySchema,
  reactionResultSchema,
  upvoteBodySchema,
  upvoteResultSchema,
  voteBodySchema,
  voteResultSchema,
} from '../../protocol/index.ts'
import { meQuizFields } from '../../protocol/quiz-api.ts'
import { eventScope } from '../events/scope.ts'
import { clientAddress } from '../http/client-address.ts'
import { idParams, slugParams } from '../http/params.ts'
import { guestCookieName, setCookie } from '../http/session.ts'
import type { Runtime } from '../runtime.ts'
import { guestGuard } from './guard.ts'

/** A guest stays checked in for the length of a long festival. */
const GUEST_COOKIE_SECONDS = 4 * 24 * 60 * 60

export function guestRoutes(rt: Runtime) {
  const secure = rt.config.publicUrl.startsWith('https:')
  // The guest cookie, and its readable twin for the guest page (see CHECKED_IN_MARK).
  const cookiesFor = (event: { id: number; slug: string }, number: number) => [
    setCookie(guestCookieName(event.id), rt.signer.guestCookie(event.id, number), {
      maxAgeSeconds: GUEST_COOKIE_SECONDS,
      secure,
    }),
    setCookie(CHECKED_IN_MARK, '1', {
      path: `/e/${event.slug}`,
      maxAgeSeconds: GUEST_COOKIE_SECONDS,
      secure,
      readable: true,
    }),
  ]

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
          const headers = new Headers({ location: `/e/${event.slug}`, 'cache-control': 'no-store' })
          for (const cookie of cookiesFor(event, number)) headers.append('set-cookie', cookie)
          return new Response(null, { status: 303, headers })
        } catch (err) {
          // A person scanned this: send them somewhere they can type the code instead.
          const reason = (err as { error?: string }).error ?? 'unavailable'
          return new Response(null, {
            status: 303,
            headers: { location: `/?checkin=${encodeURIComponent(reason)}`, 'cache-control': 'no-store' },
          })
        }
      },
      {
        params: z.object({ code: z.string().max(64) }),
        detail: {
          summary: 'The QR target: checks the wristband in and sends the phone to its event (303)',
          responses: { 303: { description: 'To /e/:slug with the guest cookie, or to / with ?checkin=reason' } },
        },
      },
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
              language: event.settings.language ?? 'auto',
              look: event.settings.look ?? {},
            }
          },
          { params: slugParams, response: publicEventSchema, event: true },
        )
        .post(
          '/checkin',
          async ({ event, body, request, server, set }) => {
            const number = await rt.guests.checkin(event, body.code, clientAddress(rt.config, request, server))
            set.headers['set-cookie'] = cookiesFor(event, number)
            set.headers['cache-control'] = 'no-store'
            return { number }
          },
          {
            params: slugParams,
            body: checkinBodySchema,
            response: z.object({ number: z.number().int() }),
            event: true,
          },
        )
        .get(
          '/me',
          async ({ event, number, set }) => {
            set.headers['cache-control'] = 'no-store'
            const [me, quiz] = await Promise.all([rt.guests.me(event, number), rt.quiz.standing(event, number)])
            return { ...me, ...quiz }
          },
          { params: slugParams, response: meSchema.extend(meQuizFields), guest: true },
        )
        .post(
          '/votes',
          async ({ event, number, body, set }) => {
            const result = await rt.guests.vote(event, number, body)
            set.status = 202
            return result
          },
          { params: slugParams, body: voteBodySchema, response: { 202: voteResultSchema }, guest: true },
        )
        .post(
          '/messages',
          async ({ event, number, body, set }) => {
            const result = await rt.guests.message(event, number, body)
            set.status = 202
            return result
          },
          { params: slugParams, body: messageBodySchema, response: { 202: messageResultSchema }, guest: true },
        )
        .post(
          '/questions',
          async ({ event, number, body, set }) => {
            const result = await rt.guests.ask(event, number, body)
            set.status = 202
            return result
          },
          { params: slugParams, body: questionBodySchema, response: { 202: questionResultSchema }, guest: true },
        )
        .post(
          '/questions/:id/upvote',
          async ({ event, number, params, body, set }) => {
            const result = await rt.guests.upvote(event, number, params.id, true, body?.actionId)
            set.status = 202
            return result
          },
          { params: idParams, body: upvoteBodySchema, response: { 202: upvoteResultSchema }, guest: true },
        )
        .delete(
          '/questions/:id/upvote',
          async ({ event, number, params, query, set }) => {
            const result = await rt.guests.upvote(event, number, params.id, false, query.actionId)
            set.status = 202
            return result
          },
          {
            params: idParams,
            query: z.object({ actionId: actionIdSchema.optional() }),
            response: { 202: upvoteResultSchema },
            guest: true,
          },
        )
        .post(
          '/questions/:id/unvote',
          async ({ event, number, params, body, set }) => {
            const result = await rt.guests.upvote(event, number, params.id, false, body?.actionId)
            set.status = 202
            return result
          },
          { params: idParams, body: upvoteBodySchema, response: { 202: upvoteResultSchema }, guest: true },
        )
        .post(
          '/reactions',
          async ({ event, number, body, set }) => {
            const result = await rt.guests.react(event, number, body.emoji)
            set.status = 202
            return result
          },
          { params: slugParams, body: reactionBodySchema, response: { 202: reactionResultSchema }, guest: true },
        ),
    )
}
