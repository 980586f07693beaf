/**
 * The flusher's batch writes on both databases: the rows go in as array literals
 * (unnest), so text that means something inside an array literal (quotes, backslashes,
 * braces, commas, "NULL", line breaks) and timestamps must come back exactly.
 */
import { afterAll, describe, expect, test } from 'bun:test'
import { sql } from 'drizzle-orm'
import { type DatabaseHandle, openPglite, openPostgres } from '../../server/database/connect.ts'
import type { QueueItem } from '../../server/live/queue/types.ts'
import { writeBatch } from '../../server/pipeline/write-batch.ts'
import { clusterReachable, scratchDatabase } from '../support/backends.ts'

const cleanups: (() => Promise<unknown>)[] = []
afterAll(async () => {
  for (const c of cleanups.reverse()) await c()
})

const TEXTS = [
  'plain',
  'say "hi"',
  'back\\slash and \\"both\\"',
  '{braces, commas}',
  'NULL',
  '',
  ' spaced ',
  'line\nbreak\ttab',
  '漢字 and 😀',
  "it's 'quoted'",
]

const rowsOf = async (h: DatabaseHandle, query: ReturnType<typeof sql>) => {
  const r = (await h.db.execute(query)) as unknown as { rows?: Record<string, unknown>[] } & Record<string, unknown>[]
  return (r.rows ?? r) as Record<string, unknown>[]
}

/** A single-choice response, as the queue carries it. */
const response = (pollId: number, number: number, optionId: number, rev: number, at: number, slot = '') => ({
  t: 'response' as const,
  interactionId: pollId,
  number,
  slot,
  response: JSON.stringify({ optionIds: [optionId] }),
  rev,
  at,
})

async function setUp(h: DatabaseHandle) {
  const [{ id: eventId }] = await rowsOf(
    h,
    sql`insert into events (slug, name, settings, host_secret_hash) values ('f', 'F', '{}'::jsonb, 'x') returning id`,
  )
  const [{ id: pollId }] = await rowsOf(
    h,
    sql`insert into polls (event_id, question) values (${eventId}, 'q') returning id`,
  )
  return { eventId: Number(eventId), pollId: Number(pollId) }
}

for (const backend of ['embedded', 'cluster'] as const) {
  describe(`flush rows (${backend})`, async () => {
    const skip = backend === 'cluster' && !(await clusterReachable())
    const open = async (): Promise<DatabaseHandle> => {
      if (backend === 'embedded') return openPglite(null)
      const db = await scratchDatabase()
      cleanups.push(db.drop)
      return openPostgres({ url: db.url, poolMax: 2 })
    }

    test.skipIf(skip)(
      'text, numbers and times come back exactly; a replayed older response changes nothing',
      async () => {
        const h = await open()
        cleanups.push(() => h.close())
        const { eventId, pollId } = await setUp(h)
        const at = Date.UTC(2026, 10, 23, 20, 15, 7, 123)
        const items: QueueItem[] = [
          ...TEXTS.map(
            (text, i): QueueItem => ({
              t: 'message',
              id: i + 1,
              number: i + 1,
              text,
              state: i % 2 ? 'held' : 'visible',
              at: at + i,
            }),
          ),
          { t: 'checkin', number: 7, at },
          response(pollId, 7, 2, 5, at + 50),
          // A taken-back response is stored as NULL (its revision still orders replays).
          { t: 'response', interactionId: pollId, number: 8, slot: '', response: null, rev: 6, at },
          // Slots are apart: the same wristband's answer to a sub-target of the interaction.
          response(pollId, 7, 3, 7, at, 'q "1"'),
        ]
        await writeBatch(h.db, eventId, items)
        // The same batch again, and an older vote of the same wristband: nothing changes.
        await writeBatch(h.db, eventId, [...items, response(pollId, 7, 1, 4, at)])

        const messages = await rowsOf(
          h,
          sql`select id, number, text, state, at from messages where event_id = ${eventId} order by id`,
        )
        expect(messages.map((m) => m.text)).toEqual(TEXTS)
        expect(messages.map((m) => m.state)).toEqual(TEXTS.map((_, i) => (i % 2 ? 'held' : 'visible')))
        expect(messages.map((m) => new Date(m.at as string).getTime())).toEqual(TEXTS.map((_, i) => at + i))
        const checkins = await rowsOf(h, sql`select number, at from checkins where event_id = ${eventId}`)
        expect(checkins.map((c) => [c.number, new Date(c.at as string).getTime()])).toEqual([[7, at]])
        const votes = await rowsOf(
          h,
          sql`select number, slot, response, rev, at from responses where interaction_id = ${pollId} order by number, slot`,
        )
        expect(
          votes.map((v) => [v.number, v.slot, v.response, Number(v.rev), new Date(v.at as string).getTime()]),
        ).toEqual([
          [7, '', { optionIds: [2] }, 5, at + 50],
          [7, 'q "1"', { optionIds: [3] }, 7, at],
          [8, '', null, 6, at],
        ])

        // A newer vote does replace it.
        await writeBatch(h.db, eventId, [response(pollId, 7, 1, 9, at + 90)])
        const after = await rowsOf(
          h,
          sql`select response, rev from responses where interaction_id = ${pollId} and number = 7 and slot = ''`,
        )
        expect(after.map((v) => [v.response, Number(v.rev)])).toEqual([[{ optionIds: [1] }, 9]])
      },
    )

    test.skipIf(skip)('a reset deletes the responses queued before it, keeps those after it, and replays', async () => {
      const h = await open()
      cleanups.push(() => h.close())
      const { eventId, pollId } = await setUp(h)
      const at = Date.UTC(2026, 10, 23, 20, 0, 0)
      await writeBatch(h.db, eventId, [response(pollId, 1, 1, 1, at), response(pollId, 2, 1, 2, at)])
      const batch: QueueItem[] = [
        response(pollId, 3, 2, 3, at),
        { t: 'reset', interactionId: pollId, rev: 4, at },
        response(pollId, 2, 2, 5, at),
      ]
      await writeBatch(h.db, eventId, batch)
      // Replayed (a crash between commit and acknowledgement): the same rows.
      await writeBatch(h.db, eventId, batch)
      const rows = await rowsOf(
        h,
        sql`select number, rev from responses where interaction_id = ${pollId} order by number`,
      )
      expect(rows.map((r) => [r.number, Number(r.rev)])).toEqual([[2, 5]])
    })
  })
}
