/**
 * Writes one batch of write-queue items to Postgres in one transaction, with idempotent
 * upserts: replaying a batch (after a crash between commit and acknowledgement) changes
 * nothing, so "at least once" from the queue is "exactly once" in Postgres.
 */
import { sql } from 'drizzle-orm'
import { checkins, messages, questions, responses } from '../../db/schema.ts'
import type { Database } from '../database/connect.ts'
import { intArray, textArray, timeArray } from '../database/pg-array.ts'
import type { QueueItem } from '../live/queue/types.ts'

type Of<T extends QueueItem['t']> = Extract<QueueItem, { t: T }>

export async function writeBatch(db: Database, eventId: number, items: QueueItem[]) {
  const checkinRows: Of<'checkin'>[] = []
  const latestResponse = new Map<string, Of<'response'>>()
  const messageRows: Of<'message'>[] = []
  const moderation: Of<'moderate'>[] = []
  const questionRows: Of<'question'>[] = []
  const questionStates = new Map<number, Of<'questionState'>>()
  for (const item of items) {
    if (item.t === 'checkin') checkinRows.push(item)
    else if (item.t === 'response') {
      // Several responses of one wristband to one interaction in a batch: only the newest matters.
      const key = `${item.interactionId}:${item.number}:${item.slot}`
      const seen = latestResponse.get(key)
      if (!seen || seen.rev < item.rev) latestResponse.set(key, item)
    } else if (item.t === 'message') messageRows.push(item)
    else if (item.t === 'question') questionRows.push(item)
    // Each carries the whole state after its change, so only the last one of a question matters.
    else if (item.t === 'questionState') questionStates.set(item.id, item)
    else moderation.push(item)
  }
  // One statement per table with one array parameter per column (unnest), rather than
  // six parameters a row: parsing and binding thousands of parameters was most of a flush.
  await db.transaction(async (tx) => {
    if (checkinRows.length) {
      await tx.execute(sql`
        insert into ${checkins} (event_id, number, at)
        select ${eventId}, n, at
        from unnest(${intArray(checkinRows.map((c) => c.number))}::int[], ${timeArray(checkinRows.map((c) => c.at))}::timestamptz[]) as t(n, at)
        on conflict do nothing`)
    }
    if (latestResponse.size) {
      const rows = [...latestResponse.values()]
      await tx.execute(sql`
        insert into ${responses} (interaction_id, number, slot, event_id, response, rev, at)
        select i, n, s, ${eventId}, r::jsonb, v, at
        from unnest(${intArray(rows.map((r) => r.interactionId))}::int[], ${intArray(rows.map((r) => r.number))}::int[],
                    ${textArray(rows.map((r) => r.slot))}::text[], ${textArray(rows.map((r) => r.response))}::text[],
                    ${intArray(rows.map((r) => r.rev))}::bigint[], ${timeArray(rows.map((r) => r.at))}::timestamptz[])
             as t(i, n, s, r, v, at)
        on conflict (interaction_id, number, slot) do update
          set response = excluded.response, rev = excluded.rev, at = excluded.at
          -- A replayed older response must not overwrite a newer one.
          where ${responses}.rev < excluded.rev`)
    }
    if (messageRows.length) {
      await tx.execute(sql`
        insert into ${messages} (event_id, id, number, text, state, at)
        select ${eventId}, i, n, x, s, at
        from unnest(${intArray(messageRows.map((m) => m.id))}::bigint[], ${intArray(messageRows.map((m) => m.number))}::int[],
                    ${textArray(messageRows.map((m) => m.text))}::text[], ${textArray(messageRows.map((m) => m.state))}::text[],
                    ${timeArray(messageRows.map((m) => m.at))}::timestamptz[]) as t(i, n, x, s, at)
        on conflict do nothing`)
    }
    if (questionRows.length) {
      await tx.execute(sql`
        insert into ${questions} (event_id, id, number, text, state, at)
        select ${eventId}, i, n, x, s, at
        from unnest(${intArray(questionRows.map((q) => q.id))}::bigint[], ${intArray(questionRows.map((q) => q.number))}::int[],
                    ${textArray(questionRows.map((q) => q.text))}::text[], ${textArray(questionRows.map((q) => q.state))}::text[],
                    ${timeArray(questionRows.map((q) => q.at))}::timestamptz[]) as t(i, n, x, s, at)
        on conflict do nothing`)
    }
    for (const q of questionStates.values()) {
      await tx.execute(
        sql`update ${questions} set state = ${q.state}, pinned = ${q.pinned}, answered = ${q.answered}
            where ${questions.eventId} = ${eventId} and ${questions.id} = ${q.id}`,
      )
    }
    for (const m of moderation) {
      await tx.execute(
        sql`update ${messages} set state = ${m.state} where ${messages.eventId} = ${eventId} and ${messages.id} = ${m.id}`,
      )
    }
  })
}
