/** The host's poll routes: create a draft poll, open it, close it. */
import { z } from 'zod'
import {
  createdPollSchema,
  pollOrderSchema,
  pollStateResultSchema,
  textAnswerAdminSchema,
} from '../../../protocol/host.ts'
import { idParams, slugParams } from '../../http/params.ts'
import type { Runtime } from '../../runtime.ts'
import { hostScope } from '../scope.ts'
import { createPollSchema, reorderPollsSchema } from './model.ts'

const answerParams = idParams.extend({
  number: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1),
})

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
    .put('/polls/order', ({ event, body }) => rt.polls.reorderPolls(event, body.ids), {
      params: slugParams,
      body: reorderPollsSchema,
      response: pollOrderSchema,
      host: true,
    })
    .put('/polls/:id', ({ event, params, body }) => rt.polls.editPoll(event, params.id, body), {
      params: idParams,
      body: createPollSchema,
      response: createdPollSchema,
      host: true,
    })
    .post(
      '/polls/:id/duplicate',
      ({ event, params, set }) => {
        set.status = 201
        return rt.polls.duplicatePoll(event, params.id)
      },
      { params: idParams, response: { 201: createdPollSchema }, host: true },
    )
    .post('/polls/:id/reset', ({ event, params }) => rt.polls.resetPoll(event, params.id), {
      params: idParams,
      response: pollStateResultSchema,
      host: true,
    })
    .post('/polls/:id/reveal', ({ event, params }) => rt.polls.reveal(event, params.id), {
      params: idParams,
      response: pollStateResultSchema,
      host: true,
    })
    .get('/polls/:id/answers', ({ event, params, query }) => rt.polls.answers(event, params.id, query.state), {
      params: idParams,
      query: z.object({ state: z.enum(['visible', 'held', 'hidden']).optional() }),
      response: z.array(textAnswerAdminSchema),
      host: true,
    })
    .post(
      '/polls/:id/answers/:number/approve',
      ({ event, params }) => rt.polls.moderateAnswer(event, params.id, params.number, 'visible'),
      { params: answerParams, response: textAnswerAdminSchema, host: true },
    )
    .post(
      '/polls/:id/answers/:number/hide',
      ({ event, params }) => rt.polls.moderateAnswer(event, params.id, params.number, 'hidden'),
      { params: answerParams, response: textAnswerAdminSchema, host: true },
    )
    .post('/polls/:id/close', ({ event, params }) => rt.polls.setPollState(event, params.id, 'closed'), {
      params: idParams,
      response: pollStateResultSchema,
      host: true,
    })
