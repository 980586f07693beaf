/**
 * Host actions. These are rare and must be durable at once, so they write Postgres
 * first and then tell the counter layer; each one is recorded in the audit log.
 */
import { randomInt } from 'node:crypto'
import { and, asc, count, eq, inArray, isNull, sql } from 'drizzle-orm'
import {
  auditLog,
  checkins,
  events,
  type EventStatus,
  messages,
  pollOptions,
  polls,
  type RaffleRules,
  raffleWinners,
  raffles,
  showCueSheets,
  votes,
  wristbandBatches,
  wristbands,
} from '../db/schema.ts'
import type { Database } from './db.ts'
import { badRequest, conflict, notFound } from './errors.ts'
import type { EventDirectory, EventRecord } from './events.ts'
import type { LiveStore, PollDef } from './live/types.ts'
import { intArray, textArray } from './pg-array.ts'
import type { CueSheet, Raffle, Show } from './protocol.ts'
import { generateCodes, hashCode, parseCode } from './wristband-code.ts'

/**
 * Rows per INSERT. Each statement sends three array parameters (unnest), not five
 * parameters a row: 100k rows go in about a third of the time.
 */
const INSERT_CHUNK = 10_000

export interface BatchResult {
  batchId: number
  label: string
  firstNumber: number
  wristbands: { number: number; code: string }[]
}

export class HostService {
  constructor(
    private db: Database,
    private store: LiveStore,
    private directory: EventDirectory,
  ) {}

  private audit(eventId: number, action: string, detail: Record<string, unknown>) {
    return this.db.insert(auditLog).values({ eventId, action, detail })
  }

  private async pollDef(eventId: number, pollId: number): Promise<PollDef> {
    const [poll] = await this.db
      .select()
      .from(polls)
      .where(and(eq(polls.id, pollId), eq(polls.eventId, eventId)))
    if (!poll) throw notFound('poll')
    const options = await this.db
      .select({ id: pollOptions.id, label: pollOptions.label })
      .from(pollOptions)
      .where(eq(pollOptions.pollId, pollId))
      .orderBy(asc(pollOptions.position))
    return { id: poll.id, question: poll.question, open: poll.state === 'open', closed: poll.state === 'closed', options }
  }

  async createPoll(event: EventRecord, input: { question: string; options: string[] }) {
    const def = await this.db.transaction(async (tx) => {
      const [poll] = await tx.insert(polls).values({ eventId: event.id, question: input.question }).returning()
      const options = await tx
        .insert(pollOptions)
        .values(input.options.map((label, position) => ({ pollId: poll.id, label, position })))
        .returning({ id: pollOptions.id, label: pollOptions.label })
      await tx.insert(auditLog).values({ eventId: event.id, action: 'poll.create', detail: { pollId: poll.id } })
      return { id: poll.id, question: poll.question, open: false, closed: false, options } satisfies PollDef
    })
    await this.store.putPoll(event.id, def)
    return { id: def.id, question: def.question, options: def.options }
  }

  async setPollState(event: EventRecord, pollId: number, state: 'open' | 'closed') {
    const updated = await this.db
      .update(polls)
      .set({ state })
      .where(and(eq(polls.id, pollId), eq(polls.eventId, event.id)))
      .returning({ id: polls.id })
    if (!updated.length) throw notFound('poll')
    await this.audit(event.id, `poll.${state === 'open' ? 'open' : 'close'}`, { pollId })
    const def = await this.pollDef(event.id, pollId)
    await this.store.putPoll(event.id, def)
    return def
  }

  async setStatus(event: EventRecord, status: EventStatus, message: string) {
    await this.db.update(events).set({ status, message }).where(eq(events.id, event.id))
    await this.audit(event.id, 'status', { status, message })
    await this.store.setStatus(event.id, status, message)
    this.directory.forget(event.slug)
  }

  async updateSettings(event: EventRecord, patch: Partial<EventRecord['settings']>) {
    const settings = { ...event.settings, ...patch }
    await this.db.update(events).set({ settings }).where(eq(events.id, event.id))
    await this.audit(event.id, 'settings', patch)
    this.directory.forget(event.slug)
    return settings
  }

  async moderate(event: EventRecord, messageId: number, state: 'hidden' | 'visible') {
    const found = await this.store.moderate(event.id, messageId, state, Date.now())
    if (!found) throw notFound('message')
    await this.audit(event.id, state === 'hidden' ? 'message.hide' : 'message.approve', { messageId })
  }

  async createRaffle(event: EventRecord, input: { name: string; winners: number; rules: RaffleRules }) {
    const [row] = await this.db
      .insert(raffles)
      .values({ eventId: event.id, name: input.name, winners: input.winners, rules: input.rules })
      .returning()
    await this.audit(event.id, 'raffle.create', { raffleId: row.id })
    const raffle: Raffle = { id: row.id, name: row.name, winners: [], drawnAt: null }
    await this.store.putRaffle(event.id, raffle)
    return { ...raffle, winnersWanted: row.winners, rules: row.rules }
  }

  /** Every raffle of the event with its rules and winners, for the host. */
  async raffles(event: EventRecord) {
    const rows = await this.db.select().from(raffles).where(eq(raffles.eventId, event.id)).orderBy(asc(raffles.id))
    const winners = await this.db
      .select({ raffleId: raffleWinners.raffleId, number: raffleWinners.number })
      .from(raffleWinners)
      .innerJoin(raffles, eq(raffles.id, raffleWinners.raffleId))
      .where(eq(raffles.eventId, event.id))
      .orderBy(asc(raffleWinners.position))
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      winnersWanted: r.winners,
      rules: r.rules,
      winners: winners.filter((w) => w.raffleId === r.id).map((w) => w.number),
      drawnAt: r.drawnAt ? r.drawnAt.getTime() : null,
    }))
  }

  /**
   * Draws winners uniformly (CSPRNG) from the checked-in, non-revoked wristbands.
   * A raffle is drawn once; the draw is stored before anyone is told.
   */
  async drawRaffle(event: EventRecord, raffleId: number): Promise<Raffle> {
    const [row] = await this.db
      .select()
      .from(raffles)
      .where(and(eq(raffles.id, raffleId), eq(raffles.eventId, event.id)))
    if (!row) throw notFound('raffle')
    if (row.drawnAt) throw conflict('already_drawn', 'this raffle has been drawn already')
    let candidates = await this.store.checkedIn(event.id)
    if (row.rules.excludePreviousWinners) {
      const previous = await this.db
        .select({ number: raffleWinners.number })
        .from(raffleWinners)
        .innerJoin(raffles, eq(raffles.id, raffleWinners.raffleId))
        .where(eq(raffles.eventId, event.id))
      const won = new Set(previous.map((p) => p.number))
      candidates = candidates.filter((n) => !won.has(n))
    }
    if (!candidates.length) throw conflict('no_candidates', 'nobody is checked in who can win this raffle')
    // Partial Fisher-Yates: the first k places are a uniform sample.
    const k = Math.min(row.winners, candidates.length)
    for (let i = 0; i < k; i++) {
      const j = i + randomInt(candidates.length - i)
      ;[candidates[i], candidates[j]] = [candidates[j], candidates[i]]
    }
    const winners = candidates.slice(0, k)
    const drawnAt = new Date()
    await this.db.transaction(async (tx) => {
      const claimed = await tx
        .update(raffles)
        .set({ drawnAt })
        .where(and(eq(raffles.id, raffleId), isNull(raffles.drawnAt)))
        .returning({ id: raffles.id })
      if (!claimed.length) throw conflict('already_drawn', 'this raffle has been drawn already')
      await tx.insert(raffleWinners).values(winners.map((number, position) => ({ raffleId, number, position })))
      await tx.insert(auditLog).values({ eventId: event.id, action: 'raffle.draw', detail: { raffleId, winners } })
    })
    const raffle: Raffle = { id: raffleId, name: row.name, winners, drawnAt: drawnAt.getTime() }
    await this.store.putRaffle(event.id, raffle)
    return raffle
  }

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
    const result = await this.db.transaction(async (tx) => {
      const [existing] = await tx
        .select()
        .from(wristbandBatches)
        .where(and(eq(wristbandBatches.eventId, event.id), eq(wristbandBatches.label, label)))
      if (existing && !input.addToExisting) {
        throw conflict('batch_exists', `batch "${label}" exists already; pass --add to add more wristbands to it`)
      }
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
    if (result.rows.length) {
      await this.store.addWristbands(
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
  async revoke(event: EventRecord, target: { numbers?: number[]; codes?: string[]; batch?: string }): Promise<number[]> {
    let where
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
        if (!parsed.ok) throw badRequest('invalid_code', `"${input}" is not a wristband code (${parsed.reason})`, { codes: input })
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
    await this.store.revokeWristbands(event.id, numbers)
    await this.audit(event.id, 'wristbands.revoke', { count: numbers.length, batch: target.batch ?? null })
    return numbers
  }

  async batches(event: EventRecord) {
    return this.db
      .select({
        label: wristbandBatches.label,
        firstNumber: wristbandBatches.firstNumber,
        count: wristbandBatches.count,
        createdAt: wristbandBatches.createdAt,
        revoked: sql<number>`(select count(*)::int from ${wristbands} where ${wristbands.batchId} = ${wristbandBatches.id} and ${wristbands.revokedAt} is not null)`,
      })
      .from(wristbandBatches)
      .where(eq(wristbandBatches.eventId, event.id))
      .orderBy(asc(wristbandBatches.id))
  }

  /**
   * What Postgres holds for an event (not the live counters): the flushed truth that
   * exports and the benchmark's exactly-once check read.
   */
  async stats(event: EventRecord) {
    const id = event.id
    const [row] = await this.db
      .select({
        wristbands: sql<number>`(select count(*)::int from ${wristbands} where ${wristbands.eventId} = ${id})`,
        revoked: sql<number>`(select count(*)::int from ${wristbands} where ${wristbands.eventId} = ${id} and ${wristbands.revokedAt} is not null)`,
        checkins: sql<number>`(select count(*)::int from ${checkins} where ${checkins.eventId} = ${id})`,
        messages: sql<number>`(select count(*)::int from ${messages} where ${messages.eventId} = ${id})`,
        hidden: sql<number>`(select count(*)::int from ${messages} where ${messages.eventId} = ${id} and ${messages.state} = 'hidden')`,
      })
      .from(events)
      .where(eq(events.id, id))
    const voteRows = await this.db
      .select({ pollId: votes.pollId, optionId: votes.optionId, n: count() })
      .from(votes)
      .where(eq(votes.eventId, id))
      .groupBy(votes.pollId, votes.optionId)
    const polls: Record<string, Record<string, number>> = {}
    for (const v of voteRows) (polls[v.pollId] ??= {})[v.optionId] = Number(v.n)
    const counts = Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]))
    return { ...counts, polls, queueDepth: await this.store.queueDepth(id) }
  }

  async attendees(event: EventRecord) {
    return this.db
      .select({ number: checkins.number, at: checkins.at })
      .from(checkins)
      .where(eq(checkins.eventId, event.id))
      .orderBy(asc(checkins.at))
  }

  /** Stores a cue sheet under its content hash; the URL never changes meaning, so it caches forever. */
  async putCueSheet(event: EventRecord, sheet: CueSheet): Promise<string> {
    const hash = new Bun.CryptoHasher('sha256').update(JSON.stringify(sheet)).digest('hex').slice(0, 20)
    await this.db.insert(showCueSheets).values({ hash, eventId: event.id, body: sheet }).onConflictDoNothing()
    return hash
  }

  async cueSheet(hash: string): Promise<CueSheet | null> {
    const [row] = await this.db.select().from(showCueSheets).where(eq(showCueSheets.hash, hash))
    return (row?.body as CueSheet) ?? null
  }

  async setShow(event: EventRecord, show: Show | null) {
    await this.db.update(events).set({ show }).where(eq(events.id, event.id))
    await this.audit(event.id, show ? 'show.start' : 'show.stop', show ? { ...show } : {})
    await this.store.setShow(event.id, show)
  }
}

