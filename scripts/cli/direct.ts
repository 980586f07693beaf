/**
 * The direct transport: the CLI opens the database (and in cluster mode Redis) itself,
 * with the server's own services but none of its loops (no flusher, tickers or hub).
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import type { Config } from '../../server/config.ts'
import { type DatabaseHandle, openPglite, openPostgres } from '../../server/database/connect.ts'
import { EventDirectory } from '../../server/events/directory.ts'
import { WristbandService } from '../../server/host/wristbands/service.ts'
import { createLogger } from '../../server/lib/logger.ts'
import { type LiveLayer, openMemoryLive } from '../../server/live/index.ts'
import { cliLockPath, isAlive } from '../../server/operator/data-dir.ts'
import { OperatorService } from '../../server/operator/service.ts'
import { CliError } from './args.ts'
import type { Backend } from './backend.ts'

export interface CliLock {
  release(): void
}

/** How long to wait for another glowband command that has the embedded database open. */
const LOCK_WAIT_MS = 120_000

/**
 * Takes DATA_DIR/cli.lock (created exclusively, holding our pid). A lock left by a dead
 * process is taken over; a live holder is waited for.
 */
export async function takeCliLock(
  dataDir: string,
  say = (m: string) => process.stderr.write(`${m}\n`),
): Promise<CliLock> {
  const path = cliLockPath(dataDir)
  const deadline = Date.now() + LOCK_WAIT_MS
  let told = false
  for (;;) {
    try {
      const fd = openSync(path, 'wx', 0o600)
      writeSync(fd, String(process.pid))
      closeSync(fd)
      const release = () => {
        process.off('exit', release)
        rmSync(path, { force: true })
      }
      // Also on an uncaught error or process.exit(); only SIGKILL leaves it (and the next run takes it over).
      process.on('exit', release)
      return { release }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new CliError(`cannot use DATA_DIR ${dataDir}: it does not exist and could not be created`)
      }
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new CliError(`cannot lock ${path}: ${(err as Error).message}`)
      }
    }
    let holder = NaN
    try {
      holder = Number(readFileSync(path, 'utf8').trim())
    } catch {
      // vanished between open and read: try again
    }
    if (!isAlive(holder)) {
      // Only a complete pid counts: a lock still being written is given a moment.
      if (Number.isNaN(holder)) await Bun.sleep(50)
      else rmSync(path, { force: true })
      continue
    }
    if (Date.now() > deadline) {
      throw new CliError(
        `another glowband command (pid ${holder}) is still using ${dataDir}`,
        'wait for it to finish, then try again',
      )
    }
    if (!told) say(`waiting for another glowband command (pid ${holder}) to finish with ${dataDir}...`)
    told = true
    await Bun.sleep(200)
  }
}

/** Hides the password in a database or Redis URL before it goes into a message. */
export const redact = (url: string) => url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@')

export async function openDirect(config: Config, lock: CliLock | null): Promise<Backend> {
  const log = createLogger('error')
  let database: DatabaseHandle
  let live: LiveLayer
  let via: string
  try {
    if (config.mode === 'cluster') {
      via = `the cluster database ${redact(config.DATABASE_URL!)}`
      try {
        database = await openPostgres({
          url: config.DATABASE_URL!,
          migrationUrl: config.MIGRATION_DATABASE_URL,
          poolMax: 2,
          connectTimeoutSeconds: 5,
        })
      } catch (err) {
        throw new CliError(
          `cannot reach the database at ${redact(config.DATABASE_URL!)}: ${reason(err)}`,
          'check DATABASE_URL and that Postgres is running',
        )
      }
      const { connectRedis, redisLive } = await import('../../server/live/redis.ts')
      let redis: Awaited<ReturnType<typeof connectRedis>>
      try {
        redis = await connectRedis(config.REDIS_URL!)
      } catch (err) {
        await database.close()
        throw new CliError(
          `cannot reach Redis at ${redact(config.REDIS_URL!)}: ${reason(err)}`,
          'check REDIS_URL and that Redis is running',
        )
      }
      live = redisLive(redis, { prefix: config.REDIS_PREFIX, retention: config.LOG_RETENTION })
    } else {
      via = `the embedded database in ${config.dataDir}`
      try {
        database = await openPglite(config.dataDir)
      } catch (err) {
        throw new CliError(`cannot open the embedded database in ${config.dataDir}: ${reason(err)}`)
      }
      // Nobody else reads it: the server, when it starts, builds its own from the database.
      live = await openMemoryLive({ retention: 10, queueFile: null })
    }
  } catch (err) {
    lock?.release()
    throw err
  }
  const directory = new EventDirectory(database.db, live.counters, log)
  const operator = new OperatorService(database.db, directory, new WristbandService(database.db, live.counters))
  return {
    via,
    progress: true,
    // Cluster mode writes Redis, which every instance reads; embedded mode has no server running.
    liveAtOnce: config.mode === 'cluster',
    serverPublicUrl: null,
    listEvents: () => operator.listEvents(),
    createEvent: (input) => operator.createEvent(input),
    createBatch: (slug, input, onProgress) => operator.createBatch(slug, input, onProgress),
    batches: (slug) => operator.batches(slug),
    revoke: (slug, target) => operator.revoke(slug, target),
    exportBatch: (slug, label) => operator.exportBatch(slug, label),
    async close() {
      await live.close().catch(() => {})
      await database.close().catch(() => {})
      lock?.release()
    },
  }
}

const reason = (err: unknown) => {
  const e = err as { code?: string; message?: string; errors?: { message?: string }[] }
  return e.code ?? e.errors?.[0]?.message ?? e.message ?? String(err)
}
