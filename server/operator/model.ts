/** The shapes of the operator (CLI) requests. */
import { z } from 'zod'
import { SLUG_PATTERN } from '../events/directory.ts'
import { wristbandBatchSchema } from '../host/wristbands/model.ts'

export const operatorBatchSchema = wristbandBatchSchema.extend({ dryRun: z.boolean().default(false) })
export const operatorRevokeSchema = z
  .object({
    numbers: z.array(z.number().int().positive()).min(1).max(10_000).optional(),
    codes: z.array(z.string().max(64)).min(1).max(1000).optional(),
    batch: z.string().max(64).optional(),
  })
  .refine(
    (b) => [b.numbers, b.codes, b.batch].filter((v) => v !== undefined).length === 1,
    'give one of numbers, codes or batch',
  )

export const createEventSchema = z.object({
  name: z.string().trim().min(1, 'give the event a name').max(200),
  slug: z.string().regex(SLUG_PATTERN, 'use 1-48 lowercase letters, digits and dashes').optional(),
})
export type CreateEventInput = z.infer<typeof createEventSchema>
