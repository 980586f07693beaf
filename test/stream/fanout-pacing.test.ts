/**
 * Fan-out paces itself only when other work is waiting (server/fanout/channel.ts): in a
 * quiet process each delta goes straight out, with no pause behind it; in a process busy
 * with other work (here a loop that keeps the event loop 80 % busy, standing in for a
 * spike's requests) the fan-outs find work waiting and leave it the time.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { CONTENDED_SHARE, type Subscriber } from '../../server/fanout/channel.ts'
import type { SseSink } from '../../server/fanout/sse-sink.ts'
import { checkIn, seedEvent, startTestServer, type TestServer, until } from '../support/backends.ts'

/** A subscriber that takes every write at once. */
function fakeSubscriber(seq: number): Subscriber & { writes: number } {
  const sub = {
    admin: false,
    behindSince: 0,
    seq,
    writes: 0,
    out: {
      queued: 0,
      closed: false,
      write: () => {
        sub.writes++
        return true
      },
      close: () => {},
    } satisfies SseSink,
  }
  return sub
}

describe('fan-out pacing (embedded)', () => {
  let server: TestServer
  let seeded: Awaited<ReturnType<typeof seedEvent>>

  beforeAll(async () => {
    // A long flush interval keeps the flusher's PGlite writes out of the yields after fan-outs.
    server = await startTestServer('embedded', { env: { TICK_MS: '50', FLUSH_MS: '2000' } })
    seeded = await seedEvent(server, { wristbands: 40 })
  })
  afterAll(async () => {
    await server.stop()
  })

  /** Checks in `count` wristbands from `from`, `gapMs` apart, with subscribers listening; returns the hub's counts. */
  async function run(from: number, count: number, gapMs: number) {
    const { hub } = server.rt
    const channel = await hub.ready(seeded.event.id)
    const subs = Array.from({ length: 50 }, () => fakeSubscriber(channel.seq))
    for (const s of subs) channel.subscribers.add(s)
    const before = { ...hub.stats }
    try {
      for (let i = from; i < from + count; i++) {
        await checkIn(server, seeded.event.slug, seeded.wristbands[i].code)
        await Bun.sleep(gapMs)
      }
      await until(() => hub.stats.fanOuts - before.fanOuts >= count / 2, 10_000)
      await until(() => subs.every((s) => s.seq === channel.seq), 10_000)
    } finally {
      for (const s of subs) channel.subscribers.delete(s)
    }
    return {
      contended: hub.stats.contended - before.contended,
      uncontended: hub.stats.uncontended - before.uncontended,
      writes: subs[0].writes,
    }
  }

  test('a quiet process sends each delta at once: the measure stays low, fan-outs go on', async () => {
    const got = await run(0, 10, 120)
    expect(got.writes).toBeGreaterThan(0)
    // The measure of contention stays under the line, and fan-outs go on at once (a yield
    // that happens to meet the garbage collector or a tick may still count as contended).
    expect(server.rt.hub.otherWorkShare()).toBeLessThan(CONTENDED_SHARE)
    expect(got.uncontended).toBeGreaterThan(0)
  })

  test('a busy process pauses fan-out for the work that is waiting', async () => {
    // Other work: 8 ms of every 10 ms on this event loop.
    const hog = setInterval(() => {
      const until = performance.now() + 8
      while (performance.now() < until) {}
    }, 2)
    try {
      const got = await run(10, 10, 120)
      expect(got.writes).toBeGreaterThan(0)
      expect(got.contended).toBeGreaterThan(got.uncontended)
    } finally {
      clearInterval(hog)
    }
  })
})
