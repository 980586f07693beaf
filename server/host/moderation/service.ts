/**
 * Moderation: the host hides a message from every screen, or approves a held one (one by
 * one or in bulk), and bans wristbands from writing. A ban is on the public number, so it
 * holds whatever phone or cookie the wristband comes back with; Postgres first (durable),
 * then the live state every write checks.
 */
import { and, asc, eq } from 'drizzle-orm'
import { wristbands, writeBans } from '../../../db/schema.ts'
import type { Database } from '../../database/connect.ts'
import type { EventRecord } from '../../events/directory.ts'
import { notFound } from '../../http/errors.ts'
import type { LiveCounters } from '../../live/counters/types.ts'
import type { LiveEngagement } from '../../live/engagement/types.ts'
import { audit } from '../audit.ts'

export class ModerationService {
  constructor(
    private db: Database,
    private counters: LiveCounters,
    private engagement?: LiveEngagement,
  ) {}

  async moderate(event: EventRecord, messageId: number, state: 'hidden' | 'visible') {
    const found = await this.counters.moderate(event.id, messageId, state, Date.now())
    if (!found) throw notFound('message')
    await audit(this.db, event.id, state === 'hidden' ? 'message.hide' : 'message.approve', { messageId })
  }

  async bulk(event: EventRecord, ids: number[], action: 'approve' | 'hide') {
    const state = action === 'approve' ? ('visible' as const) : ('hidden' as const)
    const done: number[] = []
    const unknown: number[] = []
    const now = Date.now()
    for (const id of [...new Set(ids)]) {
      ;((await this.counters.moderate(event.id, id, state, now)) ? done : unknown).push(id)
    }
    await audit(this.db, event.id, `message.bulk_${action}`, { ids: done })
    return { state, done, unknown }
  }

  private live() {
    if (!this.engagement) throw new Error('moderation has no engagement store')
    return this.engagement
  }

  async ban(event: EventRecord, number: number, banned: boolean) {
    const [band] = await this.db
      .select({ number: wristbands.number })
      .from(wristbands)
      .where(and(eq(wristbands.eventId, event.id), eq(wristbands.number, number)))
    if (!band) throw notFound('wristband')
    if (banned) await this.db.insert(writeBans).values({ eventId: event.id, number }).onConflictDoNothing()
    else await this.db.delete(writeBans).where(and(eq(writeBans.eventId, event.id), eq(writeBans.number, number)))
    await this.live().setBan(event.id, number, banned)
    await audit(this.db, event.id, banned ? 'wristband.ban' : 'wristband.unban', { number })
    return { number, banned }
  }

  async bans(event: EventRecord) {
    const rows = await this.db
      .select()
      .from(writeBans)
      .where(eq(writeBans.eventId, event.id))
      .orderBy(asc(writeBans.number))
    return { bans: rows.map((r) => ({ number: r.number, at: r.at.getTime() })) }
  }
}
