/** The shapes of the light show requests. */
import { z } from 'zod'

export const CUE_SHEET_HASH = /^[0-9a-f]{20}$/

export const showBodySchema = z.object({
  cueSheet: z.string().regex(CUE_SHEET_HASH, 'a cue sheet hash from POST .../cue-sheets'),
  /** Start this many ms from now (default 5 s, so every phone has time to fetch the sheet). */
  startInMs: z.number().int().min(0).max(3_600_000).default(5000),
})
