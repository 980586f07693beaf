/**
 * The counter layer: the hot, shared state of every live event, behind one interface
 * with two backends (redis.ts for cluster mode, memory.ts for embedded mode).
 *
 * Each guest action is one atomic step here: validate against live state, dedupe by
 * wristband and actionId, update the counters, append to the write queue. The flusher
 * drains the queue into Postgres; the ticker reads the counters and appends deltas to
 * the delta log; every instance tails the log. Leases make one ticker per event.
 */
import type { AdminView, Danmaku, Poll, Raffle, Show, Snapshot, Status } from '../../protocol/index.ts'

export interface WristbandEntry {
  number: number
  codeHash: string
  revoked: boolean
}

export interface PollDef {
  id: number
  question: string
  open: boolean
  closed: boolean
  options: { id: number; label: string }[]
}

/** Everything the counter layer needs to (re)build an event's live state from Postgres. */
export interface EventSeed {
  status: Status
  message: string
  wristbands: WristbandEntry[]
  checkins: { number: number; at: number }[]
  polls: PollDef[]
  votes: { pollId: number; number: number; optionId: number }[]
  messages: { id: number; number: number; text: string; state: 'visible' | 'held' | 'hidden'; at: number }[]
  raffles: Raffle[]
  show: Show | null
  /** Highest message id and vote revision already in Postgres, so new ones continue above them. */
  maxMessageId: number
  maxRev: number
}

export type QueueItem =
  | { t: 'checkin'; number: number; at: number }
  | { t: 'vote'; pollId: number; number: number; optionId: number; rev: number; at: number }
  | { t: 'message'; id: number; number: number; text: string; state: 'visible' | 'held'; at: number }
  | { t: 'moderate'; id: number; state: 'visible' | 'hidden'; at: number }

export interface QueueEntry {
  /** Backend's id for acknowledging. */
  id: string
  item: QueueItem
}

export type CheckinResult = { ok: true; number: number; first: boolean } | { ok: false }

export type VoteResult =
  | { ok: true; duplicate: boolean }
  | { ok: false; error: 'unknown_poll' | 'poll_not_open' | 'unknown_option' | 'revoked' | 'rate_limited' }

export type MessageResult =
  | { ok: true; id: number; held: boolean; duplicate: boolean }
  | { ok: false; error: 'revoked' | 'rate_limited' }

export interface VoteInput {
  number: number
  pollId: number
  optionId: number
  actionId: string
  now: number
  /** Votes one wristband may cast per window (changing a vote counts). */
  limit: { count: number; windowMs: number }
}

export interface MessageInput {
  number: number
  text: string
  held: boolean
  actionId: string
  now: number
  limit: { count: number; windowMs: number }
}

/** What the ticker reads each tick: the live counters plus anything new since `cursor`. */
export interface LiveRead {
  status: Status
  message: string
  checkins: number
  polls: Poll[]
  /** Danmaku made visible after `feedCursor` (new or approved), oldest first. */
  feed: Danmaku[]
  feedCursor: number
  /** Of the ids asked about and the ids in `feed`, those now hidden. */
  hidden: number[]
  raffles: Raffle[]
  show: Show | null
  admin: AdminView
}

/** What the ticker keeps between ticks; stored with each delta so a new leader resumes exactly. */
export interface TickerState {
  snapshot: Snapshot
  admin: AdminView
  feedCursor: number
  /**
   * Ids of danmaku published lately, beyond the snapshot's last 30: they may still be
   * flying across a screen, so hiding one must still reach every screen.
   */
  recent?: number[]
}

export interface LogEntry {
  seq: number
  /** The delta as JSON, serialised once by the ticker. */
  json: string
}

export interface LiveStore {
  readonly kind: 'redis' | 'memory'

  // ---- event state (host side) ----
  /** Whether this event's live state exists (false after a Redis restart without persistence). */
  isLoaded(eventId: number): Promise<boolean>
  /** Replaces the live state from Postgres (start-up, recovery). Keeps the delta log and queue. */
  loadEvent(eventId: number, seed: EventSeed): Promise<void>
  addWristbands(eventId: number, entries: WristbandEntry[]): Promise<void>
  revokeWristbands(eventId: number, numbers: number[]): Promise<void>
  setStatus(eventId: number, status: Status, message: string): Promise<void>
  putPoll(eventId: number, poll: PollDef): Promise<void>
  putRaffle(eventId: number, raffle: Raffle): Promise<void>
  setShow(eventId: number, show: Show | null): Promise<void>
  /** Hides or approves a message; false if the id is unknown. Queues the change for Postgres. */
  moderate(eventId: number, messageId: number, state: 'visible' | 'hidden', now: number): Promise<boolean>
  /** Checked-in, not revoked wristband numbers (raffle candidates). */
  checkedIn(eventId: number): Promise<number[]>

  // ---- guest actions (each one atomic) ----
  checkin(eventId: number, codeHash: string, now: number): Promise<CheckinResult>
  /** Whether a wristband exists and is not revoked. */
  isActive(eventId: number, number: number): Promise<boolean>
  vote(eventId: number, input: VoteInput): Promise<VoteResult>
  message(eventId: number, input: MessageInput): Promise<MessageResult>
  /** pollId -> optionId for one wristband. */
  votesOf(eventId: number, number: number): Promise<Record<string, number>>

  // ---- ticker ----
  readLive(eventId: number, feedCursor: number, askHidden: number[]): Promise<LiveRead>

  // ---- write queue ----
  /**
   * Entries for this consumer: first its own claimed-but-unacknowledged ones, then
   * ones other (dead) consumers left idle longer than `reclaimIdleMs`, then new ones.
   */
  readQueue(eventId: number, consumer: string, count: number, reclaimIdleMs: number): Promise<QueueEntry[]>
  ackQueue(eventId: number, ids: string[]): Promise<void>
  /** Entries not yet acknowledged (pending + unread). */
  queueDepth(eventId: number): Promise<number>

  // ---- delta log ----
  /**
   * Appends the delta for `seq` and the ticker state after it, atomically, only if
   * `owner` holds the event's ticker lease and the log's last seq is `seq - 1`.
   */
  appendDelta(eventId: number, owner: string, seq: number, deltaJson: string, state: TickerState): Promise<boolean>
  /** The ticker state at the log's last seq, or null for a new event. */
  tickerState(eventId: number): Promise<TickerState | null>
  /** Log entries with seq > afterSeq, oldest first, up to `limit`. */
  readLog(eventId: number, afterSeq: number, limit: number): Promise<LogEntry[]>
  /** Waits up to `blockMs` for entries after `afterSeq`. */
  tailLog(eventId: number, afterSeq: number, blockMs: number): Promise<LogEntry[]>

  // ---- leases ----
  /** Acquires or renews; true while `owner` holds it. */
  acquireLease(name: string, owner: string, ttlMs: number): Promise<boolean>
  releaseLease(name: string, owner: string): Promise<void>
  leaseOwner(name: string): Promise<string | null>

  /** Events whose live state or queue this store holds (for the flusher). */
  activeEvents(): Promise<number[]>
  ping(): Promise<boolean>
  close(): Promise<void>
}
