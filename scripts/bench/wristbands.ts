/**
 * Benchmark: one wristband batch end to end, as an organiser runs it.
 *
 *   bun scripts/bench/wristbands.ts [--count 100000] [--runs 1] [--server | --cluster]
 *
 * Makes a fresh DATA_DIR (embedded mode) with one event, then times the real command
 * `glowband wristbands --event bench --count N` as a subprocess, from spawn to exit:
 * generating the codes, the database transaction, the counter layer, the CSV and the
 * printable sheets with every QR code. With --server it runs the same through a running
 * server (the CLI then goes through its API); with --cluster against a scratch database
 * on TEST_DATABASE_URL's server and Redis at TEST_REDIS_URL (the test suite's defaults).
 * The target is 100,000 in under 30 s.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { LOCAL_DATABASE_URL, LOCAL_REDIS_URL, type ScratchBackends, scratchBackends } from '../scratch-backends.ts'

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '1' },
    server: { type: 'boolean', default: false },
    cluster: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
})
const count = Number(values.count)
const runs = Number(values.runs)
const TARGET_S = 30
const root = resolve(import.meta.dir, '../..')
const cli = join(root, 'scripts/glowband.ts')
const work = mkdtempSync(join(tmpdir(), 'gb-bench-wristbands-'))
const env: Record<string, string> = {
  ...(Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !['DATABASE_URL', 'REDIS_URL'].includes(k)),
  ) as Record<string, string>),
  DATA_DIR: join(work, 'data'),
  PUBLIC_URL: 'https://gala.example.com',
  LOG_LEVEL: 'warn',
}

async function run(args: string[]) {
  const started = performance.now()
  const proc = Bun.spawn([process.execPath, cli, ...args], { cwd: work, env, stdout: 'pipe', stderr: 'pipe' })
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ])
  if (code !== 0) throw new Error(`glowband ${args.join(' ')} exited ${code}\n${stdout}\n${stderr}`)
  return { seconds: (performance.now() - started) / 1000, stdout }
}

const folderBytes = (dir: string) => readdirSync(dir).reduce((s, f) => s + statSync(join(dir, f)).size, 0)

const mode = values.cluster
  ? 'cluster mode (Postgres + Redis)'
  : values.server
    ? 'embedded mode, through a running server'
    : 'embedded mode, the CLI opens the database'
console.log(`wristbands benchmark: ${count.toLocaleString('en')} wristbands, ${mode}`)
console.log(
  `machine: ${cpus()[0]?.model ?? 'cpu'} x${availableParallelism()}, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}, bun ${Bun.version}`,
)

let server: ReturnType<typeof Bun.spawn> | null = null
let scratch: ScratchBackends | null = null
if (values.cluster) {
  // The test suite's variables and defaults (docs/benchmarks.md).
  scratch = await scratchBackends(
    process.env.TEST_DATABASE_URL ?? LOCAL_DATABASE_URL,
    process.env.TEST_REDIS_URL ?? LOCAL_REDIS_URL,
    'gb_bench',
  )
  Object.assign(env, scratch.env)
}
try {
  const setup = await run(['event', 'create', '--name', 'Benchmark Night', '--slug', 'bench'])
  console.log(`setup: event create on an empty database ${setup.seconds.toFixed(1)} s`)
  if (values.server) {
    const port = 20_000 + Math.floor(Math.random() * 20_000)
    server = Bun.spawn([process.execPath, join(root, 'server/index.ts')], {
      cwd: root,
      env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdout: 'ignore',
      stderr: 'inherit',
    })
    for (let i = 0; ; i++) {
      if (
        await fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break
      if (i > 600) throw new Error('the server did not start')
      await Bun.sleep(100)
    }
  }
  const times: number[] = []
  for (let i = 1; i <= runs; i++) {
    const out = join(work, `run-${i}`)
    const r = await run([
      'wristbands',
      '--event',
      'bench',
      '--count',
      String(count),
      '--batch',
      `run-${i}`,
      '--out',
      out,
    ])
    times.push(r.seconds)
    const files = readdirSync(out)
    const sheets = files.filter((f) => f.startsWith('sheet')).length
    console.log(
      `run ${i}: ${r.seconds.toFixed(1)} s end to end (${Math.round(count / r.seconds).toLocaleString('en')} wristbands/s); ` +
        `${sheets} sheet files + CSV, ${(folderBytes(out) / 1e6).toFixed(0)} MB; the CLI says: ${r.stdout.match(/Done in (.*)\.\n/)?.[1]}`,
    )
    if (!values.keep) rmSync(out, { recursive: true, force: true })
  }
  const best = Math.min(...times)
  console.log(
    `result: ${best.toFixed(1)} s for ${count.toLocaleString('en')} wristbands (best of ${runs}); target ${TARGET_S} s: ${best < TARGET_S ? 'met' : 'MISSED'}`,
  )
  process.exitCode = best < TARGET_S || count !== 100_000 ? 0 : 1
} finally {
  server?.kill('SIGTERM')
  await server?.exited
  await scratch?.drop()
  if (!values.keep) rmSync(work, { recursive: true, force: true })
  else console.log(`kept ${work}`)
}
