/** The shapes of the raffle requests, built on the raffles table's own schema. */
import { z } from 'zod'
import { raffleInsertSchema } from '../../../db/validation.ts'

export const raffleBodySchema = z.object({
  name: raffleInsertSchema.shape.name,
  winners: raffleInsertSchema.shape.winners,
  rules: z.object({ excludePreviousWinners: z.boolean().default(true) }).default({ excludePreviousWinners: true }),
})
