/** The bare Bun.serve broadcaster (bare-broadcaster.ts) as a benchmark target. */
import { join } from 'node:path'
import { collect, freePort, ROOT, stopProcess, type Target, waitHealthy } from './common.ts'

export async function startBare(opts: { tickMs: number; stream?: 'enqueue' | 'direct' }): Promise<Target> {
  const port = await freePort()
  const proc = Bun.spawn([process.execPath, join(import.meta.dir, 'bare-broadcaster.ts')], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), TICK_MS: String(opts.tickMs), BARE_STREAM: opts.stream ?? 'enqueue' },
    stdout: 'ignore',
    stderr: 'pipe',
  })
  const logs = collect(proc)
  await waitHealthy(`http://127.0.0.1:${port}/healthz`, () => proc.exitCode !== null, logs)
  return {
    name: opts.stream === 'direct' ? 'bare-direct' : 'bare',
    kind: 'bare',
    host: '127.0.0.1',
    port,
    streamPath: '/api/events/demo/stream',
    pids: () => [proc.pid],
    async setup(guests) {
      return {
        codes: Array.from({ length: guests }, (_, i) => `BARE${i}`),
        poll: {
          id: 1,
          question: 'Which song should close the night?',
          optionIds: [1, 2, 3],
          optionLabels: ['Neon Lights', 'Golden Hour', 'Midnight City'],
        },
      }
    },
    truth: async () => null,
    logs,
    stop: () => stopProcess(proc),
  }
}
