/** The event as the host sees it, its status (the emergency pause) and its settings. */
import { slugParams } from '../../http/params.ts'
import type { Runtime } from '../../runtime.ts'
import { hostScope } from '../scope.ts'
import { settingsSchema, statusBodySchema } from './model.ts'

export const statusRoutes = (rt: Runtime) =>
  hostScope(rt, 'status')
    .get(
      '',
      ({ event }) => ({
        id: event.id,
        slug: event.slug,
        name: event.name,
        status: event.status,
        settings: event.settings,
      }),
      { params: slugParams, host: true },
    )
    .put(
      '/status',
      async ({ event, body }) => {
        await rt.status.setStatus(event, body.status, body.message)
        return { status: body.status, message: body.message }
      },
      { params: slugParams, body: statusBodySchema, host: true },
    )
    .patch('/settings', ({ event, body }) => rt.status.updateSettings(event, body), {
      params: slugParams,
      body: settingsSchema,
      host: true,
    })
