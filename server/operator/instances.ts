/**
 * Every core: `bun server/index.ts --instances auto` (or `--instances N`) runs one
 * cluster-mode instance per core on this machine, all on the same port. Each instance is
 * a plain `bun server/index.ts` of its own (its own event loop, its own INSTANCE_ID);
 * the port is shared with `reusePort` (server/listen.ts), so the kernel spreads new
 * connections over them, and Redis and Postgres make them one deployment, as behind
 * nginx. This process only supervises: it starts the first instance (with `--demo` if
 * asked, so the demo event is made once), then the others, restarts one that dies, and
 * passes SIGTERM/SIGINT on so they drain as they would on their own.
 *
 * Embedded mode is one process by design (its database files are that process's alone),
 * so more than one instance needs cluster mode; see docs/scaling.md.
 */
import type { Subprocess } from 'bun'
import type { Config } from '../config.ts'

/** How long a restarted instance waits after its predecessor died, so a crash loop does not spin. */
const RESTART_DELAY_MS = 1000

/**
 * The instance count `--instances` asks for, or null without the flag.
 * @example instancesWanted(['--instances', 'auto'], 8) // 8
 * @example instancesWanted(['--instances=3'], 8) // 3
 */
export function instancesWanted(argv: string[], cores: number): number | null {
  let value: string | undefined
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--instances') value = argv[i + 1] ?? ''
    else if (argv[i].startsWith('--instances=')) value = argv[i].slice('--instances='.length)
  }
  if (value === undefined) return null
  if (value === 'auto') return Math.max(1, cores)
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > 1024)
    throw new Error(`--instances must be "auto" or a count from 1, not "${value}"`)
  return n
}

/** The arguments an instance gets: the parent's, without --instances. */
export function instanceArgs(argv: string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--instances') i++
    else if (!argv[i].startsWith('--instances=')) out.push(argv[i])
  }
  return out
}

/** Why this configuration cannot run several instances, or null when it can. */
export function instancesRefusal(config: Config, count: number): string | null {
  if (count > 1 && config.mode !== 'cluster') {
    return '--instances needs cluster mode (set DATABASE_URL and REDIS_URL): an embedded database belongs to one process'
  }
  if (count > 1 && config.PORT === 0) return '--instances needs a fixed PORT, which the instances share'
  return null
}

/**
 * Runs `count` instances of `script` with `args` until SIGTERM or SIGINT, then stops them
 * and resolves with the exit code.
 */
export async function superviseInstances(opts: {
  count: number
  script: string
  args: string[]
  config: Config
  say: (line: string) => void
}): Promise<number> {
  const { count, script, config, say } = opts
  const demo = opts.args.includes('--demo')
  const plain = opts.args.filter((a) => a !== '--demo')
  const children: (Subprocess | null)[] = Array.from({ length: count }, () => null)
  let stopping = false

  const spawn = (index: number): Subprocess => {
    const args = index === 0 && demo ? [...plain, '--demo'] : plain
    const child = Bun.spawn([process.execPath, script, ...args], {
      stdio: ['inherit', 'inherit', 'inherit'],
      env: { ...process.env },
    })
    children[index] = child
    void child.exited.then((code) => {
      if (stopping) return
      say(`instance ${index + 1} of ${count} (pid ${child.pid}) exited with ${code}; restarting it in 1 s`)
      setTimeout(() => {
        if (!stopping) spawn(index)
      }, RESTART_DELAY_MS)
    })
    return child
  }

  // The first one alone (it runs the migrations and makes the demo event), then the rest.
  const first = spawn(0)
  await untilHealthy(config.PORT, first)
  for (let i = 1; i < count; i++) spawn(i)
  say(`running ${count} instances on port ${config.PORT} (one per core: --instances auto)`)

  return new Promise<number>((resolve) => {
    const stop = async (signal: 'SIGTERM' | 'SIGINT') => {
      if (stopping) return
      stopping = true
      const live = children.filter((c): c is Subprocess => c !== null && c.exitCode === null)
      for (const c of live) c.kill(signal)
      await Promise.all(live.map((c) => c.exited))
      resolve(0)
    }
    process.on('SIGTERM', () => void stop('SIGTERM'))
    process.on('SIGINT', () => void stop('SIGINT'))
  })
}

/** Waits until an instance answers /healthz on this machine (or has exited). */
async function untilHealthy(port: number, child: Subprocess) {
  for (;;) {
    if (child.exitCode !== null) return
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return
    } catch {
      // not listening yet
    }
    await Bun.sleep(100)
  }
}
