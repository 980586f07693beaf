/**
 * The organiser's side: what the glowband CLI does (events, wristband batches, revoking,
 * reprinting), and how it finds a running server.
 *
 * In embedded mode the PGlite files under DATA_DIR belong to one process. A running
 * server announces itself in `DATA_DIR/server.json` (pid, address and a fresh operator
 * token, mode 0600); the CLI then goes through its API with that token instead of
 * opening the database. While the CLI does open the database itself it holds
 * `DATA_DIR/cli.lock`, and a starting server waits for it. Each side writes its own
 * file before it looks for the other's, so they cannot both miss each other.
 * In cluster mode nothing of this applies: Postgres and Redis are shared, and the CLI
 * always talks to them directly.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { and, asc, eq, isNotNull, sql } from 'drizzle-orm'
import { z } from 'zod'
import { checkins, events, wristbandBatches, wristbands } from '../db/schema.ts'
import type { Database } from './db.ts'
import { notFound } from './errors.ts'
import { type EventDirectory, type EventRecord, hashSecret, SLUG_PATTERN } from './events.ts'
import type { BatchResult, HostService } from './host.ts'
import type { Runtime } from './runtime.ts'

export const createEventSchema = z.object({
  name: z.string().trim().min(1, 'give the event a name').max(200),
  slug: z.string().regex(SLUG_PATTERN, 'use 1-48 lowercase letters, digits and dashes').optional(),
})

export interface EventSummary {
  slug: string
  name: string
  status: string
  wristbands: number
  revoked: number
  checkedIn: number
}

export interface BatchSummary {
  label: string
  firstNumber: number
  count: number
  revoked: number
  createdAt: string
}

export interface BatchInput {
  count: number
  label?: string
  startNumber?: number
  add?: boolean
  dryRun?: boolean
}

/** The organiser's operations, over one database and counter layer (the server's own, or the CLI's). */
export class OperatorService {
  constructor(
    private db: Database,
    private directory: EventDirectory,
    private hosts: HostService,
  ) {}

  async event(slug: string): Promise<EventRecord> {
    const event = SLUG_PATTERN.test(slug) ? await this.directory.bySlug(slug) : null
    if (!event) throw notFound(`event "${slug}"`)
    return event
  }

  async listEvents(): Promise<EventSummary[]> {
    const rows = await this.db
      .select({
        slug: events.slug,
        name: events.name,
        status: events.status,
        wristbands: sql<number>`(select count(*)::int from ${wristbands} where ${wristbands.eventId} = ${events.id})`,
        revoked: sql<number>`(select count(*)::int from ${wristbands} where ${wristbands.eventId} = ${events.id} and ${isNotNull(wristbands.revokedAt)})`,
        checkedIn: sql<number>`(select count(*)::int from ${checkins} where ${checkins.eventId} = ${events.id})`,
      })
      .from(events)
      .orderBy(asc(events.id))
    return rows.map((r) => ({ ...r, wristbands: Number(r.wristbands), revoked: Number(r.revoked), checkedIn: Number(r.checkedIn) }))
  }

  async createEvent(input: z.infer<typeof createEventSchema>) {
    const { event, hostSecret } = await this.directory.create(input)
    return { event: { slug: event.slug, name: event.name, status: event.status }, hostSecret }
  }

  async createBatch(slug: string, input: BatchInput, onProgress?: (done: number, total: number) => void): Promise<BatchResult> {
    const event = await this.event(slug)
    return this.hosts.createWristbands(
      event,
      { count: input.count, label: input.label, startNumber: input.startNumber, addToExisting: input.add, dryRun: input.dryRun },
      onProgress,
    )
  }

  async batches(slug: string): Promise<BatchSummary[]> {
    const rows = await this.hosts.batches(await this.event(slug))
    return rows.map((b) => ({ ...b, revoked: Number(b.revoked), createdAt: new Date(b.createdAt).toISOString() }))
  }

  async revoke(slug: string, target: { numbers?: number[]; codes?: string[]; batch?: string }) {
    const numbers = await this.hosts.revoke(await this.event(slug), target)
    return { revoked: numbers.sort((a, b) => a - b) }
  }

  /** A batch's wristbands that still work, from the database, to write its files again. */
  async exportBatch(slug: string, label: string) {
    const event = await this.event(slug)
    const [batch] = await this.db
      .select()
      .from(wristbandBatches)
      .where(and(eq(wristbandBatches.eventId, event.id), eq(wristbandBatches.label, label)))
    if (!batch) throw notFound(`batch "${label}" of event "${slug}"`)
    const rows = await this.db
      .select({ number: wristbands.number, code: wristbands.code, revokedAt: wristbands.revokedAt })
      .from(wristbands)
      .where(eq(wristbands.batchId, batch.id))
      .orderBy(asc(wristbands.number))
    const live = rows.filter((r) => !r.revokedAt)
    return {
      label,
      firstNumber: live[0]?.number ?? batch.firstNumber,
      wristbands: live.map((r) => ({ number: r.number, code: r.code })),
      revoked: rows.length - live.length,
    }
  }
}

// ---- the operator token: full access to every event, for the CLI on this machine ----

/** Each runtime's operator token, hashed like host secrets. */
/** Each runtime's operator token, hashed like host secrets. */
const tokens = new WeakMap<Runtime, Buffer>()

/** Makes a new operator token for this runtime (one per server start) and returns it. */
export function issueOperatorToken(rt: Runtime): string {
  const token = randomBytes(32).toString('base64url')
  tokens.set(rt, Buffer.from(hashSecret(token)))
  return token
}

/** Whether an Authorization header carries this runtime's operator token (constant time). */
export function isOperator(rt: Runtime, authorization: string | null): boolean {
  const expected = tokens.get(rt)
  const m = authorization?.match(/^Bearer\s+(\S{1,200})$/i)
  return !!expected && !!m && timingSafeEqual(Buffer.from(hashSecret(m[1])), expected)
}

// ---- who owns DATA_DIR ----

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
  const file: ServerFile = { pid: process.pid, url: null, operatorToken: null, publicUrl: null, startedAt: new Date().toISOString() }
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
      writePrivateFile(serverFilePath(dataDir), JSON.stringify({ ...file, url, operatorToken: token, publicUrl: rt.config.publicUrl }))
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
