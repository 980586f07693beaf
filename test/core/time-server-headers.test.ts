/**
 * The standalone clock (`bun run time-server`) started with only DATABASE_URL: /time
 * answers with the same security headers as the app, and anything else is refused in
 * the public error shape.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Subprocess } from 'bun'
import { CONTENT_SECURITY_POLICY } from '../../server/http/security-headers.ts'
import { clusterReachable, scratchDatabase, until } from '../support/backends.ts'
import { freePort, ROOT } from '../support/process.ts'

const skip = !(await clusterReachable())

describe.skipIf(skip)('standalone time server', () => {
  let proc: Subprocess
  let base: string
  let drop: () => Promise<void>

  beforeAll(async () => {
    const scratch = await scratchDatabase()
    drop = scratch.drop
    const port = await freePort()
    base = `http://127.0.0.1:${port}`
    proc = Bun.spawn([process.execPath, 'server/system/time-server.ts'], {
      cwd: ROOT,
      // Only DATABASE_URL: the clock needs no Redis.
      env: {
        ...process.env,
        REDIS_URL: '',
        DATABASE_URL: scratch.url,
        TIME_PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'error',
      },
      stdout: 'ignore',
      stderr: 'ignore',
    })
    await until(async () => (await fetch(`${base}/time`).catch(() => null))?.ok ?? false, 15_000, 50)
  }, 30_000)
  afterAll(async () => {
    proc?.kill()
    await proc?.exited
    await drop?.()
  })

  test('the clock, with security headers; anything else in the error shape', async () => {
    const time = await fetch(`${base}/time`, { headers: { 'x-forwarded-proto': 'https' } })
    expect(time.status).toBe(200)
    expect(typeof (await time.json()).serverTime).toBe('number')
    expect(time.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    expect(time.headers.get('x-content-type-options')).toBe('nosniff')
    expect(time.headers.get('strict-transport-security')).toBeTruthy()
    for (const [path, init, status] of [
      ['/nope', {}, 404],
      ['/time', { method: 'POST', body: '{}' }, 405],
    ] as const) {
      const res = await fetch(`${base}${path}`, init)
      expect(res.status).toBe(status)
      const body = await res.json()
      expect(typeof body.error).toBe('string')
      expect(typeof body.message).toBe('string')
      expect(res.headers.get('x-frame-options')).toBe('DENY')
    }
  })
})
