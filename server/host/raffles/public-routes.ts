/**
 * The public side of raffles: the proof anyone can fetch (no seed before the draw), a
 * guest's taps during the drum roll (the draw's entropy), and a guest's own prizes with
 * their claim codes.
 */
import { Elysia } from 'elysia'
import { z } from 'zod'
import { guestWinsSchema } from '../../../protocol/host.ts'
import { raffleProofSchema } from '../../../protocol/raffle-proof.ts'
import { eventScope } from '../../events/scope.ts'
import { guestGuard } from '../../guest/guard.ts'
import { idParams, slugParams } from '../../http/params.ts'
import type { Runtime } from '../../runtime.ts'
import { tapBodySchema } from './model.ts'

export const publicRaffleRoutes = (rt: Runtime) =>
  new Elysia({ name: 'public-raffles', prefix: '/api/events/:slug/raffles' })
    .use(eventScope(rt))
    .use(guestGuard(rt))
    .get(
      '/wins',
      ({ event, number, set }) => {
        set.headers['cache-control'] = 'no-store'
        return rt.raffles.winsOf(event, number)
      },
      { params: slugParams, response: guestWinsSchema, guest: true },
    )
    .get(
      '/:id/proof',
      ({ event, params, set }) => {
        set.headers['cache-control'] = 'no-store'
        return rt.raffles.proof(event, params.id)
      },
      { params: idParams, response: raffleProofSchema, event: true },
    )
    .post(
      '/:id/taps',
      async ({ event, number, params, body, set }) => {
        const result = await rt.raffles.tap(event, params.id, number, body.nonce)
        set.status = 202
        return result
      },
      {
        params: idParams,
        body: tapBodySchema,
        response: { 202: z.object({ counted: z.boolean() }) },
        guest: true,
      },
    )
