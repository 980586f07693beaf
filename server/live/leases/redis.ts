/** Leases on Redis: SET NX PX to take one, a script to renew or release it only for its owner. */
import { lua, type RedisClient, type RedisKeys, runScript } from '../redis-support.ts'
import type { Leases } from './types.ts'

/** Acquires or renews a lease. KEYS: lease   ARGV: owner, ttlMs   Returns 1 if held. */
const ACQUIRE = lua(
  'acquireLease',
  `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return 0
`,
)

/** Releases a lease only if `owner` holds it. KEYS: lease   ARGV: owner */
const RELEASE = lua(
  'releaseLease',
  `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0
`,
)

export class RedisLeases implements Leases {
  constructor(
    private redis: RedisClient,
    private keys: RedisKeys,
  ) {}

  async acquire(name: string, owner: string, ttlMs: number) {
    return (await runScript(this.redis, ACQUIRE, [this.keys.lease(name)], [owner, Math.max(1, Math.ceil(ttlMs))])) === 1
  }

  async release(name: string, owner: string) {
    await runScript(this.redis, RELEASE, [this.keys.lease(name)], [owner])
  }

  async owner(name: string) {
    return this.redis.get(this.keys.lease(name))
  }
}
