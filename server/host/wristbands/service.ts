/** Wristband batches: generated with consecutive numbers, written in one transaction, revoked at once. */
import { and, asc, count, eq, inArray, type SQL, sql } from 'drizzle-orm'
import { auditLog, checkins, wristbandBatches, wristbands } from '../../../db/schema.ts'
import type { Database } from '../../database/connect.ts'
import { intArray, textArray } from '../../database/pg-array.ts'
import type { EventRecord } from '../../events/directory.ts'
import { badRequest, conflict, notFound } from '../../http/errors.ts'
import type { LiveCounters } from '../../live/counters/types.ts'
import { audit } from '../audit.ts'
import { generateCodes, hashCode, parseCode } from './codes.ts'

/**
 * Rows per INSERT. Each statement sends three array parameters (unnest), not five
 * parameters a row: 100k rows go in about a third of the time.
 */
const INSERT_CHUNK = 10_000

/**
 * The advisory lock (with the event id) that puts one event's batch creations in a row,
 * across every instance and the CLI: each reads the highest number and the labels, then
 * inserts, so two at once chose the same range (a duplicate key, which answered 503). An
 * advisory lock, not a lock on the event's row: the host's pause must never wait behind a
 * batch of 100,000 wristbands being written.
 */
const BATCH_LOCK = 0x67627762 // "gbwb"

/** The constraint a unique violation (SQLSTATE 23505) broke, from Postgres or PGlite, or null. */
function uniqueViolation(err: unknown): string | null {
  type Failure = { code?: unknown; constraint_name?: unknown; constraint?: unknown; cause?: unknown }
  let e = err as Failure | undefined
  for (let depth = 0; e && depth < 4; depth++, e = e.cause as Failure | undefined) {
    if (e.code === '23505') return String(e.constraint_name ?? e.constraint ?? '')
  }
  return null
}

export interface BatchResult {
  batchId: number
  label: string
  firstNumber: number
  wristbands: { number: number; code: string }[]
}

export class WristbandService {
  constructor(
    private db: Database,
    private counters: LiveCounters,
  ) {}

  /**
   * Generates a batch of wristbands with consecutive numbers, writes it in one
   * transaction, then loads it into the counter layer.
   */
  async createWristbands(
    event: EventRecord,
    input: { count: number; label?: string; startNumber?: number; addToExisting?: boolean; dryRun?: boolean },
    onProgress?: (done: number, total: number) => void,
  ): Promise<BatchResult> {
    const label = input.label ?? `batch-${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '')}`
    const labelTaken = () =>
      conflict('batch_exists', `batch "${label}" exists already; pass --add to add more wristbands to it`)
    const written = this.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${BATCH_LOCK}, ${event.id})`)
      const [existing] = await tx
        .select()
        .from(wristbandBatches)
        .where(and(eq(wristbandBatches.eventId, event.id), eq(wristbandBatches.label, label)))
      if (existing && !input.addToExisting) throw labelTaken()
      const [{ next }] = await tx
        .select({ next: sql<number>`coalesce(max(${wristbands.number}), 0) + 1` })
        .from(wristbands)
        .where(eq(wristbands.eventId, event.id))
      const firstNumber = input.startNumber ?? Number(next)
      const lastNumber = firstNumber + input.count - 1
      const [{ clash }] = await tx
        .select({ clash: count() })
        .from(wristbands)
        .where(
          and(eq(wristbands.eventId, event.id), sql`${wristbands.number} between ${firstNumber} and ${lastNumber}`),
        )
      if (Number(clash) > 0) {
        throw conflict('numbers_taken', `numbers ${firstNumber}-${lastNumber} overlap wristbands that exist already`)
      }
      // A dry run stops here: every check passed, nothing is written.
      if (input.dryRun) return { batchId: existing?.id ?? 0, label, firstNumber, rows: [] }
      const batchId =
        existing?.id ??
        (
          await tx
            .insert(wristbandBatches)
            .values({ eventId: event.id, label, firstNumber, count: 0 })
            .returning({ id: wristbandBatches.id })
        )[0].id
      // Existing codes of this event: a new code never repeats one (2^-54 odds, but checked anyway).
      const taken = new Set(
        (await tx.select({ code: wristbands.code }).from(wristbands).where(eq(wristbands.eventId, event.id))).map(
          (r) => r.code,
        ),
      )
      const codes = generateCodes(input.count, taken)
      const rows = codes.map((code, i) => ({
        eventId: event.id,
        number: firstNumber + i,
        code,
        codeHash: hashCode(code),
        batchId,
      }))
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        const chunk = rows.slice(i, i + INSERT_CHUNK)
        await tx.execute(sql`
          insert into ${wristbands} (event_id, number, code, code_hash, batch_id)
          select ${event.id}, n, c, h, ${batchId}
          from unnest(${intArray(chunk.map((r) => r.number))}::int[], ${textArray(chunk.map((r) => r.code))}::text[],
                      ${textArray(chunk.map((r) => r.codeHash))}::text[]) as t(n, c, h)`)
        onProgress?.(i + chunk.length, rows.length)
      }
      await tx
        .update(wristbandBatches)
        .set({ count: sql`${wristbandBatches.count} + ${input.count}` })
        .where(eq(wristbandBatches.id, batchId))
      await tx
        .insert(auditLog)
        .values({ eventId: event.id, action: 'wristbands.create', detail: { label, count: input.count, firstNumber } })
      return { batchId, label, firstNumber, rows }
    })
    const result = await written.catch((err) => {
      // Behind the lock these cannot race; should a writer without it (an older CLI) get in
      // between, the answer is still the clear 409 it deserves, never a 503.
      const constraint = uniqueViolation(err)
      if (constraint === null) throw err
      if (constraint.includes('label')) throw labelTaken()
      throw conflict('numbers_taken', 'those wristband numbers were taken meanwhile; try again')
    })
    if (result.rows.length) {
      await this.counters.addWristbands(
        event.id,
        result.rows.map((r) => ({ number: r.number, codeHash: r.codeHash, revoked: false })),
      )
    }
    return {
      batchId: result.batchId,
      label: result.label,
      firstNumber: result.firstNumber,
      wristbands: result.rows.map((r) => ({ number: r.number, code: r.code })),
    }
  }

  /** Revokes wristbands by number, by secret code, or a whole batch; they stop working at once. */
  async revoke(
    event: EventRecord,
    target: { numbers?: number[]; codes?: string[]; batch?: string },
  ): Promise<number[]> {
    let where: SQL | undefined
    if (target.batch !== undefined) {
      const [batch] = await this.db
        .select()
        .from(wristbandBatches)
        .where(and(eq(wristbandBatches.eventId, event.id), eq(wristbandBatches.label, target.batch)))
      if (!batch) throw notFound(`batch "${target.batch}"`)
      where = and(eq(wristbands.eventId, event.id), eq(wristbands.batchId, batch.id))
    } else if (target.numbers?.length) {
      where = and(eq(wristbands.eventId, event.id), inArray(wristbands.number, target.numbers))
    } else if (target.codes?.length) {
      const hashes = target.codes.map((input) => {
        const parsed = parseCode(input)
        if (!parsed.ok)
          throw badRequest('invalid_code', `"${input}" is not a wristband code (${parsed.reason})`, { codes: input })
        return hashCode(parsed.code)
      })
      where = and(eq(wristbands.eventId, event.id), inArray(wristbands.codeHash, hashes))
    } else {
      throw badRequest('nothing_to_revoke', 'name wristband numbers or a batch', { numbers: 'required' })
    }
    const rows = await this.db
      .update(wristbands)
      .set({ revokedAt: new Date() })
      .where(where)
      .returning({ number: wristbands.number })
    const numbers = rows.map((r) => r.number)
    if (!numbers.length) throw notFound('wristband')
    await this.counters.revokeWristbands(event.id, numbers)
    await audit(this.db, event.id, 'wristbands.revoke', { count: numbers.length, batch: target.batch ?? null })
    return numbers
  }

  async batches(event: EventRecord) {
    const rows = await this.db
      .select({
        label: wristbandBatches.label,
        firstNumber: wristbandBatches.firstNumber,
        count: wristbandBatches.count,
        createdAt: wristbandBatches.createdAt,
        revoked: sql<number>`(select count(*)::int from ${wristbands} where ${wristbands.batchId} = ${wristbandBatches.id} and ${wristbands.revokedAt} is not null)`,
        checkedIn: sql<number>`(select count(*)::int from ${wristbands} w join ${checkins} c on c.event_id = w.event_id and c.number = w.number where w.batch_id = ${wristbandBatches.id} and w.revoked_at is null)`,
        revokedCheckedIn: sql<number>`(select count(*)::int from ${wristbands} w join ${checkins} c on c.event_id = w.event_id and c.number = w.number where w.batch_id = ${wristbandBatches.id} and w.revoked_at is not null)`,
      })
      .from(wristbandBatches)
      .where(eq(wristbandBatches.eventId, event.id))
      .orderBy(asc(wristbandBatches.id))
    return rows.map((r) => ({
      ...r,
      checkedIn: Number(r.checkedIn),
      revokedCheckedIn: Number(r.revokedCheckedIn),
      createdAt: r.createdAt.toISOString(),
    }))
  }
}
