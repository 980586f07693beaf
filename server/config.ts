/**
 * Configuration, read from the environment once at start and validated with zod.
 * Nothing else in the server reads `process.env`; it receives a `Config`.
 */
import { hostname } from 'node:os'
import { resolve } from 'node:path'
import { z } from 'zod'
import { parseClusterUrl } from './live/redis-url.ts'

const port = z.coerce.number().int().min(0).max(65535)
const ms = (min: number, max: number) => z.coerce.number().int().min(min).max(max)
const url = (schemes: string[]) =>
  z
    .string()
    .trim()
    .refine(
      (s) => {
        try {
          return schemes.includes(new URL(s).protocol)
        } catch {
          return false
        }
      },
      `must be a URL starting with ${schemes.map((s) => `${s}//`).join(' or ')}`,
    )

/** One Redis URL, or `redis+cluster://host:port,...`, which `new URL` cannot read (a comma in the port). */
const redisUrl = z
  .string()
  .trim()
  .refine((s) => {
    try {
      return parseClusterUrl(s) !== null || ['redis:', 'rediss:'].includes(new URL(s).protocol)
    } catch {
      return false
    }
  }, 'must be a URL starting with redis:// or rediss://, or redis+cluster://host:port,host:port,... for a Redis Cluster')

const schema = z
  .object({
    PORT: port.default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    /** Base URL printed on wristbands and the join QR; defaults to http://localhost:PORT. */
    PUBLIC_URL: url(['http:', 'https:']).optional(),
    DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
    /**
     * Where migrations run, when DATABASE_URL is a transaction-pooling PgBouncer: they hold
     * a session lock, so they need a session (Postgres itself, or a session-mode pool).
     */
    MIGRATION_DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
    /**
     * One Redis, `redis://` or `rediss://`; or a Redis Cluster,
     * `redis+cluster://[user:password@]host:port,host:port,...` (some of its masters; the
     * client finds the others). Every key of an event shares a hash tag, so one event's
     * state lives on one master and the events spread over all of them.
     */
    REDIS_URL: redisUrl.optional(),
    DATA_DIR: z.string().min(1).default('./data'),
    /** Prefix of every Redis key, so several deployments (or test runs) can share one Redis. */
    REDIS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,32}$/, 'use 1-32 letters, digits, _ . -')
      .default('gb'),
    DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    /** How often the ticker turns live counters into a delta. */
    TICK_MS: ms(20, 2000).default(150),
    /** How often the flusher drains the write queue into Postgres, and the most it takes at once. */
    FLUSH_MS: ms(5, 10_000).default(100),
    FLUSH_BATCH: z.coerce.number().int().min(1).max(10_000).default(1000),
    /** Rows per page of a CSV export (one query each; only one page is in memory at a time). */
    EXPORT_PAGE_ROWS: z.coerce.number().int().min(100).max(100_000).default(1000),
    /** Heartbeat comment on every SSE stream; well inside common proxy idle timeouts (60 s). */
    HEARTBEAT_MS: ms(100, 60_000).default(15_000),
    /** Ticker lease time to live: how soon another instance takes over a dead ticker. */
    LEASE_MS: ms(200, 60_000).default(3000),
    /** Deltas kept in the delta log for resume. At 150 ms a tick, 2000 is five minutes. */
    LOG_RETENTION: z.coerce.number().int().min(10).max(1_000_000).default(2000),
    /** Bytes queued for one slow SSE subscriber before it is skipped to a fresh snapshot. */
    SUBSCRIBER_BACKLOG_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(64 * 1024 * 1024)
      .default(256 * 1024),
    /**
     * The most of one process's time fan-out to subscribers may take; after each fan-out
     * the hub waits so the rest is left for guests' actions. 1 never waits.
     */
    FANOUT_SHARE: z.coerce.number().gt(0).max(1).default(0.4),
    /** A stream channel with no subscriber is closed once nobody asked for its event this long. */
    CHANNEL_IDLE_MS: ms(100, 3_600_000).default(30_000),
    /**
     * SSE streams this instance holds before it refuses new ones with 503 + Retry-After
     * (the load balancer or the phone goes elsewhere). Unset: the open-file limit
     * (`ulimit -n`) minus a tenth of it, at least 256 (server/fanout/capacity.ts).
     */
    MAX_STREAMS: z.coerce.number().int().min(1).max(10_000_000).optional(),
    /**
     * SSE streams one client address may hold on this instance (429 past it); 0 is off.
     * Off by default: a venue's Wi-Fi puts hundreds of phones behind one address.
     */
    MAX_STREAMS_PER_ADDRESS: z.coerce.number().int().min(0).max(10_000_000).default(0),
    /** Take the client address from X-Forwarded-For (set when running behind nginx). */
    TRUST_PROXY: z
      .enum(['true', 'false', '1', '0'])
      .default('false')
      .transform((v) => v === 'true' || v === '1'),
    /** A subscriber that has taken nothing for this long (a stalled or half-open socket) is closed. */
    STALE_SUBSCRIBER_MS: ms(1000, 600_000).default(60_000),
    /**
     * Bearer token for /metrics and the details of /healthz. Unset, only direct
     * connections from this machine see them (see server/system/ops-access.ts).
     */
    METRICS_TOKEN: z
      .string()
      .regex(/^\S{16,200}$/, 'use 16-200 characters without spaces (e.g. openssl rand -hex 24)')
      .optional(),
    INSTANCE_ID: z.string().min(1).max(64).default(`${hostname()}-${process.pid}`),
    SHUTDOWN_GRACE_MS: ms(0, 120_000).default(5000),
    LOG_LEVEL: z.enum(['silent', 'error', 'warn', 'info', 'debug']).default('info'),
  })
  .superRefine((env, ctx) => {
    if (!!env.DATABASE_URL !== !!env.REDIS_URL) {
      ctx.addIssue({
        code: 'custom',
        path: [env.DATABASE_URL ? 'REDIS_URL' : 'DATABASE_URL'],
        message: 'cluster mode needs both DATABASE_URL and REDIS_URL; set both, or neither for embedded mode',
      })
    }
  })

export type Config = z.infer<typeof schema> & {
  mode: 'cluster' | 'embedded'
  publicUrl: string
  dataDir: string
}

export class ConfigError extends Error {}

/**
 * Parses the environment; throws a ConfigError naming every wrong variable.
 * @example const config = loadConfig({ PORT: '8080' })
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings count as unset, the way shells and .env files usually mean them.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''))
  const parsed = schema.safeParse(cleaned)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || 'environment'}: ${i.message}`)
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`)
  }
  const c = parsed.data
  return {
    ...c,
    mode: c.DATABASE_URL && c.REDIS_URL ? 'cluster' : 'embedded',
    publicUrl: (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, ''),
    // ':memory:' keeps the embedded database in memory (tests, throwaway demos).
    dataDir: c.DATA_DIR === ':memory:' ? ':memory:' : resolve(c.DATA_DIR),
  }
}
