/** What the host's Q&A and moderation routes take and answer. */
import { z } from 'zod'

export const questionChangeSchema = z
  .object({
    state: z.enum(['visible', 'hidden']).optional(),
    pinned: z.boolean().optional(),
    answered: z.boolean().optional(),
  })
  .refine((c) => c.state !== undefined || c.pinned !== undefined || c.answered !== undefined, {
    message: 'give state, pinned or answered',
    path: ['state'],
  })

export const hostQuestionSchema = z.object({
  id: z.number().int(),
  number: z.number().int(),
  text: z.string(),
  state: z.enum(['held', 'visible', 'hidden']),
  pinned: z.boolean(),
  answered: z.boolean(),
  at: z.number(),
})

/** Bulk moderation of messages or questions: approve (make visible) or hide. */
export const bulkModerationSchema = z.object({
  ids: z
    .array(
      z
        .number()
        .int()
        .positive()
        .max(2 ** 53 - 1),
    )
    .min(1)
    .max(500),
  action: z.enum(['approve', 'hide']),
})
export const bulkResultSchema = z.object({
  state: z.enum(['visible', 'hidden']),
  /** Ids changed (or already in that state). */
  done: z.array(z.number().int()),
  /** Ids this event does not know (or no longer holds live). */
  unknown: z.array(z.number().int()),
})

export const banParams = z.object({
  slug: z.string(),
  number: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1),
})
export const banSchema = z.object({ number: z.number().int(), banned: z.boolean() })
export const banListSchema = z.object({ bans: z.array(z.object({ number: z.number().int(), at: z.number() })) })
