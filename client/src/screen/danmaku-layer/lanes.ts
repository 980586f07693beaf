/**
 * Lane bookkeeping for danmaku, kept pure (no DOM) so it can be tested: which lane a
 * message of a given width can enter now without ever touching the message ahead of it.
 *
 * Every message crosses the screen in the same time, so a longer message moves faster
 * ("speed by length") and everything is on screen for the same, readable while.
 * A message may enter a lane when both hold:
 * - the previous message's tail has moved `gap` px in from the right edge, and
 * - the new message, if it is faster, cannot catch up with that tail before the
 *   previous message has left the screen.
 */

export interface LaneMessage {
  /** Width in px. */
  width: number
}

export interface Flight {
  lane: number
  /** px per ms */
  speed: number
  /** ms the whole crossing takes (from fully right of the screen to fully left). */
  duration: number
  /** Start x (px, the screen's right edge) and end x (minus the message's width). */
  fromX: number
  toX: number
}

interface LaneState {
  /** When the previous message's tail is `gap` px inside the screen (ms). */
  tailClearAt: number
  /** When the previous message's tail leaves the screen on the left (ms). */
  exitAt: number
}

export interface LaneOptions {
  /** Time a message takes to cross (ms). */
  crossMs?: number
  /** Minimum horizontal gap between two messages in one lane (px). */
  gap?: number
  random?: () => number
}

export class Lanes {
  private lanes: LaneState[] = []
  private width = 0
  readonly crossMs: number
  readonly gap: number
  private random: () => number

  constructor(opts: LaneOptions = {}) {
    this.crossMs = opts.crossMs ?? 9000
    this.gap = opts.gap ?? 64
    this.random = opts.random ?? Math.random
  }

  get count() {
    return this.lanes.length
  }

  /** Sets the screen width and the number of lanes; lanes that stay keep their state. */
  resize(width: number, count: number) {
    this.width = width
    const next: LaneState[] = []
    for (let i = 0; i < count; i++) next.push(this.lanes[i] ?? { tailClearAt: -Infinity, exitAt: -Infinity })
    this.lanes = next
  }

  /** Speed of a message of this width (px per ms). */
  speedOf(width: number) {
    return (this.width + width) / this.crossMs
  }

  /** When a lane can take a message of this width (ms); <= now means it can right away. */
  readyAt(lane: number, width: number) {
    const s = this.lanes[lane]
    const speed = this.speedOf(width)
    // The new head must still be `gap` px behind the old tail when that tail leaves at x=0.
    return Math.max(s.tailClearAt, s.exitAt - (this.width - this.gap) / speed)
  }

  /** The earliest time any lane can take a message of this width. */
  nextReadyAt(width: number) {
    let best = Infinity
    for (let i = 0; i < this.lanes.length; i++) best = Math.min(best, this.readyAt(i, width))
    return best
  }

  /**
   * Books a lane for a message of this width at time `now`, or returns null when every
   * lane is busy. Among free lanes it picks one at random, so a quiet room still uses
   * the whole sky.
   */
  place(width: number, now: number): Flight | null {
    const free: number[] = []
    for (let i = 0; i < this.lanes.length; i++) if (this.readyAt(i, width) <= now) free.push(i)
    if (!free.length || this.width <= 0) return null
    const lane = free[Math.floor(this.random() * free.length)]
    const speed = this.speedOf(width)
    const duration = this.crossMs
    this.lanes[lane] = {
      tailClearAt: now + (width + this.gap) / speed,
      exitAt: now + duration,
    }
    return { lane, speed, duration, fromX: this.width, toX: -width }
  }
}
