/**
 * The event-night benchmark: `bun run bench [flags]`.
 *
 * Runs the same profile (scripts/bench/run-target.ts) against each target in turn on
 * this machine: Glowband in cluster mode, Glowband in embedded mode, a bare Bun.serve
 * SSE broadcaster (the floor) and nginx + nchan (fan-out only). Prints a table, writes
 * results.json and SVG charts to --out, and with --docs copies the charts to docs/images.
 *
 *   bun run bench                                   # small: 2,000 subscribers, 1,000 votes/s
 *   bun run bench --subscribers 19000 --votes-per-second 5000 --docs   # the large run
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, release, totalmem } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { pingBackends } from '../scratch-backends.ts'
import { renderCharts } from './charts.ts'
import { formatTable, markdownTable, ratios, tableRows } from './report.ts'
import { type Profile, runTarget, type TargetResult } from './run-target.ts'
import { startBare } from './targets/bare.ts'
import { ROOT, type Target } from './targets/common.ts'
import { ADMIN_DATABASE_URL, BENCH_REDIS_URL, startCluster, startEmbedded } from './targets/glowband.ts'
import { NGINX, startNchan } from './targets/nchan.ts'

const ALL = ['glowband-cluster', 'glowband-embedded', 'bare', 'nchan']
const KNOWN = [...ALL, 'bare-direct']

const { values: a } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '2000' },
    'votes-per-second': { type: 'string', default: '1000' },
    'spike-seconds': { type: 'string', default: '5' },
    targets: { type: 'string', default: ALL.join(',') },
    out: { type: 'string' },
    generators: { type: 'string' },
    sample: { type: 'string', default: '100' },
    'buildup-seconds': { type: 'string' },
    'idle-seconds': { type: 'string', default: '3' },
    'fanout-seconds': { type: 'string', default: '10' },
    'decline-seconds': { type: 'string', default: '5' },
    'messages-per-burst': { type: 'string' },
    'tick-ms': { type: 'string', default: '150' },
    instances: { type: 'string', default: '1' },
    connections: { type: 'string', default: '200' },
    'max-seconds': { type: 'string', default: '900' },
    profile: { type: 'boolean', default: false },
    docs: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
})

if (a.help) {
  console.log(`bun run bench [--subscribers N] [--votes-per-second R] [--spike-seconds S]
  [--targets ${ALL.join(',')}[,bare-direct]] [--out DIR] [--generators G] [--sample K]
  [--buildup-seconds B] [--fanout-seconds F] [--decline-seconds D] [--tick-ms T]
  [--instances N (cluster)] [--connections C (driver pool)] [--profile (bun --cpu-prof on Glowband)]
  [--docs (copy the charts to docs/images)]`)
  process.exit(0)
}

const int = (k: keyof typeof a, min = 1) => {
  const v = Number(a[k])
  if (!Number.isFinite(v) || v < min) throw new Error(`--${k} must be a number >= ${min}`)
  return v
}

const subscribers = int('subscribers')
const generators = a.generators ? int('generators') : Math.max(2, Math.ceil(subscribers / 9000))
if (subscribers / generators > 18_000)
  throw new Error('more than 18,000 subscribers per generator would pass the open-file limit; add --generators')
const votesPerSecond = int('votes-per-second')
const spikeSeconds = int('spike-seconds')
const profile: Profile = {
  subscribers,
  generators,
  samplePerGenerator: int('sample'),
  buildupSeconds: a['buildup-seconds']
    ? int('buildup-seconds')
    : Math.min(30, Math.max(5, Math.ceil(subscribers / 1000))),
  idleSeconds: int('idle-seconds', 0),
  fanoutSeconds: int('fanout-seconds'),
  votesPerSecond,
  spikeSeconds,
  messagesPerBurst: a['messages-per-burst']
    ? int('messages-per-burst', 0)
    : Math.max(20, Math.round(votesPerSecond / 10)),
  declineSeconds: int('decline-seconds'),
  tickMs: int('tick-ms', 20),
  driverConnections: int('connections'),
  maxSeconds: int('max-seconds'),
}
const targets = a
  .targets!.split(',')
  .map((s) => s.trim())
  .filter(Boolean)
for (const t of targets) if (!KNOWN.includes(t)) throw new Error(`unknown target ${t}; known: ${KNOWN.join(', ')}`)

const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)
const out = resolve(a.out ?? join(ROOT, 'bench-output', stamp))
mkdirSync(out, { recursive: true })
const log = (s: string) => {
  if (!a.quiet) console.log(s)
}

function machine() {
  const limits = readFileSync('/proc/self/limits', 'utf8')
  const nofile = /Max open files\s+(\d+)\s+(\d+)/.exec(limits)
  let nginx = 'not found'
  try {
    const r = Bun.spawnSync([NGINX, '-v'])
    nginx = r.stderr.toString().trim().replace('nginx version: ', '')
  } catch {}
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    kernel: release(),
    bun: Bun.version,
    nginx,
    openFilesLimit: nofile ? Number(nofile[1]) : null,
  }
}

async function clusterAvailable(): Promise<string | null> {
  if (!existsSync(join(ROOT, 'server/live/redis.ts'))) return 'server/live/redis.ts does not exist yet'
  try {
    await pingBackends(ADMIN_DATABASE_URL, BENCH_REDIS_URL)
    return null
  } catch (err) {
    return `Postgres or Redis unreachable: ${err}`
  }
}

async function start(name: string): Promise<Target> {
  const bunArgs = a.profile ? ['--cpu-prof', `--cpu-prof-dir=${join(out, 'profiles', name)}`] : []
  switch (name) {
    case 'glowband-embedded':
      return startEmbedded({ tickMs: profile.tickMs, bunArgs })
    case 'glowband-cluster':
      return startCluster({ tickMs: profile.tickMs, bunArgs, instances: int('instances') })
    case 'bare':
      return startBare({ tickMs: profile.tickMs })
    case 'bare-direct':
      return startBare({ tickMs: profile.tickMs, stream: 'direct' })
    case 'nchan':
      return startNchan()
  }
  throw new Error(name)
}

const info = machine()
log(`Glowband event-night benchmark -> ${relative(process.cwd(), out) || out}`)
log(
  `  machine: ${info.cpus} x ${info.cpuModel}, ${info.memoryGiB} GiB, Linux ${info.kernel}, Bun ${info.bun}, nginx ${info.nginx}, open files ${info.openFilesLimit}`,
)
log(
  `  profile: ${subscribers} subscribers over ${generators} generators (build-up ${profile.buildupSeconds} s), fan-out ${profile.fanoutSeconds} s, ` +
    `spike ${votesPerSecond} check-ins/s then ${votesPerSecond} votes/s for ${spikeSeconds} s + 3 danmaku bursts of ${profile.messagesPerBurst}, tick ${profile.tickMs} ms`,
)

const results: TargetResult[] = []
const skipped: Record<string, string> = {}
for (const name of targets) {
  if (name === 'glowband-cluster') {
    const why = await clusterAvailable()
    if (why) {
      log(`  ${name}: skipped (${why})`)
      skipped[name] = why
      continue
    }
  }
  log(`- ${name}`)
  let target: Target
  try {
    target = await start(name)
  } catch (err) {
    log(`  ${name}: could not start: ${err}`)
    skipped[name] = `could not start: ${String(err).slice(0, 500)}`
    continue
  }
  const r = await runTarget(target, profile, log)
  results.push(r)
  if (r.ok) {
    log(
      `  ${name}: held ${r.subscribers.heldMax}, every delta ${r.subscribers.complete}, ` +
        `${r.fanout.cpuPerMessageUs.toFixed(2)} us CPU/message, votes ${Math.round(r.spike.votes.perSecond)}/s, ` +
        `p99 ${r.latency.spike.p99.toFixed(0)} ms` +
        (r.exactlyOnce
          ? `, lost ${r.exactlyOnce.votes.lost + r.exactlyOnce.checkins.lost + r.exactlyOnce.messages.lost}, duplicated ${r.exactlyOnce.votes.duplicated + r.exactlyOnce.checkins.duplicated + r.exactlyOnce.messages.duplicated}`
          : ''),
    )
  }
  await Bun.sleep(1000)
}

const charts = renderCharts(results, { subscribers, votesPerSecond })
for (const [file, svg] of Object.entries(charts)) writeFileSync(join(out, file), svg)

const rows = tableRows(results)
const command = `bun run bench ${process.argv.slice(2).join(' ')}`.trim()
const json = {
  command,
  date: new Date().toISOString(),
  machine: info,
  profile,
  targets,
  skipped,
  ratiosToBare: ratios(results),
  results,
  table: { text: formatTable(rows), markdown: markdownTable(rows) },
}
writeFileSync(
  join(out, 'results.json'),
  JSON.stringify(json, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 1),
)
writeFileSync(join(out, 'table.md'), `${markdownTable(rows)}\n`)

if (a.docs) {
  const images = join(ROOT, 'docs/images')
  mkdirSync(images, { recursive: true })
  for (const file of Object.keys(charts)) copyFileSync(join(out, file), join(images, file))
  log(`  charts copied to docs/images/`)
}

console.log(`\n${formatTable(rows)}\n`)
for (const [name, why] of Object.entries(skipped)) console.log(`${name}: skipped: ${why}`)
console.log(
  `results: ${join(out, 'results.json')}\ncharts:  ${Object.keys(charts)
    .map((f) => join(out, f))
    .join('\n         ')}`,
)
process.exit(results.every((r) => r.ok) ? 0 : 1)
