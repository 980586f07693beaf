/** The quiz's routes: the host builds and runs quizzes; guests answer and pick a nickname. */
import { Elysia } from 'elysia'
import { z } from 'zod'
import {
  answerBodySchema,
  answerResultSchema,
  createQuizSchema,
  nicknameBodySchema,
  nicknameResultSchema,
  quizSchema,
  scoreResultSchema,
} from '../../protocol/quiz-api.ts'
import { guestGuard } from '../guest/guard.ts'
import { hostScope } from '../host/scope.ts'
import { idParams, slugParams } from '../http/params.ts'
import type { Runtime } from '../runtime.ts'

const numberParams = slugParams.extend({
  number: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1),
})

export const quizHostRoutes = (rt: Runtime) =>
  hostScope(rt, 'quizzes')
    .post(
      '/quizzes',
      ({ event, body, set }) => {
        set.status = 201
        return rt.quiz.create(event, body)
      },
      { params: slugParams, body: createQuizSchema, response: { 201: quizSchema }, host: true },
    )
    .get('/quizzes', ({ event }) => rt.quiz.list(event), {
      params: slugParams,
      response: z.array(quizSchema),
      host: true,
    })
    .get('/quizzes/:id', ({ event, params }) => rt.quiz.get(event, params.id), {
      params: idParams,
      response: quizSchema,
      host: true,
    })
    .post('/quizzes/:id/next', ({ event, params }) => rt.quiz.next(event, params.id), {
      params: idParams,
      response: quizSchema,
      host: true,
    })
    .delete('/nicknames/:number', ({ event, params }) => rt.quiz.resetNickname(event, params.number), {
      params: numberParams,
      response: nicknameResultSchema,
      host: true,
    })

export const quizGuestRoutes = (rt: Runtime) =>
  new Elysia({ name: 'quiz-guest', prefix: '/api/events/:slug' })
    .use(guestGuard(rt))
    .post(
      '/answers',
      async ({ event, number, body, set }) => {
        const result = await rt.quiz.answer(event, number, body)
        set.status = 202
        return result
      },
      { params: slugParams, body: answerBodySchema, response: { 202: answerResultSchema }, guest: true },
    )
    .get(
      '/score',
      ({ event, number, set }) => {
        set.headers['cache-control'] = 'no-store'
        return rt.quiz.score(event, number)
      },
      { params: slugParams, response: scoreResultSchema, guest: true },
    )
    .put('/nickname', ({ event, number, body }) => rt.quiz.setNickname(event, number, body.nickname), {
      params: slugParams,
      body: nicknameBodySchema,
      response: nicknameResultSchema,
      guest: true,
    })

export const quizRoutes = (rt: Runtime) => new Elysia({ name: 'quiz' }).use(quizGuestRoutes(rt)).use(quizHostRoutes(rt))
