/**
 * Subscriber lifecycle against a real server process: 5,000 subscribers opened and
 * closed three times leave nothing behind; a subscriber that stops reading is skipped
 * and finally closed without the server buffering for it; SIGTERM sends everyone off
 * to reconnect and exits cleanly.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Socket } from 'bun'
import { until } from '../support/backends.ts'
import { type ServerProcess, startServerProcess } from '../support/process.ts'
import { SseReader } from '../support/sse.ts'

const SUBSCRIBERS = 5000

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text()
  const line = text.split('\n').find((l) => l.startsWith(`${name} `))
  return line ? Number(line.split(' ')[1]) : Number.NaN
}

/** Opens `n` raw SSE connections; resolves when every one has received its snapshot. */
async function openMany(port: number, path: string, n: number): Promise<Socket<{ seen: boolean }>[]> {
  const sockets: Socket<{ seen: boolean }>[] = []
  let ready = 0
  let resolveAll!: () => void
  const all = new Promise<void>((r) => (resolveAll = r))
  const request = `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`
  for (let i = 0; i < n; i += 500) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(500, n - i) }, () =>
        Bun.connect<{ seen: boolean }>({
          hostname: '127.0.0.1',
          port,
          data: { seen: false },
          socket: {
            open(s) {
              s.write(request)
            },
            data(s, chunk) {
              if (!s.data.seen && chunk.toString().includes('event: snapshot')) {
                s.data.seen = true
                if (++ready === n) resolveAll()
              }
            },
          },
        }),
      ),
    )
    sockets.push(...batch)
  }
  await Promise.race([
    all,
    Bun.sleep(60_000).then(() => Promise.reject(new Error(`only ${ready} of ${n} got a snapshot`))),
  ])
  return sockets
}

describe('subscriber lifecycle (real process)', () => {
  let dir: string
  let server: ServerProcess
  let secret: string

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gb-subs-'))
    server = await startServerProcess(
      {
        DATA_DIR: dir,
        TICK_MS: '20',
        FLUSH_MS: '50',
        SUBSCRIBER_BACKLOG_BYTES: '16384',
        STALE_SUBSCRIBER_MS: '4000',
        HEARTBEAT_MS: '500',
      },
      { args: ['--demo'] },
    )
    secret = JSON.parse(readFileSync(join(dir, 'demo.host-secret'), 'utf8')).secret
  })
  afterAll(async () => {
    await server.stop('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  })

  test(`${SUBSCRIBERS} subscribers opened and closed 3 times: back to 0, memory back near where it started`, async () => {
    const rss: number[] = []
    for (let round = 0; round < 3; round++) {
      const sockets = await openMany(server.port, '/api/events/demo/stream', SUBSCRIBERS)
      expect(await metric(server.url, 'glowband_streams_open')).toBe(SUBSCRIBERS)
      // Half end cleanly, half just vanish (reset): both must be cleaned up.
      sockets.forEach((s, i) => {
        if (i % 2) s.end()
        else s.terminate()
      })
      await until(async () => (await metric(server.url, 'glowband_streams_open')) === 0, 20_000, 100)
      await Bun.sleep(500)
      rss.push(await metric(server.url, 'glowband_process_rss_bytes'))
    }
    console.log(`server RSS after each round (MB): ${rss.map((r) => (r / 1e6).toFixed(1)).join(', ')}`)
    // The first round warms up allocators; later rounds must not keep growing.
    expect(rss[2]).toBeLessThan(rss[0] * 1.25 + 20e6)
  }, 120_000)

  test('a subscriber that stops reading is skipped, never buffered, and closed when stale', async () => {
    const auth = { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }
    await fetch(`${server.url}/api/admin/events/demo/settings`, {
      method: 'PATCH',
      headers: auth,
      body: JSON.stringify({ maxMessageLength: 200, messagesPerWindow: 1000, messageWindowSeconds: 1 }),
    })
    const { wristbands } = await (
      await fetch(`${server.url}/api/admin/events/demo/wristbands`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ count: 20, label: 'slow' }),
      })
    ).json()
    const cookies: string[] = []
    for (const w of wristbands) {
      const r = await fetch(`${server.url}/api/events/demo/checkin`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: w.code }),
      })
      cookies.push(r.headers.get('set-cookie')!.split(';')[0])
    }
    // A reader with a tiny receive buffer that never reads (python: Bun cannot set SO_RCVBUF).
    const slow = Bun.spawn([
      'python3',
      '-c',
      `
import socket, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect(('127.0.0.1', ${server.port}))
s.sendall(b'GET /api/events/demo/stream HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n')
time.sleep(30)
`,
    ])
    // A healthy reader beside it keeps receiving everything.
    const healthy = await SseReader.open(`${server.url}/api/events/demo/stream`)
    await until(async () => (await metric(server.url, 'glowband_streams_open')) === 2, 10_000, 50)
    const rssBefore = await metric(server.url, 'glowband_process_rss_bytes')

    // About 12 MB of deltas: 600-byte messages, up to 30 per delta.
    const text = '光'.repeat(200)
    let sent = 0
    const deadline = Date.now() + 40_000
    let healthyFrames = 0
    const drain = (async () => {
      while (Date.now() < deadline && (await healthy.next(2000))) healthyFrames++
    })()
    // Flood until the server has skipped the slow one, watching what it queues for it.
    let maxQueued = 0
    while (sent < 20_000 && (await metric(server.url, 'glowband_stream_skips_total')) === 0 && Date.now() < deadline) {
      await Promise.all(
        cookies.map((cookie, i) =>
          fetch(`${server.url}/api/events/demo/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', cookie },
            body: JSON.stringify({ text: `${i}${text}`.slice(0, 200) }),
          }),
        ),
      )
      sent += cookies.length
      maxQueued = Math.max(maxQueued, await metric(server.url, 'glowband_stream_queued_bytes_max'))
    }
    // Keep flooding after the skip: nothing more may pile up for it.
    for (let i = 0; i < 40; i++) {
      await Promise.all(
        cookies.map((cookie) =>
          fetch(`${server.url}/api/events/demo/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', cookie },
            body: JSON.stringify({ text }),
          }),
        ),
      )
      maxQueued = Math.max(maxQueued, await metric(server.url, 'glowband_stream_queued_bytes_max'))
    }
    const skips = await metric(server.url, 'glowband_stream_skips_total')
    const rssAfter = await metric(server.url, 'glowband_process_rss_bytes')
    console.log(
      `slow subscriber: ${sent} messages, skips=${skips}, most queued for one subscriber ${maxQueued} bytes, ` +
        `RSS ${(rssBefore / 1e6).toFixed(1)} -> ${(rssAfter / 1e6).toFixed(1)} MB (includes the database), healthy frames=${healthyFrames}`,
    )
    expect(skips).toBeGreaterThan(0)
    // The backlog limit plus at most one frame (a delta of 30 long messages is under 32 kB).
    expect(maxQueued).toBeLessThan(16384 + 32 * 1024)
    // Stalled for longer than STALE_SUBSCRIBER_MS: closed, while the healthy one stays.
    await until(async () => (await metric(server.url, 'glowband_streams_open')) === 1, 15_000, 200)
    expect(healthyFrames).toBeGreaterThan(10)
    slow.kill()
    await healthy.close()
    await drain
  }, 120_000)

  test('SIGTERM tells subscribers to reconnect, drains the queue and exits 0', async () => {
    const reader = await SseReader.open(`${server.url}/api/events/demo/stream`)
    await reader.nextEvent()
    await server.stop('SIGTERM')
    const frames = []
    for (let f = await reader.next(5000); f; f = await reader.next(5000)) frames.push(f)
    expect(reader.ended).toBe(true)
    expect(frames.some((f) => f.retry !== undefined && f.retry <= 1000)).toBe(true)
    expect(server.proc.exitCode).toBe(0)
    expect(server.logs()).toContain('shutting down')
  }, 30_000)
})
