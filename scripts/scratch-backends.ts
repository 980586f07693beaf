/**
 * Throwaway cluster-mode backends for the tests and the benchmarks: an empty Postgres
 * database made on the server of an existing one (whose URL is used only to create and
 * drop it) and a Redis key prefix of its own, both removed afterwards. Everything is
 * under a fresh random name, so a shared Postgres and Redis are safe to point at.
 */
import { randomBytes } from 'node:crypto'
import Redis, { Cluster } from 'ioredis'
import postgres from 'postgres'
import { parseClusterUrl } from '../server/live/redis-url.ts'

/** Where a local setup has them (README, CI); callers let their own env variables override these. */
export const LOCAL_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test'
export const LOCAL_REDIS_URL = 'redis://127.0.0.1:6379'

/** Throws unless both answer within a few seconds (callers decide whether that means skip or fail). */
export async function pingBackends(databaseUrl: string, redisUrl: string): Promise<void> {
  const sql = postgres(databaseUrl, { max: 1, connect_timeout: 3, onnotice: () => {} })
  try {
    await sql`select 1`
  } finally {
    await sql.end()
  }
  const redis = adminRedis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 3000 })
  try {
    await redis.connect()
    await Promise.all(redisMasters(redis).map((node) => node.ping()))
  } finally {
    // Also when unreachable: ioredis would otherwise keep reconnecting and hold the process open.
    redis.disconnect()
  }
}

async function onAdminDatabase(adminUrl: string, statement: string) {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  try {
    await admin.unsafe(statement)
  } finally {
    await admin.end()
  }
}

export interface ScratchDatabase {
  name: string
  url: string
  drop(): Promise<void>
}

/** Creates an empty database `<label>_<random hex>` next to `adminUrl`'s. */
export async function createScratchDatabase(adminUrl: string, label: string): Promise<ScratchDatabase> {
  const name = `${label}_${randomBytes(6).toString('hex')}`
  await onAdminDatabase(adminUrl, `create database ${name}`)
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return {
    name,
    url: url.toString(),
    drop: () => onAdminDatabase(adminUrl, `drop database if exists ${name} with (force)`),
  }
}

type AdminOptions = { lazyConnect?: boolean; maxRetriesPerRequest?: number; connectTimeout?: number }

/** A plain client for REDIS_URL: one Redis, or a Cluster for `redis+cluster://` (server/live/redis-url.ts). */
export function adminRedis(redisUrl: string, opts: AdminOptions = {}): Redis | Cluster {
  const cluster = parseClusterUrl(redisUrl)
  if (!cluster) return new Redis(redisUrl, opts)
  const { lazyConnect, ...redisOptions } = opts
  return new Cluster(cluster.nodes, {
    lazyConnect,
    // Unreachable: give up rather than retry forever (the callers report it).
    clusterRetryStrategy: () => null,
    redisOptions: { ...redisOptions, username: cluster.username, password: cluster.password },
  })
}

/** The Redis processes holding keys: a Cluster's masters, or the one Redis. */
export const redisMasters = (redis: Redis | Cluster): Redis[] =>
  redis instanceof Cluster ? redis.nodes('master') : [redis]

/** Deletes every key under `prefix` (SCAN, not KEYS: the Redis may be shared; on a Cluster, every master). */
export async function deleteRedisPrefix(redisUrl: string, prefix: string) {
  const redis = adminRedis(redisUrl, { lazyConnect: true })
  try {
    await redis.connect()
    for (const node of redisMasters(redis)) {
      let cursor = '0'
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000)
        cursor = next
        // On a Cluster one DEL may not name keys of several slots.
        if (keys.length)
          await (redis instanceof Cluster ? Promise.all(keys.map((k) => node.del(k))) : node.del(...keys))
      } while (cursor !== '0')
    }
  } finally {
    redis.disconnect()
  }
}

export interface ScratchBackends {
  /** DATABASE_URL, REDIS_URL and REDIS_PREFIX for the instances of one deployment. */
  env: { DATABASE_URL: string; REDIS_URL: string; REDIS_PREFIX: string }
  /** Deletes the Redis keys, then drops the database. */
  drop(): Promise<void>
}

/**
 * A scratch database plus a Redis prefix of the same name: everything one cluster
 * deployment stores. Keep `label` short: REDIS_PREFIX allows 32 characters.
 */
export async function scratchBackends(
  adminDatabaseUrl: string,
  redisUrl: string,
  label: string,
): Promise<ScratchBackends> {
  const db = await createScratchDatabase(adminDatabaseUrl, label)
  const prefix = db.name
  return {
    env: { DATABASE_URL: db.url, REDIS_URL: redisUrl, REDIS_PREFIX: prefix },
    drop: async () => {
      await deleteRedisPrefix(redisUrl, prefix)
      await db.drop()
    },
  }
}
