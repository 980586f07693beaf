/** The shapes of the wristband batch requests (the host page's and the CLI's), built on the batches table's schema. */
import { z } from 'zod'
import { wristbandBatchInsertSchema } from '../../../db/validation.ts'

export const wristbandBatchSchema = z.object({
  count: wristbandBatchInsertSchema.shape.count,
  label: wristbandBatchInsertSchema.shape.label.optional(),
  startNumber: wristbandBatchInsertSchema.shape.firstNumber.optional(),
  add: z.boolean().default(false),
})

export const revokeSchema = z
  .object({
    numbers: z.array(z.number().int().positive()).min(1).max(200_000).optional(),
    batch: z.string().max(64).optional(),
  })
  .refine((b) => !!b.numbers !== (b.batch !== undefined), 'give either numbers or batch')
