/** The host's audit log: every host action is recorded with what it changed. */
import { auditLog } from '../../db/schema.ts'
import type { Database } from '../database/connect.ts'

export const audit = (db: Database, eventId: number, action: string, detail: Record<string, unknown>) =>
  db.insert(auditLog).values({ eventId, action, detail })
