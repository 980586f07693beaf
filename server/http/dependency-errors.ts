/**
 * Whether an exception means "a dependency is down" (Postgres, Redis, the network to
 * them) or "our code is wrong". Only the first is a 503 the client should retry; the
 * second is a 500 with an error id in the log, because retrying it changes nothing.
 */

/** Connection-level codes from Node sockets, postgres.js and ioredis. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'NR_CLOSED',
])

/** SQLSTATE classes and codes that mean "not now": connection, resources, shutdown or timeout, serialization. */
const SQLSTATE_UNAVAILABLE = /^(08|53|57|58|40001|40P01)/

/** ioredis (and our Redis helpers) say so in words rather than codes. */
const REDIS_DOWN = [
  /redis transaction aborted/i,
  /ping timed out/i,
  /connection is closed/i,
  /stream isn't writeable/i,
  /max retries per request/i,
  /reached the max retries/i,
  /\bLOADING\b/,
  /\bCLUSTERDOWN\b/,
  // A Redis Cluster client that could not reach a slot's master within its redirections.
  /^MOVED \d+ /,
  /\bTRYAGAIN\b/,
  /\bREADONLY\b/,
  /\bMASTERDOWN\b/,
]

export function isDependencyDown(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false
  const e = error as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown; errno?: unknown }
  if (typeof e.code === 'string') {
    if (CONNECTION_CODES.has(e.code)) return true
    if (/^[0-9A-Z]{5}$/.test(e.code) && SQLSTATE_UNAVAILABLE.test(e.code)) return true
  }
  if (e.name === 'MaxRetriesPerRequestError' || e.name === 'ClusterAllFailedError') return true
  if (typeof e.message === 'string' && REDIS_DOWN.some((re) => re.test(e.message as string))) return true
  // drizzle and our own wrappers keep the driver's error as the cause.
  return isDependencyDown(e.cause, depth + 1)
}
