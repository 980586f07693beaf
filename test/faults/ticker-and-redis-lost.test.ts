/**
 * The ticker and Redis gone at once (one machine losing power, say), with real processes:
 * Redis (AOF everysec) loses its last second, and the instance whose ticker wrote that
 * second is killed with it, so no ticker remembers the history the clients saw. The new
 * ticker must not go on from the log's older state under sequence numbers a screen
 * already had: the screen, resuming from the last one it saw, must get a fresh snapshot
 * and then every danmaku sent after the restart.
 */
import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, statSync, truncateSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { clusterReachable, scratchDatabase, until } from '../support/backends.ts'
import { startServerProcess } from '../support/process.ts'
import { PrivateRedis } from '../support/redis-server.ts'
import { type Answer, checkInAll, demoHost, type GuestAction, prepareDemo, retryUnanswered } from '../support/spike.ts'
import { SseReader } from '../support/sse.ts'

const cleanups: (() => Promise<void> | void)[] = []
afterAll(async () => {
  for (const c of cleanups.reverse()) await c()
})

describe('the ticker and Redis lost at once', async () => {
  const skip = !(await clusterReachable())

  test.skipIf(skip)(
    'a screen resuming after both restarted gets a snapshot, then every new danmaku',
    async () => {
      const db = await scratchDatabase()
      cleanups.push(db.drop)
      const redis = await new PrivateRedis({ aof: true, fsync: 'everysec' }).start()
      cleanups.push(() => redis.stop())
      const dataDir = mkdtempSync(join(tmpdir(), 'gb-both-lost-'))
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }))
      const env = {
        DATABASE_URL: db.url,
        REDIS_URL: redis.url,
        REDIS_PREFIX: 'gbb',
        DATA_DIR: dataDir,
        TICK_MS: '50',
        FLUSH_MS: '20',
        LOG_LEVEL: 'warn',
      }
      let server = await startServerProcess(env, { args: ['--demo'], timeoutMs: 60_000 })
      cleanups.push(() => server.stop('SIGKILL'))
      const host = await demoHost(dataDir)
      const { wristbands } = await prepareDemo(server.url, host, { wristbands: 20, polls: 1 })
      const cookies = await checkInAll(server.url, wristbands)
      const numbers = wristbands.map((w) => w.number)
      const answers = new Map<string, Answer>()
      /** Danmaku one after the other, each in a tick of its own or nearly: many deltas. */
      const trickle = async (tag: string, count: number) => {
        const sent: GuestAction[] = []
        for (let i = 0; i < count; i++) {
          const text = `${tag}-danmaku-${i}`
          const a: GuestAction = {
            key: text,
            number: numbers[i % numbers.length]!,
            path: 'messages',
            body: { text, actionId: text },
          }
          await retryUnanswered(server.url, cookies, [a], answers, 15_000)
          sent.push(a)
          await Bun.sleep(60)
        }
        return sent
      }

      // 1. Kept: on disk in the AOF.
      await trickle('kept', 10)
      await Bun.sleep(1500)
      const aof = redis.incrementalAof()
      const cut = statSync(aof).size

      // 2. The lost second: a screen sees these deltas, then Redis loses them.
      const screen = await SseReader.open(`${server.url}/api/events/demo/stream`)
      let seen = 0
      await trickle('lost', 25)
      await until(async () => {
        for (;;) {
          const f = await screen.nextEvent(100)
          if (!f) return seen > 0
          if (f.id) seen = Math.max(seen, Number(f.id))
        }
      }, 5000)
      await Bun.sleep(300)
      for (;;) {
        const f = await screen.nextEvent(50)
        if (!f) break
        if (f.id) seen = Math.max(seen, Number(f.id))
      }
      await screen.close()

      // 3. Both gone at once; Redis comes back a second behind, then the instance.
      await server.stop('SIGKILL')
      await redis.kill()
      truncateSync(aof, cut)
      await redis.start()
      server = await startServerProcess(env, { args: ['--demo'], timeoutMs: 60_000, port: server.port })

      // 4. More danmaku than the lost second held deltas, so a reused history would pass the screen's seq.
      const after = await trickle('after', 40)
      const resumed = await SseReader.open(`${server.url}/api/events/demo/stream`, { 'last-event-id': String(seen) })
      cleanups.push(() => resumed.close())
      let first = await resumed.nextEvent(5000)
      while (first?.event === 'health') first = await resumed.nextEvent(5000)
      const later = await trickle('later', 15)
      const shown = new Set<number>()
      const frames = [first]
      const deadline = Date.now() + 5000
      while (Date.now() < deadline) {
        const f = await resumed.nextEvent(200)
        if (f) frames.push(f)
        else if (later.every((a) => shown.has(answers.get(a.key)!.id!))) break
        for (const fr of frames.splice(0)) {
          if (!fr?.data || (fr.event !== 'snapshot' && fr.event !== 'delta')) continue
          for (const d of (JSON.parse(fr.data) as { danmaku?: { id: number }[] }).danmaku ?? []) shown.add(d.id)
        }
      }
      // The history the screen knew is gone: it is told so with a snapshot, under a seq above what it saw.
      expect(first?.event).toBe('snapshot')
      expect(Number(first?.id)).toBeGreaterThan(seen)
      expect(later.filter((a) => !shown.has(answers.get(a.key)!.id!)).map((a) => a.key)).toEqual([])
      expect(after.length).toBe(40)
    },
    120_000,
  )
})
