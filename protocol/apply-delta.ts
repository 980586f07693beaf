/**
 * Applying a delta to a snapshot, and the orders both sides sort by: plain functions over
 * the protocol's types, without zod, so the phone's first load needs no schema library.
 */
import { DANMAKU_KEPT, QUESTIONS_KEPT } from './constants.ts'
import type { Question } from './engagement.ts'
import type { Delta, Poll, Snapshot } from './index.ts'

/** The order polls are listed in: the host's `position`, then id. */

export const byPosition = (a: Poll, b: Poll) => (a.position ?? 0) - (b.position ?? 0) || a.id - b.id

/** The board's order: pinned first, then most upvoted, then newest. Server and client sort with it. */
export const questionOrder = (a: Question, b: Question) =>
  Number(b.pinned) - Number(a.pinned) || b.votes - a.votes || b.id - a.id

/**
 * Applies one delta to a snapshot and returns the new snapshot (the input is not changed).
 * Deltas must be applied in order: `delta.seq` must be `snapshot.seq + 1`.
 * @example const next = applyDelta(snapshot, { seq: snapshot.seq + 1, checkins: 12 })
 */
export function applyDelta(snapshot: Snapshot, delta: Delta): Snapshot {
  if (delta.seq !== snapshot.seq + 1) {
    throw new RangeError(`delta ${delta.seq} does not follow snapshot ${snapshot.seq}`)
  }
  const next: Snapshot = { ...snapshot, seq: delta.seq }
  if (delta.status !== undefined) next.status = delta.status
  if (delta.message !== undefined) next.message = delta.message
  if (delta.checkins !== undefined) next.checkins = delta.checkins
  if (delta.polls || delta.removedPolls) {
    const removed = new Set(delta.removedPolls ?? [])
    const changed = new Map((delta.polls ?? []).map((p) => [p.id, p]))
    const polls = snapshot.polls.filter((p) => !removed.has(p.id)).map((p) => changed.get(p.id) ?? p)
    for (const p of changed.values()) if (!snapshot.polls.some((q) => q.id === p.id)) polls.push(p)
    next.polls = polls.sort(byPosition)
  }
  if (delta.danmaku || delta.removedDanmaku) {
    const removed = new Set(delta.removedDanmaku ?? [])
    const list = snapshot.danmaku.filter((d) => !removed.has(d.id)).concat(delta.danmaku ?? [])
    next.danmaku = list.slice(-DANMAKU_KEPT)
  }
  if (delta.raffles) {
    const changed = new Map(delta.raffles.map((r) => [r.id, r]))
    const raffles = snapshot.raffles.map((r) => changed.get(r.id) ?? r)
    for (const r of delta.raffles) if (!snapshot.raffles.some((q) => q.id === r.id)) raffles.push(r)
    next.raffles = raffles
  }
  if (delta.show !== undefined) next.show = delta.show
  if (delta.screen !== undefined) next.screen = delta.screen
  if (delta.quiz !== undefined) next.quiz = delta.quiz
  if (delta.questions || delta.removedQuestions) next.questions = applyQuestions(snapshot.questions ?? [], delta)
  return next
}

/** The board after a delta: removed ones out, changed ones replaced, new ones in, sorted, bounded. */
function applyQuestions(list: Question[], delta: Delta): Question[] {
  const removed = new Set(delta.removedQuestions ?? [])
  const changed = new Map((delta.questions ?? []).map((q) => [q.id, q]))
  const out = list.filter((q) => !removed.has(q.id) && !changed.has(q.id)).concat([...changed.values()])
  return out.sort(questionOrder).slice(0, QUESTIONS_KEPT)
}
