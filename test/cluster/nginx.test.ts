/**
 * Two instances behind a real nginx running deploy/nginx.conf: guests act through nginx,
 * a stream through nginx gets each delta promptly (no buffering), and when the
 * instance serving a stream dies the client resumes through nginx without a gap.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Subprocess } from 'bun'
import { applyDelta, type Delta, type Snapshot } from '../../protocol/index.ts'
import { clusterReachable, until } from '../support/backends.ts'
import { type Deployment, startDeployment } from '../support/cluster.ts'
import { freePort, ROOT } from '../support/process.ts'
import { SseReader } from '../support/sse.ts'

const NGINX = '/usr/sbin/nginx'

function nginxAvailable() {
  if (existsSync(NGINX)) return true
  if (process.env.CI) throw new Error('nginx is required under CI')
  console.warn('\n!!! SKIPPING nginx tests: no nginx (apt-get install nginx-light) !!!\n')
  return false
}

describe('cluster: behind nginx', async () => {
  const skip = !(await clusterReachable()) || !nginxAvailable()
  let deployment: Deployment
  let nginx: Subprocess
  let runtime: string
  let base: string
  let codes: string[]

  beforeAll(async () => {
    if (skip) return
    deployment = await startDeployment(2, { TRUST_PROXY: 'true' })
    runtime = mkdtempSync(join(tmpdir(), 'gb-nginx-'))
    for (const d of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(runtime, d))
    const port = await freePort()
    const conf = readFileSync(join(ROOT, 'deploy/nginx.conf'), 'utf8')
      .replaceAll('{{RUNTIME}}', runtime)
      .replaceAll('{{LISTEN}}', `127.0.0.1:${port}`)
      .replaceAll('{{UPSTREAMS}}', deployment.instances.map((i) => `server 127.0.0.1:${i.port};`).join('\n    '))
    writeFileSync(join(runtime, 'nginx.conf'), conf)
    nginx = Bun.spawn([NGINX, '-p', runtime, '-c', join(runtime, 'nginx.conf'), '-g', 'daemon off;'], {
      stderr: 'pipe',
    })
    base = `http://127.0.0.1:${port}`
    await until(async () => (await fetch(`${base}/healthz`).catch(() => null))?.ok ?? false, 10_000, 100)
    const res = await fetch(`${base}/api/admin/events/demo/wristbands`, {
      method: 'POST',
      headers: { authorization: `Bearer ${deployment.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ count: 300, label: 'nginx' }),
    })
    codes = (await res.json()).wristbands.map((w: { code: string }) => w.code)
  })
  afterAll(async () => {
    if (skip) return
    nginx.kill('SIGTERM')
    await nginx.exited
    await deployment.stop()
    rmSync(runtime, { recursive: true, force: true })
  })

  test.skipIf(skip)('votes through nginx reach a stream through nginx within 2 s, unbuffered', async () => {
    const reader = await SseReader.open(`${base}/api/events/demo/stream`)
    expect(reader.response.headers.get('content-type')).toContain('text/event-stream')
    let snap = JSON.parse((await reader.nextEvent())!.data!) as Snapshot
    const poll = snap.polls.find((p) => p.open)!
    for (let k = 0; k < 5; k++) {
      const login = await fetch(`${base}/api/events/demo/checkin`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: codes[k] }),
      })
      const cookie = login.headers.get('set-cookie')!.split(';')[0]
      const target = snap.polls.find((p) => p.id === poll.id)!.options[0].votes + 1
      const vote = await fetch(`${base}/api/events/demo/votes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ pollId: poll.id, optionId: poll.options[0].id }),
      })
      expect(vote.status).toBe(202)
      const t0 = Date.now()
      while (snap.polls.find((p) => p.id === poll.id)!.options[0].votes < target) {
        const f = await reader.nextEvent(2000)
        expect(f).not.toBeNull()
        if (f!.event === 'delta') snap = applyDelta(snap, JSON.parse(f!.data!) as Delta)
      }
      expect(Date.now() - t0).toBeLessThan(2000)
    }
    await reader.close()
  })

  test.skipIf(skip)(
    'when the instance behind a stream dies, the client resumes through nginx with no gap',
    async () => {
      // Two streams: nginx round-robins them onto both instances.
      const readers = [
        await SseReader.open(`${base}/api/events/demo/stream`),
        await SseReader.open(`${base}/api/events/demo/stream`),
      ]
      const states = await Promise.all(readers.map(async (r) => JSON.parse((await r.nextEvent())!.data!) as Snapshot))
      const ids: number[][] = [[], []]
      const victim = deployment.instances[1]
      let k = 100
      const survivorUrl = deployment.instances[0].url
      for (let round = 0; round < 30; round++) {
        await fetch(`${survivorUrl}/api/events/demo/checkin`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ code: codes[k++] }),
        })
        if (round === 10) {
          victim.proc.kill('SIGKILL')
          await victim.proc.exited
        }
        await Bun.sleep(60)
      }
      const final = (await (await fetch(`${survivorUrl}/api/events/demo/snapshot`)).json()).snapshot as Snapshot
      for (let r = 0; r < 2; r++) {
        while (states[r].seq < final.seq) {
          const f = await readers[r].nextEvent(3000)
          if (!f) {
            expect(readers[r].ended).toBe(true)
            readers[r] = await SseReader.open(`${base}/api/events/demo/stream`, {
              'last-event-id': String(states[r].seq),
            })
            continue
          }
          expect(f.event).toBe('delta')
          const d = JSON.parse(f.data!) as Delta
          ids[r].push(d.seq)
          states[r] = applyDelta(states[r], d)
        }
        expect(ids[r]).toEqual(Array.from({ length: ids[r].length }, (_, j) => ids[r][0] + j))
        expect(states[r]).toEqual(final)
        await readers[r].close()
      }
      deployment.instances.splice(1, 1)
    },
    60_000,
  )
})
