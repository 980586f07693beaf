/** The shapes of the polls feature's requests, built on the polls table's own schemas. */
import { z } from 'zod'
import { pollInsertSchema, pollOptionInsertSchema } from '../../../db/validation.ts'

export const createPollSchema = z.object({
  question: pollInsertSchema.shape.question,
  options: z.array(pollOptionInsertSchema.shape.label).min(2).max(12),
  /** How many options a guest may pick (1, the default: a single-choice poll). */
  maxChoices: z.number().int().min(1).max(12).optional(),
})
