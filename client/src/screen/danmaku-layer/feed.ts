/**
 * What changed in the danmaku list between two snapshots. The stream hands the page
 * snapshots, not deltas, so the page works out which messages are new (fly them) and
 * which were taken down by the host (remove them at once, even mid-flight).
 */
import { DANMAKU_KEPT } from '../../../../protocol/constants.ts'
import type { Danmaku } from '../../../../protocol/index.ts'

export interface DanmakuChange {
  added: Danmaku[]
  removed: number[]
}

/**
 * `applyDelta` keeps the newest DANMAKU_KEPT: a message missing from `next` was either
 * hidden by the host or pushed out of the window by newer ones. Messages pushed out
 * are always the oldest, so anything missing from behind the oldest survivor was hidden.
 * When the list was full, missing messages in front of the oldest survivor count as
 * pushed out (they keep flying): the snapshot alone cannot tell the two apart.
 * @example const { added, removed } = diffDanmaku(prev.danmaku, next.danmaku)
 */
export function diffDanmaku(prev: readonly Danmaku[], next: readonly Danmaku[]): DanmakuChange {
  const prevIds = new Set(prev.map((d) => d.id))
  const nextIds = new Set(next.map((d) => d.id))
  const added = next.filter((d) => !prevIds.has(d.id))
  const missing = prev.filter((d) => !nextIds.has(d.id))
  if (!missing.length) return { added, removed: [] }
  if (next.length < DANMAKU_KEPT) return { added, removed: missing.map((d) => d.id) }
  const firstKept = prev.findIndex((d) => nextIds.has(d.id))
  if (firstKept < 0) return { added, removed: [] }
  const removed = prev
    .slice(firstKept)
    .filter((d) => !nextIds.has(d.id))
    .map((d) => d.id)
  return { added, removed }
}
