/** Path and query parameters the route modules share. */
import { z } from 'zod'
import { SLUG_PATTERN } from '../events/directory.ts'

export const slugParams = z.object({ slug: z.string().regex(SLUG_PATTERN, 'not an event slug') })
export const idParams = slugParams.extend({
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1),
})

/** Parses a non-negative integer sequence number (Last-Event-ID, ?since=), or null. */
export function parseSeq(value: string | null | undefined): number | null {
  if (!value || !/^\d{1,15}$/.test(value)) return null
  return Number(value)
}
