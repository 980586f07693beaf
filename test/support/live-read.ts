/**
 * The LiveRead of an event with nothing in it: what the counter layer answers for an
 * unknown event, and the quiet tick the ticker's diff tests build on.
 */
import { defaultScreenState } from '../../protocol/index.ts'
import type { LiveRead } from '../../server/live/counters/types.ts'

/** `over` fills in what a test needs on top of the empty read. */
export const emptyLiveRead = (over: Partial<LiveRead> = {}): LiveRead => ({
  status: 'live',
  message: '',
  checkins: 0,
  interactions: [],
  feed: [],
  feedCursor: 0,
  hidden: [],
  raffles: [],
  show: null,
  screen: defaultScreenState(),
  admin: { held: [], recentCheckins: [] },
  ...over,
})
