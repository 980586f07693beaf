/** The public live stream (SSE) and its polling fallback. */
import { Elysia } from 'elysia'
import { z } from 'zod'
import type { Runtime } from '../runtime.ts'
import { parseSeq, requireEvent, slugParams } from './context.ts'

export function streamRoutes(rt: Runtime) {
  return new Elysia({ name: 'stream' }).group('/api/events/:slug', (app) =>
    app
      .get(
        '/stream',
        async ({ params, query, request }) => {
          const event = await requireEvent(rt, params.slug)
          // A reloaded page cannot set Last-Event-ID on its first connect, hence the query parameter.
          const last = parseSeq(request.headers.get('last-event-id')) ?? parseSeq(query.lastEventId)
          return rt.hub.subscribe(event.id, last, false, request.signal)
        },
        { params: slugParams, query: z.object({ lastEventId: z.string().max(20).optional() }) },
      )
      .get(
        '/snapshot',
        async ({ params, query, request }) => {
          const event = await requireEvent(rt, params.slug)
          const channel = rt.hub.channel(event.id)
          await channel.ready
          return pollResponse(channel, parseSeq(query.since), request.headers.get('if-none-match'))
        },
        { params: slugParams, query: z.object({ since: z.string().max(20).optional() }) },
      ),
  )
}

/**
 * Polling answer, served from this instance's memory: 304 when the client already has
 * the current seq, the missed deltas when they are all held, else a fresh snapshot.
 */
export function pollResponse(
  channel: { seq: number; snapshot: unknown; deltasSince(since: number): string[] | null },
  since: number | null,
  ifNoneMatch: string | null,
): Response {
  const etag = `"${channel.seq}"`
  const headers = { etag, 'cache-control': 'no-cache', 'content-type': 'application/json; charset=utf-8' }
  if (ifNoneMatch === etag && (since === null || since === channel.seq)) return new Response(null, { status: 304, headers })
  const deltas = since === null ? null : channel.deltasSince(since)
  const body =
    deltas === null
      ? `{"type":"snapshot","snapshot":${JSON.stringify(channel.snapshot)}}`
      : `{"type":"deltas","seq":${channel.seq},"deltas":[${deltas.join(',')}]}`
  return new Response(body, { headers })
}
