import { svg, type TemplateResult } from 'lit'
import type { CheckinCurve } from '../../../../protocol/host.ts'
import { msg, str } from '../../lib/i18n.ts'
import { count } from '../shared/format.ts'

const hhmm = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })

/** One colour per batch, in batch order; distinct on the dark surface. */
export const BATCH_COLOURS = ['#ffcc33', '#60a5fa', '#f472b6', '#4ade80', '#c084fc', '#fb923c', '#2dd4bf', '#f87171']

const W = 640
const H = 220
const PAD = { left: 44, right: 12, top: 12, bottom: 26 }

/** A round top for the y axis: 1, 2 or 5 times a power of ten, at or above `n`. */
function niceMax(n: number): number {
  if (n <= 4) return 4
  const p = 10 ** Math.floor(Math.log10(n))
  for (const m of [1, 2, 5, 10]) if (m * p >= n) return m * p
  return 10 * p
}

/**
 * The check-in curve as inline SVG: one step line per batch (running total at the end
 * of each bucket), time across, check-ins up. No chart library: a few paths are all it takes.
 * @example html`<figure>${checkinChart(curve)}</figure>`
 */
export function checkinChart(curve: CheckinCurve): TemplateResult {
  const from = curve.from ?? 0
  const to = (curve.to ?? from) + curve.bucketMs
  const span = Math.max(curve.bucketMs, to - from)
  const top = niceMax(Math.max(0, ...curve.batches.map((b) => b.checkedIn)))
  const x = (t: number) => PAD.left + ((t - from) / span) * (W - PAD.left - PAD.right)
  const y = (v: number) => H - PAD.bottom - (v / top) * (H - PAD.top - PAD.bottom)
  const ticks = [0, top / 2, top]
  const lines = curve.batches.map((b, i) => {
    let d = `M${x(from).toFixed(1)},${y(0).toFixed(1)}`
    let prev = 0
    for (const p of b.points) {
      d += ` L${x(p.at).toFixed(1)},${y(prev).toFixed(1)} L${x(p.at + curve.bucketMs).toFixed(1)},${y(p.total).toFixed(1)}`
      prev = p.total
    }
    d += ` L${x(to).toFixed(1)},${y(prev).toFixed(1)}`
    return svg`<path d=${d} data-batch=${b.label} fill="none" stroke=${BATCH_COLOURS[i % BATCH_COLOURS.length]}
      stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"></path>`
  })
  return svg`<svg viewBox="0 0 ${W} ${H}" class="chart" role="img"
      aria-label=${curve.batches.length === 1 ? msg('Check-ins over time, 1 batch') : msg(str`Check-ins over time, ${curve.batches.length} batches`)}>
    ${ticks.map(
      (t) => svg`<line x1=${PAD.left} x2=${W - PAD.right} y1=${y(t)} y2=${y(t)} stroke="rgba(255,255,255,0.1)"></line>
        <text x=${PAD.left - 8} y=${y(t) + 4} text-anchor="end" class="tick">${count(t)}</text>`,
    )}
    <text x=${PAD.left} y=${H - 6} class="tick">${hhmm(from)}</text>
    <text x=${W - PAD.right} y=${H - 6} text-anchor="end" class="tick">${hhmm(to)}</text>
    ${lines}
  </svg>`
}
