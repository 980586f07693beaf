/** The counter layer on Redis (cluster mode): the four parts over one client and key prefix. */
import Redis, { Cluster } from 'ioredis'
import { RedisBuckets } from './buckets-redis.ts'
import { RedisCounters } from './counters/redis.ts'
import { RedisEngagement } from './engagement/redis.ts'
import type { LiveLayer } from './index.ts'
import { RedisLeases } from './leases/redis.ts'
import { RedisDeltaLog } from './log/redis.ts'
import { RedisQueue } from './queue/redis.ts'
import { connectCluster, type RedisClient, RedisKeys, redisNodes } from './redis-support.ts'
import { parseClusterUrl } from './redis-url.ts'

const retryStrategy = (times: number) => Math.min(times * 100, 2000)
/** How long start-up waits for a Redis Cluster to be ready (a single Redis fails at once when down). */
const CLUSTER_CONNECT_MS = 10_000

/**
 * A Redis client with the settings the counter layer needs: for `redis+cluster://` a
 * Cluster client (redis-url.ts), otherwise one Redis.
 */
export async function connectRedis(url: string): Promise<RedisClient> {
  const cluster = parseClusterUrl(url)
  const redis: RedisClient = cluster
    ? new Cluster(cluster.nodes, {
        lazyConnect: true,
        enableOfflineQueue: false,
        enableAutoPipelining: true,
        clusterRetryStrategy: retryStrategy,
        redisOptions: { maxRetriesPerRequest: 1, username: cluster.username, password: cluster.password },
      })
    : new Redis(url, {
        lazyConnect: true,
        // Fail commands at once while Redis is down, so guests get a 503 to retry rather than a hang.
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        retryStrategy,
        // The commands of one event-loop turn go out in one socket write: under a vote spike
        // that saves about a third of the client's CPU per command (docs/benchmarks.md).
        enableAutoPipelining: true,
      })
  redis.on('error', () => {
    // ioredis reports every failed reconnect; /healthz and the logs of the callers say enough.
  })
  if (!redis.isCluster) await redis.connect()
  else {
    try {
      await connectCluster(redis as Cluster, CLUSTER_CONNECT_MS)
    } catch (err) {
      // Or it would go on retrying in the background and hold the process open.
      redis.disconnect()
      throw err
    }
  }
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
export function redisLive(redis: RedisClient, opts: RedisLiveOptions): LiveLayer {
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
        // On a Cluster every master: a guest's event may live on any of them. A master the
        // client has dropped is not among them, so the cluster must also say all slots are served.
        const pings: Promise<unknown>[] = redisNodes(redis).map((node) => node.ping())
        if (!pings.length) return false
        if (redis.isCluster)
          pings.push((redis as Cluster).cluster('INFO').then((i) => i.includes('cluster_state:ok') && 'PONG'))
        return (await Promise.race([Promise.all(pings), timeout])).every((r) => r === 'PONG')
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
