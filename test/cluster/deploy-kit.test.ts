/**
 * The deploy kit, run as shipped: Redis from deploy/redis.conf (AOF, fsync always),
 * PgBouncer from deploy/pgbouncer.ini (transaction pooling, a session pool for
 * migrations), two Glowband instances through both, and nginx from deploy/nginx.conf in
 * front. Guests act through nginx while Redis is killed -9 and restarted from its AOF;
 * every action that got a 202 is in Postgres exactly once and the live counts match it.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { randomBytes } from 'node:crypto'
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import { clusterReachable, scratchDatabase, until } from '../support/backends.ts'
import { freePort, ROOT, type ServerProcess, startServerProcess } from '../support/process.ts'
import { PrivateRedis } from '../support/redis-server.ts'
import { demoHost } from '../support/spike.ts'

const NGINX = '/usr/sbin/nginx'
const PGBOUNCER = '/usr/sbin/pgbouncer'
const GUESTS = 60
const ROUNDS = 6

function toolsAvailable() {
  const missing = [NGINX, PGBOUNCER].filter((p) => !existsSync(p))
  if (!missing.length) return true
  if (process.env.CI) throw new Error(`required under CI: ${missing.join(', ')}`)
  console.warn(`\n!!! SKIPPING deploy-kit tests: missing ${missing.join(', ')} !!!\n`)
  return false
}

/** Fills a shipped config's {{...}} placeholders; every placeholder must be filled. */
function fill(file: string, values: Record<string, string>): string {
  let text = readFileSync(join(ROOT, file), 'utf8')
  for (const [k, v] of Object.entries(values)) text = text.replaceAll(`{{${k}}}`, v)
  const left = text.match(/\{\{[A-Z_]+\}\}/)
  if (left) throw new Error(`${file}: ${left[0]} not filled`)
  return text
}

async function healthy(url: string, timeoutMs = 15_000) {
  await until(async () => (await fetch(url).catch(() => null))?.ok ?? false, timeoutMs, 100)
}

describe('deploy kit: nginx + two instances + PgBouncer + Redis with AOF, as shipped', async () => {
  const skip = !(await clusterReachable()) || !toolsAvailable()
  const cleanups: (() => Promise<unknown> | unknown)[] = []
  let db: Awaited<ReturnType<typeof scratchDatabase>>
  let redis: PrivateRedis
  let bouncerLog: string
  let instances: ServerProcess[] = []
  let base: string
  let host: Record<string, string>

  beforeAll(async () => {
    if (skip) return
    db = await scratchDatabase()
    cleanups.push(() => db.drop())
    const pg = new URL(db.url)

    // The shipped file as is; only where it listens and keeps its files differ here.
    redis = new PrivateRedis({ configFile: join(ROOT, 'deploy/redis.conf') })
    await redis.start()
    cleanups.push(() => redis.stop())

    const bouncerDir = mkdtempSync(join(tmpdir(), 'gb-kit-pgb-'))
    const bouncerPort = await freePort()
    const target = `host=${pg.hostname} port=${pg.port || 5432} dbname=${db.name}`
    writeFileSync(join(bouncerDir, 'userlist.txt'), '"postgres" ""\n')
    writeFileSync(
      join(bouncerDir, 'pgbouncer.ini'),
      fill('deploy/pgbouncer.ini', {
        RUNTIME: bouncerDir,
        LISTEN_PORT: String(bouncerPort),
        DATABASES: `glowband = ${target}\nglowband_session = ${target} pool_mode=session`,
      }),
    )
    bouncerLog = join(bouncerDir, 'pgbouncer.log')
    // PgBouncer refuses to run as root; as root (CI) it runs as the postgres user.
    const asUser: string[] = []
    if (process.getuid?.() === 0) {
      const uid = Number(Bun.spawnSync(['id', '-u', 'postgres']).stdout.toString())
      const gid = Number(Bun.spawnSync(['id', '-g', 'postgres']).stdout.toString())
      for (const f of ['', 'userlist.txt', 'pgbouncer.ini']) chownSync(join(bouncerDir, f), uid, gid)
      asUser.push('-u', 'postgres')
    }
    const bouncer = Bun.spawn([PGBOUNCER, ...asUser, join(bouncerDir, 'pgbouncer.ini')], {
      stdout: 'ignore',
      stderr: 'ignore',
    })
    cleanups.push(async () => {
      bouncer.kill('SIGKILL')
      await bouncer.exited
      rmSync(bouncerDir, { recursive: true, force: true })
    })
    await until(() => existsSync(join(bouncerDir, 'pgbouncer.pid')), 10_000, 50)

    const through = (name: string) => `postgres://postgres@127.0.0.1:${bouncerPort}/${name}`
    const prefix = `gbkit${randomBytes(3).toString('hex')}`
    const dirs: string[] = []
    const env = (i: number) => {
      const dir = mkdtempSync(join(tmpdir(), 'gb-kit-inst-'))
      dirs.push(dir)
      return {
        DATABASE_URL: through('glowband'),
        MIGRATION_DATABASE_URL: through('glowband_session'),
        REDIS_URL: redis.url,
        REDIS_PREFIX: prefix,
        DATA_DIR: dir,
        INSTANCE_ID: `kit-${i}`,
        TRUST_PROXY: 'true',
        TICK_MS: '50',
        FLUSH_MS: '20',
        LEASE_MS: '1000',
      }
    }
    // Both start at once: their migrations meet at the session pool's lock.
    instances = await Promise.all([startServerProcess(env(0), { args: ['--demo'] }), startServerProcess(env(1))])
    cleanups.push(async () => {
      await Promise.all(instances.map((i) => i.stop('SIGKILL')))
      for (const d of dirs) rmSync(d, { recursive: true, force: true })
    })
    host = await demoHost(dirs[0])

    const runtime = mkdtempSync(join(tmpdir(), 'gb-kit-nginx-'))
    for (const d of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(runtime, d))
    const port = await freePort()
    writeFileSync(
      join(runtime, 'nginx.conf'),
      fill('deploy/nginx.conf', {
        RUNTIME: runtime,
        LISTEN: `127.0.0.1:${port}`,
        UPSTREAMS: instances.map((i) => `server 127.0.0.1:${i.port};`).join('\n    '),
      }),
    )
    const nginx = Bun.spawn([NGINX, '-p', runtime, '-c', join(runtime, 'nginx.conf'), '-g', 'daemon off;'], {
      stdout: 'ignore',
      stderr: 'ignore',
    })
    cleanups.push(async () => {
      nginx.kill('SIGTERM')
      await nginx.exited
      rmSync(runtime, { recursive: true, force: true })
    })
    base = `http://127.0.0.1:${port}`
    await healthy(`${base}/healthz`)
  }, 90_000)

  afterAll(async () => {
    for (const c of cleanups.reverse()) await c()
  })

  test.skipIf(skip)(
    'guests act through nginx while Redis is killed -9 and restarted: nothing acknowledged is lost or doubled',
    async () => {
      const made = await fetch(`${base}/api/admin/events/demo/wristbands`, {
        method: 'POST',
        headers: host,
        body: JSON.stringify({ count: GUESTS, label: 'kit' }),
      })
      expect(made.status).toBe(201)
      const { wristbands } = (await made.json()) as { wristbands: { number: number; code: string }[] }
      const poll = await until(async () => {
        const snap = (await (await fetch(`${base}/api/events/demo/snapshot`)).json()).snapshot
        return snap.polls.find((p: { open: boolean }) => p.open) as { id: number; options: { id: number }[] }
      }, 15_000)

      const cookies: string[] = []
      for (const w of wristbands) {
        const r = await fetch(`${base}/api/events/demo/checkin`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ code: w.code }),
        })
        expect(r.status).toBe(200)
        cookies.push(r.headers.get('set-cookie')!.split(';')[0])
      }

      // Each guest, as its phone would: one action at a time, resent with the same actionId
      // after a 503 until it gets a 2xx. A vote replaces the guest's earlier one.
      const finalChoice = new Map<number, number>()
      const messages = new Set<string>()
      let unavailable = 0
      const send = async (path: string, body: Record<string, unknown>, cookie: string) => {
        const deadline = Date.now() + 30_000
        while (Date.now() < deadline) {
          const r = await fetch(`${base}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', cookie },
            body: JSON.stringify(body),
          }).catch(() => null)
          if (r && r.status >= 200 && r.status < 300) return
          if (r && r.status !== 503 && r.status !== 502 && r.status !== 429)
            throw new Error(`${path}: ${r.status} ${await r.text()}`)
          if (r?.status === 503) {
            unavailable++
            expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0)
          }
          await Bun.sleep(100)
        }
        throw new Error(`${path}: not accepted in 30 s`)
      }
      const guest = async (i: number) => {
        for (let round = 0; round < ROUNDS; round++) {
          const option = poll.options[(i + round) % poll.options.length].id
          await send(
            `/api/events/demo/votes`,
            { pollId: poll.id, optionId: option, actionId: `v-${i}-${round}-kit` },
            cookies[i],
          )
          finalChoice.set(wristbands[i].number, option)
          const text = `kit ${i} ${round}`
          await send(`/api/events/demo/messages`, { text, actionId: `m-${i}-${round}-kit` }, cookies[i])
          messages.add(text)
          await Bun.sleep(20)
        }
      }
      const spike = Promise.all(wristbands.map((_, i) => guest(i)))
      await Bun.sleep(300)
      await redis.kill()
      await Bun.sleep(1000)
      await redis.start()
      await spike
      console.log(
        `deploy kit: ${GUESTS * ROUNDS * 2} actions acknowledged, ${unavailable} answers of 503 while Redis was down`,
      )

      const sql = postgres(db.url, { max: 1, onnotice: () => {} })
      try {
        // Everything reaches Postgres once: votes as each guest's last choice, messages once each.
        await until(
          async () => {
            const [{ n }] = await sql`select count(*)::int as n from messages where text like 'kit %'`
            return n === messages.size
          },
          20_000,
          200,
        )
        const rows = await sql`select text from messages where text like 'kit %'`
        expect(rows.length).toBe(GUESTS * ROUNDS)
        expect(new Set(rows.map((r) => r.text)).size).toBe(rows.length)
        const votes = await until(
          async () => {
            const v = (await sql`select number, response from responses where interaction_id = ${poll.id}`).filter(
              (r) => finalChoice.has(r.number),
            )
            return v.length === GUESTS ? v : null
          },
          20_000,
          200,
        )
        for (const v of votes ?? []) expect(JSON.stringify(v.response)).toContain(String(finalChoice.get(v.number)))
        // The live counts after the rebuild say the same as Postgres.
        const counts = new Map<number, number>()
        for (const option of finalChoice.values()) counts.set(option, (counts.get(option) ?? 0) + 1)
        await until(
          async () => {
            const snap = (await (await fetch(`${base}/api/events/demo/snapshot`)).json()).snapshot
            const live = snap.polls.find((p: { id: number }) => p.id === poll.id)
            return live.options.every((o: { id: number; votes: number }) => o.votes === (counts.get(o.id) ?? 0))
          },
          15_000,
          200,
        )
      } finally {
        await sql.end({ timeout: 1 })
      }
      // It really went through PgBouncer, migrations through its session pool.
      const log = readFileSync(bouncerLog, 'utf8')
      expect(log).toMatch(/db=glowband user=postgres/)
      expect(log).toMatch(/db=glowband_session user=postgres/)
    },
    120_000,
  )
})
