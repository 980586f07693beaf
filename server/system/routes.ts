/**
 * Operational routes: /time, /healthz, /metrics. The details of /healthz and all of
 * /metrics are private (METRICS_TOKEN, or a direct local connection: ops-access.ts);
 * anyone, a load balancer included, gets /healthz's verdict as `{ok}` and the status code.
 */
import { Elysia } from 'elysia'
import { z } from 'zod'
import { SLUG_PATTERN } from '../events/directory.ts'
import { ApiFailure, errorResponse } from '../http/errors.ts'
import type { Runtime } from '../runtime.ts'
import { mayReadDetails } from './ops-access.ts'

export function systemRoutes(rt: Runtime) {
  return new Elysia({ name: 'system' })
    .get(
      '/time',
      async ({ query }) => {
        // Tiny and uncached: clients sample it to estimate the server clock.
        const serverTime = Date.now()
        let status: 'live' | 'paused' | 'ended' = 'live'
        let message = ''
        try {
          const event = query.event
            ? await rt.directory.bySlug(query.event)
            : await rt.directory.openCached().then((open) => (open.length === 1 ? open[0] : null))
          if (event) ({ status, message } = event)
        } catch {
          // The clock must answer even when the database cannot.
        }
        return new Response(JSON.stringify({ serverTime, status, message }), {
          headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
        })
      },
      { query: z.object({ event: z.string().regex(SLUG_PATTERN, 'not an event slug').optional() }) },
    )
    .get('/healthz', async ({ request, server }) => {
      const [database, live] = await Promise.all([rt.database.ping(), rt.live.ping()])
      const ok = database && live
      const status = ok ? 200 : 503
      const headers = { 'content-type': 'application/json', 'cache-control': 'no-store' }
      if (!mayReadDetails(rt.config, request, server)) return new Response(JSON.stringify({ ok }), { status, headers })
      return new Response(
        JSON.stringify({
          ok,
          mode: rt.config.mode,
          instance: rt.config.INSTANCE_ID,
          database: { kind: rt.database.kind, ok: database },
          live: { kind: rt.live.kind, ok: live },
          flusher: rt.flusher.stats,
          uptimeSeconds: Math.round((Date.now() - rt.startedAt) / 1000),
        }),
        { status, headers },
      )
    })
    .get('/metrics', async ({ request, server }) => {
      if (!mayReadDetails(rt.config, request, server)) {
        return errorResponse(
          rt.config.METRICS_TOKEN
            ? new ApiFailure(401, 'unauthorized', 'send the metrics token as Authorization: Bearer', undefined, {
                'www-authenticate': 'Bearer realm="metrics"',
              })
            : new ApiFailure(403, 'forbidden', 'metrics are served to local connections only; set METRICS_TOKEN'),
        )
      }
      const lines: string[] = []
      const metric = (name: string, type: string, help: string, samples: [string, number][]) => {
        lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`)
        for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`)
      }
      const hub = rt.hub.stats
      metric('glowband_streams_open', 'gauge', 'Open SSE streams on this instance.', [['', hub.subscribers]])
      metric('glowband_streams_refused_total', 'counter', 'SSE streams refused (instance full, address cap).', [
        ['{reason="instance_full"}', hub.refusedFull],
        ['{reason="address_cap"}', hub.refusedAddress],
      ])
      metric('glowband_deltas_total', 'counter', 'Deltas applied and fanned out by this instance.', [['', hub.deltas]])
      metric('glowband_stream_bytes_total', 'counter', 'Bytes written to SSE streams.', [['', hub.bytes]])
      metric('glowband_stream_skips_total', 'counter', 'Times a slow subscriber was skipped to a snapshot.', [
        ['', hub.skipped],
      ])
      metric('glowband_fanouts_total', 'counter', 'Fan-outs to every local subscriber.', [['', hub.fanOuts]])
      metric('glowband_fanout_seconds_total', 'counter', 'Time spent writing fan-outs.', [['', hub.fanOutMs / 1000]])
      metric('glowband_fanout_paused_seconds_total', 'counter', 'Time fan-out waited to leave room for actions.', [
        ['', hub.pausedMs / 1000],
      ])
      const queued = rt.hub.queuedBytes()
      metric('glowband_stream_queued_bytes', 'gauge', 'Bytes waiting in this process for slow subscribers.', [
        ['', queued.total],
      ])
      metric('glowband_stream_queued_bytes_max', 'gauge', 'The most bytes waiting for any one subscriber.', [
        ['', queued.max],
      ])
      metric('glowband_ticks_total', 'counter', 'Ticker ticks run by this instance.', [['', rt.tickers.stats.ticks]])
      metric('glowband_flushed_total', 'counter', 'Queue entries written to Postgres.', [
        ['', rt.flusher.stats.flushed],
      ])
      metric('glowband_flush_failures_total', 'counter', 'Failed flush attempts.', [['', rt.flusher.stats.failures]])
      metric('glowband_dead_letters_total', 'counter', 'Queue entries set aside because Postgres refuses them.', [
        ['', rt.flusher.stats.deadLetters],
      ])
      metric('glowband_flush_backoff_events', 'gauge', 'Events whose writes are backing off after failures.', [
        ['', rt.flusher.backingOff],
      ])
      metric('glowband_stream_channels', 'gauge', 'Events this instance follows for its subscribers.', [
        ['', rt.hub.channelCount],
      ])
      metric('glowband_flush_lag_ms', 'gauge', 'Age of the oldest entry in the last flushed batch.', [
        ['', rt.flusher.stats.lagMs],
      ])
      const events = await rt.live.queue.events().catch(() => [] as number[])
      const depths = await Promise.all(events.map((id) => rt.live.queue.depth(id).catch(() => -1)))
      metric(
        'glowband_queue_depth',
        'gauge',
        'Write-queue entries not yet in Postgres.',
        events.map((id, i) => [`{event="${id}"}`, depths[i]]),
      )
      metric(
        'glowband_ticker_owner',
        'gauge',
        '1 for each event whose ticker lease this instance holds.',
        [...rt.tickers.stats.owned].map((id) => [`{event="${id}",instance="${rt.config.INSTANCE_ID}"}`, 1]),
      )
      const mem = process.memoryUsage()
      metric('glowband_process_rss_bytes', 'gauge', 'Resident memory of this process.', [['', mem.rss]])
      return new Response(`${lines.join('\n')}\n`, {
        headers: { 'content-type': 'text/plain; version=0.0.4', 'cache-control': 'no-store' },
      })
    })
}
