/**
 * Opens Postgres (postgres.js in cluster mode, PGlite in embedded mode) behind one
 * drizzle type, and applies the committed drizzle-kit migrations.
 */
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { sql } from 'drizzle-orm'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'
import * as schema from '../../db/schema.ts'
import { withTimeout } from '../lib/timeout.ts'

/** 0.1, 0.2, 0.4 ... at most 1 s, with jitter so instances do not reconnect in step. */
const reconnectDelaySeconds = (retries: number) => (0.5 + Math.random() / 2) * Math.min(0.1 * 2 ** retries, 1)

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>

export interface DatabaseHandle {
  db: Database
  kind: 'postgres' | 'pglite'
  /** Cheap liveness check for /healthz; never throws. */
  ping(): Promise<boolean>
  close(): Promise<void>
}

const migrationsFolder = resolve(import.meta.dir, '../../db/migrations')
/** Serialises migrations when several instances start at once. */
const MIGRATION_LOCK = 727_274

export interface PostgresOptions {
  url: string
  /** Migrations' connection (a session); defaults to `url`. */
  migrationUrl?: string
  poolMax: number
  /** Fail fast instead of hanging when Postgres is down. */
  connectTimeoutSeconds?: number
}

/**
 * Connects with postgres.js. `prepare: false` keeps it safe behind PgBouncer in
 * transaction mode, where a prepared statement may land on another server connection.
 */
export async function openPostgres(opts: PostgresOptions): Promise<DatabaseHandle> {
  const migrator = postgres(opts.migrationUrl ?? opts.url, {
    max: 1,
    onnotice: () => {},
    connect_timeout: opts.connectTimeoutSeconds ?? 10,
  })
  try {
    await migrator`select pg_advisory_lock(${MIGRATION_LOCK})`
    await migratePostgres(drizzlePostgres(migrator), { migrationsFolder })
    await migrator`select pg_advisory_unlock(${MIGRATION_LOCK})`
  } finally {
    await migrator.end({ timeout: 5 })
  }
  const client = postgres(opts.url, {
    max: opts.poolMax,
    prepare: false,
    onnotice: () => {},
    connect_timeout: opts.connectTimeoutSeconds ?? 10,
    idle_timeout: 60,
    // postgres.js waits up to 20 s between reconnects after repeated failures, so writes
    // would wait that long after an outage ends; the flusher already backs off itself.
    backoff: reconnectDelaySeconds,
  })
  const db = drizzlePostgres(client, { schema }) as unknown as Database
  return {
    db,
    kind: 'postgres',
    // Bounded: a Postgres that does not answer must not make /healthz hang.
    ping: () =>
      withTimeout(
        client`select 1`.then(() => true),
        1000,
        false,
      ),
    close: () => client.end({ timeout: 5 }),
  }
}

/** Opens (or creates) the embedded database under `dataDir`; `dataDir` null means in memory. */
export async function openPglite(dataDir: string | null): Promise<DatabaseHandle> {
  let client: PGlite
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true })
    client = new PGlite(join(dataDir, 'pglite'))
  } else {
    client = new PGlite()
  }
  await client.waitReady
  const db = drizzlePglite(client, { schema })
  await migratePglite(db, { migrationsFolder })
  return {
    db: db as unknown as Database,
    kind: 'pglite',
    ping: () =>
      withTimeout(
        db.execute(sql`select 1`).then(() => true),
        1000,
        false,
      ),
    close: () => client.close(),
  }
}
