/**
 * Raffles anyone can check (docs/raffles.md). A raffle goes open -> committed -> drawn:
 * - open: the rules are evaluated on live state; the host sees the eligible count;
 * - commit: the eligible list freezes, its hash and SHA-256(seed) become public, and the
 *   drum roll starts: guests' taps count until `closesAt`;
 * - draw (not before `closesAt`): the taps become the entropy, the seed is revealed, and
 *   protocol/raffle-draw.ts picks the winners tier by tier;
 * - afterwards the host marks no-shows (replaced by the next picks) and claims.
 * A draw without a commit commits and draws in one step (no taps: the proof says so).
 * Every pick is kept in raffle_picks; nothing is erased.
 */
import { randomBytes, randomInt } from 'node:crypto'
import { and, asc, eq, inArray, isNotNull, isNull, lt, ne, sql } from 'drizzle-orm'
import {
  auditLog,
  polls,
  quizzes,
  type RafflePrize,
  type RaffleRules,
  rafflePicks,
  raffles,
  raffleTaps,
  raffleWinners,
  responses,
  wristbandBatches,
} from '../../../db/schema.ts'
import type { HostRaffle, HostWinner } from '../../../protocol/host.ts'
import type { Raffle } from '../../../protocol/index.ts'
import { drawKey, listHash, Picker, seedCommitment, type Tap, tapsEntropy } from '../../../protocol/raffle-draw.ts'
import {
  fillSlots,
  type Pick,
  PROOF_VERSION,
  prizeSlots,
  type RaffleProof,
  resumePicker,
} from '../../../protocol/raffle-proof.ts'
import type { Database } from '../../database/connect.ts'
import type { EventRecord } from '../../events/directory.ts'
import { ApiFailure, badRequest, conflict, notFound } from '../../http/errors.ts'
import { QUIZ_KIND } from '../../interactions/kinds/quiz.ts'
import type { LiveCounters } from '../../live/counters/types.ts'
import { audit } from '../audit.ts'
import { DEFAULT_ROLL_MS, prizesOf, publicRaffle, type RaffleBody, stateOf } from './model.ts'

type RaffleRow = typeof raffles.$inferSelect
type PickRow = typeof rafflePicks.$inferSelect
type Tx = Parameters<Parameters<Database['transaction']>[0]>[0]

/** Claim codes: 8 characters without look-alikes (no 0/O, 1/I/L). */
const CLAIM_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'
/** How long after `closesAt` the draw waits for taps still in flight. */
export const TAP_GRACE_MS = 300

const claimCode = () => Array.from({ length: 8 }, () => CLAIM_ALPHABET[randomInt(CLAIM_ALPHABET.length)]).join('')
export const normaliseClaimCode = (code: string) => code.toUpperCase().replace(/[^0-9A-Z]/g, '')

export class RaffleService {
  constructor(
    private db: Database,
    private counters: LiveCounters,
  ) {}

  // ---- reading ----

  private async row(event: EventRecord, raffleId: number, db: Database | Tx = this.db): Promise<RaffleRow> {
    const [row] = await db
      .select()
      .from(raffles)
      .where(and(eq(raffles.id, raffleId), eq(raffles.eventId, event.id)))
    if (!row) throw notFound('raffle')
    return row
  }

  private picksOf(raffleId: number, db: Database | Tx = this.db): Promise<PickRow[]> {
    return db.select().from(rafflePicks).where(eq(rafflePicks.raffleId, raffleId)).orderBy(asc(rafflePicks.position))
  }

  /** The public view: from raffle_winners (current winners) and the no-shows on record. */
  private async view(row: RaffleRow, db: Database | Tx = this.db): Promise<Raffle> {
    const winners = await db
      .select({ number: raffleWinners.number, tier: raffleWinners.tier })
      .from(raffleWinners)
      .where(eq(raffleWinners.raffleId, row.id))
      .orderBy(asc(raffleWinners.position))
    const noShows = await db
      .select({ number: rafflePicks.number })
      .from(rafflePicks)
      .where(and(eq(rafflePicks.raffleId, row.id), eq(rafflePicks.outcome, 'no_show')))
      .orderBy(asc(rafflePicks.noShowSeq))
    return publicRaffle(
      row,
      winners,
      noShows.map((n) => n.number),
    )
  }

  private async publish(event: EventRecord, raffleId: number): Promise<Raffle> {
    const raffle = await this.view(await this.row(event, raffleId))
    await this.counters.putRaffle(event.id, raffle)
    return raffle
  }

  private async hostView(row: RaffleRow): Promise<HostRaffle> {
    const raffle = await this.view(row)
    const names = new Map(prizesOf(row).map((p) => [p.tier, p.name]))
    const winnerDetails: HostWinner[] = (await this.picksOf(row.id))
      .filter((p) => p.outcome === 'winner')
      .map((p) => ({
        number: p.number,
        tier: p.tier ?? 1,
        prize: names.get(p.tier ?? 1) ?? row.name,
        position: p.position,
        claimCode: p.claimCode ?? '',
        claimedAt: p.claimedAt ? p.claimedAt.getTime() : null,
      }))
    if (raffle.state === 'open') raffle.eligible = (await this.eligibleNow(row.eventId, row.rules, row.id)).length
    return { ...raffle, winnersWanted: row.winners, rules: row.rules, winnerDetails }
  }

  /** Every raffle of the event with its rules, winners and claim codes, for the host. */
  async raffles(event: EventRecord): Promise<HostRaffle[]> {
    const rows = await this.db.select().from(raffles).where(eq(raffles.eventId, event.id)).orderBy(asc(raffles.id))
    return Promise.all(rows.map((r) => this.hostView(r)))
  }

  // ---- eligibility ----

  /** Numbers that hold a prize now in the raffles the rules exclude (never this raffle itself). */
  private async excludedWinners(eventId: number, rules: RaffleRules, raffleId: number | null): Promise<Set<number>> {
    const listed = rules.excludeWinnersOf?.length ? rules.excludeWinnersOf : null
    if (!listed && !rules.excludePreviousWinners) return new Set()
    const conditions = [eq(raffles.eventId, eventId)]
    if (raffleId !== null) conditions.push(ne(raffles.id, raffleId))
    if (listed) conditions.push(inArray(raffles.id, listed))
    const rows = await this.db
      .select({ number: raffleWinners.number })
      .from(raffleWinners)
      .innerJoin(raffles, eq(raffles.id, raffleWinners.raffleId))
      .where(and(...conditions))
    return new Set(rows.map((r) => r.number))
  }

  /**
   * Who the rules let in right now, ascending: checked in, not revoked (the counter
   * layer's live list), in the listed batches, not a winner the rules exclude.
   */
  async eligibleNow(eventId: number, rules: RaffleRules, raffleId: number | null): Promise<number[]> {
    let pool = await this.counters.checkedIn(eventId)
    if (rules.batches?.length) {
      const ranges = await this.db
        .select({ first: wristbandBatches.firstNumber, count: wristbandBatches.count })
        .from(wristbandBatches)
        .where(and(eq(wristbandBatches.eventId, eventId), inArray(wristbandBatches.label, rules.batches)))
      pool = pool.filter((n) => ranges.some((r) => n >= r.first && n < r.first + r.count))
    }
    for (const pollId of rules.tookPartIn ?? []) {
      // Postgres holds the responses the flusher has written (it runs every FLUSH_MS).
      const rows = await this.db
        .selectDistinct({ number: responses.number })
        .from(responses)
        .where(and(eq(responses.eventId, eventId), eq(responses.interactionId, pollId), isNotNull(responses.response)))
      const answered = new Set(rows.map((r) => r.number))
      pool = pool.filter((n) => answered.has(n))
    }
    for (const quizId of rules.playedQuiz ?? []) {
      // A quiz's questions are interactions of kind quiz whose config names the quiz.
      const rows = await this.db
        .selectDistinct({ number: responses.number })
        .from(responses)
        .innerJoin(polls, eq(polls.id, responses.interactionId))
        .where(
          and(
            eq(responses.eventId, eventId),
            eq(polls.kind, QUIZ_KIND),
            sql`(${polls.config}->>'quizId')::int = ${quizId}`,
            isNotNull(responses.response),
          ),
        )
      const played = new Set(rows.map((r) => r.number))
      pool = pool.filter((n) => played.has(n))
    }
    const won = await this.excludedWinners(eventId, rules, raffleId)
    if (won.size) pool = pool.filter((n) => !won.has(n))
    // The live list is ascending already; the frozen list must be, so make sure.
    return [...new Set(pool)].sort((a, b) => a - b)
  }

  async eligible(event: EventRecord, raffleId: number) {
    const row = await this.row(event, raffleId)
    const checkedIn = (await this.counters.checkedIn(event.id)).length
    if (row.pool) return { eligible: row.pool.length, checkedIn, frozen: true }
    return { eligible: (await this.eligibleNow(event.id, row.rules, row.id)).length, checkedIn, frozen: false }
  }

  /** The eligible count for rules not yet saved (the host's form). */
  async preview(event: EventRecord, rules: RaffleRules) {
    await this.checkRules(event, rules)
    const checkedIn = (await this.counters.checkedIn(event.id)).length
    return { eligible: (await this.eligibleNow(event.id, rules, null)).length, checkedIn, frozen: false }
  }

  private async checkRules(event: EventRecord, rules: RaffleRules) {
    if (rules.batches?.length) {
      const found = await this.db
        .select({ label: wristbandBatches.label })
        .from(wristbandBatches)
        .where(and(eq(wristbandBatches.eventId, event.id), inArray(wristbandBatches.label, rules.batches)))
      const known = new Set(found.map((f) => f.label))
      const missing = rules.batches.filter((b) => !known.has(b))
      if (missing.length)
        throw badRequest('invalid_input', `no batch ${missing.join(', ')}`, { 'rules.batches': 'unknown batch' })
    }
    if (rules.tookPartIn?.length) {
      const found = await this.db
        .select({ id: polls.id })
        .from(polls)
        .where(and(eq(polls.eventId, event.id), inArray(polls.id, rules.tookPartIn)))
      if (found.length !== new Set(rules.tookPartIn).size)
        throw badRequest('invalid_input', 'tookPartIn names a poll of another event or none', {
          'rules.tookPartIn': 'unknown poll',
        })
    }
    if (rules.playedQuiz?.length) {
      const found = await this.db
        .select({ id: quizzes.id })
        .from(quizzes)
        .where(and(eq(quizzes.eventId, event.id), inArray(quizzes.id, rules.playedQuiz)))
      if (found.length !== new Set(rules.playedQuiz).size)
        throw badRequest('invalid_input', 'playedQuiz names a quiz of another event or none', {
          'rules.playedQuiz': 'unknown quiz',
        })
    }
    if (rules.excludeWinnersOf?.length) {
      const found = await this.db
        .select({ id: raffles.id })
        .from(raffles)
        .where(and(eq(raffles.eventId, event.id), inArray(raffles.id, rules.excludeWinnersOf)))
      if (found.length !== new Set(rules.excludeWinnersOf).size)
        throw badRequest('invalid_input', 'excludeWinnersOf names a raffle of another event or none', {
          'rules.excludeWinnersOf': 'unknown raffle',
        })
    }
  }

  // ---- the life of a raffle ----

  async createRaffle(event: EventRecord, input: RaffleBody): Promise<HostRaffle> {
    const rules: RaffleRules = { excludePreviousWinners: input.rules.excludePreviousWinners }
    if (input.rules.excludeWinnersOf?.length) rules.excludeWinnersOf = [...new Set(input.rules.excludeWinnersOf)]
    if (input.rules.batches?.length) rules.batches = [...new Set(input.rules.batches)]
    if (input.rules.tookPartIn?.length) rules.tookPartIn = [...new Set(input.rules.tookPartIn)]
    if (input.rules.playedQuiz?.length) rules.playedQuiz = [...new Set(input.rules.playedQuiz)]
    await this.checkRules(event, rules)
    const prizes: RafflePrize[] = input.prizes
      ? input.prizes.map((p, i) => ({ tier: i + 1, name: p.name, count: p.count }))
      : [{ tier: 1, name: input.name, count: input.winners! }]
    const total = prizes.reduce((s, p) => s + p.count, 0)
    const [row] = await this.db
      .insert(raffles)
      .values({ eventId: event.id, name: input.name, winners: total, rules, prizes })
      .returning()
    await audit(this.db, event.id, 'raffle.create', { raffleId: row.id, prizes, rules })
    await this.counters.putRaffle(event.id, await this.view(row))
    return this.hostView(row)
  }

  /**
   * Freezes the eligible list and publishes its hash and the seed's commitment; the drum
   * roll (and the taps) run until `closesAt`.
   */
  async commit(event: EventRecord, raffleId: number, input: { seed?: string; rollMs?: number }, now = Date.now()) {
    const row = await this.row(event, raffleId)
    if (row.drawnAt) throw conflict('already_drawn', 'this raffle has been drawn already')
    if (row.committedAt) throw conflict('already_committed', 'this raffle is committed already; draw it')
    const pool = await this.eligibleNow(event.id, row.rules, row.id)
    if (!pool.length) throw conflict('no_candidates', 'nobody is checked in who can win this raffle')
    const seed = input.seed ?? randomBytes(32).toString('hex')
    const committedAt = new Date(now)
    const closesAt = new Date(now + (input.rollMs ?? DEFAULT_ROLL_MS))
    const hash = listHash(pool)
    const commitment = seedCommitment(seed)
    const done = await this.db
      .update(raffles)
      .set({ pool, listHash: hash, commitment, seed, committedAt, closesAt })
      .where(and(eq(raffles.id, raffleId), isNull(raffles.committedAt)))
      .returning({ id: raffles.id })
    if (!done.length) throw conflict('already_committed', 'this raffle is committed already; draw it')
    await audit(this.db, event.id, 'raffle.commit', { raffleId, eligible: pool.length, listHash: hash, commitment })
    await this.publish(event, raffleId)
    return this.hostView(await this.row(event, raffleId))
  }

  /**
   * Drum rolls in progress, as this instance knows them: when each one's taps end and who
   * has tapped here already. `closesAt` is fixed by the commit, so a cached entry is never
   * wrong about when taps stop; repeated taps never reach Postgres.
   */
  private rolling = new Map<number, { eventId: number; closesAt: number; tapped: Set<number> }>()

  /** A guest's tap during the drum roll: the first per wristband counts. */
  async tap(event: EventRecord, raffleId: number, number: number, nonce: string, now = Date.now()) {
    let roll = this.rolling.get(raffleId)
    if (!roll || roll.eventId !== event.id) {
      const row = await this.row(event, raffleId)
      if (!row.committedAt || !row.closesAt || row.drawnAt)
        throw conflict('not_rolling', 'this raffle is not taking taps now')
      roll = { eventId: event.id, closesAt: row.closesAt.getTime(), tapped: new Set() }
      this.rolling.set(raffleId, roll)
    }
    if (now >= roll.closesAt) {
      this.rolling.delete(raffleId)
      throw conflict('not_rolling', 'this raffle is not taking taps now')
    }
    if (roll.tapped.has(number)) return { counted: false }
    const inserted = await this.db
      .insert(raffleTaps)
      .values({ raffleId, number, nonce, at: new Date(now) })
      .onConflictDoNothing()
      .returning({ number: raffleTaps.number })
    roll.tapped.add(number)
    return { counted: inserted.length > 0 }
  }

  /** Why a pick cannot take a prize now (revoked since the commit, or has won an excluded raffle since). */
  private async skipper(row: RaffleRow): Promise<(n: number) => string | null> {
    const active = new Set(await this.counters.checkedIn(row.eventId))
    const won = await this.excludedWinners(row.eventId, row.rules, row.id)
    return (n) => (!active.has(n) ? 'revoked' : won.has(n) ? 'already_won' : null)
  }

  /** Draws every tier at once; commits first (with no drum roll) if the host did not. */
  async drawRaffle(event: EventRecord, raffleId: number, now = Date.now()): Promise<Raffle> {
    let row = await this.row(event, raffleId)
    if (row.drawnAt) throw conflict('already_drawn', 'this raffle has been drawn already')
    if (!row.committedAt) {
      await this.commit(event, raffleId, { rollMs: 0 }, now)
      row = await this.row(event, raffleId)
    }
    this.rolling.delete(raffleId)
    const closesAt = row.closesAt!.getTime()
    // Taps accepted just before closesAt may still be on their way to Postgres: wait for them.
    const grace = closesAt > row.committedAt!.getTime() ? TAP_GRACE_MS : 0
    if (now < closesAt + grace)
      throw new ApiFailure(
        409,
        'drum_roll',
        `the drum roll ends in ${Math.ceil((closesAt - now) / 1000)} s`,
        undefined,
        {
          'retry-after': String(Math.ceil((closesAt - now) / 1000)),
        },
      )
    const pool = row.pool!
    const tapRows = await this.db
      .select({ number: raffleTaps.number, nonce: raffleTaps.nonce })
      .from(raffleTaps)
      .where(and(eq(raffleTaps.raffleId, raffleId), lt(raffleTaps.at, row.closesAt!)))
    const entropy = tapsEntropy(tapRows)
    const picker = new Picker(pool, drawKey(row.seed!, row.listHash!, entropy))
    const { picks } = fillSlots(picker, prizeSlots(prizesOf(row)), await this.skipper(row))
    const drawnAt = new Date(Math.max(now, closesAt))
    const taps = tapRows.map((t) => ({ number: t.number, nonce: t.nonce })).sort((a, b) => a.number - b.number)
    const winners = picks.filter((p) => p.outcome === 'winner')
    await this.db.transaction(async (tx) => {
      const claimed = await tx
        .update(raffles)
        .set({ drawnAt, entropy, taps })
        .where(and(eq(raffles.id, raffleId), isNull(raffles.drawnAt)))
        .returning({ id: raffles.id })
      if (!claimed.length) throw conflict('already_drawn', 'this raffle has been drawn already')
      await this.insertPicks(tx, raffleId, picks, drawnAt)
      await tx.insert(auditLog).values({
        eventId: event.id,
        action: 'raffle.draw',
        detail: { raffleId, winners: winners.map((w) => w.number), taps: tapRows.length, entropy },
      })
    })
    return this.publish(event, raffleId)
  }

  private async insertPicks(tx: Tx, raffleId: number, picks: Pick[], at: Date) {
    if (!picks.length) return
    await tx.insert(rafflePicks).values(
      picks.map((p) => ({
        raffleId,
        position: p.position,
        number: p.number,
        outcome: p.outcome,
        tier: p.tier,
        reason: p.reason ?? null,
        claimCode: p.outcome === 'winner' ? claimCode() : null,
        at,
      })),
    )
    const winners = picks.filter((p) => p.outcome === 'winner')
    if (winners.length)
      await tx
        .insert(raffleWinners)
        .values(winners.map((p) => ({ raffleId, number: p.number, position: p.position, tier: p.tier ?? 1 })))
  }

  /**
   * The host marks a winner absent: the pick stays on record as a no-show and the next
   * pick of the same stream (from the same frozen list) takes the same prize.
   */
  async noShow(event: EventRecord, raffleId: number, number: number, now = Date.now()) {
    const row = await this.row(event, raffleId)
    if (!row.drawnAt) throw conflict('not_drawn', 'this raffle has not been drawn yet')
    const skip = await this.skipper(row)
    const result = await this.db.transaction(async (tx) => {
      // One no-show at a time per raffle, whichever instance it reaches.
      await tx.select({ id: raffles.id }).from(raffles).where(eq(raffles.id, raffleId)).for('update')
      const picks = await this.picksOf(raffleId, tx)
      const pick = picks.find((p) => p.number === number && p.outcome !== 'skipped')
      if (!pick) throw notFound('winner')
      if (pick.outcome === 'no_show') throw conflict('already_no_show', `#${number} is marked absent already`)
      if (pick.claimedAt) throw conflict('already_claimed', `#${number} has claimed the prize`)
      const noShowSeq = picks.filter((p) => p.outcome === 'no_show').length
      await tx
        .update(rafflePicks)
        .set({ outcome: 'no_show', noShowSeq })
        .where(and(eq(rafflePicks.raffleId, raffleId), eq(rafflePicks.position, pick.position)))
      await tx.delete(raffleWinners).where(and(eq(raffleWinners.raffleId, raffleId), eq(raffleWinners.number, number)))
      const picker = resumePicker(row.pool!, drawKey(row.seed!, row.listHash!, row.entropy!), picks.length)
      const more = fillSlots(picker, [pick.tier ?? 1], skip).picks
      await this.insertPicks(tx, raffleId, more, new Date(now))
      const replacement = more.find((p) => p.outcome === 'winner') ?? null
      await tx.insert(auditLog).values({
        eventId: event.id,
        action: 'raffle.no_show',
        detail: { raffleId, number, noShowSeq, replacement: replacement?.number ?? null },
      })
      return { pick, replacement }
    })
    await this.publish(event, raffleId)
    const names = new Map(prizesOf(row).map((p) => [p.tier, p.name]))
    const r = result.replacement
    return {
      noShow: number,
      replacement: r ? { number: r.number, tier: r.tier ?? 1, prize: names.get(r.tier ?? 1) ?? row.name } : null,
    }
  }

  /** The host checks a winner's claim code and marks the prize handed over. */
  async claim(event: EventRecord, raffleId: number, code: string, now = Date.now()) {
    const row = await this.row(event, raffleId)
    const [pick] = await this.db
      .select()
      .from(rafflePicks)
      .where(and(eq(rafflePicks.raffleId, raffleId), eq(rafflePicks.claimCode, normaliseClaimCode(code))))
    if (!pick) throw notFound('claim code')
    if (pick.outcome !== 'winner') throw notFound('claim code')
    if (pick.claimedAt) throw conflict('already_claimed', `#${pick.number} claimed this prize already`)
    const claimedAt = new Date(now)
    const done = await this.db
      .update(rafflePicks)
      .set({ claimedAt })
      .where(
        and(eq(rafflePicks.raffleId, raffleId), eq(rafflePicks.position, pick.position), isNull(rafflePicks.claimedAt)),
      )
      .returning({ position: rafflePicks.position })
    if (!done.length) throw conflict('already_claimed', `#${pick.number} claimed this prize already`)
    await audit(this.db, event.id, 'raffle.claim', { raffleId, number: pick.number })
    const prize = prizesOf(row).find((p) => p.tier === pick.tier)
    return { number: pick.number, tier: pick.tier ?? 1, prize: prize?.name ?? row.name, claimedAt: now }
  }

  /** A guest's own prizes, with the claim codes to show the host. */
  async winsOf(event: EventRecord, number: number) {
    const rows = await this.db
      .select({ pick: rafflePicks, raffle: raffles })
      .from(rafflePicks)
      .innerJoin(raffles, eq(raffles.id, rafflePicks.raffleId))
      .where(and(eq(raffles.eventId, event.id), eq(rafflePicks.number, number), eq(rafflePicks.outcome, 'winner')))
      .orderBy(asc(raffles.id))
    return rows.map(({ pick, raffle }) => ({
      raffleId: raffle.id,
      name: raffle.name,
      tier: pick.tier ?? 1,
      prize: prizesOf(raffle).find((p) => p.tier === pick.tier)?.name ?? raffle.name,
      claimCode: pick.claimCode ?? '',
      claimed: pick.claimedAt !== null,
    }))
  }

  /** The public proof: hashes from the commit on, the seed and everything else after the draw. */
  async proof(event: EventRecord, raffleId: number): Promise<RaffleProof> {
    const row = await this.row(event, raffleId)
    const state = stateOf(row)
    const drawn = state === 'drawn' && row.pool !== null
    const prizes = prizesOf(row)
    const picks = drawn ? await this.picksOf(raffleId) : []
    const taps: Tap[] | null = drawn ? (row.taps ?? []) : null
    const names = new Map(prizes.map((p) => [p.tier, p.name]))
    return {
      version: PROOF_VERSION,
      algorithm: 'glowband-raffle-v1',
      event: event.slug,
      raffle: { id: row.id, name: row.name },
      state,
      rules: { ...row.rules },
      prizes,
      list: row.pool,
      eligible: row.pool ? row.pool.length : null,
      listHash: row.listHash,
      commitment: row.commitment,
      committedAt: row.committedAt ? row.committedAt.getTime() : null,
      closesAt: row.closesAt ? row.closesAt.getTime() : null,
      seed: drawn ? row.seed : null,
      taps,
      entropy: drawn ? row.entropy : null,
      drawnAt: row.drawnAt ? row.drawnAt.getTime() : null,
      picks: picks.map((p) => {
        const out: Pick = { position: p.position, number: p.number, outcome: p.outcome, tier: p.tier }
        if (p.reason) out.reason = p.reason
        if (p.noShowSeq !== null) out.noShowSeq = p.noShowSeq
        return out
      }),
      winners: picks
        .filter((p) => p.outcome === 'winner')
        .map((p) => ({
          tier: p.tier ?? 1,
          prize: names.get(p.tier ?? 1) ?? row.name,
          number: p.number,
          position: p.position,
        })),
    }
  }

  /** Winners, no-shows, passed-over picks and claims as CSV. */
  async exportCsv(event: EventRecord, raffleId: number): Promise<string> {
    const row = await this.row(event, raffleId)
    const names = new Map(prizesOf(row).map((p) => [p.tier, p.name]))
    const quote = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s)
    const lines = ['position,number,tier,prize,outcome,reason,no_show_order,claim_code,claimed_at']
    for (const p of await this.picksOf(raffleId)) {
      lines.push(
        [
          p.position,
          p.number,
          p.tier ?? '',
          quote(p.tier ? (names.get(p.tier) ?? '') : ''),
          p.outcome,
          p.reason ?? '',
          p.noShowSeq ?? '',
          p.claimCode ?? '',
          p.claimedAt ? p.claimedAt.toISOString() : '',
        ].join(','),
      )
    }
    return `${lines.join('\n')}\n`
  }
}
