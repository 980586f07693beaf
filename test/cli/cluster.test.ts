/**
 * The CLI in cluster mode: it writes Postgres and Redis directly, and a running instance
 * checks the new wristbands in (and refuses revoked ones) at once.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import {
  checkIn,
  clusterReachable,
  dropRedisPrefix,
  json,
  scratchDatabase,
  startTestServer,
  TEST_REDIS_URL,
  type TestServer,
} from '../support/backends.ts'
import { cli, cliOk, embeddedEnv, listBatches, readCsv, tempDir } from './cli-helpers.ts'

const available = await clusterReachable()

describe.skipIf(!available)('glowband CLI, cluster mode', () => {
  const work = tempDir('cli-cluster')
  const prefix = `gbcli${randomBytes(4).toString('hex')}`
  let db: { url: string; drop: () => Promise<void> }
  let env: Record<string, string>
  let server: TestServer

  beforeAll(async () => {
    db = await scratchDatabase()
    env = embeddedEnv(join(work, 'unused'), {
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      PUBLIC_URL: 'https://cluster.test',
    })
    await cliOk(['event', 'create', '--name', 'Cluster Gala', '--slug', 'gala'], env)
    // An instance already serving the event, with its live state loaded.
    server = await startTestServer('cluster', { share: { databaseUrl: db.url, redisPrefix: prefix } })
  }, 120_000)
  afterAll(async () => {
    await server?.stop()
    await dropRedisPrefix(prefix)
    await db?.drop()
    rmSync(work, { recursive: true, force: true })
  })

  test('a new batch checks in at once on a running instance; a revoked wristband stops at once', async () => {
    const made = await cliOk(
      ['wristbands', '--event', 'gala', '--count', '30', '--batch', 'a', '--out', join(work, 'a')],
      env,
    )
    expect(made.stdout).toContain('saved     in the cluster database postgres://')
    expect(made.stdout).toContain('they work at once')
    const rows = readCsv(join(work, 'a', 'wristbands.csv')).rows
    expect(rows.map((w) => w.number)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1))

    const cookie = await checkIn(server, 'gala', rows[0].code)
    expect(cookie).toContain('=')

    await cliOk(['wristbands', 'revoke', '--event', 'gala', rows[1].code], env)
    await cliOk(['wristbands', 'revoke', '--event', 'gala', '--number', '1'], env)
    const refused = await server.fetch('/api/events/gala/checkin', json({ code: rows[1].code }))
    expect(refused.status).toBe(404)
    // The phone already checked in with wristband 1 can no longer take part either.
    const message = await server.fetch('/api/events/gala/messages', json({ text: 'hello' }, { cookie }))
    expect(message.status).toBe(403)
    expect((await server.fetch('/api/events/gala/checkin', json({ code: rows[2].code }))).status).toBe(200)
  }, 120_000)

  test('list, dry run and errors work the same as in embedded mode', async () => {
    const list = await listBatches(env)
    expect(list).toMatchObject([{ label: 'a', firstNumber: 1, count: 30, revoked: 2 }])
    const dry = await cliOk(['wristbands', '--event', 'gala', '--count', '10', '--batch', 'b', '--dry-run'], env)
    expect(dry.stdout).toContain('numbers 31-40')
    const again = await cli(
      ['wristbands', '--event', 'gala', '--count', '10', '--batch', 'a', '--out', join(work, 'a2')],
      env,
    )
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('exists already')
    const noRedis = await cli(['event', 'list'], { ...env, REDIS_URL: 'redis://127.0.0.1:9' })
    expect(noRedis.code).toBe(1)
    expect(noRedis.stderr).toContain('cannot reach Redis at redis://127.0.0.1:9')
  }, 120_000)
})
