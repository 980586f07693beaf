/** Moderation: hide a message from every screen, approve a held one, in bulk; ban wristbands from writing. */
import { messageModerationResultSchema } from '../../../protocol/host.ts'
import { idParams, slugParams } from '../../http/params.ts'
import type { Runtime } from '../../runtime.ts'
import { banListSchema, banParams, banSchema, bulkModerationSchema, bulkResultSchema } from '../qa/model.ts'
import { hostScope } from '../scope.ts'

export const moderationRoutes = (rt: Runtime) =>
  hostScope(rt, 'moderation')
    .post('/messages/bulk', ({ event, body }) => rt.moderation.bulk(event, body.ids, body.action), {
      params: slugParams,
      body: bulkModerationSchema,
      response: bulkResultSchema,
      host: true,
    })
    .post(
      '/messages/:id/hide',
      async ({ event, params }) => {
        await rt.moderation.moderate(event, params.id, 'hidden')
        return { id: params.id, state: 'hidden' as const }
      },
      { params: idParams, response: messageModerationResultSchema, host: true },
    )
    .post(
      '/messages/:id/approve',
      async ({ event, params }) => {
        await rt.moderation.moderate(event, params.id, 'visible')
        return { id: params.id, state: 'visible' as const }
      },
      { params: idParams, response: messageModerationResultSchema, host: true },
    )
    .get('/bans', ({ event }) => rt.moderation.bans(event), { params: slugParams, response: banListSchema, host: true })
    .put('/bans/:number', ({ event, params }) => rt.moderation.ban(event, params.number, true), {
      params: banParams,
      response: banSchema,
      host: true,
    })
    .delete('/bans/:number', ({ event, params }) => rt.moderation.ban(event, params.number, false), {
      params: banParams,
      response: banSchema,
      host: true,
    })
