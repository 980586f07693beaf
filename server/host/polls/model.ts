/** The shapes of the polls feature's requests. */
import { z } from 'zod'

export const createPollSchema = z.object({
  question: z.string().trim().min(1).max(200),
  options: z.array(z.string().trim().min(1).max(100)).min(2).max(12),
  /** How many options a guest may pick (1, the default: a single-choice poll). */
  maxChoices: z.number().int().min(1).max(12).optional(),
})
