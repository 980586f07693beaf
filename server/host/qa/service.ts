/** The host's side of the Q&A board: approve, hide, pin, mark answered, one by one or in bulk. */
import type { Database } from '../../database/connect.ts'
import type { EventRecord } from '../../events/directory.ts'
import { notFound } from '../../http/errors.ts'
import type { LiveEngagement, QuestionChange } from '../../live/engagement/types.ts'
import { audit } from '../audit.ts'

export class QaService {
  constructor(
    private db: Database,
    private engagement: LiveEngagement,
  ) {}

  async change(event: EventRecord, id: number, change: QuestionChange) {
    const q = await this.engagement.moderateQuestion(event.id, id, change, Date.now())
    if (!q) throw notFound('question')
    await audit(this.db, event.id, 'question.moderate', { questionId: id, ...change })
    return q
  }

  async bulk(event: EventRecord, ids: number[], action: 'approve' | 'hide') {
    const state = action === 'approve' ? ('visible' as const) : ('hidden' as const)
    const done: number[] = []
    const unknown: number[] = []
    const now = Date.now()
    for (const id of [...new Set(ids)]) {
      const q = await this.engagement.moderateQuestion(event.id, id, { state }, now)
      ;(q ? done : unknown).push(id)
    }
    await audit(this.db, event.id, `question.bulk_${action}`, { ids: done })
    return { state, done, unknown }
  }
}
