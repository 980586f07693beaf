/**
 * A private Redis Cluster of three masters (no replicas) on free local ports, in a temp
 * dir: redis-server processes in cluster mode, joined by `redis-cli --cluster create`.
 * `url` is the REDIS_URL cluster mode takes (redis+cluster://, server/live/redis-url.ts).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Subprocess } from 'bun'
import Redis, { Cluster } from 'ioredis'
import { until } from './backends.ts'
import { freePort } from './process.ts'

export class PrivateRedisCluster {
  readonly dir = mkdtempSync(join(tmpdir(), 'gb-rcluster-'))
  ports: number[] = []
  private procs: Subprocess[] = []

  /** `aof`: appendonly with appendfsync always on every master, so a restart keeps the data. */
  constructor(
    private masters = 3,
    private opts: { aof?: boolean } = {},
  ) {}

  get url() {
    return `redis+cluster://${this.ports.map((p) => `127.0.0.1:${p}`).join(',')}`
  }

  private busPorts: number[] = []

  private spawn(i: number) {
    const port = this.ports[i]!
    // A directory per node: Redis writes nodes-N.conf (a restarted node finds its cluster
    // there) and its AOF directory into --dir.
    const dir = join(this.dir, String(port))
    mkdirSync(dir, { recursive: true })
    const args = ['--port', String(port), '--cluster-port', String(this.busPorts[i]), '--bind', '127.0.0.1']
    args.push('--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`)
    args.push('--cluster-node-timeout', '2000', '--dir', dir, '--save', '')
    args.push(...(this.opts.aof ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']))
    args.push('--daemonize', 'no')
    this.procs[i] = Bun.spawn(['redis-server', ...args], { stdout: 'ignore', stderr: 'ignore' })
  }

  /** Starts the cluster; after `kill()`, starts every master again on its port. */
  async start() {
    if (this.ports.length) {
      for (let i = 0; i < this.ports.length; i++) this.spawn(i)
      await this.healthy()
      return this
    }
    for (let i = 0; i < this.masters; i++) {
      this.ports.push(await freePort())
      // The cluster bus defaults to port + 10000, which may be taken or past 65535: give it its own.
      this.busPorts.push(await freePort())
      this.spawn(i)
    }
    for (const port of this.ports) await until(() => this.node(port, (r) => r.ping()), 10_000, 50)
    const create = Bun.spawn(
      ['redis-cli', '--cluster', 'create', ...this.ports.map((p) => `127.0.0.1:${p}`)].concat([
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ]),
      { stdout: 'pipe', stderr: 'pipe' },
    )
    if ((await create.exited) !== 0) {
      throw new Error(`redis-cli --cluster create failed: ${await new Response(create.stdout).text()}`)
    }
    await this.healthy()
    return this
  }

  /** Until every node sees all slots served (before a client's first CLUSTER SLOTS, and after a restart). */
  async healthy(timeoutMs = 15_000) {
    for (const port of this.ports) {
      await until(
        async () => String(await this.node(port, (r) => r.cluster('INFO'))).includes('cluster_state:ok'),
        timeoutMs,
        50,
      )
    }
  }

  /** kill -9 of master `i` (or of all): without replicas its slots, and so the whole cluster, stop serving. */
  async kill(i?: number) {
    const procs = i === undefined ? this.procs : [this.procs[i]]
    for (const proc of procs) proc?.kill('SIGKILL')
    await Promise.all(procs.map((proc) => proc?.exited))
  }

  /** FLUSHALL on every master (each holds its own slots). */
  async flushAll() {
    for (const port of this.ports) {
      if ((await this.node(port, (r) => r.flushall())) !== 'OK') throw new Error(`FLUSHALL failed on ${port}`)
    }
  }

  /** Starts master `i` again, empty (no persistence), on its port and with its cluster config. */
  async restart(i: number) {
    this.spawn(i)
    await this.healthy()
  }

  /** Runs `fn` on a short-lived connection to one node; false when it does not answer. */
  private async node<T>(port: number, fn: (r: Redis) => Promise<T>): Promise<T | false> {
    const r = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
    r.on('error', () => {}) // refused until the server is up
    try {
      await r.connect()
      return await fn(r)
    } catch {
      return false
    } finally {
      r.disconnect()
    }
  }

  /** A plain Cluster client for the test's own checks (quit it when done). */
  async client(): Promise<Cluster> {
    const c = new Cluster(
      this.ports.map((port) => ({ host: '127.0.0.1', port })),
      { lazyConnect: true },
    )
    c.on('error', () => {})
    await c.connect()
    return c
  }

  /** Which master serves `key` ("127.0.0.1:port"), from CLUSTER KEYSLOT and CLUSTER SLOTS. */
  async masterOf(key: string): Promise<string> {
    const answer = await this.node(this.ports[0]!, async (r) => {
      const slot = Number(await r.cluster('KEYSLOT', key))
      const ranges = (await r.cluster('SLOTS')) as unknown as [number, number, [string, number]][]
      const owner = ranges.find(([from, to]) => slot >= from && slot <= to)
      return owner ? `${owner[2][0]}:${owner[2][1]}` : ''
    })
    if (!answer) throw new Error(`no master serves ${key}`)
    return answer
  }

  async stop() {
    for (const proc of this.procs) proc.kill('SIGKILL')
    await Promise.all(this.procs.map((proc) => proc.exited))
    this.procs = []
    rmSync(this.dir, { recursive: true, force: true })
  }
}
