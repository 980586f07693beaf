/** Raffles: the host creates one, then draws its winners among the checked-in. */
import { randomInt } from 'node:crypto'
import { and, asc, eq, isNull } from 'drizzle-orm'
import { auditLog, type RaffleRules, raffles, raffleWinners } from '../../../db/schema.ts'
import type { Raffle } from '../../../protocol/index.ts'
import type { Database } from '../../database/connect.ts'
import type { EventRecord } from '../../events/directory.ts'
import { conflict, notFound } from '../../http/errors.ts'
import type { LiveCounters } from '../../live/counters/types.ts'
import { audit } from '../audit.ts'

export class RaffleService {
  constructor(
    private db: Database,
    private counters: LiveCounters,
  ) {}

  async createRaffle(event: EventRecord, input: { name: string; winners: number; rules: RaffleRules }) {
    const [row] = await this.db
      .insert(raffles)
      .values({ eventId: event.id, name: input.name, winners: input.winners, rules: input.rules })
      .returning()
    await audit(this.db, event.id, 'raffle.create', { raffleId: row.id })
    const raffle: Raffle = { id: row.id, name: row.name, winners: [], drawnAt: null }
    await this.counters.putRaffle(event.id, raffle)
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
    let candidates = await this.counters.checkedIn(event.id)
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
    await this.counters.putRaffle(event.id, raffle)
    return raffle
  }
}
