/**
 * Reactions under load: `bun scripts/bench/reactions.ts [--backend embedded|cluster]
 * [--rate 5000] [--seconds 5] [--wristbands 1000]`.
 *
 * Starts one Glowband instance on 127.0.0.1, checks in `--wristbands` wristbands, then a
 * separate load process taps reactions at `--rate` per second for `--seconds` (each
 * wristband under its own limit of 10/s), and reports the taps accepted per second,
 * latency, and whether the deltas' reaction counts add up to the accepted taps exactly.
 */
import { parseArgs } from 'node:util'
import { REACTIONS } from '../../protocol/index.ts'
import { createApp } from '../../server/app.ts'
import { loadConfig } from '../../server/config.ts'
import { createRuntime } from '../../server/runtime.ts'
import { scratchBackends } from '../scratch-backends.ts'

const { values: a } = parseArgs({
  options: {
    backend: { type: 'string', default: 'embedded' },
    rate: { type: 'string', default: '5000' },
    seconds: { type: 'string', default: '5' },
    wristbands: { type: 'string', default: '1000' },
    child: { type: 'string' },
  },
})

if (a.child) {
  // The load process: { url, slug, cookies } on stdin-like argv JSON file.
  const { url, slug, cookies } = JSON.parse(await Bun.file(a.child).text()) as {
    url: string
    slug: string
    cookies: string[]
  }
  const rate = Number(a.rate)
  const seconds = Number(a.seconds)
  const statuses = new Map<number, number>()
  const latencies: number[] = []
  const started = performance.now()
  let sent = 0
  let inFlight = 0
  const total = rate * seconds
  await new Promise<void>((done) => {
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate))
      while (sent < due) {
        if (inFlight > 2000) break
        const i = sent++
        inFlight++
        const t0 = performance.now()
        fetch(`${url}/api/events/${slug}/reactions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: cookies[i % cookies.length] },
          body: JSON.stringify({ emoji: REACTIONS[i % REACTIONS.length] }),
        })
          .then(async (res) => {
            await res.arrayBuffer()
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
          })
          .catch(() => statuses.set(0, (statuses.get(0) ?? 0) + 1))
          .finally(() => {
            latencies.push(performance.now() - t0)
            inFlight--
            if (sent >= total && inFlight === 0) {
              clearInterval(timer)
              done()
            }
          })
      }
    }, 5)
  })
  const elapsed = (performance.now() - started) / 1000
  latencies.sort((x, y) => x - y)
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]
  console.log(
    JSON.stringify({
      sent,
      elapsed,
      statuses: Object.fromEntries(statuses),
      p50: pct(0.5),
      p99: pct(0.99),
    }),
  )
  process.exit(0)
}

const env: Record<string, string> = { LOG_LEVEL: 'error', PORT: '0', TICK_MS: '100' }
let drop = async () => {}
if (a.backend === 'cluster') {
  const scratch = await scratchBackends(
    'postgres://postgres@127.0.0.1:5432/postgres',
    'redis://127.0.0.1:6379',
    'gb_bench_rx',
  )
  Object.assign(env, scratch.env, { REDIS_URL: 'redis://127.0.0.1:6379' })
  drop = scratch.drop
} else env.DATA_DIR = ':memory:'
const rt = await createRuntime(loadConfig(env))
const app = createApp(rt)
rt.start()
const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: (req) => app.handle(req) })
const url = `http://127.0.0.1:${server.port}`
const { event } = await rt.directory.create({ name: 'Reactions bench' })
const batch = await rt.wristbands.createWristbands(event, { count: Number(a.wristbands), label: 'bench' })
const cookies: string[] = []
for (const w of batch.wristbands) {
  const res = await fetch(`${url}/api/events/${event.slug}/checkin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: w.code }),
  })
  cookies.push(res.headers.get('set-cookie')!.split(';')[0])
}
const file = `/tmp/glowband-reactions-${process.pid}.json`
await Bun.write(file, JSON.stringify({ url, slug: event.slug, cookies }))
const startSeq = (await rt.live.log.read(event.id, 0, 1_000_000)).at(-1)?.seq ?? 0
const child = Bun.spawn(
  ['bun', import.meta.path, '--child', file, '--rate', String(a.rate), '--seconds', String(a.seconds)],
  { stdout: 'pipe', stderr: 'inherit' },
)
const out = JSON.parse(await new Response(child.stdout).text())
await Bun.sleep(500)
let counted = 0
let ticks = 0
for (const e of await rt.live.log.read(event.id, startSeq, 1_000_000)) {
  const d = JSON.parse(e.json) as { reactions?: Record<string, number> }
  if (!d.reactions) continue
  ticks++
  for (const n of Object.values(d.reactions)) counted += n
}
const accepted = out.statuses['202'] ?? 0
console.log(
  JSON.stringify(
    {
      backend: a.backend,
      rate: Number(a.rate),
      ...out,
      acceptedPerSecond: Math.round(accepted / out.elapsed),
      countedInDeltas: counted,
      exact: counted === accepted,
      deltasWithReactions: ticks,
      queueDepth: await rt.live.queue.depth(event.id),
    },
    null,
    2,
  ),
)
server.stop(true)
await rt.stop()
await drop()
