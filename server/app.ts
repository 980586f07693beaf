/**
 * Builds the HTTP app for one runtime. Tests call `app.handle(new Request(...))`;
 * server/index.ts listens.
 */
import { Elysia } from 'elysia'
import { guestRoutes } from './guest/routes.ts'
import { publicRaffleRoutes } from './host/raffles/public-routes.ts'
import { hostRoutes } from './host/routes.ts'
import { errorHandling } from './http/error-handling.ts'
import { securityHeaders } from './http/security-headers.ts'
import { operatorRoutes } from './operator/routes.ts'
import { pageRoutes } from './pages/routes.ts'
import { quizRoutes } from './quiz/routes.ts'
import type { Runtime } from './runtime.ts'
import { streamRoutes } from './stream/routes.ts'
import { apiDocsRoutes } from './system/api-docs.ts'
import { systemRoutes } from './system/routes.ts'

export function createApp(rt: Runtime) {
  const app = new Elysia()
    // First of all hooks, so answers given before the router (limits, the host guard) carry them too.
    .onRequest(({ request, set }) => {
      Object.assign(set.headers, securityHeaders(request))
    })
    .use(errorHandling(rt))
    .use(systemRoutes(rt))
    .use(guestRoutes(rt))
    .use(streamRoutes(rt))
    .use(publicRaffleRoutes(rt))
    .use(hostRoutes(rt))
    .use(quizRoutes(rt))
    .use(operatorRoutes(rt))
    .use(pageRoutes(rt))
  return app.use(apiDocsRoutes(() => app))
}

export type App = ReturnType<typeof createApp>
