/** Wristband batches: list, generate, revoke. */
import { z } from 'zod'
import { createdBatchSchema, revokeResultSchema, wristbandBatchSummarySchema } from '../../../protocol/host.ts'
import { slugParams } from '../../http/params.ts'
import type { Runtime } from '../../runtime.ts'
import { hostScope } from '../scope.ts'
import { revokeSchema, wristbandBatchSchema } from './model.ts'

export const wristbandRoutes = (rt: Runtime) =>
  hostScope(rt, 'wristbands')
    .get('/wristbands', ({ event }) => rt.wristbands.batches(event), {
      params: slugParams,
      response: z.array(wristbandBatchSummarySchema),
      host: true,
    })
    .post(
      '/wristbands',
      async ({ event, body, set }) => {
        const batch = await rt.wristbands.createWristbands(event, {
          count: body.count,
          label: body.label,
          startNumber: body.startNumber,
          addToExisting: body.add,
        })
        set.status = 201
        return batch
      },
      { params: slugParams, body: wristbandBatchSchema, response: { 201: createdBatchSchema }, host: true },
    )
    .post(
      '/wristbands/revoke',
      async ({ event, body }) => {
        const numbers = await rt.wristbands.revoke(event, body)
        return { revoked: numbers.length }
      },
      { params: slugParams, body: revokeSchema, response: revokeResultSchema, host: true },
    )
