/** Percentiles, the terminal table and the ratios to the bare broadcaster. */
import type { TargetResult } from './run-target.ts'

export interface Distribution {
  n: number
  p50: number
  p95: number
  p99: number
  max: number
  mean: number
}

export function distribution(values: number[] | Float64Array): Distribution {
  const n = values.length
  if (!n) return { n: 0, p50: Number.NaN, p95: Number.NaN, p99: Number.NaN, max: Number.NaN, mean: Number.NaN }
  const a = Float64Array.from(values).sort()
  // Nearest-rank percentiles.
  const at = (q: number) => a[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))]
  let sum = 0
  for (let i = 0; i < n; i++) sum += a[i]
  return { n, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: a[n - 1], mean: sum / n }
}

export interface Ratios {
  cpuPerMessage: number
  memoryPerSubscriber: number
  spikeP99: number
  votesPerSecond: number
}

/** Each target's figures divided by the bare broadcaster's (the floor); null without one. */
export function ratios(results: TargetResult[]): Record<string, Ratios> | null {
  const bare = results.find((r) => r.kind === 'bare' && r.ok)
  if (!bare) return null
  const out: Record<string, Ratios> = {}
  for (const r of results) {
    out[r.name] = {
      cpuPerMessage: r.fanout.cpuPerMessageUs / bare.fanout.cpuPerMessageUs,
      memoryPerSubscriber: r.memory.perIdleSubscriberBytes / bare.memory.perIdleSubscriberBytes,
      spikeP99: r.latency.spike.p99 / bare.latency.spike.p99,
      votesPerSecond: r.spike.votes.perSecond / bare.spike.votes.perSecond,
    }
  }
  return out
}

const f = (x: number, digits = 0) =>
  Number.isFinite(x)
    ? x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : 'n/a'
const ms = (x: number) => (Number.isFinite(x) ? (x >= 100 ? f(x) : f(x, 1)) : 'n/a')
const ratio = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? `${f(x, 2)}x` : 'n/a')

/** The rows of the results table (also used by docs/benchmarks.md). */
export function tableRows(results: TargetResult[]): string[][] {
  const rs = ratios(results)
  const head = ['', ...results.map((r) => r.name + (r.ok ? '' : ' (FAILED)'))]
  const row = (label: string, fn: (r: TargetResult) => string) => [label, ...results.map((r) => (r.ok ? fn(r) : '-'))]
  const eo = (r: TargetResult) => {
    const e = r.exactlyOnce
    if (!e) return 'n/a'
    const lost = e.votes.lost + e.checkins.lost + e.messages.lost
    const dup = e.votes.duplicated + e.checkins.duplicated + e.messages.duplicated
    return `${lost} / ${dup}${e.queueDepth ? ` (queue ${e.queueDepth})` : ''}`
  }
  return [
    head,
    row('server processes', (r) => String(r.processes)),
    row('subscribers held (max)', (r) => `${f(r.subscribers.heldMax)} of ${f(r.subscribers.target)}`),
    row('got every delta', (r) => `${f(r.subscribers.complete)}`),
    row('gaps / skipped to snapshot', (r) => `${f(r.subscribers.withGaps)} / ${f(r.subscribers.resynced)}`),
    row(
      'fan-out: deltas x subscribers',
      (r) => `${f(r.fanout.deltas)} x ${f(r.fanout.delivered / Math.max(1, r.fanout.deltas))}`,
    ),
    row('CPU per delivered message (us)', (r) => f(r.fanout.cpuPerMessageUs, 2)),
    row('  ratio to bare', (r) => ratio(rs?.[r.name]?.cpuPerMessage)),
    row('memory per idle subscriber (kB)', (r) => f(r.memory.perIdleSubscriberBytes / 1024, 1)),
    row('  ratio to bare', (r) => ratio(rs?.[r.name]?.memoryPerSubscriber)),
    row('spike: check-ins accepted/s', (r) => f(r.spike.checkins.perSecond)),
    row('spike: votes accepted/s', (r) => f(r.spike.votes.perSecond)),
    row('spike: votes accepted of sent', (r) => `${f(r.spike.votes.accepted)} of ${f(r.spike.votes.sent)}`),
    row('spike: danmaku accepted', (r) => `${f(r.spike.messages.accepted)} of ${f(r.spike.messages.sent)}`),
    row('spike: actions accepted/s', (r) => f(r.spike.actionsPerSecond)),
    row('spike: vote 202 p50 / p99 (ms)', (r) =>
      r.kind === 'nchan' ? 'n/a' : `${ms(r.spike.votes.acceptMs.p50)} / ${ms(r.spike.votes.acceptMs.p99)}`,
    ),
    row('delivery p50 (ms)', (r) => ms(r.latency.spike.p50)),
    row('delivery p95 (ms)', (r) => ms(r.latency.spike.p95)),
    row('delivery p99 (ms)', (r) => ms(r.latency.spike.p99)),
    row('delivery max (ms)', (r) => ms(r.latency.spike.max)),
    row('  p99 ratio to bare', (r) => ratio(rs?.[r.name]?.spikeP99)),
    row('delivery p99, fan-out phase (ms)', (r) => ms(r.latency.fanout.p99)),
    row('(vote x subscriber) pairs', (r) => f(r.latency.spike.n + r.latency.fanout.n)),
    row('server CPU in the spike (s)', (r) => f(r.spike.cpuSeconds, 2)),
    row('server CPU per action (us)', (r) => f(r.spike.cpuPerActionUs, 1)),
    row('server peak RSS (MB)', (r) => f(r.spike.peakRssMB)),
    row('machine busy in the spike', (r) => `${f(r.spike.machineBusyPct)} %`),
    row('exactly once: lost / duplicated', eo),
    row('load average at start', (r) => r.loadAverage),
  ]
}

export function formatTable(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)))
  return rows
    .map((r, i) => {
      const line = r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')
      return i === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line
    })
    .join('\n')
}

export function markdownTable(rows: string[][]): string {
  const [head, ...body] = rows
  return [
    `| ${head.map((h) => h || ' ').join(' | ')} |`,
    `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...body.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n')
}
