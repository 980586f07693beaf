/**
 * The counter layer: the hot, shared state of every live event, as four narrow parts,
 * each with an in-process and a Redis implementation side by side:
 * - counters/: the live state and the guest actions on it (each one atomic step that
 *   also appends to the write queue);
 * - queue/: the write queue the flusher drains into Postgres;
 * - log/: the delta log the ticker appends to and every instance follows;
 * - leases/: one ticker and one flusher per event across the deployment.
 *
 * This module builds the in-process layer; redis.ts builds the Redis one (imported only
 * in cluster mode, so embedded mode never loads the Redis client).
 */
import { MemoryCounters, type MemoryCountersOptions } from './counters/memory.ts'
import type { LiveCounters } from './counters/types.ts'
import { MemoryEngagement } from './engagement/memory.ts'
import type { LiveEngagement } from './engagement/types.ts'
import { MemoryLeases } from './leases/memory.ts'
import type { Leases } from './leases/types.ts'
import type { SharedBuckets } from './limits.ts'
import { MemoryDeltaLog } from './log/memory.ts'
import type { DeltaLog } from './log/types.ts'
import { MemoryQueue } from './queue/memory.ts'
import type { WriteQueue } from './queue/types.ts'

export interface LiveLayer {
  readonly kind: 'memory' | 'redis'
  counters: LiveCounters
  /** Q&A questions, write bans, slow mode, reactions (engagement/). */
  engagement: LiveEngagement
  queue: WriteQueue
  log: DeltaLog
  leases: Leases
  /**
   * Token buckets shared by every instance, for limits that must hold across them (failed
   * check-ins, host secret guesses); absent in embedded mode, where one process is all.
   */
  buckets?: SharedBuckets
  /** Whether the backend answers (for /healthz); never throws. */
  ping(): Promise<boolean>
  close(): Promise<void>
}

export interface MemoryLiveOptions extends MemoryCountersOptions {
  /** Delta log entries kept per event. */
  retention: number
  /** The write queue's file (DATA_DIR/queue.wal); null keeps the queue in memory only. */
  queueFile: string | null
}

/** The in-process counter layer (embedded mode). */
export async function openMemoryLive(opts: MemoryLiveOptions): Promise<LiveLayer> {
  const queue = opts.queueFile ? await MemoryQueue.durable(opts.queueFile) : MemoryQueue.volatile()
  const leases = new MemoryLeases()
  const log = new MemoryDeltaLog(leases, opts.retention)
  const counters = new MemoryCounters(queue, {
    ...opts,
    loggedFeedCursor: (eventId) => {
      const state = log.stateNow(eventId)
      const cursor = state ? (JSON.parse(state) as { feedCursor?: unknown }).feedCursor : 0
      return typeof cursor === 'number' ? cursor : 0
    },
  })
  const engagement = new MemoryEngagement(queue, (eventId, id) => counters.peekInteraction(eventId, id))
  return {
    kind: 'memory',
    counters,
    engagement,
    queue,
    log,
    leases,
    ping: async () => true,
    async close() {
      counters.close()
      engagement.close()
      log.close()
      await queue.close()
    },
  }
}
