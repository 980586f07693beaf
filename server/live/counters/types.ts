/**
 * The live counters: the hot state of every live event (wristbands, check-ins,
 * interactions and their counts, danmaku, raffles, the show) and the guest actions on it.
 *
 * Each guest action is one atomic step: validate against live state, dedupe by wristband
 * and actionId, rate-limit, update the counters and append to the write queue
 * (../queue), all or nothing. The ticker reads the counters with `readLive`.
 */
import type { AdminView, Danmaku, Raffle, ScreenState, Show, Status } from '../../../protocol/index.ts'

export interface WristbandEntry {
  number: number
  codeHash: string
  revoked: boolean
}

/** What the counter layer enforces for every response to an interaction, atomically. */
export interface Acceptance {
  /** The counter keys a response may name; absent: any key (a word cloud's words). */
  keys?: string[]
  /** At most this many keys in one response. */
  maxKeys: number
  /** One response per wristband (and slot), never replaced: a quiz answer. */
  once?: boolean
  /** Server epoch ms from which responses are refused (`closed`): a quiz question's deadline. */
  closesAt?: number
}

/** An interaction as the counter layer keeps it; `spec` is its kind's own definition. */
export interface InteractionDef {
  id: number
  kind: string
  open: boolean
  closed: boolean
  spec: unknown
  accept: Acceptance
  /** Only the `top` keys with the highest counts are read each tick; absent: all. */
  top?: number
  /** Results hidden from the public until revealed (the host sees them); absent: shown. */
  results?: 'hidden' | 'revealed'
  /** The host's order of interactions; absent: 0. */
  position?: number
}

export interface StoredResponse {
  interactionId: number
  number: number
  slot: string
  /** JSON text. */
  response: string
  keys: string[]
}

/** Everything the counter layer needs to (re)build an event's live state from Postgres. */
export interface EventSeed {
  status: Status
  message: string
  wristbands: WristbandEntry[]
  checkins: { number: number; at: number }[]
  interactions: InteractionDef[]
  responses: StoredResponse[]
  messages: { id: number; number: number; text: string; state: 'visible' | 'held' | 'hidden'; at: number }[]
  raffles: Raffle[]
  show: Show | null
  /** What the host has the big screen show; absent: `auto`. */
  screen?: ScreenState
  /** Highest message id and response revision already used, so new ones continue above them. */
  maxMessageId: number
  maxRev: number
}

export type CheckinResult = { ok: true; number: number; first: boolean } | { ok: false }

export interface RateLimit {
  count: number
  windowMs: number
}

export interface ResponseInput {
  number: number
  interactionId: number
  /** The kind the guest answered as; a response to an interaction of another kind is refused. */
  kind: string
  /** A sub-target (a Q&A board's question); '' for the interaction itself. */
  slot: string
  /** JSON text of the response, or null to take it back. */
  response: string | null
  /** The counter keys the response adds one to (its kind computed them). */
  keys: string[]
  actionId: string
  now: number
  /** Changed responses one wristband may give per window. */
  limit: RateLimit
  /**
   * The host rewriting a guest's response (moderating an open answer): taken whatever the
   * wristband's state, the interaction's open state or the rate limit; kind and keys still checked.
   */
  byHost?: boolean
}

export type ResponseError =
  | 'revoked'
  | 'unknown_interaction'
  | 'wrong_kind'
  | 'not_open'
  | 'closed'
  | 'unknown_key'
  | 'too_many_keys'
  | 'already_answered'
  | 'rate_limited'

export type ResponseResult = { ok: true; duplicate: boolean } | { ok: false; error: ResponseError }

export interface MessageInput {
  number: number
  text: string
  held: boolean
  actionId: string
  now: number
  limit: RateLimit
}

export type MessageResult =
  | { ok: true; id: number; held: boolean; duplicate: boolean }
  | { ok: false; error: 'revoked' | 'rate_limited' }

/** One interaction as read each tick: its definition and its (top) counts. */
export interface InteractionRead {
  def: InteractionDef
  counts: Map<string, number>
  /** Wristbands (and slots) with a response now. */
  responders: number
}

/** What the ticker reads each tick: the live counters plus anything new since `feedCursor`. */
export interface LiveRead {
  status: Status
  message: string
  checkins: number
  interactions: InteractionRead[]
  /** Danmaku made visible after `feedCursor` (new or approved), oldest first. */
  feed: Danmaku[]
  feedCursor: number
  /** Of the ids asked about and the ids in `feed`, those now hidden. */
  hidden: number[]
  raffles: Raffle[]
  show: Show | null
  screen: ScreenState
  admin: AdminView
}

export interface LiveCounters {
  // ---- event state (host side) ----
  /**
   * Whether this event's live state exists and is whole: false after a Redis restart
   * without persistence, and after any restart of Redis at all, since with AOF everysec it
   * may come back a second behind what Postgres already holds (see counters/redis.ts).
   */
  isLoaded(eventId: number): Promise<boolean>
  /**
   * A number that changes whenever the live state may have changed behind this process's
   * back (the connection to Redis was lost); an `isLoaded` answer holds only while it stays
   * the same. The in-process backend never changes it.
   */
  generation(): number
  /** Replaces the live state from Postgres (start-up, recovery); the delta log and queue stay. */
  loadEvent(eventId: number, seed: EventSeed): Promise<void>
  addWristbands(eventId: number, entries: WristbandEntry[]): Promise<void>
  revokeWristbands(eventId: number, numbers: number[]): Promise<void>
  setStatus(eventId: number, status: Status, message: string): Promise<void>
  /** Adds or replaces an interaction's definition; its counts stay. */
  putInteraction(eventId: number, def: InteractionDef): Promise<void>
  /**
   * Clears an interaction's responses and counts in one step, and queues the reset for
   * Postgres (ordered with the responses around it); false if the interaction is unknown.
   */
  resetInteraction(eventId: number, interactionId: number, now: number): Promise<boolean>
  putRaffle(eventId: number, raffle: Raffle): Promise<void>
  setShow(eventId: number, show: Show | null): Promise<void>
  setScreen(eventId: number, screen: ScreenState): Promise<void>
  /** Hides or approves a message; false if the id is unknown. Queues the change for Postgres. */
  moderate(eventId: number, messageId: number, state: 'visible' | 'hidden', now: number): Promise<boolean>
  /** Checked-in, not revoked wristband numbers (raffle candidates), ascending. */
  checkedIn(eventId: number): Promise<number[]>

  // ---- guest actions (each one atomic) ----
  checkin(eventId: number, codeHash: string, now: number): Promise<CheckinResult>
  /** Whether a wristband exists and is not revoked. */
  isActive(eventId: number, number: number): Promise<boolean>
  /** The response primitive: wristband W's response to interaction I (and slot) is now R. */
  respond(eventId: number, input: ResponseInput): Promise<ResponseResult>
  message(eventId: number, input: MessageInput): Promise<MessageResult>
  /** One wristband's current responses. */
  responsesOf(eventId: number, number: number): Promise<{ interactionId: number; slot: string; response: string }[]>
  /** Every current response to one interaction (a quiz question's answers, to score them). */
  responsesTo(eventId: number, interactionId: number): Promise<{ number: number; slot: string; response: string }[]>

  // ---- the ticker's read ----
  readLive(eventId: number, feedCursor: number, askHidden: number[]): Promise<LiveRead>
}
