/**
 * The flusher killed between claim and commit, or between commit and acknowledge,
 * loses and duplicates nothing: claimed entries are redelivered (to the same consumer
 * on restart, to another after they sit idle) and every write is an idempotent upsert.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { count, eq } from 'drizzle-orm'
import { checkins, messages, responses } from '../../db/schema.ts'
import { guestCookieName } from '../../server/http/session.ts'
import { Flusher } from '../../server/pipeline/flusher.ts'
import { writeBatch } from '../../server/pipeline/write-batch.ts'
import { BACKENDS, clusterReachable, json, seedEvent, startTestServer, type TestServer } from '../support/backends.ts'
import { ROOT } from '../support/process.ts'

const GUESTS = 300

for (const backend of BACKENDS) {
  describe(`flusher crash (${backend})`, async () => {
    const skip = backend === 'cluster' && !(await clusterReachable())
    let server: TestServer
    let seeded: Awaited<ReturnType<typeof seedEvent>>
    let pollId: number
    let optionIds: number[]

    beforeAll(async () => {
      if (skip) return
      // Loops off: the test decides when and by whom the queue is flushed.
      server = await startTestServer(backend, { start: false })
      seeded = await seedEvent(server, { wristbands: GUESTS })
      const poll = await server.rt.polls.createPoll(seeded.event, { question: 'Q', options: ['A', 'B'] })
      await server.rt.polls.setPollState(seeded.event, poll.id, 'open')
      pollId = poll.id
      optionIds = poll.options.map((o) => o.id)
    })
    afterAll(async () => {
      if (!skip) await server.stop()
    })

    const db = () => server.rt.database.db
    const eventId = () => seeded.event.id
    const rows = async () => ({
      checkins: Number((await db().select({ n: count() }).from(checkins).where(eq(checkins.eventId, eventId())))[0].n),
      votes: Number(
        (await db().select({ n: count() }).from(responses).where(eq(responses.interactionId, pollId)))[0].n,
      ),
      messages: Number((await db().select({ n: count() }).from(messages).where(eq(messages.eventId, eventId())))[0].n),
    })
    /** Every guest checks in, votes, and sends a message. */
    const act = async (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const w = seeded.wristbands[i]
        await server.fetch(`/api/events/${seeded.event.slug}/checkin`, json({ code: w.code }))
        const cookie = `${guestCookieName(eventId())}=${server.rt.signer.guestCookie(eventId(), w.number)}`
        expect(
          (
            await server.fetch(
              `/api/events/${seeded.event.slug}/votes`,
              json({ pollId, optionId: optionIds[i % 2] }, { cookie }),
            )
          ).status,
        ).toBe(202)
        expect(
          (await server.fetch(`/api/events/${seeded.event.slug}/messages`, json({ text: `m${i}` }, { cookie }))).status,
        ).toBe(202)
      }
    }
    const flusher = (consumer: string) =>
      new Flusher(db(), server.rt.live, server.rt.log, {
        consumer,
        intervalMs: 10,
        batchSize: 100,
        leaseMs: 5000,
        reclaimIdleMs: 300,
      })

    test.skipIf(skip)('claimed but never committed: the same consumer picks it up after a restart', async () => {
      await act(0, 100)
      const claimed = await server.rt.live.queue.read(eventId(), 'crashy', 1000, 60_000)
      expect(claimed.length).toBe(300)
      // "crashy" dies here. Restarted under the same name, it finds its own claim first.
      await flusher('crashy').drain(eventId())
      expect(await rows()).toEqual({ checkins: 100, votes: 100, messages: 100 })
      expect(await server.rt.live.queue.depth(eventId())).toBe(0)
    })

    test.skipIf(skip)('committed but not acknowledged: redelivered to another consumer, written once', async () => {
      await act(100, 200)
      const claimed = await server.rt.live.queue.read(eventId(), 'gone', 1000, 60_000)
      await writeBatch(
        db(),
        eventId(),
        claimed.map((e) => e.item),
      )
      // "gone" dies before acknowledging. Another instance reclaims after the idle time.
      await Bun.sleep(350)
      await flusher('other').drain(eventId())
      expect(await rows()).toEqual({ checkins: 200, votes: 200, messages: 200 })
      expect(await server.rt.live.queue.depth(eventId())).toBe(0)
    })

    // Cluster mode only: in embedded mode the queue lives in the process itself, so a
    // killed process takes it along (the README's durability table says so).
    if (backend === 'cluster')
      test.skipIf(skip)('a real process SIGKILLed after claiming, and after committing', async () => {
        for (const stage of ['claim', 'commit']) {
          const start = stage === 'claim' ? 200 : 250
          await act(start, start + 50)
          const child = Bun.spawn([process.execPath, 'test/fixtures/claim-and-die.ts'], {
            cwd: ROOT,
            env: {
              ...process.env,
              REDIS_URL: server.config.REDIS_URL!,
              REDIS_PREFIX: server.config.REDIS_PREFIX,
              DATABASE_URL: server.config.DATABASE_URL!,
              EVENT_ID: String(eventId()),
              CONSUMER: `doomed-${stage}`,
              STAGE: stage,
            },
            stdout: 'pipe',
          })
          await child.exited
          expect(child.signalCode).toBe('SIGKILL')
          expect(await new Response(child.stdout).text()).toBe('claimed 150\n')
          await Bun.sleep(350)
          await flusher('survivor').drain(eventId())
          const expected = start + 50
          expect(await rows()).toEqual({ checkins: expected, votes: expected, messages: expected })
        }
      })
  })
}
