/** The event's status (live, paused, ended: the emergency pause) and its settings. */
import { eq, sql } from 'drizzle-orm'
import { type EventStatus, events } from '../../../db/schema.ts'
import type { Database } from '../../database/connect.ts'
import type { EventDirectory, EventRecord } from '../../events/directory.ts'
import type { LiveCounters } from '../../live/counters/types.ts'
import { audit } from '../audit.ts'

export class StatusService {
  /** Told after a settings change, so the screen and the phones read the event again (runtime.ts). */
  changed?: (event: EventRecord) => Promise<unknown>

  constructor(
    private db: Database,
    private counters: LiveCounters,
    private directory: EventDirectory,
  ) {}

  async setStatus(event: EventRecord, status: EventStatus, message: string) {
    await this.db.update(events).set({ status, message }).where(eq(events.id, event.id))
    await audit(this.db, event.id, 'status', { status, message })
    await this.counters.setStatus(event.id, status, message)
    this.directory.forget(event.slug)
  }

  async updateSettings(event: EventRecord, patch: Partial<EventRecord['settings']>) {
    // Merged in SQL, so two instances changing different settings at once both keep theirs.
    const [row] = await this.db
      .update(events)
      .set({ settings: sql`${events.settings} || ${JSON.stringify(patch)}::jsonb` })
      .where(eq(events.id, event.id))
      .returning({ settings: events.settings })
    await audit(this.db, event.id, 'settings', patch)
    this.directory.forget(event.slug)
    await this.changed?.(event)
    return row.settings
  }
}
