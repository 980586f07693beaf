/** Who checked in (JSON or CSV), and what Postgres holds for the event. */
import { z } from 'zod'
import { attendeeSchema, eventStatsSchema } from '../../../protocol/host.ts'
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
