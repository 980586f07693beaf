/**
 * Builds one server instance's parts from its configuration: the database, the counter
 * layer (Redis or in-process), the services, the flusher, the tickers and the hub, and
 * owns their start and orderly stop.
 */
import { join } from 'node:path'
import type { Config } from './config.ts'
import { type DatabaseHandle, openPglite, openPostgres } from './database/connect.ts'
import { EventDirectory } from './events/directory.ts'
import { defaultMaxStreams, openFileLimit } from './fanout/capacity.ts'
import { Hub } from './fanout/hub.ts'
import { GuestService } from './guest/service.ts'
import { AttendeeService } from './host/attendees/service.ts'
import { ExportService } from './host/exports/service.ts'
import { createHostLimits, type HostLimits } from './host/guard.ts'
import { LookService } from './host/look/service.ts'
import { ModerationService } from './host/moderation/service.ts'
import { PollService } from './host/polls/service.ts'
import { QaService } from './host/qa/service.ts'
import { RaffleService } from './host/raffles/service.ts'
import { ScreenService } from './host/screen/service.ts'
import { ShowService } from './host/show/service.ts'
import { StatusService } from './host/status/service.ts'
import { WristbandService } from './host/wristbands/service.ts'
import { loadSigningKey, Signer } from './http/session.ts'
import { createLogger, type Logger } from './lib/logger.ts'
import { type LiveLayer, openMemoryLive } from './live/index.ts'
import { Wakes, withWakes } from './live/wakes.ts'
import { Flusher } from './pipeline/flusher.ts'
import { Tickers } from './pipeline/ticker.ts'
import { QuizService } from './quiz/service.ts'

export interface Runtime {
  config: Config
  log: Logger
  database: DatabaseHandle
  live: LiveLayer
  directory: EventDirectory
  guests: GuestService
  polls: PollService
  status: StatusService
  moderation: ModerationService
  qa: QaService
  raffles: RaffleService
  wristbands: WristbandService
  attendees: AttendeeService
  exports: ExportService
  look: LookService
  show: ShowService
  screen: ScreenService
  quiz: QuizService
  hostLimits: HostLimits
  flusher: Flusher
  tickers: Tickers
  hub: Hub
  signer: Signer
  startedAt: number
  /** Starts the background loops (flusher, tickers, event refresh). */
  start(): void
  /** Stops accepting, tells subscribers to reconnect elsewhere, flushes, closes. */
  stop(): Promise<void>
}

/**
 * How often an instance in cluster mode re-reads which events are open (other instances
 * create and end them, and a Redis that came back may have lost live state). Embedded
 * mode is the only process: it re-reads when an event changes, never on a timer.
 */
const EVENT_REFRESH_MS = 1000
/** Open events whose counter-layer state is checked at once in each refresh. */
const REFRESH_BATCH = 100

export async function createRuntime(config: Config, logger?: Logger): Promise<Runtime> {
  const log = logger ?? createLogger(config.LOG_LEVEL, { instance: config.INSTANCE_ID })
  let database: DatabaseHandle
  let live: LiveLayer
  if (config.mode === 'cluster') {
    database = await openPostgres({
      url: config.DATABASE_URL!,
      migrationUrl: config.MIGRATION_DATABASE_URL,
      poolMax: config.DB_POOL_MAX,
    })
    // Loaded only in cluster mode, so embedded mode never touches the Redis code.
    const { connectRedis, redisLive } = await import('./live/redis.ts')
    live = redisLive(await connectRedis(config.REDIS_URL!), {
      prefix: config.REDIS_PREFIX,
      retention: config.LOG_RETENTION,
    })
  } else {
    const inMemory = config.DATA_DIR === ':memory:'
    database = await openPglite(inMemory ? null : config.dataDir)
    // The queue file makes an acknowledged action survive a crash of this process.
    live = await openMemoryLive({
      retention: config.LOG_RETENTION,
      queueFile: inMemory ? null : join(config.dataDir, 'queue.wal'),
    })
  }
  // Every change to live state wakes the ticker and the flusher (they sleep otherwise).
  const wakes = new Wakes()
  live = withWakes(live, wakes)
  const { counters } = live
  const db = database.db
  const directory = new EventDirectory(db, counters, log, live.engagement)
  const flusher = new Flusher(db, live, log, {
    consumer: config.INSTANCE_ID,
    intervalMs: config.FLUSH_MS,
    batchSize: config.FLUSH_BATCH,
    leaseMs: Math.max(config.LEASE_MS, 5000),
    reclaimIdleMs: 15_000,
  })
  directory.drain = (eventId) => flusher.drain(eventId)
  directory.leases = live.leases
  const tickers = new Tickers(live, log, {
    owner: config.INSTANCE_ID,
    tickMs: config.TICK_MS,
    leaseMs: config.LEASE_MS,
  })
  const hub = new Hub(live.log, log, {
    heartbeatMs: config.HEARTBEAT_MS,
    ringSize: config.LOG_RETENTION,
    staleCloseMs: config.STALE_SUBSCRIBER_MS,
    retryMs: 2000,
    backlogBytes: config.SUBSCRIBER_BACKLOG_BYTES,
    fanOutShare: config.FANOUT_SHARE,
    channelIdleMs: config.CHANNEL_IDLE_MS,
    readyTimeoutMs: 3000,
    maxStreams: config.MAX_STREAMS ?? defaultMaxStreams(openFileLimit()),
    maxStreamsPerAddress: config.MAX_STREAMS_PER_ADDRESS,
  })
  wakes.on((eventId) => tickers.wake(eventId))
  wakes.on((eventId) => flusher.wake(eventId))
  log.debug('stream capacity', { maxStreams: hub.opts.maxStreams, perAddress: hub.opts.maxStreamsPerAddress })
  const signer = new Signer(await loadSigningKey(db))
  let refresh: ReturnType<typeof setInterval> | null = null

  const readEvents = async () => {
    try {
      const open = await directory.open()
      tickers.setEvents(open.map((e) => e.id))
      // A hundred at a time: the checks of a batch go to Redis in one pipelined write rather
      // than one round trip each (1,000 idle events: 2 % of a core, mostly these), and a
      // rebuild after Redis lost its data does not start a thousand Postgres reads at once.
      for (let i = 0; i < open.length; i += REFRESH_BATCH) {
        await Promise.all(open.slice(i, i + REFRESH_BATCH).map((e) => directory.ensureLoaded(e.id)))
      }
    } catch (err) {
      log.debug('event refresh failed', { error: String(err) })
    }
  }
  // One refresh at a time; a change during one asks for another after it.
  let refreshing: Promise<void> | null = null
  let again = false
  const refreshEvents = (): Promise<void> => {
    if (refreshing) {
      again = true
      return refreshing
    }
    refreshing = readEvents().finally(() => {
      refreshing = null
      if (again) {
        again = false
        void refreshEvents()
      }
    })
    return refreshing
  }
  if (config.mode === 'embedded') directory.changed = () => void refreshEvents()

  const runtime: Runtime = {
    config,
    log,
    database,
    live,
    directory,
    guests: new GuestService(db, counters, directory, live.buckets, live.engagement),
    polls: new PollService(db, counters),
    status: new StatusService(db, counters, directory),
    moderation: new ModerationService(db, counters, live.engagement),
    qa: new QaService(db, live.engagement),
    raffles: new RaffleService(db, counters),
    wristbands: new WristbandService(db, counters),
    attendees: new AttendeeService(db, live.queue),
    exports: new ExportService(db, config.EXPORT_PAGE_ROWS),
    look: new LookService(db, directory),
    show: new ShowService(db, counters),
    screen: new ScreenService(db, counters, directory),
    quiz: new QuizService(db, counters, directory, log),
    hostLimits: createHostLimits(live.buckets),
    flusher,
    tickers,
    hub,
    signer,
    startedAt: Date.now(),
    start() {
      flusher.start()
      tickers.start()
      void refreshEvents()
      if (config.mode === 'cluster') {
        refresh = setInterval(() => {
          void refreshEvents()
          // A change taken by an instance that died before ticking it still reaches these subscribers.
          for (const eventId of hub.subscribedEvents()) tickers.poke(eventId)
        }, EVENT_REFRESH_MS)
      }
    },
    async stop() {
      if (refresh) clearInterval(refresh)
      runtime.quiz.stop()
      await tickers.stop()
      await hub.close(Math.min(config.SHUTDOWN_GRACE_MS, 2000))
      await flusher.stop()
      // Whatever is still queued goes to Postgres now (cluster mode keeps it in Redis anyway).
      for (const eventId of await live.queue.events().catch(() => [])) {
        await flusher.drain(eventId, config.SHUTDOWN_GRACE_MS).catch((err) => {
          log.warn('queue not drained at shutdown', { eventId, error: String(err) })
        })
      }
      await live.close()
      await database.close()
    },
  }
  // A change to what GET /api/events/:slug says reaches the open pages through the stream.
  runtime.look.changed = (event) => runtime.screen.infoChanged(event)
  runtime.status.changed = (event) => runtime.screen.infoChanged(event)
  // Open events come back into the counter layer before the first request.
  await refreshEvents()
  return runtime
}
