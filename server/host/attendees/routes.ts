/** Who checked in (JSON or CSV), and what Postgres holds for the event. */
import { z } from 'zod'
import {
  attendeeListQuerySchema,
  attendeeListSchema,
  attendeeSchema,
  checkinCurveQuerySchema,
  checkinCurveSchema,
  eventStatsSchema,
} from '../../../protocol/host.ts'
import { slugParams } from '../../http/params.ts'
import type { Runtime } from '../../runtime.ts'
import { hostScope } from '../scope.ts'

export const attendeeRoutes = (rt: Runtime) =>
  hostScope(rt, 'attendees')
    .get('/stats', ({ event }) => rt.attendees.stats(event), {
      params: slugParams,
      response: eventStatsSchema,
      host: true,
    })
    .get(
      '/attendees',
      async ({ event, query }) => {
        const rows = await rt.attendees.attendees(event)
        if (query.format === 'csv') {
          const csv = `number,checked_in_at\n${rows.map((r) => `${r.number},${r.at.toISOString()}`).join('\n')}\n`
          // A Response skips the JSON response schema; the cast only tells the type checker so.
          return new Response(csv, {
            headers: {
              'content-type': 'text/csv; charset=utf-8',
              'content-disposition': `attachment; filename="${event.slug}-attendees.csv"`,
            },
          }) as unknown as { number: number; at: number }[]
        }
        return rows.map((r) => ({ number: r.number, at: r.at.getTime() }))
      },
      {
        params: slugParams,
        query: z.object({ format: z.enum(['json', 'csv']).optional() }),
        response: z.array(attendeeSchema),
        detail: { description: 'JSON by default; `?format=csv` answers text/csv for spreadsheets.' },
        host: true,
      },
    )
    .get('/attendees/list', ({ event, query }) => rt.attendees.list(event, query), {
      params: slugParams,
      query: attendeeListQuerySchema,
      response: attendeeListSchema,
      detail: {
        summary: 'Wristbands at a glance: number, batch, checked in or not, revoked; searched and paged',
        description:
          '`q` is a wristband number (exact, or its first digits) or part of a batch label; `state` is all, in, out or revoked; `limit` (1-200) and `offset` page.',
      },
      host: true,
    })
    .get('/attendees/curve', ({ event, query }) => rt.attendees.curve(event, query.bucket), {
      params: slugParams,
      query: checkinCurveQuerySchema,
      response: checkinCurveSchema,
      detail: {
        summary: 'The check-in curve per batch: running totals per minute (or `bucket` minutes), revoked left out',
      },
      host: true,
    })
