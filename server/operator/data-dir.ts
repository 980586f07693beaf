/**
 * Who owns DATA_DIR in embedded mode. The PGlite files under DATA_DIR belong to one
 * process. A running server announces itself in `DATA_DIR/server.json` (pid, address
 * and a fresh operator token, mode 0600); the CLI then goes through its API with that
 * token instead of opening the database. While the CLI does open the database itself it
 * holds `DATA_DIR/cli.lock`, and a starting server waits for it. Each side writes its
 * own file before it looks for the other's, so they cannot both miss each other.
 * In cluster mode nothing of this applies: Postgres and Redis are shared, and the CLI
 * always talks to them directly.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Runtime } from '../runtime.ts'
import { issueOperatorToken } from './token.ts'

export interface ServerFile {
  pid: number
  /** Where the CLI reaches the API; null while the server is still starting. */
  url: string | null
  operatorToken: string | null
  /** The base URL phones use (what wristband QR codes point at). */
  publicUrl: string | null
  startedAt: string
}

export const serverFilePath = (dataDir: string) => join(dataDir, 'server.json')
export const cliLockPath = (dataDir: string) => join(dataDir, 'cli.lock')

/** Whether a process with this pid runs (EPERM: it does, but is not ours; a zombie does not). */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
  try {
    // Linux: a killed process nobody has reaped yet still answers signal 0.
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z'
  } catch {
    return true
  }
}

export function readServerFile(dataDir: string): ServerFile | null {
  try {
    const parsed = JSON.parse(readFileSync(serverFilePath(dataDir), 'utf8'))
    return typeof parsed?.pid === 'number' ? (parsed as ServerFile) : null
  } catch {
    return null
  }
}

/** The pid in cli.lock, if a live process holds it. */
export function cliLockHolder(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(cliLockPath(dataDir), 'utf8').trim())
    return pid !== process.pid && isAlive(pid) ? pid : null
  } catch {
    return null
  }
}

/** Writes a file in one step (temporary name, then rename), readable by its owner only. */
export function writePrivateFile(path: string, content: string) {
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, content, { mode: 0o600 })
  renameSync(tmp, path)
}

/** Whether a server at `url` answers /healthz. */
export async function answers(url: string, timeoutMs = 3000): Promise<boolean> {
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(timeoutMs) })
    return res.status === 200 || res.status === 503
  } catch {
    return false
  }
}

/**
 * Embedded mode, at server start: claims DATA_DIR before the database is opened. Refuses
 * when another live server holds it, and waits while the CLI has the database open.
 * Returns `publish` (call once listening) and `release` (call at shutdown).
 */
export async function claimDataDir(dataDir: string, say: (message: string) => void) {
  mkdirSync(dataDir, { recursive: true })
  const other = readServerFile(dataDir)
  if (other && other.pid !== process.pid && isAlive(other.pid) && (!other.url || (await answers(other.url)))) {
    throw new Error(
      `another Glowband server (pid ${other.pid}) is using DATA_DIR ${dataDir}; stop it first ` +
        `(or delete ${serverFilePath(dataDir)} if pid ${other.pid} is not a Glowband server)`,
    )
  }
  const file: ServerFile = {
    pid: process.pid,
    url: null,
    operatorToken: null,
    publicUrl: null,
    startedAt: new Date().toISOString(),
  }
  writePrivateFile(serverFilePath(dataDir), JSON.stringify(file))
  let told = false
  for (let pid = cliLockHolder(dataDir); pid !== null; pid = cliLockHolder(dataDir)) {
    if (!told) say(`waiting for the glowband CLI (pid ${pid}) to finish with ${dataDir}`)
    told = true
    await Bun.sleep(200)
  }
  return {
    publish(rt: Runtime, url: string) {
      const token = issueOperatorToken(rt)
      writePrivateFile(
        serverFilePath(dataDir),
        JSON.stringify({ ...file, url, operatorToken: token, publicUrl: rt.config.publicUrl }),
      )
    },
    release() {
      if (readServerFile(dataDir)?.pid === process.pid) rmSync(serverFilePath(dataDir), { force: true })
    },
  }
}

/** Where a process on this machine reaches a server listening on `host`. */
export function localUrl(host: string, port: number): string {
  const reach = ['0.0.0.0', '::', ''].includes(host) ? '127.0.0.1' : host
  return `http://${reach.includes(':') ? `[${reach}]` : reach}:${port}`
}
