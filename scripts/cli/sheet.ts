/**
 * The printable sheet: an HTML page of labels, one per wristband, with the QR code (and
 * its quiet zone), the public number and the typed code. 21 labels of 63.5 x 38.1 mm
 * a page (3 x 7), cut along the dashed lines; the grid fits A4 and US Letter alike, and
 * `paper` sets the page size the browser prints. Big batches are split into files of
 * PAGES_PER_FILE pages, so a browser opens and prints each one comfortably.
 */
import { formatCode } from '../../server/host/wristbands/codes.ts'
import { escapeXml as esc, QUIET_ZONE, qrMatrix, qrPath } from './qr.ts'

export type Paper = 'a4' | 'letter'
export const PAPERS: Record<Paper, { css: string; width: number; height: number; name: string }> = {
  a4: { css: 'A4', width: 210, height: 297, name: 'A4' },
  letter: { css: 'letter', width: 215.9, height: 279.4, name: 'US Letter' },
}
export const LABELS_PER_PAGE = 21
export const PAGES_PER_FILE = 50
export const LABELS_PER_FILE = LABELS_PER_PAGE * PAGES_PER_FILE

export interface Wristband {
  number: number
  code: string
  url: string
}

export interface SheetInfo {
  eventName: string
  /** Where guests type a code by hand, e.g. `gala.example.com/e/gala`. */
  typeAt: string
  paper: Paper
  batch: string
}

/**
 * Chinese faces named after the Latin ones: an event name in Chinese prints in a Simplified
 * Chinese face instead of whatever the browser falls back to (Japanese forms under
 * lang="en", or nothing on a machine whose default font has no Han glyphs).
 */
const CJK_FONTS = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "Noto Sans SC"'

const style = (paper: Paper) => {
  const p = PAPERS[paper]
  return `
@page { size: ${p.css}; margin: 0 }
* { box-sizing: border-box }
html, body { margin: 0; padding: 0 }
body { font-family: "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", ${CJK_FONTS}, sans-serif; color: #000;
  -webkit-print-color-adjust: exact; print-color-adjust: exact }
.page { width: ${p.width}mm; height: ${p.height}mm; display: flex; align-items: center; justify-content: center;
  overflow: hidden; break-after: page; page-break-after: always; background: #fff }
.page:last-child { break-after: auto; page-break-after: auto }
.grid { display: grid; grid-template-columns: repeat(3, 63.5mm); grid-auto-rows: 38.1mm; width: 190.5mm;
  align-content: start; height: 266.7mm }
.label { position: relative; display: flex; align-items: center; gap: 1.2mm; padding: 2mm 2mm 2mm 1.6mm;
  border-right: .25mm dashed #9a9a9a; border-bottom: .25mm dashed #9a9a9a; overflow: hidden }
.label:nth-child(3n+1) { border-left: .25mm dashed #9a9a9a }
.label:nth-child(-n+3) { border-top: .25mm dashed #9a9a9a }
.label svg { width: 31mm; height: 31mm; flex: none; display: block }
.info { flex: 1; min-width: 0; height: 31mm; display: flex; flex-direction: column; justify-content: space-between }
.event { font-size: 6.5pt; font-weight: 600; letter-spacing: .06em; text-transform: uppercase; color: #333;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis }
.no { font-size: 6pt; letter-spacing: .1em; text-transform: uppercase; color: #555; margin-top: .6mm }
.number { font-size: 25pt; font-weight: 800; line-height: 1; letter-spacing: -.02em; font-variant-numeric: tabular-nums }
.number.n5 { font-size: 21pt } .number.n6 { font-size: 17pt } .number.n7 { font-size: 14pt }
.code { font-family: "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace; font-size: 8.4pt;
  font-weight: 700; letter-spacing: 0; white-space: nowrap }
.hint { font-size: 5.6pt; line-height: 1.25; color: #444; overflow-wrap: anywhere }
.toolbar { font: 14px/1.5 system-ui, sans-serif; max-width: ${p.width}mm; margin: 16px auto; color: #222 }
.toolbar b { font-weight: 600 }
@media screen {
  body { background: #d9d9de }
  .page { margin: 0 auto 10mm; box-shadow: 0 1mm 5mm rgba(0, 0, 0, .25) }
}
@media print { .toolbar { display: none } }
`
}

/** One label. The QR symbol is inline SVG, quiet zone included, drawn black on white. */
export function labelHtml(w: Wristband, info: SheetInfo): string {
  const qr = qrMatrix(w.url)
  const side = qr.size + 2 * QUIET_ZONE
  const digits = String(w.number).length
  return (
    `<div class="label"><svg viewBox="0 0 ${side} ${side}" shape-rendering="crispEdges" role="img" aria-label="QR code of wristband ${w.number}">` +
    `<path fill="#fff" d="M0 0h${side}v${side}H0z"/><path stroke="#000" d="${qrPath(qr)}"/></svg>` +
    `<div class="info"><div><div class="event">${esc(info.eventName)}</div><div class="no">Wristband</div>` +
    `<div class="number${digits > 4 ? ` n${Math.min(digits, 7)}` : ''}">${w.number}</div></div>` +
    `<div><div class="code">${formatCode(w.code)}</div><div class="hint">Scan, or type the code at ${esc(info.typeAt)}</div></div></div></div>`
  )
}

/**
 * One sheet file for `items` (at most LABELS_PER_FILE of them).
 * @example renderSheet(batch.slice(0, 21), { eventName: 'Gala', typeAt: 'gala.example/e/gala', paper: 'a4', batch: 'door-a' }, { index: 1, of: 1 })
 */
export function renderSheet(items: Wristband[], info: SheetInfo, file: { index: number; of: number }): string {
  const pages = Math.ceil(items.length / LABELS_PER_PAGE)
  const first = items[0]?.number
  const last = items[items.length - 1]?.number
  const title = `${info.eventName}: wristbands ${first}-${last}${file.of > 1 ? ` (sheet ${file.index} of ${file.of})` : ''}`
  const out: string[] = [
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>`,
    `<meta name="viewport" content="width=device-width, initial-scale=1"><style>${style(info.paper)}</style></head><body>`,
    `<div class="toolbar"><b>${esc(title)}</b>, batch ${esc(info.batch)}: ${items.length} labels on ${pages} ${PAPERS[info.paper].name} page${pages === 1 ? '' : 's'}. ` +
      `Print at 100% ("Actual size"), without headers and footers, then cut along the dashed lines.</div>`,
  ]
  for (let p = 0; p < pages; p++) {
    out.push('<section class="page"><div class="grid">')
    for (const w of items.slice(p * LABELS_PER_PAGE, (p + 1) * LABELS_PER_PAGE)) out.push(labelHtml(w, info))
    out.push('</div></section>')
  }
  out.push('</body></html>\n')
  return out.join('')
}

/** One sheet file to render and write (what the workers receive). */
export interface SheetJob {
  path: string
  items: Wristband[]
  info: SheetInfo
  file: { index: number; of: number }
}
