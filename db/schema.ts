/**
 * The Postgres data model. Postgres is the system of record; the counter layer
 * (server/live) holds the hot copy and the write queue that the flusher drains here.
 *
 * A wristband is identified inside an event by its public number, so guest rows
 * (check-ins, votes, messages, winners) key on (event_id, number) and every flush is
 * an idempotent upsert on that key.
 */
import { sql } from 'drizzle-orm'
import {
  bigint,
  bigserial,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core'
import type { EventSettings, Status } from '../protocol/event.ts'
import { statusSchema } from '../protocol/event.ts'
import type { Show } from '../protocol/index.ts'

export { defaultEventSettings, type EventSettings } from '../protocol/event.ts'
export const eventStatuses = statusSchema.options
export type EventStatus = Status

export const events = pgTable('events', {
  id: serial('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  status: text('status').$type<EventStatus>().notNull().default('live'),
  message: text('message').notNull().default(''),
  settings: jsonb('settings').$type<EventSettings>().notNull(),
  /** sha256 of the host secret; the secret itself is only ever printed once. */
  hostSecretHash: text('host_secret_hash').notNull(),
  /** The running light show, if any: cue sheet URL and its absolute start time. */
  show: jsonb('show').$type<Show | null>(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

export const wristbandBatches = pgTable(
  'wristband_batches',
  {
    id: serial('id').primaryKey(),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    label: text('label').notNull(),
    firstNumber: integer('first_number').notNull(),
    count: integer('count').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('wristband_batches_event_label').on(t.eventId, t.label)],
)

export const wristbands = pgTable(
  'wristbands',
  {
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    /** The secret code, kept so a lost sheet can be reprinted. */
    code: text('code').notNull(),
    /** What the counter layer looks codes up by (see server/host/wristbands/codes.ts). */
    codeHash: text('code_hash').notNull(),
    batchId: integer('batch_id')
      .notNull()
      .references(() => wristbandBatches.id, { onDelete: 'cascade' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.eventId, t.number] }),
    uniqueIndex('wristbands_event_code_hash').on(t.eventId, t.codeHash),
  ],
)

export const checkins = pgTable(
  'checkins',
  {
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.number] })],
)

export const pollStates = ['draft', 'open', 'closed'] as const
export type PollState = (typeof pollStates)[number]

export const polls = pgTable(
  'polls',
  {
    id: serial('id').primaryKey(),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    /** The interaction kind (server/interactions/kinds): how responses count and how results show. */
    kind: text('kind').notNull().default('choice'),
    question: text('question').notNull(),
    /** The kind's own settings (a choice poll's maxChoices, a rating's scale...). */
    config: jsonb('config').$type<Record<string, unknown>>().notNull().default({}),
    state: text('state').$type<PollState>().notNull().default('draft'),
    /** The host's order of polls (lower first, then by id); 0 until the host reorders. */
    position: integer('position').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('polls_event').on(t.eventId),
    // One Q&A board per event: the interaction every upvote is a response to.
    uniqueIndex('polls_event_qa_board').on(t.eventId).where(sql`kind = 'qa'`),
  ],
)

export const pollOptions = pgTable(
  'poll_options',
  {
    id: serial('id').primaryKey(),
    pollId: integer('poll_id')
      .notNull()
      .references(() => polls.id, { onDelete: 'cascade' }),
    label: text('label').notNull(),
    position: integer('position').notNull(),
  },
  (t) => [index('poll_options_poll').on(t.pollId)],
)

/**
 * Guests' responses to interactions (polls of every kind), one row per wristband and
 * slot (a sub-target such as a Q&A question; '' for the interaction itself). A response
 * taken back stays as a NULL row, so its revision still orders replays.
 */
export const responses = pgTable(
  'responses',
  {
    interactionId: integer('interaction_id')
      .notNull()
      .references(() => polls.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    slot: text('slot').notNull().default(''),
    eventId: integer('event_id').notNull(),
    response: jsonb('response'),
    /** Per-event revision from the counter layer: a replayed older response never overwrites a newer one. */
    rev: bigint('rev', { mode: 'number' }).notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.interactionId, t.number, t.slot] }), index('responses_event').on(t.eventId)],
)

export const messageStates = ['visible', 'held', 'hidden'] as const
export type MessageState = (typeof messageStates)[number]

export const messages = pgTable(
  'messages',
  {
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    /** Assigned by the counter layer, increasing per event. */
    id: bigint('id', { mode: 'number' }).notNull(),
    number: integer('number').notNull(),
    text: text('text').notNull(),
    state: text('state').$type<MessageState>().notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.id] })],
)

export const questionStates = ['held', 'visible', 'hidden'] as const
export type QuestionStateName = (typeof questionStates)[number]

/** Q&A questions; their upvotes are responses to the event's Q&A board (slot = question id). */
export const questions = pgTable(
  'questions',
  {
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    /** Assigned by the counter layer, increasing per event. */
    id: bigint('id', { mode: 'number' }).notNull(),
    number: integer('number').notNull(),
    text: text('text').notNull(),
    state: text('state').$type<QuestionStateName>().notNull(),
    pinned: boolean('pinned').notNull().default(false),
    answered: boolean('answered').notNull().default(false),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.id] })],
)

/** Wristbands a host banned from writing (danmaku, questions, answers): by number, so a new cookie changes nothing. */
export const writeBans = pgTable(
  'write_bans',
  {
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.number] })],
)

export interface RaffleRules {
  /** Leave out wristbands that hold a prize of any other raffle of this event. */
  excludePreviousWinners: boolean
  /** Leave out winners of these raffles only (overrides `excludePreviousWinners` when given). */
  excludeWinnersOf?: number[]
  /** Only wristbands of these batches (labels); all batches when absent or empty. */
  batches?: string[]
  /** Only wristbands that answered every one of these polls (interactions). */
  tookPartIn?: number[]
  /** Only wristbands that played every one of these quizzes (answered at least one question of each). */
  playedQuiz?: number[]
}

/** One prize tier of a raffle: tier 1 is drawn first (the grand prize), then 2, and so on. */
export interface RafflePrize {
  tier: number
  name: string
  count: number
}

export const raffles = pgTable(
  'raffles',
  {
    id: serial('id').primaryKey(),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** How many prizes in all (the sum of the tiers). */
    winners: integer('winners').notNull(),
    rules: jsonb('rules').$type<RaffleRules>().notNull(),
    /** The prize tiers; null on raffles made before tiers: one tier named after the raffle. */
    prizes: jsonb('prizes').$type<RafflePrize[]>(),
    /** The frozen eligible list (ascending public numbers), set by the commit. */
    pool: jsonb('pool').$type<number[]>(),
    listHash: text('list_hash'),
    /** SHA-256 of the seed: public from the commit on. */
    commitment: text('commitment'),
    /** Secret until the draw; public after it (in the proof). */
    seed: text('seed'),
    committedAt: timestamp('committed_at', { withTimezone: true }),
    /** Guests' taps count until this moment; the draw cannot happen before it. */
    closesAt: timestamp('closes_at', { withTimezone: true }),
    /** The taps the draw used (frozen with it; raffle_taps keeps every tap received). */
    taps: jsonb('taps').$type<{ number: number; nonce: string }[]>(),
    /** SHA-256 of the canonical taps, fixed by the draw. */
    entropy: text('entropy'),
    drawnAt: timestamp('drawn_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('raffles_event').on(t.eventId)],
)

/** The current winners (a no-show leaves this table; its pick stays in raffle_picks). */
export const raffleWinners = pgTable(
  'raffle_winners',
  {
    raffleId: integer('raffle_id')
      .notNull()
      .references(() => raffles.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    /** The pick's position in the draw's stream. */
    position: integer('position').notNull(),
    tier: integer('tier').notNull().default(1),
  },
  (t) => [primaryKey({ columns: [t.raffleId, t.number] })],
)

/** The guests' taps during a raffle's drum roll: one per wristband, the draw's entropy. */
export const raffleTaps = pgTable(
  'raffle_taps',
  {
    raffleId: integer('raffle_id')
      .notNull()
      .references(() => raffles.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    nonce: text('nonce').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.raffleId, t.number] })],
)

export const pickOutcomes = ['winner', 'no_show', 'skipped'] as const
export type PickOutcomeValue = (typeof pickOutcomes)[number]

/** Every pick a draw made, in stream order: winners, no-shows and passed-over numbers. Never deleted. */
export const rafflePicks = pgTable(
  'raffle_picks',
  {
    raffleId: integer('raffle_id')
      .notNull()
      .references(() => raffles.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    number: integer('number').notNull(),
    outcome: text('outcome').$type<PickOutcomeValue>().notNull(),
    tier: integer('tier'),
    reason: text('reason'),
    noShowSeq: integer('no_show_seq'),
    /** What the winner shows the host to collect the prize. */
    claimCode: text('claim_code'),
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.raffleId, t.position] }),
    uniqueIndex('raffle_picks_claim_code').on(t.raffleId, t.claimCode),
  ],
)

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    action: text('action').notNull(),
    detail: jsonb('detail').notNull().default(sql`'{}'::jsonb`),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('audit_log_event').on(t.eventId, t.at)],
)

/** Deployment-wide secrets (the cookie signing key), created once, shared by every instance. */
export const appSecrets = pgTable('app_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

export const showCueSheets = pgTable('cue_sheets', {
  hash: text('hash').primaryKey(),
  eventId: integer('event_id')
    .notNull()
    .references(() => events.id, { onDelete: 'cascade' }),
  body: jsonb('body').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

/**
 * Quizzes: a title over questions that are interactions of kind `quiz` (polls rows whose
 * config holds `quizId`, `index`, the right option ids, seconds, points and, once started,
 * `endsAt`). Answers are responses like votes; scores are computed from them.
 */
export const quizzes = pgTable(
  'quizzes',
  {
    id: serial('id').primaryKey(),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('quizzes_event').on(t.eventId)],
)

/** Guests' optional nicknames on the leaderboard (through the event's word filter; the host can reset one). */
export const nicknames = pgTable(
  'nicknames',
  {
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    nickname: text('nickname').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.number] })],
)

/** Raw bytes (bytea), as Uint8Array on both postgres.js and PGlite. */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (v instanceof Uint8Array ? v : new Uint8Array(v as ArrayBuffer)),
})

/**
 * Images a host uploaded for the event's look (logo, background), checked by their magic
 * bytes and size before they get here. Served from `/images/<hash>.<ext>`: the hash is of
 * the bytes, so a URL never changes meaning and caches forever.
 */
export const eventImages = pgTable(
  'event_images',
  {
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    hash: text('hash').notNull(),
    type: text('type').notNull(),
    bytes: bytea('bytes').notNull(),
    size: integer('size').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.hash] }), index('event_images_hash').on(t.hash)],
)
