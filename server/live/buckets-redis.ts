/**
 * Shared token buckets on Redis (cluster mode): one key per bucket,
 * `<prefix>:lim:<name>:<key>`, a hash of tokens and the time they were counted, expiring
 * once it would be full again. Each take is one script, so concurrent takes from every
 * instance are counted exactly; the time is Redis' own, so instances' clocks do not matter.
 */
import type { BucketSpec, SharedBuckets } from './limits.ts'
import { lua, type RedisClient, type RedisKeys, redisNodes, runScript } from './redis-support.ts'

const TAKE = lua(
  'bucket-take',
  `
local burst, rate, cost = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens, at = tonumber(b[1]) or burst, tonumber(b[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) / 1000 * rate)
local ok = 1
if cost > 0 and tokens < cost then ok = 0 else tokens = math.min(burst, tokens - cost) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / rate * 1000) + 1000)
return ok
`,
)

/**
 * Deletes every bucket of one limit in one step, so a take sent after it sees the reset.
 * Single Redis only: on a Cluster the keys are in many slots, which one script may not touch.
 */
const CLEAR = lua(
  'bucket-clear',
  `
local cursor = '0'
repeat
  local r = redis.call('SCAN', cursor, 'MATCH', ARGV[1], 'COUNT', 1000)
  cursor = r[1]
  if #r[2] > 0 then redis.call('DEL', unpack(r[2])) end
until cursor == '0'
return 0
`,
)

/** Glob-escapes a key part for SCAN MATCH. */
const globEscape = (s: string) => s.replace(/[*?[\]\\]/g, '\\$&')

export class RedisBuckets implements SharedBuckets {
  constructor(
    private redis: RedisClient,
    private keys: RedisKeys,
  ) {}

  private key(name: string, key: string) {
    return `${this.keys.prefix}:lim:${name}:${key}`
  }

  async take(name: string, key: string, spec: BucketSpec, cost = 1) {
    return (await runScript(this.redis, TAKE, [this.key(name, key)], [spec.burst, spec.perSecond, cost])) === 1
  }

  async clear(name: string) {
    const match = `${globEscape(this.keys.prefix)}:lim:${globEscape(name)}:*`
    if (!this.redis.isCluster) {
      await runScript(this.redis, CLEAR, [], [match])
      return
    }
    // Each master in turn, one key at a time: not one step, but done before this returns.
    for (const node of redisNodes(this.redis)) {
      let cursor = '0'
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', match, 'COUNT', 1000)
        cursor = next
        await Promise.all(keys.map((key) => node.unlink(key)))
      } while (cursor !== '0')
    }
  }
}
