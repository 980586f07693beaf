/**
 * Glowband as a benchmark target: embedded mode (one process, PGlite on disk, the
 * in-process counter layer) or cluster mode (N processes on one port with reusePort, a
 * scratch Postgres database and a unique Redis key prefix, both removed afterwards).
 * Each is `bun server/index.ts --demo`, exactly as `npm start` runs it.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Subprocess } from 'bun'
import { LOCAL_DATABASE_URL, LOCAL_REDIS_URL, scratchBackends } from '../../scratch-backends.ts'
import { collect, demoPoll, freePort, ROOT, stopProcess, type Target, type Truth, waitHealthy } from './common.ts'

export interface GlowbandOptions {
  tickMs: number
  /** Extra environment for the server (e.g. profiling switches). */
  env?: Record<string, string>
  /** Extra arguments for bun before the script (e.g. --cpu-prof). */
  bunArgs?: string[]
}

interface Instance {
  proc: Subprocess
  dir: string
  logs: () => string
}

async function spawnInstance(
  port: number,
  env: Record<string, string>,
  opts: GlowbandOptions,
  demo: boolean,
): Promise<Instance> {
  const dir = mkdtempSync(join(tmpdir(), 'gb-bench-'))
  const proc = Bun.spawn([process.execPath, ...(opts.bunArgs ?? []), 'server/index.ts', ...(demo ? ['--demo'] : [])], {
    cwd: ROOT,
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      TICK_MS: String(opts.tickMs),
      DATA_DIR: dir,
      ...env,
      ...opts.env,
      PORT: String(port),
    },
    stdout: 'ignore',
    stderr: 'pipe',
  })
  const logs = collect(proc)
  await waitHealthy(`http://127.0.0.1:${port}/healthz`, () => proc.exitCode !== null, logs)
  return { proc, dir, logs }
}

function glowbandTarget(name: string, port: number, instances: Instance[], cleanup: () => Promise<void>): Target {
  const base = `http://127.0.0.1:${port}`
  let secret = ''
  const auth = () => ({ authorization: `Bearer ${secret}`, 'content-type': 'application/json' })
  return {
    name,
    kind: 'glowband',
    host: '127.0.0.1',
    port,
    streamPath: '/api/events/demo/stream',
    pids: () => instances.map((i) => i.proc.pid),
    async setup(guests) {
      // The demo event's host secret appears once --demo has made the event.
      const file = join(instances[0].dir, 'demo.host-secret')
      for (let i = 0; !secret; i++) {
        try {
          secret = JSON.parse(readFileSync(file, 'utf8')).secret
        } catch {
          if (i > 300) throw new Error(`no ${file}`)
          await Bun.sleep(100)
        }
      }
      // One guest may send several messages in a burst; the default limit is for real phones.
      const s = await fetch(`${base}/api/admin/events/demo/settings`, {
        method: 'PATCH',
        headers: auth(),
        body: JSON.stringify({ messagesPerWindow: 1000, messageWindowSeconds: 10 }),
      })
      if (!s.ok) throw new Error(`settings: ${s.status} ${await s.text()}`)
      const res = await fetch(`${base}/api/admin/events/demo/wristbands`, {
        method: 'POST',
        headers: auth(),
        body: JSON.stringify({ count: guests, label: `bench-${randomBytes(3).toString('hex')}` }),
      })
      if (res.status !== 201) throw new Error(`wristbands: ${res.status} ${await res.text()}`)
      const batch = (await res.json()) as { wristbands: { number: number; code: string }[] }
      return { codes: batch.wristbands.map((w) => w.code), poll: await demoPoll(base) }
    },
    async truth(timeoutMs) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const res = await fetch(`${base}/api/admin/events/demo/stats`, { headers: auth() })
        if (res.ok) {
          const st = (await res.json()) as {
            checkins: number
            messages: number
            polls: Record<string, Record<string, number>>
            queueDepth: number
          }
          if (st.queueDepth === 0 || Date.now() > deadline) {
            const votes: Record<string, number> = {}
            for (const byOption of Object.values(st.polls)) Object.assign(votes, byOption)
            return { checkins: st.checkins, messages: st.messages, votes, queueDepth: st.queueDepth } satisfies Truth
          }
        } else if (Date.now() > deadline) throw new Error(`stats: ${res.status} ${await res.text()}`)
        await Bun.sleep(300)
      }
    },
    logs: () => instances.map((i, n) => `--- instance ${n}\n${i.logs()}`).join('\n'),
    async stop() {
      await Promise.all(instances.map((i) => stopProcess(i.proc)))
      for (const i of instances) rmSync(i.dir, { recursive: true, force: true })
      await cleanup()
    },
  }
}

export async function startEmbedded(opts: GlowbandOptions): Promise<Target> {
  const port = await freePort()
  const inst = await spawnInstance(port, {}, opts, true)
  return glowbandTarget('glowband-embedded', port, [inst], async () => {})
}

export const ADMIN_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? LOCAL_DATABASE_URL
export const BENCH_REDIS_URL = process.env.BENCH_REDIS_URL ?? LOCAL_REDIS_URL

export async function startCluster(opts: GlowbandOptions & { instances: number }): Promise<Target> {
  const scratch = await scratchBackends(ADMIN_DATABASE_URL, BENCH_REDIS_URL, 'gb_bench')
  const port = await freePort()
  const instances: Instance[] = []
  try {
    for (let i = 0; i < opts.instances; i++) {
      instances.push(
        await spawnInstance(
          port,
          { ...scratch.env, INSTANCE_ID: `bench-${i}-${randomBytes(2).toString('hex')}` },
          opts,
          i === 0,
        ),
      )
    }
  } catch (err) {
    await Promise.all(instances.map((i) => stopProcess(i.proc)))
    await scratch.drop()
    throw err
  }
  const label = opts.instances === 1 ? 'glowband-cluster' : `glowband-cluster-x${opts.instances}`
  return glowbandTarget(label, port, instances, scratch.drop)
}
