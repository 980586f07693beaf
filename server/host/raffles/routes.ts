/** Raffles: list, create, live eligible count, commit, draw, no-shows, claims, the CSV export. */
import { z } from 'zod'
import {
  claimResultSchema,
  hostRaffleSchema,
  noShowResultSchema,
  raffleEligibleSchema,
} from '../../../protocol/host.ts'
import { raffleSchema, revealOrder } from '../../../protocol/index.ts'
import { idParams, slugParams } from '../../http/params.ts'
import type { Runtime } from '../../runtime.ts'
import { hostScope } from '../scope.ts'
import { claimBodySchema, commitBodySchema, numberParams, raffleBodySchema, raffleRulesPreviewSchema } from './model.ts'

export const raffleRoutes = (rt: Runtime) =>
  hostScope(rt, 'raffles')
    .get('/raffles', ({ event }) => rt.raffles.raffles(event), {
      params: slugParams,
      response: z.array(hostRaffleSchema),
      host: true,
    })
    .post(
      '/raffles',
      ({ event, body, set }) => {
        set.status = 201
        return rt.raffles.createRaffle(event, body)
      },
      { params: slugParams, body: raffleBodySchema, response: { 201: hostRaffleSchema }, host: true },
    )
    .post('/raffles/eligible', ({ event, body }) => rt.raffles.preview(event, body.rules), {
      params: slugParams,
      body: raffleRulesPreviewSchema,
      response: raffleEligibleSchema,
      host: true,
    })
    .get('/raffles/:id/eligible', ({ event, params }) => rt.raffles.eligible(event, params.id), {
      params: idParams,
      response: raffleEligibleSchema,
      host: true,
    })
    .post('/raffles/:id/commit', ({ event, params, body }) => rt.raffles.commit(event, params.id, body ?? {}), {
      params: idParams,
      body: commitBodySchema,
      response: hostRaffleSchema,
      host: true,
    })
    .post(
      '/raffles/:id/draw',
      async ({ event, params }) => {
        const raffle = await rt.raffles.drawRaffle(event, params.id)
        // The winners panel comes up on the big screen until the host dismisses it; the draw stands either way.
        await rt.screen
          .afterDraw(event, raffle.id, revealOrder(raffle).length, raffle.drawnAt ?? Date.now())
          .catch((err) => rt.log.warn('winners panel not set', { raffleId: raffle.id, error: String(err) }))
        return raffle
      },
      {
        params: idParams,
        response: raffleSchema,
        host: true,
      },
    )
    .post(
      '/raffles/:id/winners/:number/no-show',
      ({ event, params }) => rt.raffles.noShow(event, params.id, params.number),
      { params: numberParams, response: noShowResultSchema, host: true },
    )
    .post('/raffles/:id/claims', ({ event, params, body }) => rt.raffles.claim(event, params.id, body.code), {
      params: idParams,
      body: claimBodySchema,
      response: claimResultSchema,
      host: true,
    })
    .get(
      '/raffles/:id/export',
      async ({ event, params }) =>
        // A Response skips the response schema; the cast only tells the type checker so.
        new Response(await rt.raffles.exportCsv(event, params.id), {
          headers: {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': `attachment; filename="${event.slug}-raffle-${params.id}.csv"`,
          },
        }) as unknown as string,
      { params: idParams, response: z.string(), host: true },
    )
