/** Every host feature's routes, each behind the host guard. */
import { Elysia } from 'elysia'
import type { Runtime } from '../runtime.ts'
import { attendeeRoutes } from './attendees/routes.ts'
import { exportRoutes } from './exports/routes.ts'
import { imageRoutes, lookRoutes } from './look/routes.ts'
import { moderationRoutes } from './moderation/routes.ts'
import { pollRoutes } from './polls/routes.ts'
import { qaRoutes } from './qa/routes.ts'
import { raffleRoutes } from './raffles/routes.ts'
import { screenRoutes } from './screen/routes.ts'
import { sessionRoutes } from './session/routes.ts'
import { cueSheetRoutes, showRoutes } from './show/routes.ts'
import { statusRoutes } from './status/routes.ts'
import { wristbandRoutes } from './wristbands/routes.ts'

export const hostRoutes = (rt: Runtime) =>
  new Elysia({ name: 'host' })
    .use(sessionRoutes(rt))
    .use(statusRoutes(rt))
    .use(pollRoutes(rt))
    .use(moderationRoutes(rt))
    .use(qaRoutes(rt))
    .use(raffleRoutes(rt))
    .use(wristbandRoutes(rt))
    .use(attendeeRoutes(rt))
    .use(exportRoutes(rt))
    .use(showRoutes(rt))
    .use(cueSheetRoutes(rt))
    .use(screenRoutes(rt))
    .use(lookRoutes(rt))
    .use(imageRoutes(rt))
