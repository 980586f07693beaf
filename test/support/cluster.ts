/**
 * A cluster-mode deployment made of real processes: a scratch Postgres database, a
 * unique Redis key prefix, and as many `bun server/index.ts` instances as asked.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { dropRedisPrefix, scratchDatabase, TEST_REDIS_URL, until } from './backends.ts'
import { type ServerProcess, startServerProcess } from './process.ts'

export interface Deployment {
  databaseUrl: string
  redisUrl: string
  prefix: string
  instances: ServerProcess[]
  /** The demo event's host secret (the first instance starts with --demo). */
  secret: string
  /** Starts one more instance of the same deployment. */
  add(env?: Record<string, string>, port?: number): Promise<ServerProcess>
  stop(): Promise<void>
}

export async function startDeployment(
  count: number,
  env: Record<string, string> = {},
  opts: { redisUrl?: string } = {},
): Promise<Deployment> {
  const db = await scratchDatabase()
  const prefix = `gbc${randomBytes(4).toString('hex')}`
  const redisUrl = opts.redisUrl ?? TEST_REDIS_URL
  const dirs: string[] = []
  const base = {
    DATABASE_URL: db.url,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    TICK_MS: '50',
    FLUSH_MS: '20',
    LEASE_MS: '1000',
    ...env,
  }
  let n = 0
  const add = async (extra: Record<string, string> = {}, port?: number, demo = false) => {
    const dir = mkdtempSync(join(tmpdir(), 'gb-inst-'))
    dirs.push(dir)
    const proc = await startServerProcess(
      { ...base, DATA_DIR: dir, INSTANCE_ID: `inst-${n++}-${randomBytes(2).toString('hex')}`, ...extra },
      { port, args: demo ? ['--demo'] : [] },
    )
    deployment.instances.push(proc)
    return proc
  }
  const deployment: Deployment = {
    databaseUrl: db.url,
    redisUrl,
    prefix,
    instances: [],
    secret: '',
    add: (extra, port) => add(extra, port),
    stop: async () => {
      await Promise.all(deployment.instances.map((i) => i.stop('SIGKILL')))
      await dropRedisPrefix(prefix, redisUrl).catch(() => {})
      await db.drop()
      for (const d of dirs) rmSync(d, { recursive: true, force: true })
    },
  }
  await add({}, undefined, true)
  const secretFile = join(dirs[0], 'demo.host-secret')
  await until(() => existsSync(secretFile), 15_000, 50)
  deployment.secret = JSON.parse(readFileSync(secretFile, 'utf8')).secret
  for (let i = 1; i < count; i++) await add()
  return deployment
}

/** Reads one Prometheus sample from an instance's /metrics. */
export async function metric(url: string, name: string, labelMatch = ''): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text()
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith(name) &&
        !l.startsWith('#') &&
        l.includes(labelMatch) &&
        (l[name.length] === ' ' || l[name.length] === '{'),
    )
  return line ? Number(line.split(' ').at(-1)) : 0
}
