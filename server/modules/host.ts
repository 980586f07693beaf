/** Host routes under /api/admin/events/:slug, plus the public, immutable cue sheets. */
import { Elysia } from 'elysia'
import { z } from 'zod'
import { badRequest, notFound, tooMany } from '../errors.ts'
import { cueSheetSchema, statusSchema } from '../protocol.ts'
import type { Runtime } from '../runtime.ts'
import { hostCookieName, setCookie } from '../session.ts'
import { TokenBuckets } from '../rate-limit.ts'
import { clientAddress, parseSeq, requireEvent, requireHost, sameSecret, slugParams } from './context.ts'

const idParams = slugParams.extend({ id: z.coerce.number().int().positive().max(2 ** 31 - 1) })
const label = z.string().trim().min(1).max(200)

export const createPollSchema = z.object({
  question: label,
  options: z.array(z.string().trim().min(1).max(100)).min(2).max(12),
})
export const statusBodySchema = z.object({ status: statusSchema, message: z.string().max(280).default('') })
export const raffleBodySchema = z.object({
  name: label,
  winners: z.number().int().min(1).max(1000),
  rules: z.object({ excludePreviousWinners: z.boolean().default(true) }).default({ excludePreviousWinners: true }),
})
export const wristbandBatchSchema = z.object({
  count: z.number().int().min(1).max(200_000),
  label: z.string().trim().regex(/^[\w.-]{1,64}$/, 'use 1-64 letters, digits, _ . -').optional(),
  startNumber: z.number().int().min(1).max(99_999_999).optional(),
  add: z.boolean().default(false),
})
export const revokeSchema = z
  .object({
    numbers: z.array(z.number().int().positive()).min(1).max(200_000).optional(),
    batch: z.string().max(64).optional(),
  })
  .refine((b) => !!b.numbers !== (b.batch !== undefined), 'give either numbers or batch')
export const settingsSchema = z
  .object({
    maxMessageLength: z.number().int().min(1).max(200),
    messagesPerWindow: z.number().int().min(1).max(1000),
    messageWindowSeconds: z.number().int().min(1).max(3600),
    premoderate: z.boolean(),
    blockedWords: z.array(z.string().trim().min(1).max(50)).max(500),
  })
  .partial()
export const showBodySchema = z.object({
  cueSheet: z.string().regex(/^[0-9a-f]{20}$/, 'a cue sheet hash from POST .../cue-sheets'),
  /** Start this many ms from now (default 5 s, so every phone has time to fetch the sheet). */
  startInMs: z.number().int().min(0).max(3_600_000).default(5000),
})

/** Wrong host secrets per client address. */
const failedSignIns = new TokenBuckets({ burst: 20, perSecond: 0.5 })

export function hostRoutes(rt: Runtime) {
  const secure = rt.config.publicUrl.startsWith('https:')
  const host = async (slug: string, request: Request) => {
    const event = await requireEvent(rt, slug)
    requireHost(rt, event, request)
    return event
  }

  return new Elysia({ name: 'host' })
    .get(
      '/cues/:hash',
      async ({ params }) => {
        const sheet = await rt.hosts.cueSheet(params.hash.replace(/\.json$/, ''))
        if (!sheet) throw notFound('cue sheet')
        return new Response(JSON.stringify(sheet), {
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'cache-control': 'public, max-age=31536000, immutable',
          },
        })
      },
      { params: z.object({ hash: z.string().regex(/^[0-9a-f]{20}(\.json)?$/, 'not a cue sheet hash') }) },
    )
    .group('/api/admin/events/:slug', (app) =>
      app
        .post(
          '/session',
          async ({ params, body, set, request, server }) => {
            const event = await requireEvent(rt, params.slug)
            // Guessing is hopeless (144 bits), but still slowed down per address.
            const client = clientAddress(rt, request, server)
            if (!failedSignIns.peek(client)) throw tooMany('too many wrong host secrets; wait a minute', 30)
            if (!sameSecret(body.secret, event)) {
              failedSignIns.take(client)
              throw badRequest('wrong_secret', 'that host secret is not right', { secret: 'wrong' })
            }
            set.headers['set-cookie'] = setCookie(
              hostCookieName(event.id),
              rt.signer.hostCookie(event.id, event.hostSecretHash),
              { maxAgeSeconds: 24 * 60 * 60, secure, sameSite: 'Strict' },
            )
            return { ok: true }
          },
          { params: slugParams, body: z.object({ secret: z.string().min(1).max(200) }) },
        )
        .delete(
          '/session',
          async ({ params, request, set }) => {
            const event = await host(params.slug, request)
            set.headers['set-cookie'] = setCookie(hostCookieName(event.id), '', {
              maxAgeSeconds: 0,
              secure,
              sameSite: 'Strict',
            })
            return { ok: true }
          },
          { params: slugParams },
        )
        .get('/raffles', async ({ params, request }) => rt.hosts.raffles(await host(params.slug, request)), {
          params: slugParams,
        })
        .get(
          '/stream',
          async ({ params, query, request }) => {
            const event = await host(params.slug, request)
            const last = parseSeq(request.headers.get('last-event-id')) ?? parseSeq(query.lastEventId)
            return rt.hub.subscribe(event.id, last, true, request.signal)
          },
          { params: slugParams, query: z.object({ lastEventId: z.string().max(20).optional() }) },
        )
        .get(
          '',
          async ({ params, request }) => {
            const event = await host(params.slug, request)
            return { id: event.id, slug: event.slug, name: event.name, status: event.status, settings: event.settings }
          },
          { params: slugParams },
        )
        .get(
          '/snapshot',
          async ({ params, request }) => {
            const event = await host(params.slug, request)
            const channel = rt.hub.channel(event.id)
            await channel.ready
            // Same shape as the public polling answer, always a full snapshot with the host view.
            return { type: 'snapshot', snapshot: { ...channel.snapshot, admin: channel.admin } }
          },
          { params: slugParams },
        )
        .post(
          '/polls',
          async ({ params, body, request, set }) => {
            const event = await host(params.slug, request)
            set.status = 201
            return rt.hosts.createPoll(event, body)
          },
          { params: slugParams, body: createPollSchema },
        )
        .post(
          '/polls/:id/open',
          async ({ params, request }) => rt.hosts.setPollState(await host(params.slug, request), params.id, 'open'),
          { params: idParams },
        )
        .post(
          '/polls/:id/close',
          async ({ params, request }) => rt.hosts.setPollState(await host(params.slug, request), params.id, 'closed'),
          { params: idParams },
        )
        .put(
          '/status',
          async ({ params, body, request }) => {
            await rt.hosts.setStatus(await host(params.slug, request), body.status, body.message)
            return { status: body.status, message: body.message }
          },
          { params: slugParams, body: statusBodySchema },
        )
        .patch(
          '/settings',
          async ({ params, body, request }) => rt.hosts.updateSettings(await host(params.slug, request), body),
          { params: slugParams, body: settingsSchema },
        )
        .post(
          '/messages/:id/hide',
          async ({ params, request }) => {
            await rt.hosts.moderate(await host(params.slug, request), params.id, 'hidden')
            return { id: params.id, state: 'hidden' }
          },
          { params: idParams },
        )
        .post(
          '/messages/:id/approve',
          async ({ params, request }) => {
            await rt.hosts.moderate(await host(params.slug, request), params.id, 'visible')
            return { id: params.id, state: 'visible' }
          },
          { params: idParams },
        )
        .post(
          '/raffles',
          async ({ params, body, request, set }) => {
            const event = await host(params.slug, request)
            set.status = 201
            return rt.hosts.createRaffle(event, body)
          },
          { params: slugParams, body: raffleBodySchema },
        )
        .post(
          '/raffles/:id/draw',
          async ({ params, request }) => rt.hosts.drawRaffle(await host(params.slug, request), params.id),
          { params: idParams },
        )
        .get('/wristbands', async ({ params, request }) => rt.hosts.batches(await host(params.slug, request)), {
          params: slugParams,
        })
        .post(
          '/wristbands',
          async ({ params, body, request, set }) => {
            const event = await host(params.slug, request)
            const batch = await rt.hosts.createWristbands(event, {
              count: body.count,
              label: body.label,
              startNumber: body.startNumber,
              addToExisting: body.add,
            })
            set.status = 201
            return batch
          },
          { params: slugParams, body: wristbandBatchSchema },
        )
        .post(
          '/wristbands/revoke',
          async ({ params, body, request }) => {
            const numbers = await rt.hosts.revoke(await host(params.slug, request), body)
            return { revoked: numbers.length }
          },
          { params: slugParams, body: revokeSchema },
        )
        .get('/stats', async ({ params, request }) => rt.hosts.stats(await host(params.slug, request)), {
          params: slugParams,
        })
        .get(
          '/attendees',
          async ({ params, query, request }) => {
            const rows = await rt.hosts.attendees(await host(params.slug, request))
            if (query.format === 'csv') {
              const csv = 'number,checked_in_at\n' + rows.map((r) => `${r.number},${r.at.toISOString()}`).join('\n') + '\n'
              return new Response(csv, {
                headers: {
                  'content-type': 'text/csv; charset=utf-8',
                  'content-disposition': `attachment; filename="${params.slug}-attendees.csv"`,
                },
              })
            }
            return rows.map((r) => ({ number: r.number, at: r.at.getTime() }))
          },
          { params: slugParams, query: z.object({ format: z.enum(['json', 'csv']).optional() }) },
        )
        .post(
          '/cue-sheets',
          async ({ params, body, request, set }) => {
            const hash = await rt.hosts.putCueSheet(await host(params.slug, request), body)
            set.status = 201
            return { hash, url: `/cues/${hash}.json` }
          },
          { params: slugParams, body: cueSheetSchema },
        )
        .put(
          '/show',
          async ({ params, body, request }) => {
            const event = await host(params.slug, request)
            if (!(await rt.hosts.cueSheet(body.cueSheet))) throw notFound('cue sheet')
            const show = { cueSheet: `/cues/${body.cueSheet}.json`, startAt: Date.now() + body.startInMs }
            await rt.hosts.setShow(event, show)
            return show
          },
          { params: slugParams, body: showBodySchema },
        )
        .delete(
          '/show',
          async ({ params, request }) => {
            await rt.hosts.setShow(await host(params.slug, request), null)
            return { show: null }
          },
          { params: slugParams },
        ),
    )
}

