/**
 * Real server processes for multi-instance, fault and browser tests: `bun server/index.ts`
 * on a free port, waited for until /healthz answers, and killed (TERM or KILL) on demand.
 */
import { createServer } from 'node:net'
import { resolve } from 'node:path'
import type { Subprocess } from 'bun'

export const ROOT = resolve(import.meta.dir, '../..')

/** A free TCP port on 127.0.0.1 (bind port 0, read it, release it). */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer()
    srv.once('error', fail)
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port
      srv.close(() => ok(port))
    })
  })
}

export interface ServerProcess {
  port: number
  url: string
  proc: Subprocess
  /** Everything the process wrote to stderr so far (for diagnosing a failure). */
  logs(): string
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>
}

export async function startServerProcess(
  env: Record<string, string>,
  opts: { port?: number; args?: string[]; timeoutMs?: number; unset?: string[] } = {},
): Promise<ServerProcess> {
  const port = opts.port ?? (await freePort())
  let stderr = ''
  const inherited = { ...process.env }
  // Variables the child must not see at all (DATABASE_URL for an embedded server).
  for (const name of opts.unset ?? []) delete inherited[name]
  const proc = Bun.spawn([process.execPath, 'server/index.ts', ...(opts.args ?? [])], {
    cwd: ROOT,
    env: { ...inherited, LOG_LEVEL: 'info', HOST: '127.0.0.1', ...env, PORT: String(port) },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  void (async () => {
    const reader = (proc.stderr as ReadableStream<Uint8Array>).getReader()
    const decoder = new TextDecoder()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      stderr += decoder.decode(value)
    }
  })()
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000)
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}:\n${stderr}`)
    try {
      const res = await fetch(`${url}/healthz`)
      if (res.ok) break
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL')
      throw new Error(`server did not become healthy on ${url}:\n${stderr}`)
    }
    await Bun.sleep(100)
  }
  return {
    port,
    url,
    proc,
    logs: () => stderr,
    stop: async (signal = 'SIGTERM') => {
      if (proc.exitCode !== null) return
      proc.kill(signal)
      await proc.exited
    },
  }
}
