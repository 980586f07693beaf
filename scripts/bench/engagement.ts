/**
 * Engagement under load: `bun scripts/bench/engagement.ts [--kind reactions|words|qa]
 * [--backend embedded|cluster] [--rate 5000] [--seconds 5] [--wristbands 1000]
 * [--distinct 10000] [--questions 5000]`.
 *
 * Starts one Glowband instance on 127.0.0.1, checks in `--wristbands` wristbands, then a
 * separate load process sends actions at `--rate` per second for `--seconds`:
 * - reactions: taps (each wristband under its own limit of 10/s); the deltas' reaction
 *   counts must add up to the accepted taps exactly;
 * - words: word-cloud answers of three words drawn from `--distinct` distinct words (each
 *   answer replaces the wristband's last one, so counts go up and down every tick);
 * - qa: upvotes and take-backs on a board of `--questions` questions.
 * It reports the actions accepted per second, latency, and the bytes of the deltas the
 * ticker wrote (what every subscriber receives each tick): a cloud of 10,000 words or a
 * board of 5,000 questions must still send only a bounded top list per tick.
 */
import { parseArgs } from 'node:util'
import { REACTIONS } from '../../protocol/index.ts'
import { createApp } from '../../server/app.ts'
import { loadConfig } from '../../server/config.ts'
import { createRuntime } from '../../server/runtime.ts'
import { scratchBackends } from '../scratch-backends.ts'

const { values: a } = parseArgs({
  options: {
    kind: { type: 'string', default: 'reactions' },
    backend: { type: 'string', default: 'embedded' },
    rate: { type: 'string', default: '5000' },
    seconds: { type: 'string', default: '5' },
    wristbands: { type: 'string', default: '1000' },
    distinct: { type: 'string', default: '10000' },
    questions: { type: 'string', default: '5000' },
    child: { type: 'string' },
  },
})

interface Plan {
  url: string
  slug: string
  cookies: string[]
  kind: string
  pollId?: number
  questionIds?: number[]
  distinct: number
}

/** The i-th action of the load: path and body. */
function action(plan: Plan, i: number): { method: string; path: string; body?: unknown } {
  if (plan.kind === 'words') {
    // Three distinct words per answer, spread over the whole vocabulary.
    const w = (k: number) => `w${((i * 7919 + k * 104_729) % plan.distinct).toString(36)}`
    return { method: 'POST', path: '/votes', body: { pollId: plan.pollId, words: [w(0), w(1), w(2)] } }
  }
  if (plan.kind === 'qa') {
    const ids = plan.questionIds!
    const wristband = i % plan.cookies.length
    const round = Math.floor(i / plan.cookies.length)
    // Each wristband upvotes a question, then takes it back, then the next one: every action changes a count.
    const q = ids[(wristband * 31 + Math.floor(round / 2)) % ids.length]
    return { method: round % 2 === 0 ? 'POST' : 'DELETE', path: `/questions/${q}/upvote`, body: {} }
  }
  return { method: 'POST', path: '/reactions', body: { emoji: REACTIONS[i % REACTIONS.length] } }
}

if (a.child) {
  const plan = JSON.parse(await Bun.file(a.child).text()) as Plan
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
        const { method, path, body } = action(plan, i)
        fetch(`${plan.url}/api/events/${plan.slug}${path}`, {
          method,
          headers: { 'content-type': 'application/json', cookie: plan.cookies[i % plan.cookies.length] },
          body: body === undefined ? undefined : JSON.stringify(body),
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
  console.log(JSON.stringify({ sent, elapsed, statuses: Object.fromEntries(statuses), p50: pct(0.5), p99: pct(0.99) }))
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
const { event } = await rt.directory.create({
  name: 'Engagement bench',
  // Room to seed the board: questions count against the message limit.
  settings: { messagesPerWindow: 1000, messageWindowSeconds: 1 },
})
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
const plan: Plan = { url, slug: event.slug, cookies, kind: a.kind!, distinct: Number(a.distinct) }
if (a.kind === 'words') {
  const poll = await rt.polls.createPoll(event, { kind: 'words', question: 'One word?' } as never)
  await rt.polls.setPollState(event, poll.id, 'open')
  plan.pollId = poll.id
} else if (a.kind === 'qa') {
  const ids: number[] = []
  const want = Number(a.questions)
  for (let i = 0; i < want; i++) {
    const w = batch.wristbands[i % batch.wristbands.length]
    const q = await rt.guests.ask(event, w.number, { text: `Question number ${i}?` })
    ids.push(q.id)
  }
  plan.questionIds = ids
  await Bun.sleep(500)
}
const file = `/tmp/glowband-engagement-${process.pid}.json`
await Bun.write(file, JSON.stringify(plan))
const startSeq = (await rt.live.log.read(event.id, 0, 1_000_000)).at(-1)?.seq ?? 0
const child = Bun.spawn(
  ['bun', import.meta.path, '--child', file, '--rate', String(a.rate), '--seconds', String(a.seconds)],
  { stdout: 'pipe', stderr: 'inherit' },
)
const out = JSON.parse(await new Response(child.stdout).text())
await Bun.sleep(500)
let counted = 0
let withReactions = 0
const sizes: number[] = []
for (const e of await rt.live.log.read(event.id, startSeq, 1_000_000)) {
  sizes.push(Buffer.byteLength(e.json))
  const d = JSON.parse(e.json) as { reactions?: Record<string, number> }
  if (!d.reactions) continue
  withReactions++
  for (const n of Object.values(d.reactions)) counted += n
}
sizes.sort((x, y) => x - y)
const accepted = out.statuses['202'] ?? 0
const report: Record<string, unknown> = {
  kind: a.kind,
  backend: a.backend,
  rate: Number(a.rate),
  ...out,
  acceptedPerSecond: Math.round(accepted / out.elapsed),
  deltas: sizes.length,
  deltaBytesP50: sizes[Math.floor(sizes.length / 2)] ?? 0,
  deltaBytesMax: sizes.at(-1) ?? 0,
  queueDepth: await rt.live.queue.depth(event.id),
}
if (a.kind === 'reactions')
  Object.assign(report, { countedInDeltas: counted, exact: counted === accepted, withReactions })
if (a.kind === 'words') report.distinctWords = Number(a.distinct)
if (a.kind === 'qa') report.questions = plan.questionIds?.length
console.log(JSON.stringify(report, null, 2))
server.stop(true)
await rt.stop()
await drop()
