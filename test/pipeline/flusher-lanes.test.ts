/**
 * The flusher's ownership of each event's queue, on both backends: one writer at every
 * moment (the periodic cycle, drains before a rebuild and at shutdown all take turns),
 * never a writer without the lease, failures that stay with their event, and entries
 * Postgres refuses for good set aside instead of blocking the queue.
 *
 * Failures come from Postgres itself: a trigger that raises a serialization failure
 * (40001, "try again") or a check violation (23514, "never") for chosen rows.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { count, eq, sql } from 'drizzle-orm'
import { checkins } from '../../db/schema.ts'
import type { Database } from '../../server/database/connect.ts'
import type { EventRecord } from '../../server/events/directory.ts'
import { hashCode } from '../../server/host/wristbands/codes.ts'
import { Flusher, type FlusherOptions } from '../../server/pipeline/flusher.ts'
import { BACKENDS, clusterReachable, seedEvent, startTestServer, type TestServer, until } from '../support/backends.ts'

const OPTIONS: Omit<FlusherOptions, 'consumer'> = { intervalMs: 5, batchSize: 40, leaseMs: 5000, reclaimIdleMs: 60_000 }

for (const backend of BACKENDS) {
  describe(`flusher ownership (${backend})`, async () => {
    const skip = backend === 'cluster' && !(await clusterReachable())
    let server: TestServer
    let flushers: Flusher[] = []

    beforeAll(async () => {
      if (skip) return
      // Loops off: each test runs the flushers it needs.
      server = await startTestServer(backend, { start: false })
    })
    afterAll(async () => {
      if (skip) return
      for (const f of flushers) await f.stop()
      await server.stop()
    })

    const db = () => server.rt.database.db
    const flusher = (consumer: string, on: Database = db()) => {
      const f = new Flusher(on, server.rt.live, server.rt.log, { consumer, ...OPTIONS })
      flushers.push(f)
      return f
    }
    const stopAll = async () => {
      for (const f of flushers) await f.stop()
      flushers = []
    }
    /** Creating an event drains its (empty) queue, which takes its lease for this instance: give it up. */
    const freeLease = (event: EventRecord) =>
      server.rt.live.leases.release(`flusher:${event.id}`, server.config.INSTANCE_ID)
    const checkinsOf = async (event: EventRecord) =>
      Number((await db().select({ n: count() }).from(checkins).where(eq(checkins.eventId, event.id)))[0].n)
    /** Checks wristbands in through the counter layer: one queue entry each. */
    const checkIn = async (seeded: Awaited<ReturnType<typeof seedEvent>>, from: number, to: number) => {
      for (let i = from; i < to; i++) {
        await server.rt.live.counters.checkin(seeded.event.id, hashCode(seeded.wristbands[i].code), Date.now())
      }
    }
    const trigger = async (name: string, condition: string, errcode: string) => {
      await db().execute(
        sql.raw(`create or replace function ${name}() returns trigger language plpgsql as $$
          begin
            if ${condition} then raise exception '${name}' using errcode = '${errcode}'; end if;
            return new;
          end $$`),
      )
      await db().execute(
        sql.raw(`create trigger ${name} before insert on checkins for each row execute function ${name}()`),
      )
    }
    const dropTrigger = async (name: string) => {
      await db().execute(sql.raw(`drop trigger if exists ${name} on checkins`))
      await db().execute(sql.raw(`drop function if exists ${name}()`))
    }

    test.skipIf(skip)('the cycle and any number of drains write an event one batch at a time', async () => {
      const seeded = await seedEvent(server, { wristbands: 400 })
      await freeLease(seeded.event)
      await checkIn(seeded, 0, 400)
      // Every transaction is slowed down and watched: two at once would show.
      let open = 0
      let most = 0
      const watched = new Proxy(db(), {
        get(target, key, receiver) {
          if (key !== 'transaction') return Reflect.get(target, key, receiver)
          return async (fn: (tx: unknown) => Promise<unknown>) => {
            open++
            most = Math.max(most, open)
            try {
              await Bun.sleep(15)
              return await target.transaction(fn as never)
            } finally {
              open--
            }
          }
        },
      }) as Database
      const f = flusher('lane', watched)
      f.start()
      await Promise.all([f.drain(seeded.event.id), f.drain(seeded.event.id), f.drain(seeded.event.id)])
      expect(await checkinsOf(seeded.event)).toBe(400)
      expect(await server.rt.live.queue.depth(seeded.event.id)).toBe(0)
      expect(most).toBe(1)
      await stopAll()
    })

    test.skipIf(skip)('an instance without the lease never writes, not even to drain', async () => {
      const seeded = await seedEvent(server, { wristbands: 30 })
      await checkIn(seeded, 0, 30)
      await freeLease(seeded.event)
      expect(await server.rt.live.leases.acquire(`flusher:${seeded.event.id}`, 'holder', 60_000)).toBe(true)
      const other = flusher('other')
      other.start()
      await expect(other.drain(seeded.event.id, 600)).rejects.toThrow(/did not drain/)
      expect(await checkinsOf(seeded.event)).toBe(0)
      expect(await server.rt.live.queue.depth(seeded.event.id)).toBe(30)
      // The holder writes; the other's drain then sees the queue empty and returns.
      const holder = flusher('holder')
      await Promise.all([holder.drain(seeded.event.id), other.drain(seeded.event.id)])
      expect(await checkinsOf(seeded.event)).toBe(30)
      await server.rt.live.leases.release(`flusher:${seeded.event.id}`, 'holder')
      await stopAll()
    })

    test.skipIf(skip)('an event whose writes fail backs off alone; the others keep flushing', async () => {
      const failing = await seedEvent(server, { wristbands: 20 })
      const healthy = await seedEvent(server, { wristbands: 40 })
      await freeLease(failing.event)
      await freeLease(healthy.event)
      await trigger('gb_busy', `new.event_id = ${failing.event.id}`, '40001')
      try {
        const f = flusher('busy')
        f.start()
        await checkIn(failing, 0, 20)
        await until(() => f.stats.failures >= 3, 10_000)
        expect(f.backingOff).toBe(1)
        // While the failing event backs off (up to 5 s), new entries of the other land at once.
        for (let round = 0; round < 3; round++) {
          await checkIn(healthy, round * 10, round * 10 + 10)
          const started = Date.now()
          await until(async () => (await checkinsOf(healthy.event)) === round * 10 + 10, 2000, 10)
          expect(Date.now() - started).toBeLessThan(1000)
        }
        // Passing failures are never dead letters: the entries wait, then land.
        expect(await server.rt.live.queue.depth(failing.event.id)).toBe(20)
        expect(await server.rt.live.queue.deadLetters(failing.event.id)).toEqual([])
        await dropTrigger('gb_busy')
        await until(async () => (await checkinsOf(failing.event)) === 20, 10_000)
        await until(() => f.backingOff === 0, 10_000)
      } finally {
        await dropTrigger('gb_busy')
        await stopAll()
      }
    })

    test.skipIf(skip)('an entry Postgres refuses for good is set aside; the rest of its queue lands', async () => {
      const seeded = await seedEvent(server, { wristbands: 100 })
      const poison = seeded.wristbands[57].number
      await trigger('gb_refuse', `new.event_id = ${seeded.event.id} and new.number = ${poison}`, '23514')
      try {
        await checkIn(seeded, 0, 100)
        // The server's own flusher, so /metrics shows what it set aside.
        const f = server.rt.flusher
        await f.drain(seeded.event.id)
        expect(await checkinsOf(seeded.event)).toBe(99)
        const dead = await server.rt.live.queue.deadLetters(seeded.event.id)
        expect(dead.map((d) => d.item)).toEqual([expect.objectContaining({ t: 'checkin', number: poison })])
        expect(dead[0].reason).toContain('gb_refuse')
        expect(f.stats.deadLetters).toBe(1)
        expect(await (await server.fetch('/metrics')).text()).toContain('glowband_dead_letters_total 1\n')
        // And after it, the queue goes on as usual.
        await dropTrigger('gb_refuse')
        expect(await server.rt.live.queue.depth(seeded.event.id)).toBe(0)
      } finally {
        await dropTrigger('gb_refuse')
        await stopAll()
      }
    })
  })
}
