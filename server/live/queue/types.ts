/**
 * The write queue: every guest action the counter layer accepted, waiting for the
 * flusher to write it to Postgres. Entries are appended by the counter layer in the same
 * atomic step as the counters change (see ../counters), read here by the flusher, and
 * removed only after Postgres committed them.
 */

/** What a queue entry asks Postgres to record. */
export type QueueItem =
  | { t: 'checkin'; number: number; at: number }
  | {
      t: 'response'
      interactionId: number
      number: number
      /** A sub-target of the interaction (a question of a Q&A board); '' for the interaction itself. */
      slot: string
      /** The response as JSON text, or null when the guest took it back. */
      response: string | null
      /** Per-event revision: a replayed older response never overwrites a newer one. */
      rev: number
      at: number
    }
  | { t: 'message'; id: number; number: number; text: string; state: 'visible' | 'held'; at: number }
  | { t: 'moderate'; id: number; state: 'visible' | 'hidden'; at: number }
  | { t: 'question'; id: number; number: number; text: string; state: 'visible' | 'held'; at: number }
  /** A question's whole moderation state after a host's change (so a replay changes nothing). */
  | {
      t: 'questionState'
      id: number
      state: 'held' | 'visible' | 'hidden'
      pinned: boolean
      answered: boolean
      at: number
    }

export interface QueueEntry {
  /** The backend's id, for acknowledging. */
  id: string
  item: QueueItem
}

export interface DeadLetter extends QueueEntry {
  reason: string
  at: number
}

/** Dead letters kept per event: enough to investigate, bounded whatever happens. */
export const DEAD_LETTERS_KEPT = 1000

export interface WriteQueue {
  /**
   * Entries for this consumer: first its own claimed-but-unacknowledged ones, then ones
   * other (dead) consumers left idle longer than `reclaimIdleMs`, then new ones; in queue order.
   */
  read(eventId: number, consumer: string, count: number, reclaimIdleMs: number): Promise<QueueEntry[]>
  /** Removes entries once Postgres has them. */
  ack(eventId: number, ids: string[]): Promise<void>
  /** Entries not yet acknowledged (claimed or not). */
  depth(eventId: number): Promise<number>
  /**
   * Sets aside entries that can never be written (Postgres refuses them for what they
   * are, not for being down), so they stop blocking the rest of the event's queue.
   */
  deadLetter(eventId: number, entries: QueueEntry[], reason: string): Promise<void>
  /** The newest dead letters of an event, newest last. */
  deadLetters(eventId: number): Promise<DeadLetter[]>
  /** Events that have a queue here. */
  events(): Promise<number[]>
}
