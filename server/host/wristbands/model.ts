/** The shapes of the wristband batch requests (the host page's and the CLI's). */
import { z } from 'zod'

export const wristbandBatchSchema = z.object({
  count: z.number().int().min(1).max(200_000),
  label: z
    .string()
    .trim()
    .regex(/^[\w.-]{1,64}$/, 'use 1-64 letters, digits, _ . -')
    .optional(),
  startNumber: z.number().int().min(1).max(99_999_999).optional(),
  add: z.boolean().default(false),
})

export const revokeSchema = z
  .object({
    numbers: z.array(z.number().int().positive()).min(1).max(200_000).optional(),
    batch: z.string().max(64).optional(),
  })
  .refine((b) => !!b.numbers !== (b.batch !== undefined), 'give either numbers or batch')
