/** The shapes of the polls feature's requests, built on the polls table's own schemas. */
import { z } from 'zod'
import { pollInsertSchema, pollOptionInsertSchema } from '../../../db/validation.ts'
import { pollKinds } from '../../../protocol/index.ts'

/** A rating's scale: from 0 or 1 up to at most 10 (stars 1-5, NPS 0-10). */
export const scaleSchema = z
  .object({ min: z.number().int().min(0).max(1), max: z.number().int().min(2).max(10) })
  .refine((s) => s.max > s.min, { message: 'max must be above min', path: ['max'] })

const pollFields = {
  question: pollInsertSchema.shape.question,
  /** The interaction kind: `choice` (the default), `rating`, `words` or `text`. */
  kind: z.enum(pollKinds).optional(),
  /** A choice poll's options (2-12); other kinds take none. */
  options: z.array(pollOptionInsertSchema.shape.label).max(12).optional(),
  /** How many options a guest may pick (1, the default: a single-choice poll). */
  maxChoices: z.number().int().min(1).max(12).optional(),
  /** A rating's scale (default 1-5). */
  scale: scaleSchema.optional(),
  /** Keep results off the public stream and the screen until the host reveals them. */
  hideResults: z.boolean().optional(),
}

/** Fields of one kind only, and options only where they belong. */
function checkKindFields(
  b: { kind?: string; options?: string[]; maxChoices?: number; scale?: unknown },
  ctx: z.RefinementCtx,
) {
  const kind = b.kind ?? 'choice'
  if (kind === 'choice') {
    if (!b.options || b.options.length < 2) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'a choice poll needs 2-12 options' })
    } else if (b.maxChoices !== undefined && b.maxChoices > b.options.length) {
      ctx.addIssue({ code: 'custom', path: ['maxChoices'], message: 'at most as many as there are options' })
    }
  } else if (b.options?.length) {
    ctx.addIssue({ code: 'custom', path: ['options'], message: `a ${kind} poll takes no options` })
  }
  if (kind !== 'choice' && b.maxChoices !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['maxChoices'], message: 'only a choice poll takes maxChoices' })
  }
  if (kind !== 'rating' && b.scale !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['scale'], message: 'only a rating takes a scale' })
  }
}

export const createPollSchema = z.object(pollFields).superRefine(checkKindFields)
export type CreatePoll = z.infer<typeof createPollSchema>

export const reorderPollsSchema = z.object({
  /** Every poll of the event, once each, in the order wanted. */
  ids: z.array(z.number().int().positive()).max(1000),
})
