/**
 * Deltas stay small however big the interaction grows, on both backends: a word cloud
 * of 10,000 distinct words and a Q&A board of 5,000 questions send only their bounded top
 * lists (WORDS_KEPT words, QUESTIONS_KEPT questions) each tick, a few KB at most.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { QUESTIONS_KEPT } from '../../protocol/engagement.ts'
import type { Delta } from '../../protocol/index.ts'
import { WORDS_KEPT } from '../../server/interactions/kinds/words.ts'
import {
  BACKENDS,
  clusterReachable,
  each,
  seedEvent,
  startTestServer,
  type TestServer,
  until,
} from '../support/backends.ts'

const DISTINCT_WORDS = 10_000
const QUESTIONS = 5000
/** A tick's delta never carries more than this, whatever the number of words or questions. */
const DELTA_BYTES_BOUND = 8 * 1024

for (const backend of BACKENDS) {
  describe(`bounded deltas (${backend})`, async () => {
    const skip = backend === 'cluster' && !(await clusterReachable())
    let server: TestServer
    let seeded: Awaited<ReturnType<typeof seedEvent>>
    const wristbands = Math.ceil(DISTINCT_WORDS / 3)

    beforeAll(async () => {
      if (skip) return
      server = await startTestServer(backend)
      seeded = await seedEvent(server, { wristbands })
      await server.rt.status.updateSettings(seeded.event, { messagesPerWindow: 1000, messageWindowSeconds: 1 })
      current = await server.rt.directory.bySlug(seeded.event.slug)
      for (const w of seeded.wristbands) await server.rt.guests.checkin(current!, w.code, '127.0.0.1')
    }, 120_000)
    afterAll(async () => {
      if (!skip) await server.stop()
    })

    let current: Awaited<ReturnType<typeof server.rt.directory.bySlug>>
    const event = () => current!
    const lastSeq = async () => (await server.rt.live.log.read(seeded.event.id, 0, 10_000_000)).at(-1)?.seq ?? 0
    const deltasAfter = async (seq: number) =>
      (await server.rt.live.log.read(seeded.event.id, seq, 10_000_000)).map((e) => e.json)

    test.skipIf(skip)(
      `a cloud of ${DISTINCT_WORDS} distinct words sends its top ${WORDS_KEPT} only, bounded per tick`,
      async () => {
        const poll = await server.rt.polls.createPoll(event(), { kind: 'words', question: 'One word?' } as never)
        await server.rt.polls.setPollState(event(), poll.id, 'open')
        const from = await lastSeq()
        // Every wristband three words no one else sends: 10,000 distinct words in the cloud.
        await each(wristbands, 64, (i) =>
          server.rt.guests.vote(event(), seeded.wristbands[i]!.number, {
            pollId: poll.id,
            words: [0, 1, 2].map((k) => `w${i * 3 + k}`).filter((_, k) => i * 3 + k < DISTINCT_WORDS),
          }),
        )
        // Then some words gain: the top list changes, the deltas stay small.
        await each(600, 64, (i) =>
          server.rt.guests.vote(event(), seeded.wristbands[i]!.number, { pollId: poll.id, words: ['encore', 'neon'] }),
        )
        await until(async () => {
          const snap = (await (await server.fetch(`/api/events/${seeded.event.slug}/snapshot`)).json()).snapshot
          return snap.polls.find((p: { id: number }) => p.id === poll.id)?.words?.[0]?.count === 600
        }, 10_000)
        const deltas = await deltasAfter(from)
        expect(deltas.length).toBeGreaterThan(0)
        for (const json of deltas) {
          expect(Buffer.byteLength(json)).toBeLessThan(DELTA_BYTES_BOUND)
          for (const p of (JSON.parse(json) as Delta).polls ?? [])
            expect(p.words?.length ?? 0).toBeLessThanOrEqual(WORDS_KEPT)
        }
        const snap = (await (await server.fetch(`/api/events/${seeded.event.slug}/snapshot`)).json()).snapshot
        const cloud = snap.polls.find((p: { id: number }) => p.id === poll.id)
        expect(cloud.words).toHaveLength(WORDS_KEPT)
        expect(cloud.words.slice(0, 2)).toEqual([
          { text: 'encore', count: 600 },
          { text: 'neon', count: 600 },
        ])
      },
      120_000,
    )

    test.skipIf(skip)(
      `a board of ${QUESTIONS} questions sends at most its top ${QUESTIONS_KEPT}, bounded per tick`,
      async () => {
        const ids: number[] = []
        await each(QUESTIONS, 64, async (i) => {
          const q = await server.rt.guests.ask(event(), seeded.wristbands[i % wristbands]!.number, {
            text: `Question number ${i}?`,
          })
          ids.push(q.id)
        })
        await Bun.sleep(300)
        const from = await lastSeq()
        // Upvotes on 200 questions, a few each: the board's order changes, not all of it.
        await each(1000, 64, (i) => server.rt.guests.upvote(event(), seeded.wristbands[i]!.number, ids[i % 200]!, true))
        await until(async () => {
          const snap = (await (await server.fetch(`/api/events/${seeded.event.slug}/snapshot`)).json()).snapshot
          return snap.questions?.[0]?.votes === 5
        }, 10_000)
        const deltas = await deltasAfter(from)
        expect(deltas.length).toBeGreaterThan(0)
        for (const json of deltas) {
          expect(Buffer.byteLength(json)).toBeLessThan(DELTA_BYTES_BOUND)
          expect((JSON.parse(json) as Delta).questions?.length ?? 0).toBeLessThanOrEqual(QUESTIONS_KEPT)
        }
        const snap = (await (await server.fetch(`/api/events/${seeded.event.slug}/snapshot`)).json()).snapshot
        expect(snap.questions).toHaveLength(QUESTIONS_KEPT)
        expect(snap.questions.every((q: { votes: number }) => q.votes === 5)).toBe(true)
      },
      120_000,
    )
  })
}
