/**
 * Operator routes under /api/operator, for the glowband CLI while an embedded-mode
 * server owns the database (see server/operator.ts). They need the operator token the
 * server wrote to DATA_DIR/server.json; without one (cluster mode, tests) they refuse.
 */
import { Elysia } from 'elysia'
import { z } from 'zod'
import { ApiFailure } from '../errors.ts'
import { createEventSchema, isOperator, OperatorService } from '../operator.ts'
import type { Runtime } from '../runtime.ts'
import { slugParams } from './context.ts'
import { wristbandBatchSchema } from './host.ts'

export const operatorBatchSchema = wristbandBatchSchema.extend({ dryRun: z.boolean().default(false) })
export const operatorRevokeSchema = z
  .object({
    numbers: z.array(z.number().int().positive()).min(1).max(10_000).optional(),
    codes: z.array(z.string().max(64)).min(1).max(1000).optional(),
    batch: z.string().max(64).optional(),
  })
  .refine((b) => [b.numbers, b.codes, b.batch].filter((v) => v !== undefined).length === 1, 'give one of numbers, codes or batch')

export function operatorRoutes(rt: Runtime) {
  const operator = new OperatorService(rt.database.db, rt.directory, rt.hosts)
  const guard = ({ request }: { request: Request }) => {
    if (!isOperator(rt, request.headers.get('authorization'))) {
      throw new ApiFailure(401, 'unauthorized', 'operator calls need the token from DATA_DIR/server.json')
    }
  }
  return new Elysia({ name: 'operator' }).group('/api/operator', (app) =>
    app
      .onTransform(guard)
      .get('/events', () => operator.listEvents())
      .post(
        '/events',
        async ({ body, set }) => {
          set.status = 201
          return operator.createEvent(body)
        },
        { body: createEventSchema },
      )
      .get('/events/:slug/wristbands', ({ params }) => operator.batches(params.slug), { params: slugParams })
      .post(
        '/events/:slug/wristbands',
        async ({ params, body, set }) => {
          const batch = await operator.createBatch(params.slug, body)
          set.status = body.dryRun ? 200 : 201
          return batch
        },
        { params: slugParams, body: operatorBatchSchema },
      )
      .post('/events/:slug/wristbands/revoke', ({ params, body }) => operator.revoke(params.slug, body), {
        params: slugParams,
        body: operatorRevokeSchema,
      })
      .get('/events/:slug/wristbands/export', ({ params, query }) => operator.exportBatch(params.slug, query.batch), {
        params: slugParams,
        query: z.object({ batch: z.string().min(1).max(64) }),
      }),
  )
}
