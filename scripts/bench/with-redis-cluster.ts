/**
 * Runs a command against a private Redis Cluster of three masters (test/support/redis-cluster.ts):
 *
 *   bun scripts/bench/with-redis-cluster.ts bun run bench --targets glowband-cluster ...
 *   bun scripts/bench/with-redis-cluster.ts --single bun run bench ...   # one private Redis, same settings
 *
 * The command gets BENCH_REDIS_URL and TEST_REDIS_URL = redis+cluster://... . Afterwards it
 * prints what each master did meanwhile (CPU seconds and commands, from INFO), so a run
 * shows which nodes carried the load: one event's keys share a hash tag, so one master.
 */
import Redis from 'ioredis'
import { PrivateRedisCluster } from '../../test/support/redis-cluster.ts'
import { PrivateRedis } from '../../test/support/redis-server.ts'

const single = process.argv[2] === '--single'
const command = process.argv.slice(single ? 3 : 2)
if (!command.length) {
  console.error('usage: bun scripts/bench/with-redis-cluster.ts <command...>')
  process.exit(2)
}

interface NodeStats {
  cpu: number
  /** Every command, those the scripts run included (Redis 7 counts them too). */
  calls: number
  scripts: number
  keys: number
}

async function stats(port: number): Promise<NodeStats> {
  const r = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1 })
  try {
    const info = await r.info('all')
    const num = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0)
    let calls = 0
    let scripts = 0
    for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
      calls += Number(m[2])
      if (m[1] === 'evalsha' || m[1] === 'eval') scripts += Number(m[2])
    }
    return { cpu: num('used_cpu_user') + num('used_cpu_sys'), calls, scripts, keys: await r.dbsize() }
  } finally {
    r.disconnect()
  }
}

// No AOF and no snapshots on either, so the two differ only in being one Redis or a Cluster.
const cluster = single ? await new PrivateRedis({ aof: false }).start() : await new PrivateRedisCluster(3).start()
const ports = cluster instanceof PrivateRedis ? [cluster.port] : cluster.ports
let code = 1
try {
  const before = await Promise.all(ports.map(stats))
  const started = performance.now()
  console.log(`Redis: ${cluster.url}`)
  const proc = Bun.spawn(command, {
    env: { ...process.env, BENCH_REDIS_URL: cluster.url, TEST_REDIS_URL: cluster.url },
    stdout: 'inherit',
    stderr: 'inherit',
  })
  code = await proc.exited
  const seconds = (performance.now() - started) / 1000
  const after = await Promise.all(ports.map(stats))
  console.log(`\nper Redis process over the ${seconds.toFixed(0)} s run (keys left at the end):`)
  ports.forEach((port, i) => {
    const d = (k: keyof NodeStats) => after[i]![k] - before[i]![k]
    console.log(
      `  127.0.0.1:${port}  CPU ${d('cpu').toFixed(2)} s  scripts ${d('scripts')}  commands ${d('calls')}  ` +
        `(${d('scripts') ? ((d('cpu') / d('scripts')) * 1e6).toFixed(1) : '-'} µs CPU per script)  keys ${after[i]!.keys}`,
    )
  })
} finally {
  await cluster.stop()
}
process.exit(code)
