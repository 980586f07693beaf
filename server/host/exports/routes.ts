/**
 * `GET /api/admin/events/:slug/exports/:file`, file being results.csv, responses.csv,
 * messages.csv, questions.csv or checkins.csv: the host's downloads, streamed
 * (service.ts, csv.ts). Any other file name is a 404 naming the ones there are.
 */
import { z } from 'zod'
import { ApiFailure } from '../../http/errors.ts'
import { slugParams } from '../../http/params.ts'
import type { Runtime } from '../../runtime.ts'
import { hostScope } from '../scope.ts'
import { csvStream } from './csv.ts'
import { EXPORTS, type ExportName } from './service.ts'

const FILES = EXPORTS.map((name) => `${name}.csv`)

const exportParams = slugParams.extend({
  file: z
    .string()
    .max(100)
    .describe(`the file: ${FILES.join(', ')}`),
})

export const exportRoutes = (rt: Runtime) =>
  hostScope(rt, 'exports').get(
    '/exports/:file',
    ({ event, params }) => {
      const name = params.file.replace(/\.csv$/, '') as ExportName
      if (!params.file.endsWith('.csv') || !EXPORTS.includes(name)) {
        throw new ApiFailure(404, 'not_found', `no export named "${params.file}"; there are ${FILES.join(', ')}`, {
          file: `one of ${FILES.join(', ')}`,
        })
      }
      const table = rt.exports.table(event, name)
      const pages = (async function* () {
        try {
          yield* table.pages
        } catch (err) {
          // The status line has gone out: the download ends short, and the log says why.
          rt.log.error('export failed mid-stream', { event: event.slug, export: name, error: String(err) })
          throw err
        }
      })()
      return new Response(csvStream(table.header, pages), {
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${event.slug}-${name}.csv"`,
          'cache-control': 'no-store',
        },
      })
    },
    {
      params: exportParams,
      detail: {
        description:
          'Streamed CSV (UTF-8 with BOM, RFC 4180, CRLF). Text cells starting with = + - @ get a leading single quote so spreadsheets do not run them. See docs/protocol.md, "Exports".',
        responses: {
          '200': { description: 'The CSV file', content: { 'text/csv': { schema: { type: 'string' } } } },
          '404': { description: 'No such export (or event)' },
        },
      },
      host: true,
    },
  )
