/** The light show: cue sheets stored by content hash, and the running show's start. */
import { eq } from 'drizzle-orm'
import { events, showCueSheets } from '../../../db/schema.ts'
import type { CueSheet, Show } from '../../../protocol/index.ts'
import type { Database } from '../../database/connect.ts'
import type { EventRecord } from '../../events/directory.ts'
import type { LiveCounters } from '../../live/counters/types.ts'
import { audit } from '../audit.ts'

export class ShowService {
  constructor(
    private db: Database,
    private counters: LiveCounters,
  ) {}

  /** Stores a cue sheet under its content hash; the URL never changes meaning, so it caches forever. */
  async putCueSheet(event: EventRecord, sheet: CueSheet): Promise<string> {
    const hash = new Bun.CryptoHasher('sha256').update(JSON.stringify(sheet)).digest('hex').slice(0, 20)
    await this.db.insert(showCueSheets).values({ hash, eventId: event.id, body: sheet }).onConflictDoNothing()
    return hash
  }

  async cueSheet(hash: string): Promise<CueSheet | null> {
    const [row] = await this.db.select().from(showCueSheets).where(eq(showCueSheets.hash, hash))
    return (row?.body as CueSheet) ?? null
  }

  async setShow(event: EventRecord, show: Show | null) {
    await this.db.update(events).set({ show }).where(eq(events.id, event.id))
    await audit(this.db, event.id, show ? 'show.start' : 'show.stop', show ? { ...show } : {})
    await this.counters.setShow(event.id, show)
  }
}
