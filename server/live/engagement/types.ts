/**
 * Live state of what guests write besides danmaku and poll answers: the Q&A board's
 * questions (an upvote itself is a response, through the counter layer's `respond`, to
 * the event's Q&A board with the question id as slot and key), write bans, slow mode and
 * reactions. Same contract as ../counters: each step is atomic, and a step Postgres must
 * know about appends to the write queue in the same step.
 */
import type { Question } from '../../../protocol/index.ts'
import type { RateLimit } from '../counters/types.ts'

export type QuestionState = 'held' | 'visible' | 'hidden'

export interface QuestionRecord {
  id: number
  number: number
  text: string
  state: QuestionState
  pinned: boolean
  answered: boolean
  at: number
}

export interface EngagementSeed {
  questions: QuestionRecord[]
  /** Highest question id already used, so new ones continue above it. */
  maxQuestionId: number
  /** Wristbands banned from writing. */
  bans: number[]
}

export interface AskInput {
  number: number
  text: string
  held: boolean
  actionId: string
  now: number
  limit: RateLimit
}

export type AskResult =
  | { ok: true; id: number; held: boolean; duplicate: boolean }
  | { ok: false; error: 'rate_limited' }

export interface QuestionChange {
  state?: 'visible' | 'hidden'
  pinned?: boolean
  answered?: boolean
}

/** Whether a wristband may write now: banned, too soon after its last write (slow mode), or free. */
export type WriteGate = { ok: true } | { ok: false; error: 'banned' } | { ok: false; error: 'slow'; waitMs: number }

export interface EngagementRead {
  /** The top of the board, in questionOrder, at most `limit`. */
  questions: Question[]
  /** Held questions, oldest first (bounded). */
  held: { id: number; text: string; number: number; at: number }[]
  /** Reactions since the last read (the read resets them). */
  reactions: Record<string, number>
}

export interface LiveEngagement {
  /** Replaces an event's questions and bans from Postgres (start-up, recovery). */
  load(eventId: number, seed: EngagementSeed): Promise<void>
  ask(eventId: number, input: AskInput): Promise<AskResult>
  question(eventId: number, id: number): Promise<QuestionRecord | null>
  /** Applies a host's change; null if the id is unknown. Queues the new state for Postgres. */
  moderateQuestion(eventId: number, id: number, change: QuestionChange, now: number): Promise<QuestionRecord | null>
  /** A wristband's own questions, newest first. */
  questionsOf(eventId: number, number: number): Promise<QuestionRecord[]>
  /** Whether wristband `number` upvoted question `questionId` of board `boardId`. */
  upvoted(eventId: number, boardId: number, number: number, questionId: number): Promise<boolean>

  setBan(eventId: number, number: number, banned: boolean): Promise<void>
  /**
   * One atomic check for anything a guest writes: banned wristbands are refused; with
   * slow mode (`slowMs` > 0) a wristband waits that long between writes. A retry with the
   * same actionId as the last write passes (it was let through before).
   */
  writeGate(eventId: number, number: number, actionId: string, slowMs: number, now: number): Promise<WriteGate>

  /** Counts one reaction; false when the wristband is over its limit. No queue entry, no row. */
  react(eventId: number, number: number, emoji: string, limit: RateLimit, now: number): Promise<boolean>

  /** The ticker's read: the board's top (with upvotes from the board's counters) and the reactions since last time. */
  read(eventId: number, boardId: number | null, limit: number, heldKept: number): Promise<EngagementRead>
}
