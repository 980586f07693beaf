/**
 * The delta log: per event, the deltas the ticker made, in order, each with the
 * ticker's state after it, so any instance can follow the log and a new ticker can go
 * on exactly where the last one stopped.
 *
 * Epochs: a history that starts from nothing (a new event, or a counter layer that lost
 * its log) starts its sequence at the wall-clock time in ms, not at 0. Two histories of
 * one event therefore never share a sequence number: an id from an older history is below
 * anything the new one holds (a client resuming with it gets a fresh snapshot), and a new
 * history starts above anything an older one reached (ticks are far slower than 1 per ms).
 */

export interface LogEntry {
  seq: number
  /** The delta as JSON, serialised once by the ticker. */
  json: string
}

/** The first sequence number of a new history: its epoch. */
export const newEpoch = () => Date.now()

export interface DeltaLog {
  /**
   * Appends the delta for `seq` and the state after it (JSON), atomically, only while
   * `owner` holds the event's `ticker:<event>` lease and `seq` follows the log's last one
   * (any seq starts an empty log). With `ahead`, also a `seq` beyond the log's next one:
   * the ticker's own history went further than the log that came back (its Redis lost its
   * last writes), and the clients saw that history, so it goes on rather than a second
   * history under the same sequence numbers.
   */
  append(
    eventId: number,
    owner: string,
    seq: number,
    deltaJson: string,
    stateJson: string,
    ahead?: boolean,
  ): Promise<boolean>
  /** The state stored with the log's last entry, or null for a log with none. */
  state(eventId: number): Promise<string | null>
  /**
   * Whether the log's last entry was written to the store as it runs now. False when the
   * store restarted since (Redis came back from its AOF): it may have lost entries after
   * that one which clients already saw, so a ticker without a state of its own must not go
   * on from it under their sequence numbers.
   */
  sameStore(eventId: number): Promise<boolean>
  /** Entries with seq > afterSeq, oldest first, up to `limit`. */
  read(eventId: number, afterSeq: number, limit: number): Promise<LogEntry[]>
  /** Waits up to `blockMs` for entries after `afterSeq` (0: does not wait). */
  tail(eventId: number, afterSeq: number, blockMs: number): Promise<LogEntry[]>
}
