/**
 * The CLI while an embedded-mode server owns DATA_DIR: it must not open the database
 * itself but go through the server's operator API, found in DATA_DIR/server.json.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ServerFile } from '../../server/operator/data-dir.ts'
import { until } from '../support/backends.ts'
import { freePort, ROOT, type ServerProcess, startServerProcess } from '../support/process.ts'
import { cli, cliOk, embeddedEnv, freshDataDir, readCsv, tempDir } from './cli-helpers.ts'

const PUBLIC = 'https://gala.test'
const work = tempDir('cli-server')
const dataDir = join(work, 'data')
// No PUBLIC_URL for the CLI: it takes the running server's.
const env = embeddedEnv(dataDir)
const checkin = (server: ServerProcess, code: string) =>
  fetch(`${server.url}/api/events/gala/checkin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  })

describe('glowband CLI, embedded mode, with the server running', () => {
  let server: ServerProcess
  let file: ServerFile

  beforeAll(async () => {
    await freshDataDir(work)
    server = await startServerProcess(
      { DATA_DIR: dataDir, PUBLIC_URL: PUBLIC, LOG_LEVEL: 'warn' },
      { timeoutMs: 90_000 },
    )
    file = JSON.parse(readFileSync(join(dataDir, 'server.json'), 'utf8'))
  }, 120_000)
  afterAll(async () => {
    await server?.stop('SIGKILL')
    rmSync(work, { recursive: true, force: true })
  })

  test('the server announces itself in DATA_DIR/server.json, readable by its owner only', () => {
    expect(file.pid).toBe(server.proc.pid)
    expect(file.url).toBe(server.url)
    expect(file.publicUrl).toBe(PUBLIC)
    expect(file.operatorToken!.length).toBeGreaterThanOrEqual(40)
    expect(statSync(join(dataDir, 'server.json')).mode & 0o777).toBe(0o600)
  })

  test('the CLI goes through the server: events, a batch that checks in at once, revoking that stops it at once', async () => {
    const created = JSON.parse(
      (await cliOk(['event', 'create', '--name', 'Gala', '--slug', 'gala', '--json'], env)).stdout,
    )
    expect(created.urls.guest).toBe(`${PUBLIC}/e/gala`)

    const made = await cliOk(
      ['wristbands', '--event', 'gala', '--count', '12', '--batch', 'front', '--out', join(work, 'front')],
      env,
    )
    expect(made.stdout).toContain(
      `saved     in the running server at ${server.url} (pid ${server.proc.pid}); they work at once`,
    )
    const rows = readCsv(join(work, 'front', 'wristbands.csv')).rows
    expect(rows).toHaveLength(12)
    expect(rows[0].url).toBe(`${PUBLIC}/w/${rows[0].code}`)

    // The QR target checks the phone in.
    const scan = await fetch(`${server.url}/w/${rows[0].code}`, { redirect: 'manual' })
    expect(scan.status).toBe(303)
    expect(scan.headers.get('location')).toBe('/e/gala')
    expect((await (await checkin(server, rows[1].code)).json()).number).toBe(2)

    const revoked = await cliOk(['wristbands', 'revoke', '--event', 'gala', rows[2].code, rows[3].code], env)
    expect(revoked.stdout).toContain('Revoked 2 wristbands of "Gala" (gala): 3, 4.')
    expect(revoked.stdout).toContain('They stop working now')
    for (const code of [rows[2].code, rows[3].code]) {
      const res = await checkin(server, code)
      expect(res.status).toBe(404)
      expect((await res.json()).error).toBe('unknown_code')
    }
    // The others still work.
    expect((await checkin(server, rows[4].code)).status).toBe(200)
    // A long list of numbers (more than one request body's worth), most of them not wristbands.
    const range = await cliOk(['wristbands', 'revoke', '--event', 'gala', '--number', '11-5000'], env)
    expect(range.stdout).toContain('Revoked 2 wristbands of "Gala" (gala): 11, 12.')
    expect(range.stderr).toContain('4,988 numbers named did not match')
    expect((await checkin(server, rows[11].code)).status).toBe(404)

    const list = await cliOk(['event', 'list', '--json'], env)
    expect(JSON.parse(list.stdout)).toMatchObject([{ slug: 'gala', wristbands: 12, revoked: 4 }])
  }, 120_000)

  test('the operator token opens the host API of every event; nothing else does', async () => {
    const auth = (token: string) => ({ headers: { authorization: `Bearer ${token}` } })
    const batches = await fetch(`${server.url}/api/admin/events/gala/wristbands`, auth(file.operatorToken!))
    expect(batches.status).toBe(200)
    expect((await batches.json())[0]).toMatchObject({ label: 'front', count: 12 })
    expect((await fetch(`${server.url}/api/admin/events/gala/wristbands`, auth('not-the-token'))).status).toBe(401)
    expect((await fetch(`${server.url}/api/operator/events`)).status).toBe(401)
    expect((await fetch(`${server.url}/api/operator/events`, auth('x'.repeat(43)))).status).toBe(401)
    expect((await fetch(`${server.url}/api/operator/events`, auth(file.operatorToken!))).status).toBe(200)
  }, 30_000)

  test('a server.json naming a live process that does not answer: the CLI refuses to open the database', async () => {
    const path = join(dataDir, 'server.json')
    const real = readFileSync(path, 'utf8')
    // This test process is alive, and nothing listens on port 9.
    writeFileSync(path, JSON.stringify({ ...file, pid: process.pid, url: 'http://127.0.0.1:9' }))
    try {
      const r = await cli(['event', 'list'], env)
      expect(r.code).toBe(1)
      expect(r.stderr).toContain(`holds ${dataDir} but does not answer at http://127.0.0.1:9`)
    } finally {
      writeFileSync(path, real, { mode: 0o600 })
    }
  }, 30_000)

  test('after the server stops, the CLI opens the database itself; a restarted server knows what it did', async () => {
    await server.stop('SIGTERM')
    expect(existsSync(join(dataDir, 'server.json'))).toBe(false)
    const rows = readCsv(join(work, 'front', 'wristbands.csv')).rows
    const r = await cliOk(['wristbands', 'revoke', '--event', 'gala', '--number', '5'], env)
    expect(r.stdout).toContain('They are refused from the moment the server starts.')
    const more = await cliOk(
      [
        'wristbands',
        '--event',
        'gala',
        '--count',
        '3',
        '--batch',
        'late',
        '--out',
        join(work, 'late'),
        '--public-url',
        PUBLIC,
      ],
      env,
    )
    expect(more.stdout).toContain('saved     in the embedded database in')
    const late = readCsv(join(work, 'late', 'wristbands.csv')).rows

    // Killed without a chance to clean up: its server.json stays, and is seen to be stale.
    server = await startServerProcess(
      { DATA_DIR: dataDir, PUBLIC_URL: PUBLIC, LOG_LEVEL: 'warn' },
      { timeoutMs: 90_000 },
    )
    expect((await checkin(server, rows[4].code)).status).toBe(404)
    expect((await checkin(server, late[0].code)).status).toBe(200)
    await server.stop('SIGKILL')
    expect(existsSync(join(dataDir, 'server.json'))).toBe(true)
    const list = await cliOk(['wristbands', 'list', '--event', 'gala'], env)
    expect(list.stdout).toMatch(/^late\s+13\s+3\s+0/m)
  }, 180_000)

  test('a starting server waits while the CLI has the database open; a second server is refused', async () => {
    // As a CLI run holds it: this test process is alive.
    const lock = join(dataDir, 'cli.lock')
    writeFileSync(lock, String(process.pid))
    const port = await freePort()
    const proc = Bun.spawn([process.execPath, 'server/index.ts'], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
      stdout: 'ignore',
      stderr: 'pipe',
    })
    try {
      const reader = proc.stderr.getReader()
      let said = ''
      while (!said.includes('waiting for the glowband CLI')) {
        const { done, value } = await reader.read()
        if (done) throw new Error(`the server stopped: ${said}`)
        said += new TextDecoder().decode(value)
      }
      expect(said).toContain(`(pid ${process.pid})`)
      await Bun.sleep(500)
      const early = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.status,
        () => 'refused',
      )
      expect(early).toBe('refused')
      unlinkSync(lock)
      // Once the CLI is done, it starts.
      await until(
        () =>
          fetch(`http://127.0.0.1:${port}/healthz`).then(
            (r) => r.ok,
            () => false,
          ),
        90_000,
        100,
      )
      const second = await startServerProcess({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, { timeoutMs: 60_000 }).then(
        () => 'started',
        (err: Error) => err.message,
      )
      expect(second).toContain('another Glowband server')
    } finally {
      if (existsSync(lock)) unlinkSync(lock)
      proc.kill('SIGKILL')
      await proc.exited
    }
  }, 180_000)
})
