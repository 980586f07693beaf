/**
 * The light show, as a pure function of time: given a cue sheet, the show's start
 * (server epoch ms) and the server time now, what colour and how bright. Every screen
 * and phone evaluates the same function against its own corrected clock, so they
 * change together without talking to each other.
 *
 * Photosensitivity: the displayed state may only change on a grid of 1/6 s anchored
 * at the show's start, so there are at most six changes (three flashes) per second,
 * whatever the cue sheet says; the `flash` effect is a 3 Hz square wave on that grid.
 * See WCAG 2.3.1, https://www.w3.org/WAI/WCAG22/Understanding/three-flashes-or-below-threshold
 */
import type { Cue, CueSheet } from '../../../protocol/index.ts'

/** At most three flashes (six changes) per second. */
export const MAX_FLASHES_PER_SECOND = 3
/** The grid every visible change snaps to: 1/6 s. */
export const CHANGE_GRID_MS = 1000 / (2 * MAX_FLASHES_PER_SECOND)
/** One slow breath of the `pulse` effect. */
export const PULSE_PERIOD_MS = 2000

export type CueEffect = 'solid' | 'pulse' | 'flash'

/** How one layer of light looks: what the phone paints full screen. */
export interface CueLook {
  color: string
  /** A CSS `linear-gradient(...)` over the colour, or '' for a flat colour. */
  image: string
  /** 0..1: how much of the colour to show now (flash off = 0, pulse breathes 0.35..1). */
  intensity: number
}

export interface CueParticles {
  count: number
  color: string
  direction: 'up' | 'down'
  /** Server time the particles started drifting: every phone derives the same phase from it. */
  since: number
}

export interface CueState extends CueLook {
  /** Index of the cue in the sheet. */
  index: number
  effect: CueEffect
  /** While a cue fades in (`fadeMs`): the look it leaves (null: from dark), and `mix` 0..1 of the way. */
  from: CueLook | null
  /** 1 unless a fade is under way. */
  mix: number
  /** Drifting dots, or null (none asked for, or reduced motion). */
  particles: CueParticles | null
  /** Words over the light, '' for none. */
  text: string
}

export interface CueOptions {
  /** prefers-reduced-motion: flash and pulse become a steady colour, gradients hold still, no particles. */
  reducedMotion?: boolean
}

/**
 * The cue state at server time `now`, or null before the first cue, after a cue with a
 * duration ended (and before the next one), or with no cues at all.
 * @example
 * const state = cueStateAt(sheet, show.startAt, clock.now(), { reducedMotion })
 * el.style.setProperty('--glow', state ? state.color : 'transparent')
 */
export function cueStateAt(sheet: CueSheet, startAt: number, now: number, opts: CueOptions = {}): CueState | null {
  const elapsed = now - startAt
  if (elapsed < 0) return null
  // Snap to the grid: a sheet with cues 50 ms apart still changes at most 6 times a second.
  const t = Math.floor(elapsed / CHANGE_GRID_MS) * CHANGE_GRID_MS
  const index = activeCueIndex(sheet.cues, t)
  if (index < 0) return null
  const cue = sheet.cues[index]
  if (cue.durationMs !== undefined && t >= cue.at + cue.durationMs) return null
  const reduced = !!opts.reducedMotion
  const look = lookOf(cue, elapsed, reduced)
  let from: CueLook | null = null
  let mix = 1
  const fade = cue.fadeMs ?? 0
  if (fade > 0 && elapsed - cue.at < fade) {
    // Ease in and out: the glide starts and lands softly, and a late phone is only a few % off.
    const x = Math.max(0, (elapsed - cue.at) / fade)
    mix = x * x * (3 - 2 * x)
    const prev = activeCueIndex(sheet.cues, cue.at, true)
    const p = prev >= 0 ? sheet.cues[prev] : null
    const ended = p && p.durationMs !== undefined && p.at + p.durationMs <= cue.at
    from = p && !ended ? lookOf(p, elapsed, reduced) : null
  }
  const particles =
    cue.particles && !reduced
      ? {
          count: cue.particles.count ?? 12,
          color: cue.particles.color ?? '#ffffff',
          direction: cue.particles.direction ?? 'up',
          since: startAt + cue.at,
        }
      : null
  return { index, effect: cue.effect ?? 'solid', ...look, from, mix, particles, text: cue.text ?? '' }
}

/** One cue's own look at `elapsed` ms into the show. */
function lookOf(cue: Cue, elapsed: number, reduced: boolean): CueLook {
  const effect: CueEffect = cue.effect ?? 'solid'
  let intensity = 1
  if (!reduced) {
    if (effect === 'flash') {
      // Square wave on the grid: on for one slot, off for the next => 3 flashes per second.
      intensity = Math.floor(elapsed / CHANGE_GRID_MS) % 2 === 0 ? 1 : 0
    } else if (effect === 'pulse') {
      // A smooth breath, never a flash: brightness glides between 0.35 and 1.
      const phase = (((elapsed - cue.at) % PULSE_PERIOD_MS) + PULSE_PERIOD_MS) % PULSE_PERIOD_MS
      intensity = 0.675 + 0.325 * Math.cos((phase / PULSE_PERIOD_MS) * 2 * Math.PI)
    }
  } else if (effect !== 'solid') {
    intensity = 0.8
  }
  let image = ''
  const g = cue.gradient
  if (g) {
    const turn = g.turnMs && !reduced ? (Math.max(0, elapsed - cue.at) / g.turnMs) * 360 : 0
    const angle = Math.round(((g.angle ?? 180) + turn) * 10) / 10
    image = `linear-gradient(${angle % 360}deg, ${g.colors.join(', ')})`
  }
  return { color: cue.color, image, intensity }
}

/** Whether the look keeps moving between cue changes (so it needs animation frames). */
export function isMoving(state: CueState | null, sheet: CueSheet, reducedMotion: boolean): boolean {
  if (!state) return false
  if (state.mix < 1) return true
  if (reducedMotion) return false
  if (state.effect === 'pulse') return true
  return !!sheet.cues[state.index].gradient?.turnMs
}

/** The last cue whose `at` is <= t (< t when `before`; cues need not be sorted); -1 if none. */
function activeCueIndex(cues: CueSheet['cues'], t: number, before = false): number {
  let best = -1
  for (let i = 0; i < cues.length; i++) {
    const at = cues[i].at
    if ((before ? at < t : at <= t) && (best < 0 || at >= cues[best].at)) best = i
  }
  return best
}

/** When the show is over: the end of the last cue (Infinity if the last cue holds). */
export function showEndsAt(sheet: CueSheet, startAt: number): number {
  let end = startAt
  for (const c of sheet.cues) {
    if (c.durationMs === undefined) {
      const isLast = !sheet.cues.some((o) => o.at > c.at)
      if (isLast) return Number.POSITIVE_INFINITY
    } else end = Math.max(end, startAt + c.at + c.durationMs)
  }
  return Math.max(end, startAt + Math.max(0, ...sheet.cues.map((c) => c.at)))
}
