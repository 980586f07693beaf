/**
 * The wire protocol, version 1: the snapshot, the delta, the request bodies and the
 * one function that applies a delta to a snapshot. The server and the client import
 * this module and nothing else from each other, so both sides always agree.
 * docs/protocol.md describes it for people writing their own clients.
 */
import { z } from 'zod'
import { actionIdSchema } from './action-id.ts'
import { MESSAGE_MAX_CHARS, WORD_MAX_CHARS, WORDS_PER_GUEST } from './constants.ts'
import { heldQuestionSchema, ownQuestionSchema, questionSchema, reactionCountsSchema } from './engagement.ts'
import { statusSchema } from './event.ts'
import { quizField } from './quiz.ts'
import { defaultScreenState, screenStateSchema } from './screen.ts'

export const PROTOCOL_VERSION = 1

export { applyDelta, byPosition } from './apply-delta.ts'
export { DANMAKU_KEPT, MESSAGE_MAX_CHARS, WORD_MAX_CHARS, WORDS_PER_GUEST } from './constants.ts'
export * from './engagement.ts'
export * from './event.ts'
export * from './quiz.ts'
export * from './screen.ts'

export const pollOptionSchema = z.object({ id: z.number().int(), label: z.string(), votes: z.number().int() })
/** The interaction kinds a poll can be (server/interactions/kinds; docs/protocol.md describes each). */
export const pollKinds = ['choice', 'rating', 'words', 'text'] as const
export type PollKind = (typeof pollKinds)[number]
/** A rating's scale and its live result; the distribution is the poll's `options` (one per value). */
export const ratingViewSchema = z.object({
  min: z.number().int(),
  max: z.number().int(),
  /** Mean of the answers, rounded to 2 decimals; null before the first one (or while results are hidden). */
  average: z.number().nullable(),
})
/** A word cloud's top words (at most WORDS_KEPT), most given first. */
export const wordCountSchema = z.object({ text: z.string(), count: z.number().int() })
/** An open answer, shown as a card; newest first, at most TEXT_ANSWERS_KEPT. */
export const textAnswerSchema = z.object({ number: z.number().int(), text: z.string(), at: z.number() })
export const pollSchema = z.object({
  id: z.number().int(),
  /** The interaction kind; `choice` picks up to `maxChoices` options. */
  kind: z.enum(pollKinds),
  question: z.string(),
  open: z.boolean(),
  /** true once the host closed it; a closed poll keeps its final counts. A draft poll is neither open nor closed. */
  closed: z.boolean(),
  maxChoices: z.number().int().min(1),
  /** A choice poll's options; a rating's values (label is the value), each with its count. */
  options: z.array(pollOptionSchema),
  /** Wristbands that answered (every kind; a choice poll only with hideResults). Shown even while results are hidden. */
  responses: z.number().int().optional(),
  /**
   * Set when the host hides results until revealing them. Until `revealed`, the public view
   * carries no counts (votes 0, no average, no words or answers); the host stream has them in `admin.results`.
   */
  hideResults: z.boolean().optional(),
  revealed: z.boolean().optional(),
  /** The host's order of polls (lower first; then by id). */
  position: z.number().int().optional(),
  rating: ratingViewSchema.optional(),
  words: z.array(wordCountSchema).optional(),
  answers: z.array(textAnswerSchema).optional(),
})
export type Poll = z.infer<typeof pollSchema>

export const danmakuSchema = z.object({ id: z.number().int(), text: z.string(), number: z.number().int() })
export type Danmaku = z.infer<typeof danmakuSchema>

/**
 * A raffle as everyone sees it. `winners` are the current winners' public numbers in
 * draw order; the rest follows the verifiable draw (docs/raffles.md): from the commit on,
 * the list hash and the seed commitment are public; the seed only after the draw.
 */
export const raffleSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  winners: z.array(z.number().int()),
  drawnAt: z.number().nullable(),
  /** `open` (rules live, nothing frozen), `committed` (list frozen, drum roll), `drawn`. */
  state: z.enum(['open', 'committed', 'drawn']).optional(),
  /** Prize tiers, with each tier's current winners. */
  prizes: z
    .array(
      z.object({
        tier: z.number().int(),
        name: z.string(),
        count: z.number().int(),
        winners: z.array(z.number().int()),
      }),
    )
    .optional(),
  /** How many numbers are on the frozen list (from the commit on). */
  eligible: z.number().int().nullable().optional(),
  listHash: z.string().nullable().optional(),
  commitment: z.string().nullable().optional(),
  /** Epoch ms when the drum roll (and the taps) end. */
  closesAt: z.number().nullable().optional(),
  /** Revealed by the draw. */
  seed: z.string().nullable().optional(),
  /** Wristbands marked absent, by the order they were marked in. */
  noShows: z.array(z.number().int()).optional(),
})
export type Raffle = z.infer<typeof raffleSchema>

export const showSchema = z.object({
  /** Content-hashed cue sheet URL; long-cached. */
  cueSheet: z.string(),
  /** Server epoch ms at which cue time 0 happens. */
  startAt: z.number(),
})
export type Show = z.infer<typeof showSchema>

export const snapshotSchema = z.object({
  v: z.literal(PROTOCOL_VERSION),
  seq: z.number().int().min(0),
  status: statusSchema,
  message: z.string(),
  checkins: z.number().int(),
  polls: z.array(pollSchema),
  /** Most recent visible danmaku, oldest first. */
  danmaku: z.array(danmakuSchema),
  raffles: z.array(raffleSchema),
  show: showSchema.nullable(),
  /** The top of the Q&A board (at most QUESTIONS_KEPT), in `questionOrder`. */
  questions: z.array(questionSchema),
  /** What the host has the big screen show (absent from snapshots made before it existed: `auto`). */
  screen: screenStateSchema.optional(),
  /** The quiz question started last, its reveal and the leaderboard (protocol/quiz.ts); absent before any. */
  quiz: quizField,
})
export type Snapshot = z.infer<typeof snapshotSchema>

/** Host-only part of the admin stream. */
export const heldMessageSchema = danmakuSchema.extend({ at: z.number() })
export const adminViewSchema = z.object({
  held: z.array(heldMessageSchema),
  recentCheckins: z.array(z.object({ number: z.number().int(), at: z.number() })),
  /** Full views of the polls whose results the public view hides (hideResults, not yet revealed). */
  results: z.array(pollSchema).optional(),
  /** Questions waiting for a host (pre-moderation), oldest first. */
  heldQuestions: z.array(heldQuestionSchema).optional(),
})
export type AdminView = z.infer<typeof adminViewSchema>

/**
 * Everything that changed in one tick. Fields that did not change are absent.
 * `polls` carries whole polls (new or changed), matched by id.
 */
export const deltaSchema = z.object({
  seq: z.number().int().min(1),
  status: statusSchema.optional(),
  message: z.string().optional(),
  checkins: z.number().int().optional(),
  polls: z.array(pollSchema).optional(),
  removedPolls: z.array(z.number().int()).optional(),
  danmaku: z.array(danmakuSchema).optional(),
  removedDanmaku: z.array(z.number().int()).optional(),
  raffles: z.array(raffleSchema).optional(),
  show: showSchema.nullable().optional(),
  admin: adminViewSchema.optional(),
  /** Questions new to the top of the board or changed (votes, pin, answered), matched by id. */
  questions: z.array(questionSchema).optional(),
  /** Questions that left the top of the board (hidden, or outranked). */
  removedQuestions: z.array(z.number().int()).optional(),
  /** Reactions tapped since the last tick: emoji -> taps. Not kept in the snapshot. */
  reactions: reactionCountsSchema.optional(),
  screen: screenStateSchema.optional(),
  /** The quiz view, whole, when it changed. */
  quiz: quizField,
})
export type Delta = z.infer<typeof deltaSchema>

export const emptySnapshot = (): Snapshot => ({
  v: PROTOCOL_VERSION,
  seq: 0,
  status: 'live',
  message: '',
  checkins: 0,
  polls: [],
  danmaku: [],
  raffles: [],
  show: null,
  questions: [],
  screen: defaultScreenState(),
})

/** Stream response to the polling endpoint `GET .../snapshot?since=SEQ`. */
export const pollResponseSchema = z.union([
  z.object({ type: z.literal('snapshot'), snapshot: snapshotSchema }),
  z.object({ type: z.literal('deltas'), seq: z.number().int(), deltas: z.array(deltaSchema) }),
])
export type PollResponse = z.infer<typeof pollResponseSchema>

// ---- request bodies (the server validates with these; the client builds them) ----

export { actionIdSchema }

export const checkinBodySchema = z.object({ code: z.string().min(1).max(64) })
/** Bound on a text answer's body in UTF-16 units (its visible length is checked against the event's limit). */
const MESSAGE_MAX_CHARS_BODY = 200 * 4
/** The fields an answer comes in: one per kind (choice takes either of its two). */
export const answerFields = ['optionId', 'optionIds', 'value', 'words', 'text'] as const
/**
 * An answer to a poll, in the field of its kind: `optionId` or `optionIds` (choice),
 * `value` (rating), `words` (word cloud), `text` (open text). Exactly one of them.
 */
export const voteBodySchema = z
  .object({
    pollId: z.number().int().positive(),
    optionId: z.number().int().positive().optional(),
    optionIds: z.array(z.number().int().positive()).min(1).max(12).optional(),
    value: z.number().int().min(-1000).max(1000).optional(),
    words: z
      .array(z.string().max(WORD_MAX_CHARS * 4))
      .min(1)
      .max(WORDS_PER_GUEST)
      .optional(),
    text: z.string().max(MESSAGE_MAX_CHARS_BODY).optional(),
    actionId: actionIdSchema.optional(),
  })
  .refine((b) => answerFields.filter((f) => b[f] !== undefined).length === 1, {
    message: 'give exactly one of optionId, optionIds, value, words or text',
    path: ['optionId'],
  })
export type VoteBody = z.infer<typeof voteBodySchema>
export const messageBodySchema = z.object({
  text: z.string().max(MESSAGE_MAX_CHARS * 4),
  actionId: actionIdSchema.optional(),
})

export const meSchema = z.object({
  number: z.number().int(),
  /** pollId -> the option this wristband chose (the first, in a multiple-choice poll). */
  votes: z.record(z.string(), z.number().int()),
  /** pollId -> every option this wristband chose. */
  choices: z.record(z.string(), z.array(z.number().int())),
  /** pollId -> this wristband's answer to a rating (`value`), word cloud (`words`) or open text (`text`, with `held`). */
  answers: z
    .record(
      z.string(),
      z.object({
        value: z.number().int().optional(),
        words: z.array(z.string()).optional(),
        text: z.string().optional(),
        held: z.boolean().optional(),
      }),
    )
    .optional(),
  /** Prizes this wristband holds now (a no-show's replaced prize is not here); claim codes: `GET .../raffles/wins`. */
  wins: z.array(
    z.object({
      raffleId: z.number().int(),
      name: z.string(),
      tier: z.number().int(),
      prize: z.string(),
      claimed: z.boolean(),
    }),
  ),
  /** This wristband's own questions, newest first, with their moderation state. */
  questions: z.array(ownQuestionSchema),
  /** Ids of the questions this wristband upvoted. */
  upvoted: z.array(z.number().int()),
})
export type Me = z.infer<typeof meSchema>

export const voteResultSchema = z.object({ status: z.literal('accepted'), duplicate: z.boolean() })
export const messageResultSchema = z.object({
  status: z.literal('accepted'),
  id: z.number().int(),
  held: z.boolean(),
  duplicate: z.boolean(),
})

export const errorSchema = z.object({
  error: z.string(),
  message: z.string(),
  fields: z.record(z.string(), z.string()).optional(),
  /** On a 500 only: the id of the server's log line for it, to quote when reporting it. */
  errorId: z.string().optional(),
})
export type ApiError = z.infer<typeof errorSchema>

export const timeSchema = z.object({ serverTime: z.number(), status: statusSchema, message: z.string() })

/**
 * A colour that is safe to put inside a CSS gradient: a hex, a named colour or rgb()/hsl()
 * with numbers only, so a sheet cannot smuggle `url(...)` into a phone's background.
 */
export const cueColorSchema = z
  .string()
  .max(40)
  .regex(
    /^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20}|(rgb|hsl)a?\([0-9.,%\s/]+\))$/,
    'a CSS colour: #hex, a name, rgb() or hsl()',
  )

/**
 * Cue sheet: static JSON, content-hashed. Times are ms after `show.startAt`.
 *
 * Only `at` and `color` are required; everything else is optional and additive, so a
 * sheet written for an older version means the same thing today. The optional effects are
 * chosen to tolerate tens of ms of clock drift between phones: they glide (a fade, a slowly
 * turning gradient, drifting particles) instead of switching, and a cue's text is steady.
 * What they look like is client/src/lib/cues.ts; how they count against the flash limit is
 * protocol/cue-limits.ts.
 */
export const cueSchema = z.object({
  at: z.number().min(0),
  /** CSS colour the phones and the screen turn to (also the gradient's fallback). */
  color: z.string().max(32),
  /** At most 3 flashes a second: a sheet over it is refused at upload (cue-limits.ts), and clients cap it too. */
  effect: z.enum(['solid', 'pulse', 'flash']).default('solid'),
  durationMs: z.number().min(0).max(600_000).optional(),
  /** Glide from the previous look into this one over this many ms (a cross-fade) instead of switching. */
  fadeMs: z.number().min(0).max(60_000).optional(),
  /** A gradient across the screen instead of a flat colour; `turnMs` turns it slowly (one full turn). */
  gradient: z
    .object({
      colors: z.array(cueColorSchema).min(2).max(4),
      angle: z.number().min(0).max(360).optional(),
      turnMs: z.number().min(4000).max(600_000).optional(),
    })
    .optional(),
  /** A few soft dots drifting across the light (at most 24: cheap on a phone); none under reduced motion. */
  particles: z
    .object({
      count: z.number().int().min(1).max(24).optional(),
      color: cueColorSchema.optional(),
      direction: z.enum(['up', 'down']).optional(),
    })
    .optional(),
  /** A few words shown big over the light (steady: text never flashes). */
  text: z.string().max(60).optional(),
})
export type Cue = z.infer<typeof cueSchema>
export const cueSheetSchema = z.object({ name: z.string().max(100), cues: z.array(cueSchema).max(10_000) })
export type CueSheet = z.infer<typeof cueSheetSchema>
