/** The counter layer on Redis (cluster mode): the four parts over one client and key prefix. */
import Redis from 'ioredis'
import { RedisBuckets } from './buckets-redis.ts'
import { RedisCounters } from './counters/redis.ts'
import { RedisEngagement } from './engagement/redis.ts'
import type { LiveLayer } from './index.ts'
import { RedisLeases } from './leases/redis.ts'
import { RedisDeltaLog } from './log/redis.ts'
import { RedisQueue } from './queue/redis.ts'
import { RedisKeys } from './redis-support.ts'

/** A Redis client with the settings the counter layer needs. */
export async function connectRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    // Fail commands at once while Redis is down, so guests get a 503 to retry rather than a hang.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(times * 100, 2000),
    // The commands of one event-loop turn go out in one socket write: under a vote spike
    // that saves about a third of the client's CPU per command (docs/benchmarks.md).
    enableAutoPipelining: true,
  })
  redis.on('error', () => {
    // ioredis reports every failed reconnect; /healthz and the logs of the callers say enough.
  })
  await redis.connect()
  return redis
}

export interface RedisLiveOptions {
  /** Prefix of every key, so deployments (and test runs) can share one Redis. */
  prefix: string
  /** Delta log entries kept per event. */
  retention: number
  /** Messages remembered per event (tests use a small one). */
  messagesKept?: number
}

const PING_TIMEOUT_MS = 2000

/**
 * The counter layer on Redis (cluster mode). It owns `redis` from here on: `close()`
 * quits it. Create the client with `connectRedis` above: commands fail fast
 * while Redis is down instead of queueing forever.
 */
export function redisLive(redis: Redis, opts: RedisLiveOptions): LiveLayer {
  const keys = new RedisKeys(opts.prefix)
  const log = new RedisDeltaLog(redis, keys, Math.max(1, Math.floor(opts.retention)))
  return {
    kind: 'redis',
    counters: new RedisCounters(redis, keys, { messagesKept: opts.messagesKept }),
    engagement: new RedisEngagement(redis, keys),
    queue: new RedisQueue(redis, keys),
    log,
    leases: new RedisLeases(redis, keys),
    buckets: new RedisBuckets(redis, keys),
    async ping() {
      let timer: ReturnType<typeof setTimeout> | undefined
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('ping timed out')), PING_TIMEOUT_MS)
        })
        return (await Promise.race([redis.ping(), timeout])) === 'PONG'
      } catch {
        return false
      } finally {
        clearTimeout(timer)
      }
    },
    async close() {
      await log.close()
      await redis.quit().then(
        () => {},
        () => redis.disconnect(),
      )
    },
  }
}
