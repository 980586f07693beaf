/**
 * Hand-written SVG line charts (no dependency): one line per target over the profile's
 * timeline. `bun scripts/bench/charts.ts <results.json> [--docs]` redraws the charts of
 * an earlier run (into its folder, and with --docs into docs/images).
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import type { TargetResult } from './run-target.ts'

export interface Series {
  name: string
  color: string
  points: [number, number][]
  dashed?: boolean
  /** Largest x step still drawn as a line. */
  gap?: number
}

export interface ChartSpec {
  title: string
  xLabel: string
  yLabel: string
  series: Series[]
  /** Vertical markers (phase starts). */
  markers?: { x: number; label: string }[]
  yLog?: boolean
  width?: number
  height?: number
}

export const PALETTE: Record<string, string> = {
  'glowband-cluster': '#d6336c',
  'glowband-embedded': '#7048e8',
  bare: '#2b8a3e',
  'bare-direct': '#5c940d',
  nchan: '#e67700',
}
const EXTRA = ['#1971c2', '#c2255c', '#0b7285', '#862e9c', '#495057']
export const colorFor = (name: string, i: number) => PALETTE[name] ?? EXTRA[i % EXTRA.length]

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** A "nice" step for about `n` ticks over `span`. */
function niceStep(span: number, n: number) {
  const raw = span / n
  const mag = 10 ** Math.floor(Math.log10(raw))
  const r = raw / mag
  return (r < 1.5 ? 1 : r < 3 ? 2 : r < 7 ? 5 : 10) * mag
}

const fmt = (v: number) => {
  if (Math.abs(v) >= 1000) return `${Number((v / 1000).toFixed(1))}k`
  if (Math.abs(v) >= 10 || v === 0) return String(Math.round(v))
  return String(Number(v.toFixed(2)))
}

export function lineChart(spec: ChartSpec): string {
  const W = spec.width ?? 860
  const H = spec.height ?? 380
  const m = { l: 70, r: 215, t: 40, b: 50 }
  const pw = W - m.l - m.r
  const ph = H - m.t - m.b
  const pts = spec.series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y))
  const xMax = Math.max(1, ...pts.map((p) => p[0]), ...(spec.markers ?? []).map((mk) => mk.x))
  const xMin = Math.min(0, ...pts.map((p) => p[0]))
  const positive = pts.map((p) => p[1]).filter((y) => y > 0)
  let yMin = 0
  let yMax = Math.max(1, ...pts.map((p) => p[1])) * 1.08
  const log = !!spec.yLog && positive.length > 0
  if (log) {
    yMin = 10 ** Math.floor(Math.log10(Math.min(...positive)))
    yMax = 10 ** Math.ceil(Math.log10(Math.max(...positive)))
    if (yMax <= yMin) yMax = yMin * 10
  }
  const sx = (x: number) => m.l + ((x - xMin) / (xMax - xMin)) * pw
  const sy = (y: number) => {
    if (log) {
      const v = Math.max(y, yMin)
      return m.t + ph - ((Math.log10(v) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * ph
    }
    return m.t + ph - ((y - yMin) / (yMax - yMin)) * ph
  }
  const out: string[] = []
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="12">`,
  )
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`)
  out.push(`<text x="${m.l}" y="24" font-size="15" font-weight="600" fill="#212529">${esc(spec.title)}</text>`)
  // Grid and axes.
  const xs = niceStep(xMax - xMin, 10)
  for (let x = Math.ceil(xMin / xs) * xs; x <= xMax + 1e-9; x += xs) {
    out.push(`<line x1="${sx(x)}" y1="${m.t}" x2="${sx(x)}" y2="${m.t + ph}" stroke="#f1f3f5"/>`)
    out.push(`<text x="${sx(x)}" y="${m.t + ph + 16}" text-anchor="middle" fill="#495057">${fmt(x)}</text>`)
  }
  const yTicks: number[] = []
  if (log) for (let v = yMin; v <= yMax * 1.0001; v *= 10) yTicks.push(v)
  else {
    const ys = niceStep(yMax - yMin, 6)
    for (let y = 0; y <= yMax + 1e-9; y += ys) yTicks.push(y)
  }
  for (const y of yTicks) {
    out.push(`<line x1="${m.l}" y1="${sy(y)}" x2="${m.l + pw}" y2="${sy(y)}" stroke="#e9ecef"/>`)
    out.push(`<text x="${m.l - 8}" y="${sy(y) + 4}" text-anchor="end" fill="#495057">${fmt(y)}</text>`)
  }
  out.push(`<line x1="${m.l}" y1="${m.t + ph}" x2="${m.l + pw}" y2="${m.t + ph}" stroke="#868e96"/>`)
  out.push(`<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${m.t + ph}" stroke="#868e96"/>`)
  out.push(`<text x="${m.l + pw / 2}" y="${H - 12}" text-anchor="middle" fill="#343a40">${esc(spec.xLabel)}</text>`)
  out.push(
    `<text transform="translate(18 ${m.t + ph / 2}) rotate(-90)" text-anchor="middle" fill="#343a40">${esc(spec.yLabel)}</text>`,
  )
  // Phase markers.
  ;(spec.markers ?? []).forEach((mk, i) => {
    const x = sx(mk.x)
    out.push(`<line x1="${x}" y1="${m.t}" x2="${x}" y2="${m.t + ph}" stroke="#adb5bd" stroke-dasharray="3 3"/>`)
    out.push(`<text x="${x + 3}" y="${m.t + 11 + (i % 3) * 12}" fill="#868e96" font-size="10">${esc(mk.label)}</text>`)
  })
  // Lines.
  spec.series.forEach((s) => {
    const ok = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y))
    if (!ok.length) return
    // A gap in the data (more than `gap` on x) breaks the line instead of bridging it.
    const gap = s.gap ?? Number.POSITIVE_INFINITY
    const d = ok
      .map(([x, y], i) => `${i && x - ok[i - 1][0] <= gap ? 'L' : 'M'}${sx(x).toFixed(1)} ${sy(y).toFixed(1)}`)
      .join('')
    out.push(
      `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.8"${s.dashed ? ' stroke-dasharray="5 4"' : ''}/>`,
    )
    if (ok.length < 3)
      for (const [x, y] of ok) out.push(`<circle cx="${sx(x)}" cy="${sy(y)}" r="3" fill="${s.color}"/>`)
  })
  // Legend.
  spec.series.forEach((s, i) => {
    const y = m.t + 8 + i * 20
    const x = m.l + pw + 16
    out.push(
      `<line x1="${x}" y1="${y}" x2="${x + 22}" y2="${y}" stroke="${s.color}" stroke-width="2.5"${s.dashed ? ' stroke-dasharray="5 4"' : ''}/>`,
    )
    out.push(`<text x="${x + 28}" y="${y + 4}" fill="#212529">${esc(s.name)}</text>`)
  })
  out.push('</svg>')
  return out.join('\n')
}

/**
 * The benchmark's charts, each target on its own clock: latency from the start of its
 * spike (its vote phase), subscribers and CPU from the start of its build-up.
 */
export function renderCharts(
  results: TargetResult[],
  p: { subscribers: number; votesPerSecond: number },
): Record<string, string> {
  const colors = results.map((r, i) => colorFor(r.name, i))
  const at = (r: TargetResult, phase: string) => r.phases.find((x) => x.name === phase)?.t ?? 0
  const n = (x: number) => x.toLocaleString('en-US')
  const ref = results.find((r) => r.kind === 'glowband' && r.ok) ?? results[0]
  const phaseMarks = (origin: string, names: string[]) =>
    ref
      ? ref.phases
          .filter((x) => names.includes(x.name))
          .map((x) => ({ x: x.t - at(ref, origin), label: `${x.name} (${ref.name})` }))
      : []
  return {
    'bench-latency.svg': lineChart({
      title: `Delivery latency, vote 202 to each sampled subscriber (${n(p.subscribers)} subscribers, ${n(p.votesPerSecond)} votes/s)`,
      xLabel: "seconds from the spike's first vote (by vote 202 time, 0.5 s buckets; before 0: the fan-out phase)",
      yLabel: 'latency (ms): solid p99, dashed p50',
      yLog: true,
      markers: [{ x: 0, label: 'votes' }],
      series: results.flatMap((r, i): Series[] => {
        const o = at(r, 'votes') || at(r, 'spike')
        return [
          {
            name: `${r.name} p99`,
            color: colors[i],
            gap: 1.01,
            points: r.latencyTimeline.map((b) => [b.t - o, b.p99]),
          },
          {
            name: `${r.name} p50`,
            color: colors[i],
            gap: 1.01,
            dashed: true,
            points: r.latencyTimeline.map((b) => [b.t - o, b.p50]),
          },
        ]
      }),
    }),
    'bench-subscribers.svg': lineChart({
      title: `Subscribers held over the profile (target ${n(p.subscribers)})`,
      xLabel: 'seconds from the start of the build-up',
      yLabel: 'open SSE subscribers',
      markers: phaseMarks('build-up', ['idle', 'fan-out', 'spike', 'votes', 'decline']),
      series: results.map((r, i) => ({
        name: r.name,
        color: colors[i],
        points: r.timeline.map((x): [number, number] => [x.t - at(r, 'build-up'), x.held]),
      })),
    }),
    'bench-cpu.svg': lineChart({
      title: 'Server CPU over the profile (100 % = one core)',
      xLabel: 'seconds from the start of the build-up',
      yLabel: 'server CPU %',
      markers: phaseMarks('build-up', ['idle', 'fan-out', 'spike', 'votes', 'decline']),
      series: results.map((r, i) => ({
        name: r.name,
        color: colors[i],
        points: r.timeline.map((x): [number, number] => [x.t - at(r, 'build-up'), x.cpuPct]),
      })),
    }),
  }
}

if (import.meta.main) {
  const file = resolve(process.argv[2] ?? '')
  const json = JSON.parse(readFileSync(file, 'utf8')) as {
    results: TargetResult[]
    profile: { subscribers: number; votesPerSecond: number }
  }
  const charts = renderCharts(json.results, json.profile)
  const images = resolve(import.meta.dir, '../../docs/images')
  for (const [name, svg] of Object.entries(charts)) {
    writeFileSync(join(dirname(file), name), svg)
    if (process.argv.includes('--docs')) copyFileSync(join(dirname(file), name), join(images, name))
  }
  console.log(`charts redrawn in ${dirname(file)}${process.argv.includes('--docs') ? ' and docs/images' : ''}`)
}
