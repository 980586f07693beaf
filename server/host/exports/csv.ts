/**
 * CSV as spreadsheets read it: RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180) quoting
 * and CRLF line ends, a UTF-8 byte order mark so Excel does not read the file as the
 * system code page, and the OWASP guard against formula injection
 * (https://owasp.org/www-community/attacks/CSV_Injection): guests write the text we
 * export, and a cell starting with = + - @ (or a tab or carriage return) would run as a
 * formula on the host's laptop, so such a text cell gets a leading single quote.
 */

export type Cell = string | number | boolean | null | undefined

/** The byte order mark at the very start of the file. */
export const BOM = '\uFEFF'

const FORMULA_START = /^[=+\-@\t\r]/
const NEEDS_QUOTES = /[",\r\n]/

/**
 * One field: numbers as they are, text guarded against formulas and quoted when it holds
 * a quote, a comma or a line break (a quote inside is doubled).
 *
 * @example
 * csvCell('=1+1') // "'=1+1"
 * csvCell('say "hi", all') // '"say ""hi"", all"'
 */
export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  const text = FORMULA_START.test(value) ? `'${value}` : value
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** One record, with its CRLF. */
export const csvRow = (cells: readonly Cell[]) => `${cells.map(csvCell).join(',')}\r\n`

/** A timestamp as spreadsheets and scripts both read it: ISO 8601 in UTC. */
export const csvTime = (at: Date | number | null | undefined) =>
  at === null || at === undefined ? '' : new Date(at).toISOString()

/**
 * A CSV body streamed page by page: the BOM and the header first, then each page's rows
 * as one chunk. A page is only read when the client has taken the one before (the
 * stream's pull), so a slow download holds one page in memory; a client that goes away
 * ends the read (`return()` on the pages).
 */
export function csvStream(header: readonly string[], pages: AsyncGenerator<Cell[][]>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  let started = false
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!started) {
          started = true
          controller.enqueue(encoder.encode(BOM + csvRow(header)))
          return
        }
        const next = await pages.next()
        if (next.done) {
          controller.close()
          return
        }
        let chunk = ''
        for (const row of next.value) chunk += csvRow(row)
        controller.enqueue(encoder.encode(chunk))
      },
      async cancel() {
        await pages.return(undefined)
      },
    },
    { highWaterMark: 0 },
  )
}
