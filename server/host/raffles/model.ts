/** The shapes of the raffle requests, built on the raffles table's own schema, and the public view of a raffle. */
import { z } from 'zod'
import type { RafflePrize, raffles } from '../../../db/schema.ts'
import { raffleInsertSchema } from '../../../db/validation.ts'
import type { Raffle } from '../../../protocol/index.ts'
import type { RaffleState } from '../../../protocol/raffle-proof.ts'

export const MAX_PRIZE_TIERS = 10
/** How long the drum roll lasts (and taps count) when the commit does not say. */
export const DEFAULT_ROLL_MS = 10_000
export const MAX_ROLL_MS = 120_000

export const raffleRulesBodySchema = z
  .object({
    excludePreviousWinners: z.boolean().default(true),
    excludeWinnersOf: z.array(z.number().int().positive()).max(100).optional(),
    batches: z.array(z.string().trim().min(1).max(64)).max(100).optional(),
    tookPartIn: z.array(z.number().int().positive()).max(20).optional(),
    /** Quizzes the wristband played: answered at least one question of each. */
    playedQuiz: z.array(z.number().int().positive()).max(20).optional(),
  })
  .default({ excludePreviousWinners: true })

export const prizeBodySchema = z.object({
  name: z.string().trim().min(1).max(100),
  count: z.number().int().min(1).max(1000),
})

export const raffleBodySchema = z
  .object({
    name: raffleInsertSchema.shape.name,
    /** One tier of this many prizes, named after the raffle (or give `prizes`). */
    winners: raffleInsertSchema.shape.winners.optional(),
    /** Prize tiers, grand prize first. */
    prizes: z.array(prizeBodySchema).min(1).max(MAX_PRIZE_TIERS).optional(),
    rules: raffleRulesBodySchema,
  })
  .refine((b) => b.winners !== undefined || b.prizes !== undefined, {
    message: 'give winners or prizes',
    path: ['winners'],
  })
  .refine((b) => (b.prizes ?? []).reduce((s, p) => s + p.count, 0) <= 1000, {
    message: 'at most 1000 prizes in one raffle',
    path: ['prizes'],
  })
export type RaffleBody = z.infer<typeof raffleBodySchema>

export const raffleRulesPreviewSchema = z.object({ rules: raffleRulesBodySchema })

export const commitBodySchema = z
  .object({
    /** The host's own seed; the server makes a random one (256 bits) when absent. */
    seed: z
      .string()
      .min(8)
      .max(200)
      .regex(/^[\x20-\x7e]+$/, 'printable ASCII only')
      .optional(),
    /** How long the drum roll lasts: guests' taps count until then. */
    rollMs: z.number().int().min(0).max(MAX_ROLL_MS).optional(),
  })
  .default({})

export const tapBodySchema = z.object({
  nonce: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '8-64 letters, digits, _ or -'),
})

export const claimBodySchema = z.object({ code: z.string().trim().min(4).max(32) })

export const numberParams = z.object({
  slug: z.string(),
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1),
  number: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1),
})

type RaffleRow = typeof raffles.$inferSelect

/** A raffle's tiers (raffles made before tiers have one, named after the raffle). */
export const prizesOf = (row: Pick<RaffleRow, 'prizes' | 'name' | 'winners'>): RafflePrize[] =>
  row.prizes?.length ? row.prizes : [{ tier: 1, name: row.name, count: row.winners }]

export const stateOf = (row: Pick<RaffleRow, 'committedAt' | 'drawnAt'>): RaffleState =>
  row.drawnAt ? 'drawn' : row.committedAt ? 'committed' : 'open'

/** What the snapshot says about a raffle; the one mapping the service and the start-up load share. */
export function publicRaffle(
  row: RaffleRow,
  winners: { number: number; tier: number }[],
  noShows: number[] = [],
): Raffle {
  const state = stateOf(row)
  return {
    id: row.id,
    name: row.name,
    winners: winners.map((w) => w.number),
    drawnAt: row.drawnAt ? row.drawnAt.getTime() : null,
    state,
    prizes: prizesOf(row).map((p) => ({
      ...p,
      winners: winners.filter((w) => w.tier === p.tier).map((w) => w.number),
    })),
    eligible: row.pool ? row.pool.length : null,
    listHash: row.listHash,
    commitment: row.commitment,
    closesAt: row.closesAt ? row.closesAt.getTime() : null,
    seed: state === 'drawn' ? row.seed : null,
    noShows,
  }
}
