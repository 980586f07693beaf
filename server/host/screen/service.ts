/** The host directs the big screen: the view on the stage and the winners panel over it. */
import { and, eq, ne, sql } from 'drizzle-orm'
import { events, polls, raffles } from '../../../db/schema.ts'
import {
  DRAW_LANDING_MS,
  type ScreenBody,
  type ScreenState,
  screenViewsWithId,
  type WinnersBody,
  type WinnersPanel,
} from '../../../protocol/index.ts'
import type { Database } from '../../database/connect.ts'
import type { EventDirectory, EventRecord } from '../../events/directory.ts'
import { badRequest } from '../../http/errors.ts'
import { QA_KIND } from '../../interactions/kinds/qa.ts'
import type { LiveCounters } from '../../live/counters/types.ts'
import { audit } from '../audit.ts'
import { SCREEN_SETTING, storedScreen } from './model.ts'

export class ScreenService {
  constructor(
    private db: Database,
    private counters: LiveCounters,
    private directory: EventDirectory,
  ) {}

  /** The screen state as Postgres holds it now (the directory's cached row may be 2 s old). */
  async current(event: EventRecord): Promise<ScreenState> {
    const [row] = await this.db.select({ settings: events.settings }).from(events).where(eq(events.id, event.id))
    return storedScreen(row?.settings)
  }

  /** Puts a view on the stage; the winners panel stays as it is. */
  async setView(event: EventRecord, body: ScreenBody, now = Date.now()): Promise<ScreenState> {
    if (body.id !== undefined && !screenViewsWithId.includes(body.view)) {
      throw badRequest('invalid_body', `the ${body.view} view takes no id`, { id: 'only poll and raffle take an id' })
    }
    if (body.view === 'poll' && body.id !== undefined) {
      const [poll] = await this.db
        .select({ id: polls.id })
        .from(polls)
        .where(and(eq(polls.id, body.id), eq(polls.eventId, event.id), ne(polls.kind, QA_KIND)))
      if (!poll) throw badRequest('unknown_poll', `no poll ${body.id} in this event`, { id: 'no such poll' })
    }
    if (body.view === 'raffle' && body.id !== undefined) await this.raffle(event, body.id, 'id')
    return this.save(event, (s) => ({ ...s, view: body.view, id: body.id, at: now }), 'screen.view')
  }

  /** Brings up (or steps) the winners panel of a drawn raffle. */
  async showWinners(event: EventRecord, body: WinnersBody, now = Date.now()): Promise<ScreenState> {
    const raffle = await this.raffle(event, body.raffleId, 'raffleId')
    if (!raffle.drawnAt) {
      throw badRequest('not_drawn', `raffle ${body.raffleId} has not been drawn yet`, { raffleId: 'not drawn yet' })
    }
    const winners: WinnersPanel = {
      raffleId: body.raffleId,
      reveal: body.reveal,
      step: body.step,
      pageMs: Math.round(body.pageSeconds * 1000),
      at: now,
    }
    return this.save(event, (s) => ({ ...s, winners, at: now }), 'screen.winners')
  }

  /** After a draw: the panel comes up once the drum has landed, tier by tier by itself when there are tiers. */
  async afterDraw(event: EventRecord, raffleId: number, tiers: number, drawnAt: number): Promise<ScreenState> {
    const winners: WinnersPanel = {
      raffleId,
      reveal: tiers > 1 ? 'auto' : 'all',
      step: 1,
      pageMs: 6000,
      at: drawnAt + DRAW_LANDING_MS,
    }
    return this.save(event, (s) => ({ ...s, winners, at: drawnAt }), 'screen.winners')
  }

  async dismissWinners(event: EventRecord, now = Date.now()): Promise<ScreenState> {
    return this.save(event, (s) => ({ ...s, winners: null, at: now }), 'screen.winners')
  }

  private async raffle(event: EventRecord, id: number, field: string) {
    const [row] = await this.db
      .select({ id: raffles.id, drawnAt: raffles.drawnAt })
      .from(raffles)
      .where(and(eq(raffles.id, id), eq(raffles.eventId, event.id)))
    if (!row) throw badRequest('unknown_raffle', `no raffle ${id} in this event`, { [field]: 'no such raffle' })
    return row
  }

  /** The event's public info changed (look, settings): pages showing it read it again. */
  async infoChanged(event: EventRecord) {
    return this.save(event, (s) => ({ ...s, infoAt: Date.now() }), null)
  }

  /**
   * Changes the state in one locked read-modify-write, so two hosts tapping at once both
   * land in order, then hands it to the counter layer (the ticker puts it in the next delta).
   */
  private async save(event: EventRecord, change: (s: ScreenState) => ScreenState, action: string | null) {
    const next = await this.db.transaction(async (tx) => {
      const [row] = await tx
        .select({ settings: events.settings })
        .from(events)
        .where(eq(events.id, event.id))
        .for('update')
      const state = change(storedScreen(row?.settings))
      if (state.id === undefined) delete state.id
      await tx
        .update(events)
        .set({ settings: sql`${events.settings} || ${JSON.stringify({ [SCREEN_SETTING]: state })}::jsonb` })
        .where(eq(events.id, event.id))
      return state
    })
    // The change that moved `infoAt` is in the audit log already, under its own name.
    if (action) await audit(this.db, event.id, action, { ...next })
    await this.counters.setScreen(event.id, next)
    this.directory.forget(event.slug)
    return next
  }
}
