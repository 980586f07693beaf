/**
 * How the CLI reaches the data: one interface, two transports.
 *
 * - cluster mode (DATABASE_URL + REDIS_URL): always direct. Postgres and Redis are
 *   shared, so writing them is what every server instance sees, and the counter layer
 *   learns new wristbands at once.
 * - embedded mode: the PGlite files belong to one process. If a server runs on this
 *   DATA_DIR (DATA_DIR/server.json names a live pid that answers), the CLI goes through
 *   its operator API; otherwise it opens the database itself, holding DATA_DIR/cli.lock
 *   so a server starting meanwhile waits (see server/operator/data-dir.ts).
 */
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Config } from '../../server/config.ts'
import { answers, isAlive, readServerFile, serverFilePath } from '../../server/operator/data-dir.ts'
import type { OperatorService } from '../../server/operator/service.ts'
import { CliError } from './args.ts'
import { openDirect, takeCliLock } from './direct.ts'
import { openHttp } from './http.ts'

/** The organiser's operations, the same whichever way they travel. */
export type Operations = Pick<
  OperatorService,
  'listEvents' | 'createEvent' | 'createBatch' | 'batches' | 'revoke' | 'exportBatch'
>

export interface Backend extends Operations {
  /** How the data was reached, for the summary: "the running server at http://...". */
  via: string
  /** Whether createBatch reports progress (only the direct transport can). */
  progress: boolean
  /** Whether changes reach live check-ins at once (false: when a server next starts on DATA_DIR). */
  liveAtOnce: boolean
  /** The running server's public URL, when going through it. */
  serverPublicUrl: string | null
  close(): Promise<void>
}

/** How long to wait for a server that is starting up on this DATA_DIR. */
const STARTING_WAIT_MS = 60_000

/**
 * Connects the way this configuration calls for.
 * `create`: in embedded mode, make a new database if DATA_DIR has none (event create).
 */
export async function connect(config: Config, opts: { create: boolean }): Promise<Backend> {
  if (config.mode === 'cluster') return openDirect(config, null)
  const dir = config.dataDir
  if (dir === ':memory:')
    throw new CliError('DATA_DIR=:memory: keeps the database inside one server process; the CLI cannot reach it')
  const deadline = Date.now() + STARTING_WAIT_MS
  for (;;) {
    const server = readServerFile(dir)
    if (server && server.pid !== process.pid && isAlive(server.pid)) {
      if (server.url && server.operatorToken) {
        if (await answers(server.url)) return openHttp(server.url, server.operatorToken, server.pid, server.publicUrl)
        throw new CliError(
          `a Glowband server (pid ${server.pid}) holds ${dir} but does not answer at ${server.url}`,
          `stop that server, or delete ${serverFilePath(dir)} if pid ${server.pid} is not a Glowband server`,
        )
      }
      // It is starting: its address comes in a moment.
      if (Date.now() > deadline)
        throw new CliError(`the Glowband server (pid ${server.pid}) on ${dir} did not finish starting`)
      await Bun.sleep(200)
      continue
    }
    if (!existsSync(join(dir, 'pglite'))) {
      if (!opts.create) {
        throw new CliError(
          `there is no Glowband database in ${dir}`,
          'set DATA_DIR to the server\'s data directory, or create an event first: glowband event create --name "..."',
        )
      }
      try {
        mkdirSync(dir, { recursive: true })
      } catch (err) {
        throw new CliError(`cannot create DATA_DIR ${dir}: ${(err as Error).message}`)
      }
    }
    // Nobody serves this DATA_DIR: lock it, then look again, since a server may have started meanwhile.
    const lock = await takeCliLock(dir)
    const again = readServerFile(dir)
    if (again && again.pid !== process.pid && isAlive(again.pid)) {
      lock.release()
      continue
    }
    return openDirect(config, lock)
  }
}
