/**
 * The flusher's batch writes on both databases: the rows go in as array literals
 * (unnest), so text that means something inside an array literal (quotes, backslashes,
 * braces, commas, "NULL", line breaks) and timestamps must come back exactly.
 */
import { afterAll, describe, expect, test } from 'bun:test'
import { sql } from 'drizzle-orm'
import { type DatabaseHandle, openPglite, openPostgres } from '../../server/database/connect.ts'
import type { QueueItem } from '../../server/live/types.ts'
import { writeBatch } from '../../server/pipeline/flusher.ts'
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

    test.skipIf(skip)('text, numbers and times come back exactly; a replayed older vote changes nothing', async () => {
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
        { t: 'vote', pollId, number: 7, optionId: 2, rev: 5, at: at + 50 },
      ]
      await writeBatch(h.db, eventId, items)
      // The same batch again, and an older vote of the same wristband: nothing changes.
      await writeBatch(h.db, eventId, [...items, { t: 'vote', pollId, number: 7, optionId: 1, rev: 4, at }])

      const messages = await rowsOf(
        h,
        sql`select id, number, text, state, at from messages where event_id = ${eventId} order by id`,
      )
      expect(messages.map((m) => m.text)).toEqual(TEXTS)
      expect(messages.map((m) => m.state)).toEqual(TEXTS.map((_, i) => (i % 2 ? 'held' : 'visible')))
      expect(messages.map((m) => new Date(m.at as string).getTime())).toEqual(TEXTS.map((_, i) => at + i))
      const checkins = await rowsOf(h, sql`select number, at from checkins where event_id = ${eventId}`)
      expect(checkins.map((c) => [c.number, new Date(c.at as string).getTime()])).toEqual([[7, at]])
      const votes = await rowsOf(h, sql`select number, option_id, rev, at from votes where poll_id = ${pollId}`)
      expect(votes.map((v) => [v.number, v.option_id, Number(v.rev), new Date(v.at as string).getTime()])).toEqual([
        [7, 2, 5, at + 50],
      ])

      // A newer vote does replace it.
      await writeBatch(h.db, eventId, [{ t: 'vote', pollId, number: 7, optionId: 1, rev: 9, at: at + 90 }])
      const after = await rowsOf(h, sql`select option_id, rev from votes where poll_id = ${pollId}`)
      expect(after.map((v) => [v.option_id, Number(v.rev)])).toEqual([[1, 9]])
    })
  })
}
