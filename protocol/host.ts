/**
 * What the host API and the operator API answer, shared by the server (which declares
 * these as each route's response schema, so /openapi.json shows them) and the admin page.
 */
import { z } from 'zod'
import { raffleSchema, showSchema } from './index.ts'

export const okSchema = z.object({ ok: z.literal(true) })

export const createdPollSchema = z.object({
  id: z.number().int(),
  /** The interaction kind (choice, rating, words, text). */
  kind: z.string().optional(),
  question: z.string(),
  options: z.array(z.object({ id: z.number().int(), label: z.string() })),
})
export type CreatedPoll = z.infer<typeof createdPollSchema>

export const pollOrderSchema = z.object({ ids: z.array(z.number().int()) })

export const pollStateResultSchema = createdPollSchema.extend({
  kind: z.string(),
  open: z.boolean(),
  closed: z.boolean(),
})

/** An open-text answer as the host moderates it. */
export const textAnswerAdminSchema = z.object({
  number: z.number().int(),
  text: z.string(),
  state: z.enum(['visible', 'held', 'hidden']),
  at: z.number(),
})
export type TextAnswerAdmin = z.infer<typeof textAnswerAdminSchema>

export const messageModerationResultSchema = z.object({
  id: z.number().int(),
  state: z.enum(['hidden', 'visible']),
})

export const raffleRulesSchema = z.object({ excludePreviousWinners: z.boolean() })
export const hostRaffleSchema = raffleSchema.extend({ winnersWanted: z.number().int(), rules: raffleRulesSchema })
export type HostRaffle = z.infer<typeof hostRaffleSchema>

export const wristbandBatchSummarySchema = z.object({
  label: z.string(),
  firstNumber: z.number().int(),
  count: z.number().int(),
  /** ISO 8601. */
  createdAt: z.string(),
  revoked: z.number().int(),
})
export type WristbandBatch = z.infer<typeof wristbandBatchSummarySchema>

export const createdBatchSchema = z.object({
  batchId: z.number().int(),
  label: z.string(),
  firstNumber: z.number().int(),
  wristbands: z.array(z.object({ number: z.number().int(), code: z.string() })),
})
export const revokeResultSchema = z.object({ revoked: z.number().int() })

export const attendeeSchema = z.object({ number: z.number().int(), at: z.number() })

/** What Postgres holds for an event: the flushed truth, not the live counters. */
export const eventStatsSchema = z.object({
  wristbands: z.number().int(),
  revoked: z.number().int(),
  checkins: z.number().int(),
  messages: z.number().int(),
  hidden: z.number().int(),
  /** pollId -> optionId -> votes. */
  polls: z.record(z.string(), z.record(z.string(), z.number().int())),
  queueDepth: z.number().int(),
})

export const cueSheetStoredSchema = z.object({ hash: z.string(), url: z.string() })
export const showStoppedSchema = z.object({ show: z.null() })
export { showSchema }

/** `GET /api/events/:slug`: what a phone or the screen needs to know about the event. */
export const publicEventSchema = z.object({
  slug: z.string(),
  name: z.string(),
  joinUrl: z.string(),
  maxMessageLength: z.number().int(),
  premoderate: z.boolean(),
})
export type PublicEvent = z.infer<typeof publicEventSchema>

// ---- the operator API (the glowband CLI talking to an embedded server) ----

export const eventSummarySchema = z.object({
  slug: z.string(),
  name: z.string(),
  status: z.string(),
  wristbands: z.number().int(),
  revoked: z.number().int(),
  checkedIn: z.number().int(),
})
export const createdEventSchema = z.object({
  event: z.object({ slug: z.string(), name: z.string(), status: z.string() }),
  /** Printed once; only its hash is stored. */
  hostSecret: z.string(),
})
export const revokedNumbersSchema = z.object({ revoked: z.array(z.number().int()) })
export const batchExportSchema = z.object({
  label: z.string(),
  firstNumber: z.number().int(),
  wristbands: z.array(z.object({ number: z.number().int(), code: z.string() })),
  revoked: z.number().int(),
})
