/**
 * `qa`: the event's Q&A board, one per event. An upvote is wristband W's response to the
 * board with the question id as slot and as its one counter key, so the board's counters
 * are the questions' upvotes; taking the upvote back is the response taken back. The
 * questions themselves (text, moderation) live beside it (server/live/engagement), and the
 * board shows in the snapshot's `questions`, not in `polls`.
 */
import type { Poll } from '../../../protocol/index.ts'
import type { InteractionDef } from '../../live/counters/types.ts'
import type { Answer, InteractionRow, Kind } from '../kind.ts'

export const QA_KIND = 'qa'

export const qa: Kind = {
  name: QA_KIND,

  define(row: InteractionRow): InteractionDef {
    // Always open: whether a question takes upvotes is its own state (visible), checked before.
    return { id: row.id, kind: QA_KIND, open: true, closed: false, spec: {}, accept: { maxKeys: 1 } }
  },

  keysOf(response: unknown): string[] {
    const id = (response as { questionId?: unknown } | null)?.questionId
    return typeof id === 'number' ? [String(id)] : []
  },

  view(): Poll {
    throw new Error('a Q&A board is not a poll; the ticker shows it as `questions`')
  },
}

/** An upvote of a question (or, with `up` false, taking it back): slot and key are the question id. */
export function upvoteAnswer(questionId: number, up: boolean): Answer & { slot: string } {
  return {
    slot: String(questionId),
    response: up ? JSON.stringify({ questionId }) : null,
    keys: up ? [String(questionId)] : [],
  }
}
