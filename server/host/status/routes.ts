/** The event as the host sees it, its status (the emergency pause) and its settings. */

import {
  eventSettingsSchema,
  hostEventSchema,
  settingsPatchSchema,
  statusBodySchema,
  statusResultSchema,
} from '../../../protocol/index.ts'
import { slugParams } from '../../http/params.ts'
import type { Runtime } from '../../runtime.ts'
import { hostScope } from '../scope.ts'

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
      { params: slugParams, response: hostEventSchema, host: true },
    )
    .put(
      '/status',
      async ({ event, body }) => {
        await rt.status.setStatus(event, body.status, body.message)
        return { status: body.status, message: body.message }
      },
      { params: slugParams, body: statusBodySchema, response: statusResultSchema, host: true },
    )
    .patch('/settings', ({ event, body }) => rt.status.updateSettings(event, body), {
      params: slugParams,
      body: settingsPatchSchema,
      response: eventSettingsSchema,
      host: true,
    })
