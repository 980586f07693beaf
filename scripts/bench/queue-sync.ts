/**
 * What the embedded queue's group commit costs: a spike of votes and danmaku (one vote
 * per wristband on each of 5 polls, 15 danmaku each) against a real embedded server with
 * DATA_DIR on disk, as acknowledged actions per second. For the figure without the sync,
 * make MemoryQueue.durable() resolve at once by hand and run it again on the same machine
 * (docs/reliability.md has the figures).
 *
 *   bun scripts/bench/queue-sync.ts [wristbands=400] [concurrency=64]
 *   BENCH_DIR=/somewhere/on/the/disk/to/measure bun scripts/bench/queue-sync.ts
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServerProcess } from '../../test/support/process.ts'
import { type Answer, checkInAll, demoHost, prepareDemo, sendAll, spikeActions } from '../../test/support/spike.ts'

const bands = Number(process.argv[2] ?? 400)
const concurrency = Number(process.argv[3] ?? 64)
const dataDir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'gb-queue-sync-'))
const server = await startServerProcess(
  { DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
  { args: ['--demo'], timeoutMs: 60_000, unset: ['DATABASE_URL', 'REDIS_URL'] },
)
try {
  const host = await demoHost(dataDir)
  const { wristbands, polls } = await prepareDemo(server.url, host, { wristbands: bands, polls: 5 })
  const cookies = await checkInAll(server.url, wristbands)
  await Bun.sleep(2500)
  await fetch(`${server.url}/api/events/demo`)
  await Bun.sleep(200)
  const actions = spikeActions(
    wristbands.map((w) => w.number),
    polls,
    15,
    'b',
  )
  const answers = new Map<string, Answer>()
  const started = performance.now()
  const { done } = await sendAll(server.url, cookies, actions, answers, { concurrency })
  await done
  const s = (performance.now() - started) / 1000
  const ok = [...answers.values()].filter((a) => a.status === 202).length
  console.log(
    JSON.stringify({ actions: actions.length, accepted: ok, seconds: +s.toFixed(2), perSecond: Math.round(ok / s) }),
  )
} finally {
  await server.stop('SIGKILL')
  rmSync(dataDir, { recursive: true, force: true })
}
