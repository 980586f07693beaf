/** The host's poll routes: create a draft poll, open it, close it. */
import { createdPollSchema, pollStateResultSchema } from '../../../protocol/host.ts'
import { idParams, slugParams } from '../../http/params.ts'
import type { Runtime } from '../../runtime.ts'
import { hostScope } from '../scope.ts'
import { createPollSchema } from './model.ts'

export const pollRoutes = (rt: Runtime) =>
  hostScope(rt, 'polls')
    .post(
      '/polls',
      ({ event, body, set }) => {
        set.status = 201
        return rt.polls.createPoll(event, body)
      },
      { params: slugParams, body: createPollSchema, response: { 201: createdPollSchema }, host: true },
    )
    .post('/polls/:id/open', ({ event, params }) => rt.polls.setPollState(event, params.id, 'open'), {
      params: idParams,
      response: pollStateResultSchema,
      host: true,
    })
    .post('/polls/:id/close', ({ event, params }) => rt.polls.setPollState(event, params.id, 'closed'), {
      params: idParams,
      response: pollStateResultSchema,
      host: true,
    })
