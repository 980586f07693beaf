/** Raffles: list, create, draw. */
import { z } from 'zod'
import { hostRaffleSchema } from '../../../protocol/host.ts'
import { raffleSchema } from '../../../protocol/index.ts'
import { idParams, slugParams } from '../../http/params.ts'
import type { Runtime } from '../../runtime.ts'
import { hostScope } from '../scope.ts'
import { raffleBodySchema } from './model.ts'

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
    .post('/raffles/:id/draw', ({ event, params }) => rt.raffles.drawRaffle(event, params.id), {
      params: idParams,
      response: raffleSchema,
      host: true,
    })
