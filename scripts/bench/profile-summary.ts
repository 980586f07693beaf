/**
 * Summarises a .cpuprofile (from `bun run bench --profile`, which runs Glowband under
 * `bun --cpu-prof`): the functions with the most self time and the most inclusive time.
 *
 *   bun scripts/bench/profile-summary.ts bench-output/<run>/profiles/glowband-embedded/*.cpuprofile [--top 40] [--filter server/]
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'

interface Node {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
interface Profile {
  nodes: Node[]
  samples: number[]
  timeDeltas: number[]
  startTime: number
  endTime: number
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '30' }, filter: { type: 'string', default: '' } },
})
const top = Number(values.top)

for (const file of positionals) {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile
  const byId = new Map(p.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  // A sample's time delta also spans any idle wait before it (the sampler does not tick
  // while the thread sleeps): in a server that waits on I/O most deltas beyond a few
  // intervals are idle, and taken as they are they charge that idle time to whatever ran
  // next. Each sample counts for at most twice the median interval.
  const sorted = [...p.timeDeltas].sort((a, b) => a - b)
  const capUs = 2 * (sorted[sorted.length >> 1] ?? 1000)
  const selfUs = new Map<number, number>()
  p.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.min(p.timeDeltas[i] ?? 0, capUs))
  })
  const key = (n: Node) => {
    const url = n.callFrame.url.replace(/^.*\/(node_modules|server|scripts)\//, '$1/')
    return `${n.callFrame.functionName || '(anonymous)'} ${url}:${n.callFrame.lineNumber + 1}`
  }
  const self = new Map<string, number>()
  const total = new Map<string, number>()
  let all = 0
  for (const [id, us] of selfUs) {
    all += us
    const n = byId.get(id)!
    self.set(key(n), (self.get(key(n)) ?? 0) + us)
    // Inclusive: every distinct frame on the stack.
    const seen = new Set<string>()
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const k = key(byId.get(cur)!)
      if (seen.has(k)) continue
      seen.add(k)
      total.set(k, (total.get(k) ?? 0) + us)
    }
  }
  const show = (title: string, m: Map<string, number>) => {
    console.log(`\n${title}`)
    const rows = [...m.entries()]
      .filter(([k]) => !values.filter || k.includes(values.filter))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
    for (const [k, us] of rows)
      console.log(`${((us / all) * 100).toFixed(1).padStart(6)} %  ${(us / 1e6).toFixed(2).padStart(7)} s  ${k}`)
  }
  const wallS = (p.endTime - p.startTime) / 1e6
  console.log(
    `${file}: ${(all / 1e6).toFixed(1)} s on CPU in ${p.samples.length} samples over ${wallS.toFixed(1)} s (each counted as at most ${(capUs / 1000).toFixed(1)} ms)`,
  )
  show('self time', self)
  show('inclusive time', total)
}
