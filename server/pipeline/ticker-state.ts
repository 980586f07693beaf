/**
 * What the ticker keeps between ticks, stored with each delta in the delta log, so a new
 * ticker resumes exactly and every instance's hub starts from the same snapshot.
 */
import { type AdminView, emptySnapshot, type Snapshot } from '../../protocol/index.ts'
import { newEpoch } from '../live/log/types.ts'

export interface TickerState {
  snapshot: Snapshot
  admin: AdminView
  feedCursor: number
  /**
   * Ids of danmaku published lately, beyond the snapshot's last 30: they may still be
   * flying across a screen, so hiding one must still reach every screen.
   */
  recent?: number[]
}

/** Nothing yet: the state a hub shows before an event's log has its first entry (seq 0). */
export const emptyTickerState = (): TickerState => ({
  snapshot: emptySnapshot(),
  admin: { held: [], recentCheckins: [] },
  feedCursor: 0,
})

/** The start of a new history: empty, at a fresh epoch (see ../live/log/types.ts). */
export const newHistory = (): TickerState => {
  const state = emptyTickerState()
  state.snapshot.seq = newEpoch()
  return state
}

export const parseTickerState = (json: string | null): TickerState | null =>
  json ? (JSON.parse(json) as TickerState) : null
