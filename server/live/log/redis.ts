/**
 * The delta log on Redis: a stream per event (`log`, entry ids `<seq>-1`, capped at the
 * retention), the last seq (`logseq`) and the state after it (`state`). Tails use
 * XREAD BLOCK, which holds a connection: each concurrent tail borrows a dedicated
 * duplicate of the main client (of a Cluster client: a Cluster), kept for reuse while idle.
 */
import type { Cluster, Redis } from 'ioredis'
import {
  connectCluster,
  field,
  lua,
  type RedisClient,
  type RedisKeys,
  runScript,
  type StreamRow,
  streamRows,
} from '../redis-support.ts'
import type { DeltaLog, LogEntry } from './types.ts'

/** Log entries one tail returns at most. */
const TAIL_COUNT = 1000
/** Idle blocking connections kept for reuse; more concurrent tails just open more. */
const IDLE_BLOCKING_KEPT = 16
/** How long a tail waits for a new Cluster connection before it fails (and the channel retries). */
const CLUSTER_CONNECT_MS = 5000

/**
 * Appends one delta, fenced by the ticker lease and by the sequence (an empty log takes any;
 * with ARGV[6] = '1' any seq above the last, see DeltaLog.append).
 * Also records the run id of the Redis process it ran in (`logrid`, see DeltaLog.sameStore;
 * in the script, so on a Redis Cluster it is the run id of the node that holds the event).
 * KEYS: lease, logseq, log, state, logrid   ARGV: owner, seq, deltaJson, stateJson, retention, ahead
 * Returns 1 if appended, else 0.
 */
const APPEND = lua(
  'appendDelta',
  `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local last = redis.call('GET', KEYS[2])
if last and tonumber(ARGV[2]) ~= tonumber(last) + 1 then
  if ARGV[6] ~= '1' or tonumber(ARGV[2]) <= tonumber(last) then return 0 end
end
redis.call('XADD', KEYS[3], 'MAXLEN', ARGV[5], ARGV[2] .. '-1', 'd', ARGV[3])
redis.call('SET', KEYS[4], ARGV[4])
redis.call('SET', KEYS[2], ARGV[2])
redis.call('SET', KEYS[5], string.match(redis.call('INFO', 'server'), 'run_id:(%w+)'))
return 1
`,
)

/**
 * Whether the log's last entry was written by this Redis process (or there is none).
 * KEYS: logrid   Returns 1 or 0.
 */
const SAME_STORE = lua(
  'sameStore',
  `
local written = redis.call('GET', KEYS[1])
if not written then return 1 end
if written == string.match(redis.call('INFO', 'server'), 'run_id:(%w+)') then return 1 end
return 0
`,
)

const logEntries = (rows: StreamRow[]): LogEntry[] =>
  rows.map(([id, fields]) => ({ seq: Number(id.split('-')[0]), json: field(fields ?? [], 'd') ?? '' }))

export class RedisDeltaLog implements DeltaLog {
  private idle: RedisClient[] = []
  private busy = new Set<RedisClient>()
  private closed = false

  constructor(
    private redis: RedisClient,
    private keys: RedisKeys,
    private retention: number,
  ) {}

  async append(eventId: number, owner: string, seq: number, deltaJson: string, stateJson: string, ahead = false) {
    const k = (name: string) => this.keys.of(eventId, name)
    const r = await runScript(
      this.redis,
      APPEND,
      [k('lease'), k('logseq'), k('log'), k('state'), k('logrid')],
      [owner, String(seq), deltaJson, stateJson, this.retention, ahead ? '1' : '0'],
    )
    return r === 1
  }

  async state(eventId: number) {
    return this.redis.get(this.keys.of(eventId, 'state'))
  }

  async sameStore(eventId: number) {
    return (await runScript(this.redis, SAME_STORE, [this.keys.of(eventId, 'logrid')], [])) === 1
  }

  async read(eventId: number, afterSeq: number, limit: number) {
    if (limit <= 0) return []
    const start = `${Math.max(0, Math.floor(afterSeq)) + 1}-0`
    const key = this.keys.of(eventId, 'log')
    const rows = (
      Number.isFinite(limit)
        ? await this.redis.xrange(key, start, '+', 'COUNT', Math.floor(limit))
        : await this.redis.xrange(key, start, '+')
    ) as StreamRow[]
    return logEntries(rows)
  }

  async tail(eventId: number, afterSeq: number, blockMs: number) {
    const after = Math.max(0, Math.floor(afterSeq))
    // BLOCK 0 would mean forever in Redis; here 0 means "do not wait".
    if (blockMs <= 0) return this.read(eventId, after, TAIL_COUNT)
    if (this.closed) return []
    const conn = await this.blocking()
    this.busy.add(conn)
    let reusable = false
    try {
      const reply = await conn.call(
        'XREAD',
        'COUNT',
        TAIL_COUNT,
        'BLOCK',
        Math.ceil(blockMs),
        'STREAMS',
        this.keys.of(eventId, 'log'),
        `${after}-1`,
      )
      reusable = true
      return logEntries(streamRows(reply))
    } catch (err) {
      // close() cut the connection under us: end quietly, like the memory log wakes its waiters.
      if (this.closed) return []
      throw err
    } finally {
      this.busy.delete(conn)
      if (reusable && !this.closed && conn.status === 'ready' && this.idle.length < IDLE_BLOCKING_KEPT) {
        this.idle.push(conn)
      } else conn.disconnect()
    }
  }

  /** Tails blocked in Redis now, each holding a connection (for tests and /metrics). */
  get blockedTails() {
    return this.busy.size
  }

  /** An idle blocking connection, or a new duplicate of the main client. */
  private async blocking(): Promise<RedisClient> {
    while (this.idle.length) {
      const conn = this.idle.pop()!
      if (conn.status === 'ready') return conn
      conn.disconnect()
    }
    // lazyConnect so that connect() below is ours to await whatever the main client's options.
    // On a Cluster the duplicate is a Cluster too: the XREAD goes to the node of the event's slot.
    const cluster = this.redis.isCluster
    const conn = cluster
      ? (this.redis as Cluster).duplicate([], { lazyConnect: true })
      : (this.redis as Redis).duplicate({ lazyConnect: true })
    conn.on('error', () => {
      // Reported through the failing command; an unhandled 'error' event would crash the process.
    })
    try {
      await (cluster ? connectCluster(conn as Cluster, CLUSTER_CONNECT_MS) : conn.connect())
    } catch (err) {
      conn.disconnect()
      throw err
    }
    return conn
  }

  /** Cuts blocked tails at once (a blocked XREAD would hold QUIT back) and quits the spares. */
  async close() {
    this.closed = true
    for (const conn of this.busy) conn.disconnect()
    this.busy.clear()
    await Promise.all(
      this.idle.splice(0).map((conn) =>
        conn.quit().then(
          () => {},
          () => conn.disconnect(),
        ),
      ),
    )
  }
}
