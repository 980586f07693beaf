/**
 * The event directory: finds events by slug (cached briefly per instance), creates
 * them, and makes sure the counter layer holds each live event's state, rebuilding it
 * from Postgres (plus whatever is still in the write queue) when it is missing.
 */
import { createHash, randomBytes } from 'node:crypto'
import { and, asc, eq, isNotNull, ne, sql } from 'drizzle-orm'
import {
  checkins,
  defaultEventSettings,
  type EventSettings,
  type EventStatus,
  events,
  messages,
  pollOptions,
  polls,
  questions,
  rafflePicks,
  raffles,
  raffleWinners,
  responses,
  wristbands,
  writeBans,
} from '../../db/schema.ts'
import type { Raffle } from '../../protocol/index.ts'
import type { Database } from '../database/connect.ts'
import { publicRaffle } from '../host/raffles/model.ts'
import { storedScreen } from '../host/screen/model.ts'
import { conflict, unavailable } from '../http/errors.ts'
import { QA_KIND } from '../interactions/kinds/qa.ts'
import { kindOf } from '../interactions/registry.ts'
import type { Logger } from '../lib/logger.ts'
import { LruMap } from '../lib/lru.ts'
import type { EventSeed, LiveCounters } from '../live/counters/types.ts'
import type { EngagementSeed, LiveEngagement } from '../live/engagement/types.ts'
import type { Leases } from '../live/leases/types.ts'

export interface EventRecord {
  id: number
  slug: string
  name: string
  status: EventStatus
  message: string
  settings: EventSettings
  hostSecretHash: string
}

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex')

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/

/** `"Summer Gala 2026!"` -> `"summer-gala-2026"` */
export const slugify = (name: string) =>
  name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '') || 'event'

const CACHE_MS = 2000
/** Events remembered per instance, and slugs remembered as unknown (a scan of random slugs must not grow memory). */
const EVENTS_CACHED = 10_000
const MISSES_CACHED = 1000

/** The drain step the directory runs before a rebuild, so queued actions count. */
export type Drainer = (eventId: number) => Promise<void>

/** How long one rebuild may hold the event's rebuild lease, and how long another waits for it. */
const REBUILD_LEASE_MS = 60_000

export class EventDirectory {
  private cache = new LruMap<string, { at: number; event: EventRecord }>(EVENTS_CACHED)
  private misses = new LruMap<string, number>(MISSES_CACHED)
  /** When each event was last found loaded, and under which generation of the counter layer. */
  private loaded = new Map<number, { at: number; generation: number }>()
  private loading = new Map<number, Promise<void>>()
  drain: Drainer = async () => {}
  /**
   * The deployment's leases (set by the runtime): one rebuild of an event at a time across
   * all instances. Two at once could each read Postgres before the other's accepted actions
   * were flushed and load counts without them.
   */
  leases: Leases | null = null
  private readonly owner = `rebuild-${randomBytes(6).toString('hex')}`

  constructor(
    private db: Database,
    private counters: LiveCounters,
    private log: Logger,
    private engagement?: LiveEngagement,
  ) {}

  private boards = new Map<number, number>()

  /**
   * The event's Q&A board (the interaction upvotes are responses to), made on first use.
   * This instance puts its definition into the counter layer once, for live state loaded
   * before the board existed; a rebuild reads it from Postgres like any interaction.
   */
  async qaBoard(eventId: number): Promise<number> {
    const known = this.boards.get(eventId)
    if (known !== undefined) return known
    await this.db.insert(polls).values({ eventId, kind: QA_KIND, question: 'Q&A', state: 'open' }).onConflictDoNothing()
    const [row] = await this.db
      .select()
      .from(polls)
      .where(and(eq(polls.eventId, eventId), eq(polls.kind, QA_KIND)))
    if (!row) throw new Error(`event ${eventId} has no Q&A board`)
    await this.counters.putInteraction(eventId, kindOf(QA_KIND).define({ ...row, config: row.config, options: [] }))
    this.boards.set(eventId, row.id)
    return row.id
  }

  /**
   * Finds an event. A known event is answered from memory at once and refreshed in the
   * background when older than CACHE_MS, so a slow or unreachable Postgres never makes a
   * guest wait; only an event never seen by this instance needs the database.
   */
  async bySlug(slug: string): Promise<EventRecord | null> {
    const hit = this.cache.get(slug)
    if (hit) {
      if (Date.now() - hit.at >= CACHE_MS) void this.refresh(slug).catch(() => {})
      return hit.event
    }
    const missedAt = this.misses.get(slug)
    if (missedAt !== undefined && Date.now() - missedAt < CACHE_MS) return null
    try {
      return await this.refresh(slug)
    } catch (err) {
      this.log.warn('event lookup failed', { slug, error: String(err) })
      throw unavailable('the event database is unreachable')
    }
  }

  private refreshing = new Map<string, Promise<EventRecord | null>>()

  private refresh(slug: string): Promise<EventRecord | null> {
    let pending = this.refreshing.get(slug)
    if (!pending) {
      pending = this.db
        .select()
        .from(events)
        .where(eq(events.slug, slug))
        .then(([row]) => {
          const event = (row as EventRecord | undefined) ?? null
          if (event) {
            this.cache.set(slug, { at: Date.now(), event })
            this.misses.delete(slug)
          } else {
            this.cache.delete(slug)
            this.misses.set(slug, Date.now())
          }
          return event
        })
        .finally(() => this.refreshing.delete(slug))
      this.refreshing.set(slug, pending)
    }
    return pending
  }

  /** Slugs this instance remembers, found or not (bounded). */
  get cachedSlugs() {
    return this.cache.size + this.misses.size
  }

  /** Called when an event was created or changed on this instance (the runtime re-reads the open ones). */
  changed: () => void = () => {}

  /** Drops cached rows, after a host changed the event. */
  forget(slug: string) {
    this.cache.delete(slug)
    this.misses.delete(slug)
    this.changed()
  }

  async list(): Promise<EventRecord[]> {
    return this.db.select().from(events).orderBy(asc(events.id))
  }

  private openList: EventRecord[] | null = null

  /** Events guests can still check in to, read from Postgres (and remembered for `openCached`). */
  async open(): Promise<EventRecord[]> {
    const list = await this.db.select().from(events).where(ne(events.status, 'ended')).orderBy(asc(events.id))
    this.openList = list
    for (const e of list) this.cache.set(e.slug, { at: Date.now(), event: e })
    return list
  }

  /**
   * The open events as last read (the runtime re-reads them every second), so the hot
   * paths that need the list (`/w/:code`, `/time`) never wait on Postgres.
   */
  async openCached(): Promise<EventRecord[]> {
    return this.openList ?? this.open()
  }

  /**
   * Creates an event and returns it with its host secret, which is stored only hashed.
   * @example const { event, hostSecret } = await directory.create({ name: 'Gala' })
   */
  async create(input: { name: string; slug?: string; settings?: Partial<EventSettings> }) {
    const slug = input.slug ?? slugify(input.name)
    const hostSecret = randomBytes(18).toString('base64url')
    const rows = await this.db
      .insert(events)
      .values({
        slug,
        name: input.name,
        settings: { ...defaultEventSettings, ...input.settings },
        hostSecretHash: hashSecret(hostSecret),
      })
      .onConflictDoNothing()
      .returning()
    if (!rows.length) throw conflict('slug_taken', `an event with the slug "${slug}" already exists`)
    this.forget(slug)
    this.openList?.push(rows[0] as EventRecord)
    await this.ensureLoaded(rows[0].id, true)
    return { event: rows[0] as EventRecord, hostSecret }
  }

  /**
   * Makes sure the counter layer holds this event. Cheap when it does: the answer is
   * remembered for a second, and forgotten at once when the connection to Redis was lost,
   * so no guest action reaches a restarted Redis before its state is checked (and rebuilt).
   */
  async ensureLoaded(eventId: number, force = false): Promise<void> {
    const checked = this.loaded.get(eventId)
    const generation = this.counters.generation()
    if (!force && checked && checked.generation === generation && Date.now() - checked.at < 1000) return
    if (!force && (await this.counters.isLoaded(eventId))) {
      this.loaded.set(eventId, { at: Date.now(), generation })
      return
    }
    let pending = this.loading.get(eventId)
    if (!pending) {
      pending = this.rebuild(eventId).finally(() => this.loading.delete(eventId))
      this.loading.set(eventId, pending)
    }
    await pending
    this.loaded.set(eventId, { at: Date.now(), generation })
  }

  private async rebuild(eventId: number) {
    const started = performance.now()
    const lease = `rebuild:${eventId}`
    const leases = this.leases
    if (leases) {
      const deadline = Date.now() + REBUILD_LEASE_MS
      while (!(await leases.acquire(lease, this.owner, REBUILD_LEASE_MS))) {
        if (Date.now() > deadline) throw new Error(`event ${eventId} is being rebuilt elsewhere for too long`)
        await Bun.sleep(50)
      }
    }
    try {
      // Another instance may have just rebuilt it: no guest action was taken meanwhile
      // (they all wait for a loaded state), so a second rebuild would only cost time.
      if (leases && (await this.counters.isLoaded(eventId))) return
      // Whatever the queue still holds goes to Postgres first, so the rebuilt counters include it.
      await this.drain(eventId)
      // The engagement store first: the counters' load marks the event loaded, and guest
      // actions go ahead from then on.
      if (this.engagement) await this.engagement.load(eventId, await this.engagementSeed(eventId))
      await this.counters.loadEvent(eventId, await this.seed(eventId))
      this.log.info('live state loaded from postgres', { eventId, ms: Math.round(performance.now() - started) })
    } finally {
      if (leases) await leases.release(lease, this.owner).catch(() => {})
    }
  }

  /** The questions and bans of an event, from Postgres. */
  async engagementSeed(eventId: number): Promise<EngagementSeed> {
    const [questionRows, banRows] = await Promise.all([
      this.db.select().from(questions).where(eq(questions.eventId, eventId)).orderBy(asc(questions.id)),
      this.db.select({ number: writeBans.number }).from(writeBans).where(eq(writeBans.eventId, eventId)),
    ])
    return {
      questions: questionRows.map((q) => ({
        id: q.id,
        number: q.number,
        text: q.text,
        state: q.state,
        pinned: q.pinned,
        answered: q.answered,
        at: q.at.getTime(),
      })),
      maxQuestionId: questionRows.reduce((m, q) => Math.max(m, q.id), 0),
      bans: banRows.map((b) => b.number),
    }
  }

  /** Reads everything the counter layer needs about an event from Postgres. */
  async seed(eventId: number): Promise<EventSeed> {
    const db = this.db
    const [event] = await db.select().from(events).where(eq(events.id, eventId))
    if (!event) throw new Error(`event ${eventId} does not exist`)
    const [
      bands,
      checkinRows,
      pollRows,
      optionRows,
      responseRows,
      messageRows,
      raffleRows,
      winnerRows,
      maxes,
      noShowRows,
    ] = await Promise.all([
      db
        .select({ number: wristbands.number, codeHash: wristbands.codeHash, revokedAt: wristbands.revokedAt })
        .from(wristbands)
        .where(eq(wristbands.eventId, eventId)),
      db.select().from(checkins).where(eq(checkins.eventId, eventId)),
      db.select().from(polls).where(eq(polls.eventId, eventId)).orderBy(asc(polls.id)),
      db
        .select({ id: pollOptions.id, pollId: pollOptions.pollId, label: pollOptions.label })
        .from(pollOptions)
        .innerJoin(polls, eq(polls.id, pollOptions.pollId))
        .where(eq(polls.eventId, eventId))
        .orderBy(asc(pollOptions.pollId), asc(pollOptions.position)),
      db
        .select({
          interactionId: responses.interactionId,
          number: responses.number,
          slot: responses.slot,
          response: responses.response,
        })
        .from(responses)
        .where(and(eq(responses.eventId, eventId), isNotNull(responses.response))),
      db.select().from(messages).where(eq(messages.eventId, eventId)).orderBy(asc(messages.id)),
      db.select().from(raffles).where(eq(raffles.eventId, eventId)).orderBy(asc(raffles.id)),
      db
        .select({ raffleId: raffleWinners.raffleId, number: raffleWinners.number, tier: raffleWinners.tier })
        .from(raffleWinners)
        .innerJoin(raffles, eq(raffles.id, raffleWinners.raffleId))
        .where(eq(raffles.eventId, eventId))
        .orderBy(asc(raffleWinners.raffleId), asc(raffleWinners.position)),
      db
        .select({
          maxMessage: sql<number>`(select coalesce(max(${messages.id}), 0) from ${messages} where ${messages.eventId} = ${eventId})`,
          maxRev: sql<number>`(select coalesce(max(${responses.rev}), 0) from ${responses} where ${responses.eventId} = ${eventId})`,
        })
        .from(sql`(select 1) as one`),
      db
        .select({ raffleId: rafflePicks.raffleId, number: rafflePicks.number })
        .from(rafflePicks)
        .innerJoin(raffles, eq(raffles.id, rafflePicks.raffleId))
        .where(and(eq(raffles.eventId, eventId), eq(rafflePicks.outcome, 'no_show')))
        .orderBy(asc(rafflePicks.raffleId), asc(rafflePicks.noShowSeq)),
    ])
    const interactions = pollRows.map((p) =>
      kindOf(p.kind).define({
        id: p.id,
        kind: p.kind,
        question: p.question,
        state: p.state,
        config: p.config,
        position: p.position,
        options: optionRows.filter((o) => o.pollId === p.id).map((o) => ({ id: o.id, label: o.label })),
      }),
    )
    const kinds = new Map(pollRows.map((p) => [p.id, kindOf(p.kind)]))
    const raffleList: Raffle[] = raffleRows.map((r) =>
      publicRaffle(
        r,
        winnerRows.filter((w) => w.raffleId === r.id),
        noShowRows.filter((n) => n.raffleId === r.id).map((n) => n.number),
      ),
    )
    return {
      status: event.status,
      message: event.message,
      wristbands: bands.map((b) => ({ number: b.number, codeHash: b.codeHash, revoked: b.revokedAt !== null })),
      checkins: checkinRows.map((c) => ({ number: c.number, at: c.at.getTime() })),
      interactions,
      responses: responseRows.flatMap((r) => {
        const kind = kinds.get(r.interactionId)
        if (!kind) return []
        const response = JSON.stringify(r.response)
        return [
          {
            interactionId: r.interactionId,
            number: r.number,
            slot: r.slot,
            response,
            keys: kind.keysOf(r.response, r.number),
          },
        ]
      }),
      messages: messageRows.map((m) => ({
        id: m.id,
        number: m.number,
        text: m.text,
        state: m.state,
        at: m.at.getTime(),
      })),
      raffles: raffleList,
      show: event.show ?? null,
      screen: storedScreen(event.settings),
      maxMessageId: Number(maxes[0]?.maxMessage ?? 0),
      maxRev: Number(maxes[0]?.maxRev ?? 0),
    }
  }
}
