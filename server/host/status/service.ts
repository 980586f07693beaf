/** The event's status (live, paused, ended: the emergency pause) and its settings. */
import { eq } from 'drizzle-orm'
import { type EventStatus, events } from '../../../db/schema.ts'
import type { Database } from '../../database/connect.ts'
import type { EventDirectory, EventRecord } from '../../events/directory.ts'
import type { LiveStore } from '../../live/types.ts'
import { audit } from '../audit.ts'

export class StatusService {
  constructor(
    private db: Database,
    private store: LiveStore,
    private directory: EventDirectory,
  ) {}

  async setStatus(event: EventRecord, status: EventStatus, message: string) {
    await this.db.update(events).set({ status, message }).where(eq(events.id, event.id))
    await audit(this.db, event.id, 'status', { status, message })
    await this.store.setStatus(event.id, status, message)
    this.directory.forget(event.slug)
  }

  async updateSettings(event: EventRecord, patch: Partial<EventRecord['settings']>) {
    const settings = { ...event.settings, ...patch }
    await this.db.update(events).set({ settings }).where(eq(events.id, event.id))
    await audit(this.db, event.id, 'settings', patch)
    this.directory.forget(event.slug)
    return settings
  }
}
