/**
 * What counts as "a dependency is down" (503, retry) and what is a bug (500): checked
 * against the errors the real drivers throw when nothing listens on their port.
 */
import { describe, expect, test } from 'bun:test'
import { createServer } from 'node:net'
import Redis from 'ioredis'
import postgres from 'postgres'
import { isDependencyDown } from '../../server/http/dependency-errors.ts'

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = createServer()
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
  const port = (srv.address() as { port: number }).port
  await new Promise<void>((r) => srv.close(() => r()))
  return port
}

async function caught(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn()
  } catch (err) {
    return err
  }
  throw new Error('expected a failure')
}

describe('isDependencyDown', () => {
  test('postgres.js with no server is a dependency failure', async () => {
    const sql = postgres(`postgres://postgres@127.0.0.1:${await closedPort()}/test`, { connect_timeout: 2, max: 1 })
    const err = await caught(() => sql`select 1`)
    await sql.end({ timeout: 0 })
    expect(isDependencyDown(err)).toBe(true)
  })

  test('ioredis with no server (offline queue off) is a dependency failure', async () => {
    const redis = new Redis({
      port: await closedPort(),
      host: '127.0.0.1',
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      lazyConnect: true,
      retryStrategy: () => null,
    })
    redis.on('error', () => {})
    await redis.connect().catch(() => {})
    const err = await caught(() => redis.get('k'))
    redis.disconnect()
    expect(isDependencyDown(err)).toBe(true)
  })

  test('a Postgres refusal to serve (admin shutdown, too many connections) is; a constraint violation is not', () => {
    expect(isDependencyDown(Object.assign(new Error('terminating connection'), { code: '57P01' }))).toBe(true)
    expect(isDependencyDown(Object.assign(new Error('too many clients'), { code: '53300' }))).toBe(true)
    expect(isDependencyDown(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false)
  })

  test("a Redis Cluster's master out of reach is (seen in test/cluster/redis-cluster.test.ts's kill -9)", () => {
    expect(isDependencyDown(new Error('MOVED 4781 127.0.0.1:44145'))).toBe(true)
    expect(isDependencyDown(new Error('CLUSTERDOWN The cluster is down'))).toBe(true)
    expect(isDependencyDown(new Error('ERR unknown command MOVED'))).toBe(false)
  })

  test('a wrapped driver error is recognised through its cause', () => {
    const driver = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })
    expect(isDependencyDown(new Error('Failed query: select 1', { cause: driver }))).toBe(true)
  })

  test('bugs are not dependency failures', () => {
    expect(isDependencyDown(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(false)
    expect(isDependencyDown(new RangeError('Invalid array length'))).toBe(false)
    expect(isDependencyDown('a string')).toBe(false)
    expect(isDependencyDown(null)).toBe(false)
    const loop: { cause?: unknown } = {}
    loop.cause = loop
    expect(isDependencyDown(loop)).toBe(false)
  })
})
