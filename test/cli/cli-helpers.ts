/**
 * Runs the glowband CLI as a real subprocess (`bun scripts/glowband.ts ...`), the way an
 * organiser does, and reads what it wrote.
 */
import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Subprocess } from 'bun'
import jsQR from 'jsqr'
import { PNG } from 'pngjs'
import { openPglite } from '../../server/database/connect.ts'
import type { BatchSummary } from '../../server/operator/service.ts'

export const ROOT = resolve(import.meta.dir, '../..')
export const CLI = join(ROOT, 'scripts/glowband.ts')

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/** Environment for embedded mode on `dataDir`: nothing of cluster mode leaks in. */
export function embeddedEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !['DATABASE_URL', 'REDIS_URL', 'PUBLIC_URL', 'PORT'].includes(k)) env[k] = v
  }
  return { ...env, DATA_DIR: dataDir, ...extra }
}

export function startCli(
  args: string[],
  env: Record<string, string>,
  cwd = tmpdir(),
): Subprocess<'ignore', 'pipe', 'pipe'> {
  return Bun.spawn([process.execPath, CLI, ...args], { cwd, env, stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' })
}

export async function cli(args: string[], env: Record<string, string>, cwd?: string): Promise<CliResult> {
  const proc = startCli(args, env, cwd)
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ])
  return { code, stdout, stderr }
}

/** Like `cli`, but fails the test with the output when the exit code is not 0. */
export async function cliOk(args: string[], env: Record<string, string>, cwd?: string): Promise<CliResult> {
  const r = await cli(args, env, cwd)
  if (r.code !== 0) throw new Error(`glowband ${args.join(' ')} exited ${r.code}\n${r.stdout}\n${r.stderr}`)
  return r
}

export const tempDir = (name: string) => mkdtempSync(join(tmpdir(), `gb-${name}-`))

let template: Promise<string> | null = null

/**
 * A DATA_DIR holding an empty, migrated embedded database. Creating one (PGlite's initdb
 * and the migrations) takes seconds, copying one does not: the first is kept in the temp
 * folder, named after the migrations and the PGlite version, and copied from then on.
 */
export async function freshDataDir(parent: string): Promise<string> {
  template ??= (async () => {
    const stamp = createHash('sha256')
      .update(readFileSync(join(ROOT, 'db/migrations/meta/_journal.json')))
      .update(readFileSync(join(ROOT, 'node_modules/@electric-sql/pglite/package.json')))
      .digest('hex')
      .slice(0, 12)
    const dir = join(tmpdir(), `glowband-test-database-${stamp}`)
    if (!existsSync(dir)) {
      const building = `${dir}.${process.pid}`
      await (await openPglite(building)).close()
      try {
        renameSync(building, dir)
      } catch {
        // Another test run made it first.
        rmSync(building, { recursive: true, force: true })
      }
    }
    return dir
  })()
  const target = join(parent, 'data')
  cpSync(await template, target, { recursive: true })
  return target
}

/** The batches of an event, from `wristbands list --json`. */
export async function listBatches(env: Record<string, string>, slug = 'gala'): Promise<BatchSummary[]> {
  return JSON.parse((await cliOk(['wristbands', 'list', '--event', slug, '--json'], env)).stdout)
}

export interface CsvRow {
  number: number
  code: string
  url: string
}

export function readCsv(path: string): { header: string; rows: CsvRow[] } {
  const [header, ...lines] = readFileSync(path, 'utf8').trimEnd().split('\n')
  return {
    header,
    rows: lines.map((l) => {
      const [number, code, url] = l.split(',')
      return { number: Number(number), code, url }
    }),
  }
}

/** The text in the QR code of a PNG image (dark on light, as printed), or null if none is found. */
export function decodeQrPng(png: Buffer): string | null {
  const image = PNG.sync.read(png)
  const pixels = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length)
  return jsQR(pixels, image.width, image.height, { inversionAttempts: 'dontInvert' })?.data ?? null
}
