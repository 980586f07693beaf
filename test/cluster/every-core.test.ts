/**
 * Every core: `bun server/index.ts --instances N` runs N cluster-mode instances on one
 * port (reusePort). Both answer on that port, a vote taken by one reaches a stream held
 * by the other, a TERM stops them all, and embedded mode refuses more than one.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { scratchBackends } from '../../scripts/scratch-backends.ts'
import { clusterReachable, TEST_DATABASE_URL, TEST_REDIS_URL, until } from '../support/backends.ts'
import { ROOT, type ServerProcess, startServerProcess } from '../support/process.ts'
import { SseReader } from '../support/sse.ts'

/** Which instance answers a request on a fresh connection. */
async function instanceOf(url: string): Promise<string> {
  const res = await fetch(`${url}/healthz`, { headers: { connection: 'close' } })
  return ((await res.json()) as { instance: string }).instance
}

describe('cluster: one command, one instance per core', async () => {
  const skip = !(await clusterReachable())
  let server: ServerProcess
  let drop = async () => {}
  let dir = ''

  beforeAll(async () => {
    if (skip) return
    const scratch = await scratchBackends(TEST_DATABASE_URL, TEST_REDIS_URL, 'gb_test')
    drop = scratch.drop
    dir = mkdtempSync(join(tmpdir(), 'gb-cores-'))
    server = await startServerProcess(
      { ...scratch.env, DATA_DIR: dir, TICK_MS: '50', FLUSH_MS: '20', LEASE_MS: '1000' },
      { args: ['--instances', '2', '--demo'] },
    )
  })
  afterAll(async () => {
    if (skip) return
    await server.stop('SIGTERM')
    await drop()
    rmSync(dir, { recursive: true, force: true })
  })

  test.skipIf(skip)(
    'two instances on one port both serve, and share one deployment',
    async () => {
      const seen = new Set<string>()
      await until(async () => {
        seen.add(await instanceOf(server.url))
        return seen.size === 2
      }, 20_000)
      expect(seen.size).toBe(2)

      // Streams on fresh connections (the kernel spreads them over both), a check-in through the port.
      const { secret } = JSON.parse(readFileSync(join(dir, 'demo.host-secret'), 'utf8')) as { secret: string }
      const streams = await Promise.all(
        Array.from({ length: 6 }, () =>
          SseReader.open(`${server.url}/api/events/demo/stream`, { connection: 'close' }),
        ),
      )
      try {
        const res = await fetch(`${server.url}/api/admin/events/demo/wristbands`, {
          method: 'POST',
          headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
          body: JSON.stringify({ count: 1, label: 'cores' }),
        })
        const [band] = ((await res.json()) as { wristbands: { code: string }[] }).wristbands
        const checkin = await fetch(`${server.url}/api/events/demo/checkin`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ code: band.code }),
        })
        expect(checkin.status).toBe(200)
        // Every stream, on whichever instance holds it, shows the check-in.
        for (const stream of streams) {
          const deadline = Date.now() + 10_000
          let seen = false
          while (!seen && Date.now() < deadline) {
            const frame = await stream.nextEvent(10_000)
            if (!frame) break
            const data = JSON.parse(frame.data ?? '{}') as { checkins?: number }
            seen = data.checkins === 1
          }
          expect(seen).toBe(true)
        }
      } finally {
        for (const s of streams) await s.close()
      }
    },
    60_000,
  )

  test('embedded mode refuses more than one instance, with the reason', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gb-cores-embedded-'))
    try {
      const env: Record<string, string | undefined> = { ...process.env, DATA_DIR: dataDir, PORT: '0' }
      delete env.DATABASE_URL
      delete env.REDIS_URL
      const proc = Bun.spawn([process.execPath, 'server/index.ts', '--instances', '2'], {
        cwd: ROOT,
        env,
        stdout: 'pipe',
        stderr: 'pipe',
      })
      expect(await proc.exited).toBe(2)
      expect(await new Response(proc.stderr).text()).toContain('--instances needs cluster mode')
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
