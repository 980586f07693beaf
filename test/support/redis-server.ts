/** A private redis-server on a free port, for tests that kill or restart Redis. */
import { mkdtempSync, rmSync } from 'node:fs'
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

  /** `fsync`: the AOF's appendfsync (default always; everysec is Redis' default, losing up to a second). */
  constructor(private opts: { aof: boolean; fsync?: 'always' | 'everysec' }) {}

  get url() {
    return `redis://127.0.0.1:${this.port}`
  }

  async start() {
    this.port ||= await freePort()
    const persistence = this.opts.aof
      ? ['--appendonly', 'yes', '--appendfsync', this.opts.fsync ?? 'always']
      : ['--appendonly', 'no']
    this.proc = Bun.spawn(
      [
        'redis-server',
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--dir',
        this.dir,
        ...persistence,
      ],
      { stdout: 'ignore', stderr: 'ignore' },
    )
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
