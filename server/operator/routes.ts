/**
 * Operator routes under /api/operator, for the glowband CLI while an embedded-mode
 * server owns the database (see data-dir.ts). They need the operator token the
 * server wrote to DATA_DIR/server.json; without one (cluster mode, tests) they refuse.
 */
import { Elysia } from 'elysia'
import { z } from 'zod'
import {
  batchExportSchema,
  createdBatchSchema,
  createdEventSchema,
  eventSummarySchema,
  revokedNumbersSchema,
  wristbandBatchSummarySchema,
} from '../../protocol/host.ts'
import { ApiFailure, errorResponse } from '../http/errors.ts'
import { slugParams } from '../http/params.ts'
import { pathOf } from '../http/paths.ts'
import type { Runtime } from '../runtime.ts'
import { createEventSchema, operatorBatchSchema, operatorRevokeSchema } from './model.ts'
import { OperatorService } from './service.ts'
import { isOperator } from './token.ts'

export function operatorRoutes(rt: Runtime) {
  const operator = new OperatorService(rt.database.db, rt.directory, rt.wristbands)
  const refused = new ApiFailure(401, 'unauthorized', 'operator calls need the token from DATA_DIR/server.json')
  return (
    new Elysia({ name: 'operator' })
      // Before the router and the body parser: nothing of an unauthenticated call is read.
      .onRequest(({ request }) => {
        if (pathOf(request.url).startsWith('/api/operator/') && !isOperator(rt, request.headers.get('authorization'))) {
          return errorResponse(refused)
        }
      })
      .group('/api/operator', (app) =>
        app
          .get('/events', () => operator.listEvents(), { response: z.array(eventSummarySchema) })
          .post(
            '/events',
            async ({ body, set }) => {
              set.status = 201
              return operator.createEvent(body)
            },
            { body: createEventSchema, response: { 201: createdEventSchema } },
          )
          .get('/events/:slug/wristbands', ({ params }) => operator.batches(params.slug), {
            params: slugParams,
            response: z.array(wristbandBatchSummarySchema),
          })
          .post(
            '/events/:slug/wristbands',
            async ({ params, body, set }) => {
              const batch = await operator.createBatch(params.slug, body)
              set.status = body.dryRun ? 200 : 201
              return batch
            },
            {
              params: slugParams,
              body: operatorBatchSchema,
              response: { 200: createdBatchSchema, 201: createdBatchSchema },
            },
          )
          .post('/events/:slug/wristbands/revoke', ({ params, body }) => operator.revoke(params.slug, body), {
            params: slugParams,
            body: operatorRevokeSchema,
            response: revokedNumbersSchema,
          })
          .get(
            '/events/:slug/wristbands/export',
            ({ params, query }) => operator.exportBatch(params.slug, query.batch),
            {
              params: slugParams,
              query: z.object({ batch: z.string().min(1).max(64) }),
              response: batchExportSchema,
            },
          ),
      )
  )
}
