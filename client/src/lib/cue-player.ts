/**
 * Plays a cue sheet onto an element: the scheduling loop and the painting that the phone's
 * light show and the admin page's preview share, so the preview is what the room will see.
 *
 * The look goes out as CSS custom properties on the target element (they inherit into
 * shadow roots), painted by the layers in `cueStageStyles`:
 * `--gb-show-color`, `--gb-show-image` and `--gb-show-opacity` for the cue, and
 * `--gb-show-from-*` for the look a fade leaves. The target gets `data-show` while a cue
 * plays. Particles and text change only when the cue does, so they go to `onOverlay` and
 * the host renders them (`cueOverlay`) as plain DOM with CSS animations: no work per frame.
 */
import type { CueSheet } from '../../../protocol/index.ts'
import type { CueOverlay } from './cue-stage.ts'
import { CHANGE_GRID_MS, type CueState, cueStateAt, isMoving } from './cues.ts'

export interface CuePlayerOptions {
  /** Where the custom properties and `data-show` go. */
  target: HTMLElement
  /** Server time now (epoch ms). */
  now: () => number
  reducedMotion: () => boolean
  onOverlay?: (overlay: CueOverlay | null) => void
}

const round = (n: number) => Math.round(n * 1000) / 1000

export class CuePlayer {
  private sheet: CueSheet | null = null
  private startAt = 0
  private timer: ReturnType<typeof setTimeout> | null = null
  private raf = 0
  private painted = new Map<string, string>()
  private overlayKey = ''

  constructor(private opts: CuePlayerOptions) {}

  get playing() {
    return !!this.sheet
  }

  /** Plays `sheet` with cue time 0 at server time `startAt` (cues need not be sorted). */
  play(sheet: CueSheet, startAt: number) {
    this.sheet = { ...sheet, cues: sheet.cues.slice().sort((a, b) => a.at - b.at) }
    this.startAt = startAt
    this.repaint()
  }

  stop() {
    this.halt()
    this.sheet = null
    this.paint(null)
  }

  /** Paints where the show is now (after a wake-up, or when the clock moved). */
  repaint() {
    this.halt()
    this.tick()
  }

  private halt() {
    if (this.timer) clearTimeout(this.timer)
    if (this.raf) cancelAnimationFrame(this.raf)
    this.timer = null
    this.raf = 0
  }

  /** Paints the current look, then sleeps until the next change (animation frames only while it moves). */
  private tick = () => {
    this.timer = null
    this.raf = 0
    const sheet = this.sheet
    if (!sheet?.cues.length) return
    const reduced = this.opts.reducedMotion()
    const now = this.opts.now()
    const state = cueStateAt(sheet, this.startAt, now, { reducedMotion: reduced })
    this.paint(state)
    if (isMoving(state, sheet, reduced)) {
      this.raf = requestAnimationFrame(this.tick)
      return
    }
    const t = now - this.startAt
    let wait: number
    if (state && !reduced && state.effect === 'flash') {
      // A flash only changes on the shared 1/6 s grid: wake at the next slot.
      wait = CHANGE_GRID_MS - (((t % CHANGE_GRID_MS) + CHANGE_GRID_MS) % CHANGE_GRID_MS)
    } else {
      const next = sheet.cues.find((c) => c.at > t)
      const cue = state ? sheet.cues[state.index] : null
      const ends = cue && cue.durationMs !== undefined ? cue.at + cue.durationMs - t : Infinity
      wait = Math.min(next ? next.at - t : Infinity, ends, t < 0 ? -t : Infinity)
      if (wait === Infinity) return
    }
    // At least every second: the clock's estimate may have been refined meanwhile.
    this.timer = setTimeout(this.tick, Math.max(1, Math.min(wait + 1, 1000)))
  }

  private set(name: string, value: string | null) {
    if ((this.painted.get(name) ?? null) === value) return
    const style = this.opts.target.style
    if (value === null) {
      this.painted.delete(name)
      style.removeProperty(name)
    } else {
      this.painted.set(name, value)
      style.setProperty(name, value)
    }
  }

  private paint(state: CueState | null) {
    const target = this.opts.target
    this.set('--gb-show-color', state ? state.color : null)
    target.toggleAttribute('data-show', !!state)
    // The cue on top at `a`; the look it leaves beneath, scaled so the sum is a true cross-fade:
    // a·to + (1-a)·b·from = mix·to + (1-mix)·from (each at its own intensity).
    const a = state ? state.intensity * state.mix : 0
    this.set('--gb-show-opacity', String(round(a)))
    this.set('--gb-show-image', state?.image ? state.image : 'none')
    const from = state?.from ?? null
    const b = from && a < 1 ? Math.min(1, ((1 - (state?.mix ?? 1)) * from.intensity) / (1 - a)) : 0
    this.set('--gb-show-from-color', from ? from.color : 'transparent')
    this.set('--gb-show-from-image', from?.image ? from.image : 'none')
    this.set('--gb-show-from-opacity', String(round(b)))
    const key = state ? `${this.startAt}:${state.index}` : ''
    if (key !== this.overlayKey) {
      this.overlayKey = key
      this.opts.onOverlay?.(state ? { key, particles: state.particles, text: state.text } : null)
    }
  }
}
