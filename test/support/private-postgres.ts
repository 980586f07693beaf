/**
 * A Postgres cluster of the test's own (pg_createcluster on a free port, trust auth), for
 * tests that stop, freeze or restart Postgres; the shared one on 5432 is never touched.
 */
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import postgres from 'postgres'
import { until } from './backends.ts'
import { freePort } from './process.ts'

const VERSION = process.env.PG_VERSION ?? '15'

function run(cmd: string[]) {
  const r = Bun.spawnSync(cmd, { stdout: 'pipe', stderr: 'pipe' })
  if (r.exitCode !== 0) throw new Error(`${cmd.join(' ')}: ${r.stderr.toString()}`)
  return r.stdout.toString()
}

export class PrivatePostgres {
  readonly name = `gbtest${randomBytes(3).toString('hex')}`
  port = 0

  get url() {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`
  }

  static available() {
    return Bun.spawnSync(['which', 'pg_createcluster']).exitCode === 0
  }

  async create() {
    this.port = await freePort()
    run(['pg_createcluster', VERSION, this.name, '--port', String(this.port), '--', '--auth=trust'])
    await this.start()
    return this
  }

  async start() {
    run(['pg_ctlcluster', VERSION, this.name, 'start'])
    await until(() => this.ping(), 20_000, 100)
  }

  async restart() {
    run(['pg_ctlcluster', VERSION, this.name, 'restart', '-m', 'fast'])
    await until(() => this.ping(), 20_000, 100)
  }

  /** The postmaster and every backend: what SIGSTOP must reach to freeze the server. */
  processes(): number[] {
    const pid = Number(
      readFileSync(`/var/lib/postgresql/${VERSION}/${this.name}/postmaster.pid`, 'utf8').split('\n')[0],
    )
    const children = Bun.spawnSync(['pgrep', '-P', String(pid)])
      .stdout.toString()
      .trim()
      .split('\n')
      .filter(Boolean)
    return [pid, ...children.map(Number)]
  }

  /** Freezes the whole server (SIGSTOP): connections stay open and nothing answers. */
  freeze() {
    for (const pid of this.processes()) process.kill(pid, 'SIGSTOP')
  }

  thaw() {
    for (const pid of this.processes()) process.kill(pid, 'SIGCONT')
  }

  async ping(): Promise<boolean> {
    const sql = postgres(this.url, { max: 1, connect_timeout: 2, onnotice: () => {} })
    try {
      await sql`select 1`
      return true
    } catch {
      return false
    } finally {
      await sql.end({ timeout: 1 }).catch(() => {})
    }
  }

  drop() {
    try {
      this.thaw()
    } catch {
      // not running
    }
    Bun.spawnSync(['pg_dropcluster', VERSION, this.name, '--stop'])
  }
}
