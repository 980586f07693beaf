/** A private redis-server on a free port, for tests that kill or restart Redis. */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Subprocess } from 'bun'
import Redis from 'ioredis'
import { until } from './backends.ts'
import { freePort } from './process.ts'

export class PrivateRedis {
  proc: Subprocess | null = null
  readonly dir = mkdtempSync(join(tmpdir(), 'gb-redis-'))
  port = 0

  /**
   * `fsync`: the AOF's appendfsync (default always; everysec is Redis' default, losing up
   * to a second). `configFile`: a shipped config run as is (only port, bind and dir are
   * given on the command line).
   */
  constructor(private opts: { aof: boolean; fsync?: 'always' | 'everysec' } | { configFile: string }) {}

  get url() {
    return `redis://127.0.0.1:${this.port}`
  }

  async start() {
    this.port ||= await freePort()
    const where = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir]
    const o = this.opts
    const args =
      'configFile' in o
        ? [o.configFile, ...where]
        : [
            ...where,
            '--save',
            '',
            ...(o.aof ? ['--appendonly', 'yes', '--appendfsync', o.fsync ?? 'always'] : ['--appendonly', 'no']),
          ]
    this.proc = Bun.spawn(['redis-server', ...args], { stdout: 'ignore', stderr: 'ignore' })
    await until(
      async () => {
        const r = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
        r.on('error', () => {}) // refused until the server is up
        try {
          await r.connect()
          return (await r.ping()) === 'PONG'
        } catch {
          return false
        } finally {
          r.disconnect()
        }
      },
      10_000,
      50,
    )
    return this
  }

  /** The AOF file Redis appends to now (Redis 7 keeps a base file and incremental ones in appendonlydir). */
  incrementalAof(): string {
    const aofDir = join(this.dir, 'appendonlydir')
    const incr = readdirSync(aofDir)
      .filter((f) => f.endsWith('.incr.aof'))
      .sort((a, b) => Number(a.split('.').at(-3)) - Number(b.split('.').at(-3)))
    if (!incr.length) throw new Error(`no incremental AOF in ${aofDir}`)
    return join(aofDir, incr.at(-1)!)
  }

  async kill() {
    this.proc?.kill('SIGKILL')
    await this.proc?.exited
    this.proc = null
  }

  async stop() {
    await this.kill()
    rmSync(this.dir, { recursive: true, force: true })
  }
}
