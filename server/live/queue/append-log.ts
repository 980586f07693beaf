/**
 * A group-committed append-only file: lines are buffered as they come and written and
 * fdatasync'ed in one go, while the next group gathers; `sync()` resolves once every line
 * appended before it is on disk. The embedded write queue keeps its entries here, so a
 * crash of the process loses nothing it acknowledged.
 *
 * `rewrite(lines)` replaces the whole file (write to a temporary file, sync, rename), in
 * turn with the groups, so a compaction never races an append.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync } from 'node:fs'
import { type FileHandle, open } from 'node:fs/promises'
import { dirname } from 'node:path'

export class AppendLog {
  private pending: string[] = []
  private waiters: (() => void)[] = []
  private failed: ((err: unknown) => void)[] = []
  private rewriteWith: (() => string[]) | null = null
  private running: Promise<void> | null = null
  /** Bytes written since the file was last rewritten. */
  written = 0

  private constructor(
    private path: string,
    private file: FileHandle,
  ) {}

  /** Opens (creating) the file and returns it with the complete lines it holds; a torn last line is dropped. */
  static async open(path: string): Promise<{ log: AppendLog; lines: string[] }> {
    const text = existsSync(path) ? readFileSync(path, 'utf8') : ''
    const lines = text.split('\n')
    // The text after the last newline is a line whose write a crash cut short.
    lines.pop()
    const log = new AppendLog(path, await open(path, 'a'))
    log.written = Buffer.byteLength(text)
    return { log, lines }
  }

  append(line: string) {
    this.pending.push(line)
  }

  /** Resolves when everything appended so far is durable. */
  sync(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiters.push(resolve)
      this.failed.push(reject)
      this.running ??= this.drain()
    })
  }

  /** Replaces the file's content with the lines `snapshot()` returns when the rewrite runs. */
  rewrite(snapshot: () => string[]): Promise<void> {
    this.rewriteWith = snapshot
    return this.sync()
  }

  private async drain() {
    // Appends made while a group is being written wait for the next turn of this loop.
    while (this.waiters.length) {
      const waiters = this.waiters.splice(0)
      const failed = this.failed.splice(0)
      try {
        if (this.rewriteWith) await this.replace(this.rewriteWith)
        else await this.writePending()
        for (const w of waiters) w()
      } catch (err) {
        for (const f of failed) f(err)
      }
    }
    this.running = null
  }

  private async writePending() {
    if (!this.pending.length) return
    const chunk = `${this.pending.join('\n')}\n`
    this.pending = []
    await this.file.write(chunk)
    await this.file.datasync()
    this.written += Buffer.byteLength(chunk)
  }

  private async replace(snapshot: () => string[]) {
    this.rewriteWith = null
    // The snapshot already includes whatever is still pending.
    this.pending = []
    const lines = snapshot()
    const tmp = `${this.path}.tmp`
    const out = await open(tmp, 'w')
    const text = lines.length ? `${lines.join('\n')}\n` : ''
    await out.write(text)
    await out.datasync()
    await out.close()
    renameSync(tmp, this.path)
    // The rename itself is durable only once the directory is synced.
    const dir = openSync(dirname(this.path), 'r')
    try {
      fsyncSync(dir)
    } finally {
      closeSync(dir)
    }
    await this.file.close()
    this.file = await open(this.path, 'a')
    this.written = Buffer.byteLength(text)
  }

  async close() {
    if (this.pending.length) await this.sync().catch(() => {})
    await this.running
    await this.file.close()
  }
}
