/** The public live stream (SSE) and its polling fallback. */
import { Elysia } from 'elysia'
import { z } from 'zod'
import { adminViewSchema, snapshotSchema } from '../../protocol/index.ts'
import { eventScope } from '../events/scope.ts'
import { hostScope } from '../host/scope.ts'
import { clientAddress } from '../http/client-address.ts'
import { parseSeq, slugParams } from '../http/params.ts'
import type { Runtime } from '../runtime.ts'
import { pollDocs, streamDocs } from './docs.ts'

const hostSnapshotSchema = z.object({
  type: z.literal('snapshot'),
  snapshot: snapshotSchema.extend({ admin: adminViewSchema }),
})

const streamQuery = z.object({ lastEventId: z.string().max(20).optional() })

/** The resume point of a stream request: Last-Event-ID, or the query parameter a reloaded page uses. */
const lastSeq = (request: Request, query: { lastEventId?: string }) =>
  parseSeq(request.headers.get('last-event-id')) ?? parseSeq(query.lastEventId)

export function streamRoutes(rt: Runtime) {
  return new Elysia({ name: 'stream' }).use(publicStream(rt)).use(adminStream(rt))
}

/** The host's stream and snapshot: the public state plus the host view (moderation queue, check-ins). */
const adminStream = (rt: Runtime) =>
  hostScope(rt, 'admin-stream')
    .get(
      '/stream',
      ({ event, query, request }) =>
        // The host's own stream is never refused for a full room (it counts towards it).
        rt.hub.subscribe(event.id, lastSeq(request, query), true, request.signal),
      {
        params: slugParams,
        query: streamQuery,
        detail: streamDocs('The host view: the public stream plus `admin` (held messages, check-ins)'),
        host: true,
      },
    )
    .get(
      '/snapshot',
      async ({ event }) => {
        const channel = await rt.hub.ready(event.id)
        // Same shape as the public polling answer, always a full snapshot with the host view.
        return { type: 'snapshot' as const, snapshot: { ...channel.snapshot, admin: channel.admin } }
      },
      { params: slugParams, response: hostSnapshotSchema, host: true },
    )

function publicStream(rt: Runtime) {
  return new Elysia({ name: 'public-stream' }).use(eventScope(rt)).group('/api/events/:slug', (app) =>
    app
      .get(
        '/stream',
        ({ event, query, request, server }) =>
          rt.hub.subscribe(
            event.id,
            lastSeq(request, query),
            false,
            request.signal,
            clientAddress(rt.config, request, server),
          ),
        {
          params: slugParams,
          query: streamQuery,
          detail: streamDocs('The live state: snapshot, then deltas'),
          event: true,
        },
      )
      .get(
        '/snapshot',
        async ({ event, query, request }) => {
          const channel = await rt.hub.ready(event.id)
          return pollResponse(channel, parseSeq(query.since), request.headers.get('if-none-match'))
        },
        {
          params: slugParams,
          query: z.object({ since: z.string().max(20).optional() }),
          detail: pollDocs,
          event: true,
        },
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
  if (ifNoneMatch === etag && (since === null || since === channel.seq))
    return new Response(null, { status: 304, headers })
  const deltas = since === null ? null : channel.deltasSince(since)
  const body =
    deltas === null
      ? `{"type":"snapshot","snapshot":${JSON.stringify(channel.snapshot)}}`
      : `{"type":"deltas","seq":${channel.seq},"deltas":[${deltas.join(',')}]}`
  return new Response(body, { headers })
}
