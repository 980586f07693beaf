/**
 * The files of a batch: `wristbands.csv` (number,code,url), the printable sheet(s), and on
 * request one PNG and/or SVG per wristband. Everything is written into a hidden staging
 * folder beside the target (`.NAME.partial-PID`) and renamed into place in one step, so
 * an interrupted run leaves either the complete folder or none; a staging folder left by
 * a killed run is removed by the next run that writes there.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { basename, dirname, join, relative } from 'node:path'
import { isAlive } from '../../server/operator/data-dir.ts'
import { CliError } from './args.ts'
import type { Progress } from './progress.ts'
import { qrMatrix, qrPng, qrSvg } from './qr.ts'
import {
  LABELS_PER_FILE,
  LABELS_PER_PAGE,
  renderSheet,
  type SheetInfo,
  type SheetJob,
  type Wristband,
} from './sheet.ts'

const PARTIAL = /^\.(.+)\.partial-(\d+)$/

/** Why `dir` cannot be the output folder, or null if it can (missing, or an empty folder). */
export function unusableTarget(dir: string): string | null {
  if (!existsSync(dir)) return null
  if (!statSync(dir).isDirectory()) return `${dir} is a file`
  return readdirSync(dir).length ? `${dir} exists and is not empty` : null
}

export class Staging {
  private done = false
  private readonly cleanup = () => this.discard()

  private constructor(
    readonly path: string,
    /** The first folder `open` had to create above the staging folder, if any. */
    private readonly created: string | undefined,
  ) {
    // Also on Ctrl-C (the command's signal handler exits) and on an uncaught error.
    process.on('exit', this.cleanup)
  }

  /**
   * Creates the staging folder beside `target`: this is also the check that the place is
   * writable, done before anything touches the database.
   */
  static open(target: string): Staging {
    const parent = dirname(target)
    try {
      const created = mkdirSync(parent, { recursive: true })
      removeStalePartials(parent)
      const path = join(parent, `.${basename(target)}.partial-${process.pid}`)
      rmSync(path, { recursive: true, force: true })
      mkdirSync(path)
      return new Staging(path, created)
    } catch (err) {
      const e = err as NodeJS.ErrnoException
      const why: Record<string, string> = {
        EACCES: 'permission denied',
        EPERM: 'permission denied',
        EROFS: 'the file system is read-only',
        ENOENT: 'that place cannot hold a folder',
        ENOTDIR: 'a file is in the way',
        ENOSPC: 'the disk is full',
      }
      throw new CliError(
        `cannot write to ${target}: ${why[e.code ?? ''] ?? e.message}`,
        'choose a folder you can write to with --out DIR',
      )
    }
  }

  /** Moves the finished folder to `target` in one rename. */
  commit(target: string) {
    const problem = unusableTarget(target)
    if (problem) throw new CliError(`cannot put the files in place: ${problem}`)
    renameSync(this.path, target)
    this.done = true
    process.off('exit', this.cleanup)
  }

  /** Removes the staging folder, and the folders `open` made for it if they are empty. */
  discard() {
    if (this.done) return
    this.done = true
    process.off('exit', this.cleanup)
    rmSync(this.path, { recursive: true, force: true })
    if (!this.created) return
    for (let dir = dirname(this.path); dir.startsWith(this.created); dir = dirname(dir)) {
      if (readdirSync(dir).length) break
      rmSync(dir, { recursive: true })
    }
  }
}

/** Staging folders of runs that were killed (their pid is gone). */
function removeStalePartials(parent: string) {
  for (const name of readdirSync(parent)) {
    const m = name.match(PARTIAL)
    if (m && Number(m[2]) !== process.pid && !isAlive(Number(m[2]))) {
      rmSync(join(parent, name), { recursive: true, force: true })
    }
  }
}

const csvField = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)

export function csv(wristbands: Wristband[]): string {
  let out = 'number,code,url\n'
  for (const w of wristbands) out += `${w.number},${csvField(w.code)},${csvField(w.url)}\n`
  return out
}

export interface WrittenFiles {
  /** Paths relative to the output folder. */
  csv: string
  sheets: string[]
  pages: number
  png: number
  svg: number
}

export const sheetName = (index: number, of: number) =>
  of === 1 ? 'sheet.html' : `sheet-${String(index).padStart(3, '0')}.html`

/** Writes every file of the batch into `dir` (the staging folder), with progress. */
export async function writeBatchFiles(
  dir: string,
  wristbands: Wristband[],
  info: SheetInfo,
  opts: { png: boolean; svg: boolean },
  progress: Progress,
): Promise<WrittenFiles> {
  await Bun.write(join(dir, 'wristbands.csv'), csv(wristbands))
  const files = Math.max(1, Math.ceil(wristbands.length / LABELS_PER_FILE))
  const jobs: SheetJob[] = Array.from({ length: files }, (_, f) => ({
    path: join(dir, sheetName(f + 1, files)),
    items: wristbands.slice(f * LABELS_PER_FILE, (f + 1) * LABELS_PER_FILE),
    info,
    file: { index: f + 1, of: files },
  }))
  const phase = progress.phase('sheets', wristbands.length)
  await writeSheets(jobs, (labels) => phase.update(labels))
  phase.finish()
  const width = String(wristbands[wristbands.length - 1]?.number ?? 0).length
  const fileName = (w: Wristband, ext: string) => `${String(w.number).padStart(width, '0')}.${ext}`
  for (const [ext, wanted] of [
    ['png', opts.png],
    ['svg', opts.svg],
  ] as const) {
    if (!wanted) continue
    mkdirSync(join(dir, ext))
    const images = progress.phase(ext, wristbands.length)
    for (const [i, w] of wristbands.entries()) {
      const qr = qrMatrix(w.url)
      const body = ext === 'png' ? qrPng(qr) : qrSvg(qr, { title: w.url })
      await Bun.write(join(dir, ext, fileName(w, ext)), body)
      images.update(i + 1)
      // Small writes settle as microtasks: without a real turn of the event loop now and
      // then, a Ctrl-C would not be handled until every image is written.
      if (i % 64 === 63) await new Promise((next) => setImmediate(next))
    }
    images.finish()
  }
  return {
    csv: 'wristbands.csv',
    sheets: jobs.map((j) => basename(j.path)),
    pages: Math.ceil(wristbands.length / LABELS_PER_PAGE),
    png: opts.png ? wristbands.length : 0,
    svg: opts.svg ? wristbands.length : 0,
  }
}

/** `dir` as the user would type it from here. */
export const shown = (dir: string) => {
  const rel = relative(process.cwd(), dir)
  return rel && !rel.startsWith('..') ? rel : dir
}

/**
 * Renders the sheet files, in worker threads when there are several files and cores
 * (one file per worker at a time); `onProgress` gets the labels written so far.
 */
export async function writeSheets(jobs: SheetJob[], onProgress: (labels: number) => void): Promise<void> {
  const threads = Math.min(jobs.length, availableParallelism(), 8)
  let labels = 0
  if (threads < 2) {
    for (const job of jobs) {
      await Bun.write(job.path, renderSheet(job.items, job.info, job.file))
      onProgress((labels += job.items.length))
    }
    return
  }
  const workers = Array.from({ length: threads }, () => new Worker(new URL('./sheet-worker.ts', import.meta.url).href))
  try {
    let next = 0
    await Promise.all(
      workers.map(async (worker) => {
        while (next < jobs.length) {
          const job = jobs[next++]
          const reply = await new Promise<{ ok: boolean; error?: string }>((done, fail) => {
            worker.onmessage = (m) => done(m.data)
            worker.onerror = (e) => fail(new Error(e.message))
            worker.postMessage(job)
          })
          if (!reply.ok) throw new Error(reply.error)
          onProgress((labels += job.items.length))
        }
      }),
    )
  } finally {
    for (const w of workers) w.terminate()
  }
}
