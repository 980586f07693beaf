/**
 * The event-night benchmark, tiny: 200 subscribers and a 2 s spike against embedded
 * mode. It checks the benchmark itself (the numbers it reports are measured, not
 * assumed) and the server's promises at a small scale: every subscriber got every
 * delta, and every accepted action is in Postgres exactly once.
 */
import { afterAll, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dir, '../..')
const out = mkdtempSync(join(tmpdir(), 'gb-bench-smoke-'))
afterAll(() => rmSync(out, { recursive: true, force: true }))

test('bun run bench, tiny, embedded: lost 0, duplicated 0, every subscriber got every delta', async () => {
  const proc = Bun.spawn(
    [
      process.execPath,
      'scripts/bench/index.ts',
      '--targets',
      'glowband-embedded',
      '--subscribers',
      '200',
      '--votes-per-second',
      '150',
      '--spike-seconds',
      '2',
      '--fanout-seconds',
      '2',
      '--buildup-seconds',
      '2',
      '--idle-seconds',
      '2',
      '--decline-seconds',
      '1',
      '--connections',
      '16',
      '--max-seconds',
      '55',
      '--quiet',
      '--out',
      out,
    ],
    { cwd: ROOT, stdout: 'pipe', stderr: 'pipe' },
  )
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ])
  if (code !== 0) console.error(stdout, stderr)
  expect(code).toBe(0)
  const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'))
  const r = results.results[0]
  expect(r.name).toBe('glowband-embedded')
  expect(r.ok).toBe(true)
  // Every subscriber held and given every delta, with no gap and no skip.
  expect(r.subscribers.heldMax).toBe(200)
  expect(r.subscribers.complete).toBe(200)
  expect(r.subscribers.withGaps).toBe(0)
  expect(r.subscribers.resynced).toBe(0)
  expect(r.fanout.deltas).toBeGreaterThan(0)
  // Every vote of the spike accepted, and the latency measured over real pairs.
  expect(r.spike.votes.accepted).toBe(300)
  expect(r.latency.spike.n).toBeGreaterThan(0)
  expect(r.latency.undelivered).toBe(0)
  // Exactly once, checked against Postgres after the flush.
  expect(r.exactlyOnce.queueDepth).toBe(0)
  expect(r.exactlyOnce.votes.lost).toBe(0)
  expect(r.exactlyOnce.votes.duplicated).toBe(0)
  expect(r.exactlyOnce.votes.stored).toBe(r.exactlyOnce.votes.accepted)
  expect(r.exactlyOnce.checkins.lost + r.exactlyOnce.checkins.duplicated).toBe(0)
  expect(r.exactlyOnce.messages.lost + r.exactlyOnce.messages.duplicated).toBe(0)
  expect(r.exactlyOnce.ok).toBe(true)
}, 60_000)
