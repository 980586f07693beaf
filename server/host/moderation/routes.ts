/** Moderation: hide a message from every screen, or approve a held one. */
import { messageModerationResultSchema } from '../../../protocol/host.ts'
import { idParams } from '../../http/params.ts'
import type { Runtime } from '../../runtime.ts'
import { hostScope } from '../scope.ts'

export const moderationRoutes = (rt: Runtime) =>
  hostScope(rt, 'moderation')
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
