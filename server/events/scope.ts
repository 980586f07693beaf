/**
 * The `event` macro: a route under `/:slug` that says `event: true` gets the event
 * record (404 if there is none). Public and guest routes use it; host routes get the
 * event from the host guard instead.
 */
import { Elysia } from 'elysia'
import { notFound } from '../http/errors.ts'
import type { Runtime } from '../runtime.ts'
import type { EventRecord } from './directory.ts'

export async function requireEvent(rt: Runtime, slug: string): Promise<EventRecord> {
  const event = await rt.directory.bySlug(slug)
  if (!event) throw notFound('event')
  return event
}

const scopes = new WeakMap<Runtime, ReturnType<typeof build>>()

const build = (rt: Runtime) =>
  new Elysia({ name: 'event-scope' }).macro({
    event: {
      async resolve({ params }) {
        return { event: await requireEvent(rt, (params as { slug: string }).slug) }
      },
    },
  })

/** One instance per runtime, so every feature that uses it shares the same plugin. */
export function eventScope(rt: Runtime) {
  let scope = scopes.get(rt)
  if (!scope) scopes.set(rt, (scope = build(rt)))
  return scope
}
