/**
 * What the Redis halves of the counter layer share: the key
 * layout, running Lua scripts, and small reply helpers.
 *
 * Key layout: every key of event N is `<prefix>:{eN}:<name>`, one Redis Cluster hash
 * tag, so each event's scripts and MULTIs stay on one slot. Other leases live at
 * `<prefix>:lease:<name>`; `<prefix>:events` lists the events Redis holds.
 */
import { createHash } from 'node:crypto'
import type { Cluster, Redis } from 'ioredis'

export class RedisKeys {
  constructor(readonly prefix: string) {}

  /** The key prefix of one event (scripts derive per-interaction keys from it). */
  base(eventId: number) {
    return `${this.prefix}:{e${eventId}}:`
  }

  of(eventId: number, name: string) {
    return `${this.prefix}:{e${eventId}}:${name}`
  }

  /** The ticker lease sits in its event's hash tag, so appending a delta can check it in the same script. */
  lease(name: string) {
    const ticker = /^ticker:(\d+)$/.exec(name)
    return ticker ? this.of(Number(ticker[1]), 'lease') : `${this.prefix}:lease:${name}`
  }

  get events() {
    return `${this.prefix}:events`
  }
}

/**
 * One Redis or a Redis Cluster (REDIS_URL `redis+cluster://`, see redis-url.ts). Both take
 * the same commands; a Cluster routes each by its key's slot, which is why the keys of
 * one script or MULTI always share one event's hash tag.
 */
export type RedisClient = Redis | Cluster

/** The Redis processes behind a client: the masters of a Cluster, or the one Redis itself. */
export const redisNodes = (redis: RedisClient): Redis[] =>
  redis.isCluster ? (redis as Cluster).nodes('master') : [redis as Redis]

/**
 * Connects a lazyConnect Cluster client, or throws (as ioredis words a lost connection, so
 * callers see "Redis down"). Not `await cluster.connect()` alone: when its first attempt
 * fails and a retry succeeds, that promise never settles (ioredis 5.11), so a tail or a
 * start during a master's outage would wait forever.
 */
export async function connectCluster(cluster: Cluster, timeoutMs: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    await new Promise<void>((ok, fail) => {
      const closed = () => fail(new Error('Connection is closed.'))
      cluster.once('ready', () => ok())
      cluster.once('end', closed)
      timer = setTimeout(closed, timeoutMs)
      cluster.connect().catch(() => {})
    })
  } finally {
    clearTimeout(timer)
  }
}

/** Script body plus its SHA1, for EVALSHA with an EVAL fallback. */
export interface LuaScript {
  name: string
  lua: string
  sha: string
}

export const lua = (name: string, body: string): LuaScript => ({
  name,
  lua: body,
  sha: createHash('sha1').update(body).digest('hex'),
})

/** EVALSHA, falling back to EVAL (which also caches the script) after a Redis restart or on a new server. */
export async function runScript(
  redis: RedisClient,
  script: LuaScript,
  keys: string[],
  args: (string | number)[],
): Promise<unknown> {
  try {
    return await redis.evalsha(script.sha, keys.length, ...keys, ...args)
  } catch (err) {
    if (!String(err).includes('NOSCRIPT')) throw err
    return redis.eval(script.lua, keys.length, ...keys, ...args)
  }
}

/** Throws the first error of a MULTI/pipeline result; null means the transaction was aborted. */
export const checkExec = (results: [Error | null, unknown][] | null) => {
  if (!results) throw new Error('redis transaction aborted')
  for (const [err] of results) if (err) throw err
  return results
}

export type StreamRow = [id: string, fields: string[] | null]

/** Rows of the one stream in an XREAD/XREADGROUP reply (null when nothing came). */
export const streamRows = (reply: unknown): StreamRow[] => (reply as [string, StreamRow[]][] | null)?.[0]?.[1] ?? []

export const field = (fields: string[], name: string) => {
  for (let i = 0; i < fields.length; i += 2) if (fields[i] === name) return fields[i + 1]
  return undefined
}

/** Arguments per HSET/SADD when loading big events: keeps each command well under Redis' limits. */
export const CHUNK = 5000

export const chunks = <T>(items: T[], size = CHUNK): T[][] => {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}
