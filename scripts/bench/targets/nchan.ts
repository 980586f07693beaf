/**
 * nginx with Debian's nchan module as a benchmark target, for fan-out only: the driver
 * publishes one message per tick to /pub/demo and nchan serves the EventSource streams.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { childPids, collect, freePort, stopProcess, type Target, waitHealthy } from './common.ts'

export const NGINX = process.env.BENCH_NGINX ?? '/usr/sbin/nginx'

export async function startNchan(): Promise<Target> {
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'gb-bench-nchan-'))
  for (const d of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, d))
  const conf = readFileSync(join(import.meta.dir, 'nchan.conf'), 'utf8')
    .replaceAll('{{DIR}}', dir)
    .replaceAll('{{PORT}}', String(port))
  writeFileSync(join(dir, 'nginx.conf'), conf)
  const proc = Bun.spawn([NGINX, '-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], {
    stdout: 'ignore',
    stderr: 'pipe',
  })
  const stderr = collect(proc)
  const logs = () => {
    let err = ''
    try {
      err = readFileSync(join(dir, 'error.log'), 'utf8').slice(-5000)
    } catch {}
    return stderr() + err
  }
  await waitHealthy(`http://127.0.0.1:${port}/healthz`, () => proc.exitCode !== null, logs)
  return {
    name: 'nchan',
    kind: 'nchan',
    host: '127.0.0.1',
    port,
    streamPath: '/api/events/demo/stream',
    // The master and its worker(s); the worker does the work.
    pids: () => [proc.pid, ...childPids(proc.pid)],
    async setup(guests) {
      return {
        codes: Array.from({ length: guests }, (_, i) => `NCHAN${i}`),
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
    async stop() {
      await stopProcess(proc, 5000)
      const errors = logs()
        .split('\n')
        .filter((l) => /\[(error|crit|alert|emerg)\]/.test(l))
      if (errors.length)
        console.error(`nchan: ${errors.length} error lines in nginx's log, the last:\n${errors.slice(-3).join('\n')}`)
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
