/**
 * The organiser's side: what the glowband CLI does (events, wristband batches, revoking,
 * reprinting), and how it finds a running server.
 *
 * How the CLI finds a running embedded server is in data-dir.ts; its token in token.ts.
 */
import { and, asc, eq, isNotNull, sql } from 'drizzle-orm'
import { checkins, events, wristbandBatches, wristbands } from '../../db/schema.ts'
import type { Database } from '../database/connect.ts'
import { type EventDirectory, type EventRecord, SLUG_PATTERN } from '../events/directory.ts'
import type { BatchResult, WristbandService } from '../host/wristbands/service.ts'
import { notFound } from '../http/errors.ts'
import type { CreateEventInput } from './model.ts'

export interface EventSummary {
  slug: string
  name: string
  status: string
  wristbands: number
  revoked: number
  checkedIn: number
}

export interface BatchSummary {
  label: string
  firstNumber: number
  count: number
  revoked: number
  createdAt: string
}

export interface BatchInput {
  count: number
  label?: string
  startNumber?: number
  add?: boolean
  dryRun?: boolean
}

/** The organiser's operations, over one database and counter layer (the server's own, or the CLI's). */
export class OperatorService {
  constructor(
    private db: Database,
    private directory: EventDirectory,
    private wristbandService: WristbandService,
  ) {}

  async event(slug: string): Promise<EventRecord> {
    const event = SLUG_PATTERN.test(slug) ? await this.directory.bySlug(slug) : null
    if (!event) throw notFound(`event "${slug}"`)
    return event
  }

  async listEvents(): Promise<EventSummary[]> {
    const rows = await this.db
      .select({
        slug: events.slug,
        name: events.name,
        status: events.status,
        wristbands: sql<number>`(select count(*)::int from ${wristbands} where ${wristbands.eventId} = ${events.id})`,
        revoked: sql<number>`(select count(*)::int from ${wristbands} where ${wristbands.eventId} = ${events.id} and ${isNotNull(wristbands.revokedAt)})`,
        checkedIn: sql<number>`(select count(*)::int from ${checkins} where ${checkins.eventId} = ${events.id})`,
      })
      .from(events)
      .orderBy(asc(events.id))
    return rows.map((r) => ({
      ...r,
      wristbands: Number(r.wristbands),
      revoked: Number(r.revoked),
      checkedIn: Number(r.checkedIn),
    }))
  }

  async createEvent(input: CreateEventInput) {
    const { event, hostSecret } = await this.directory.create(input)
    return { event: { slug: event.slug, name: event.name, status: event.status }, hostSecret }
  }

  async createBatch(
    slug: string,
    input: BatchInput,
    onProgress?: (done: number, total: number) => void,
  ): Promise<BatchResult> {
    const event = await this.event(slug)
    return this.wristbandService.createWristbands(
      event,
      {
        count: input.count,
        label: input.label,
        startNumber: input.startNumber,
        addToExisting: input.add,
        dryRun: input.dryRun,
      },
      onProgress,
    )
  }

  async batches(slug: string): Promise<BatchSummary[]> {
    const rows = await this.wristbandService.batches(await this.event(slug))
    return rows.map((b) => ({ ...b, revoked: Number(b.revoked) }))
  }

  async revoke(slug: string, target: { numbers?: number[]; codes?: string[]; batch?: string }) {
    const numbers = await this.wristbandService.revoke(await this.event(slug), target)
    return { revoked: numbers.sort((a, b) => a - b) }
  }

  /** A batch's wristbands that still work, from the database, to write its files again. */
  async exportBatch(slug: string, label: string) {
    const event = await this.event(slug)
    const [batch] = await this.db
      .select()
      .from(wristbandBatches)
      .where(and(eq(wristbandBatches.eventId, event.id), eq(wristbandBatches.label, label)))
    if (!batch) throw notFound(`batch "${label}" of event "${slug}"`)
    const rows = await this.db
      .select({ number: wristbands.number, code: wristbands.code, revokedAt: wristbands.revokedAt })
      .from(wristbands)
      .where(eq(wristbands.batchId, batch.id))
      .orderBy(asc(wristbands.number))
    const live = rows.filter((r) => !r.revokedAt)
    return {
      label,
      firstNumber: live[0]?.number ?? batch.firstNumber,
      wristbands: live.map((r) => ({ number: r.number, code: r.code })),
      revoked: rows.length - live.length,
    }
  }
}
