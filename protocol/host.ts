/**
 * What the host API and the operator API answer, shared by the server (which declares
 * these as each route's response schema, so /openapi.json shows them) and the admin page.
 */
import { z } from 'zod'
import { raffleSchema, showSchema } from './index.ts'
import { lookSchema } from './look.ts'

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

export const raffleRulesSchema = z.object({
  excludePreviousWinners: z.boolean(),
  excludeWinnersOf: z.array(z.number().int()).optional(),
  batches: z.array(z.string()).optional(),
  tookPartIn: z.array(z.number().int()).optional(),
  playedQuiz: z.array(z.number().int()).optional(),
})
export const hostWinnerSchema = z.object({
  number: z.number().int(),
  tier: z.number().int(),
  prize: z.string(),
  position: z.number().int(),
  claimCode: z.string(),
  /** Epoch ms, or null while unclaimed. */
  claimedAt: z.number().nullable(),
})
export type HostWinner = z.infer<typeof hostWinnerSchema>
export const hostRaffleSchema = raffleSchema.extend({
  winnersWanted: z.number().int(),
  rules: raffleRulesSchema,
  /** The winners with their claim codes (host only). */
  winnerDetails: z.array(hostWinnerSchema).optional(),
})
export type HostRaffle = z.infer<typeof hostRaffleSchema>

/** Who the raffle's rules let in right now (before the commit) or on the frozen list (after). */
export const raffleEligibleSchema = z.object({
  eligible: z.number().int(),
  checkedIn: z.number().int(),
  frozen: z.boolean(),
})
export const noShowResultSchema = z.object({
  noShow: z.number().int(),
  replacement: z.object({ number: z.number().int(), tier: z.number().int(), prize: z.string() }).nullable(),
})
export const claimResultSchema = z.object({
  number: z.number().int(),
  tier: z.number().int(),
  prize: z.string(),
  claimedAt: z.number(),
})
/** A guest's own prizes (`GET /api/events/:slug/raffles/wins`). */
export const guestWinsSchema = z.array(
  z.object({
    raffleId: z.number().int(),
    name: z.string(),
    tier: z.number().int(),
    prize: z.string(),
    claimCode: z.string(),
    claimed: z.boolean(),
  }),
)

export const wristbandBatchSummarySchema = z.object({
  label: z.string(),
  firstNumber: z.number().int(),
  count: z.number().int(),
  /** ISO 8601. */
  createdAt: z.string(),
  revoked: z.number().int(),
  /** Checked in (in Postgres) and not revoked. */
  checkedIn: z.number().int().optional(),
  /** Checked in, then revoked: the live check-in count still holds these. */
  revokedCheckedIn: z.number().int().optional(),
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
  /** 'auto', or the locale the host fixed for every page of this event. */
  language: z.string().optional(),
  /** The event's look as the host set it (protocol/look.ts); absent parts keep Glowband's own. */
  look: lookSchema.optional(),
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

// ---- attendees at a glance (the host page's list and check-in curve) ----

export const attendeeStates = ['all', 'in', 'out', 'revoked'] as const

export const attendeeListQuerySchema = z.object({
  /** A wristband number (exact, or the start of one) or part of a batch label. */
  q: z.string().trim().max(64).optional(),
  /** in: checked in (not revoked); out: not checked in (not revoked); revoked: revoked. */
  state: z.enum(attendeeStates).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
})

export const attendeeRowSchema = z.object({
  number: z.number().int(),
  batch: z.string(),
  /** Epoch ms of the check-in (as flushed to Postgres), or null. */
  checkedInAt: z.number().nullable(),
  revoked: z.boolean(),
})
export type AttendeeRow = z.infer<typeof attendeeRowSchema>

export const attendeeListSchema = z.object({
  /** Rows matching the search (all pages). */
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  rows: z.array(attendeeRowSchema),
})
export type AttendeeList = z.infer<typeof attendeeListSchema>

export const checkinCurveQuerySchema = z.object({
  /** Bucket width in minutes (1 by default). */
  bucket: z.coerce.number().int().min(1).max(60).default(1),
})

export const checkinCurveSchema = z.object({
  bucketMs: z.number().int(),
  /** Epoch ms of the first and last bucket (null when no one has checked in). */
  from: z.number().nullable(),
  to: z.number().nullable(),
  batches: z.array(
    z.object({
      label: z.string(),
      /** Wristbands of the batch that still work (issued less revoked). */
      wristbands: z.number().int(),
      /** Checked in and not revoked: the curve's last value. */
      checkedIn: z.number().int(),
      /** Cumulative check-ins (revoked wristbands left out) at the end of each bucket that had any. */
      points: z.array(z.object({ at: z.number(), total: z.number().int() })),
    }),
  ),
})
export type CheckinCurve = z.infer<typeof checkinCurveSchema>
