/**
 * Q&A and reactions on the wire: what the snapshot and the delta carry about questions,
 * the one order every side sorts them in, and the fixed set of reactions.
 */
import { z } from 'zod'
import { actionIdSchema } from './action-id.ts'

import { QUESTION_MAX_CHARS, REACTIONS } from './constants.ts'

export { questionOrder } from './apply-delta.ts'
export { QUESTION_MAX_CHARS, QUESTIONS_KEPT, REACTIONS } from './constants.ts'

export const questionSchema = z.object({
  id: z.number().int(),
  text: z.string(),
  /** The asker's public wristband number. */
  number: z.number().int(),
  votes: z.number().int(),
  pinned: z.boolean(),
  answered: z.boolean(),
})
export type Question = z.infer<typeof questionSchema>

export const heldQuestionSchema = z.object({
  id: z.number().int(),
  text: z.string(),
  number: z.number().int(),
  at: z.number(),
})

export const reactionSchema = z.enum(REACTIONS)
/** Taps of each reaction since the last tick (only those tapped). */
export const reactionCountsSchema = z.record(z.string(), z.number().int().min(1))

export const questionBodySchema = z.object({
  text: z.string().max(QUESTION_MAX_CHARS * 4),
  actionId: actionIdSchema.optional(),
})
export const upvoteBodySchema = z.object({ actionId: actionIdSchema.optional() }).default({})
export const reactionBodySchema = z.object({ emoji: reactionSchema })

export const questionResultSchema = z.object({
  status: z.literal('accepted'),
  id: z.number().int(),
  held: z.boolean(),
  duplicate: z.boolean(),
})
export const upvoteResultSchema = z.object({
  status: z.literal('accepted'),
  duplicate: z.boolean(),
  upvoted: z.boolean(),
})
export const reactionResultSchema = z.object({ status: z.literal('accepted') })

/** One of this wristband's own questions, as `/me` shows it. */
export const ownQuestionSchema = z.object({
  id: z.number().int(),
  text: z.string(),
  state: z.enum(['held', 'visible', 'hidden']),
  pinned: z.boolean(),
  answered: z.boolean(),
})
