import { z } from 'zod'

/** Client-chosen id that makes a retried action safe: a repeat changes nothing. */
export const actionIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 letters, digits, _ or -')
