/** The host's Q&A routes: moderate one question, or many at once. */
import { idParams, slugParams } from '../../http/params.ts'
import type { Runtime } from '../../runtime.ts'
import { hostScope } from '../scope.ts'
import { bulkModerationSchema, bulkResultSchema, hostQuestionSchema, questionChangeSchema } from './model.ts'

export const qaRoutes = (rt: Runtime) =>
  hostScope(rt, 'qa')
    .post('/questions/bulk', ({ event, body }) => rt.qa.bulk(event, body.ids, body.action), {
      params: slugParams,
      body: bulkModerationSchema,
      response: bulkResultSchema,
      host: true,
    })
    .post('/questions/:id', ({ event, params, body }) => rt.qa.change(event, params.id, body), {
      params: idParams,
      body: questionChangeSchema,
      response: hostQuestionSchema,
      host: true,
    })
