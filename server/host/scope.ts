/** A host feature's routes: under /api/admin/events/:slug, behind the host guard. */
import { Elysia } from 'elysia'
import type { Runtime } from '../runtime.ts'
import { hostGuard } from './guard.ts'

export const ADMIN_PREFIX = '/api/admin/events/:slug'

export const hostScope = (rt: Runtime, name: string) => new Elysia({ name, prefix: ADMIN_PREFIX }).use(hostGuard(rt))
