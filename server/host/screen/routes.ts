/** The host directs the big screen: `PUT .../screen` (the stage), `PUT`/`DELETE .../screen/winners` (the panel). */
import { screenBodySchema, screenStateSchema, winnersBodySchema } from '../../../protocol/index.ts'
import { slugParams } from '../../http/params.ts'
import type { Runtime } from '../../runtime.ts'
import { hostScope } from '../scope.ts'

export const screenRoutes = (rt: Runtime) =>
  hostScope(rt, 'screen')
    .get('/screen', ({ event }) => rt.screen.current(event), {
      params: slugParams,
      response: screenStateSchema,
      host: true,
    })
    .put('/screen', ({ event, body }) => rt.screen.setView(event, body), {
      params: slugParams,
      body: screenBodySchema,
      response: screenStateSchema,
      host: true,
    })
    .put('/screen/winners', ({ event, body }) => rt.screen.showWinners(event, body), {
      params: slugParams,
      body: winnersBodySchema,
      response: screenStateSchema,
      host: true,
    })
    .delete('/screen/winners', ({ event }) => rt.screen.dismissWinners(event), {
      params: slugParams,
      response: screenStateSchema,
      host: true,
    })
