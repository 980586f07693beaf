/** The shapes of the raffle requests. */
import { z } from 'zod'

export const raffleBodySchema = z.object({
  name: z.string().trim().min(1).max(200),
  winners: z.number().int().min(1).max(1000),
  rules: z.object({ excludePreviousWinners: z.boolean().default(true) }).default({ excludePreviousWinners: true }),
})
