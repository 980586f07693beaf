/** Moderation: the host hides a message from every screen, or approves a held one. */
import type { Database } from '../../database/connect.ts'
import type { EventRecord } from '../../events/directory.ts'
import { notFound } from '../../http/errors.ts'
import type { LiveCounters } from '../../live/counters/types.ts'
import { audit } from '../audit.ts'

export class ModerationService {
  constructor(
    private db: Database,
    private counters: LiveCounters,
  ) {}

  async moderate(event: EventRecord, messageId: number, state: 'hidden' | 'visible') {
    const found = await this.counters.moderate(event.id, messageId, state, Date.now())
    if (!found) throw notFound('message')
    await audit(this.db, event.id, state === 'hidden' ? 'message.hide' : 'message.approve', { messageId })
  }
}
