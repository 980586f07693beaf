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
import { css, html, nothing, type TemplateResult } from 'lit'
import type { CueSheet } from '../../../protocol/index.ts'
import { CHANGE_GRID_MS, type CueParticles, type CueState, cueStateAt, isMoving, PARTICLE_TRIP_MS } from './cues.ts'

/** What a host renders over the light: changes only at cue boundaries. */
export interface CueOverlay {
  /** Changes when the cue does (a new key means new particles/text). */
  key: string
  particles: CueParticles | null
  text: string
}

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

/** A stable pseudo-random number in [0, 1) for particle `i` (every phone draws the same dots). */
function rand(i: number, salt: number): number {
  const x = Math.sin(i * 127.1 + salt * 311.7) * 43758.5453
  return x - Math.floor(x)
}

/**
 * The particles and text of a cue, to render inside a `.show-stage` element. Each dot
 * crosses the stage in about 7 s on a CSS animation (the compositor moves it; no script
 * per frame), its phase taken from the server time the cue started, so phones agree.
 */
export function cueOverlay(overlay: CueOverlay | null, now: number): TemplateResult | typeof nothing {
  if (!overlay) return nothing
  const p = overlay.particles
  return html`${
    p
      ? html`<span class="show-particles" data-count=${p.count} data-direction=${p.direction} style="--gb-particle:${p.color}"
          >${Array.from({ length: p.count }, (_, i) => {
            const trip = Math.round(PARTICLE_TRIP_MS * (0.75 + 0.5 * rand(i, 3)))
            const phase = (((now - p.since + rand(i, 4) * trip) % trip) + trip) % trip
            const size = Math.round(6 + 10 * rand(i, 2))
            return html`<i
              style="left:${(rand(i, 1) * 96).toFixed(1)}%;--s:${size}px;animation-duration:${trip}ms;animation-delay:${-Math.round(phase)}ms"
            ></i>`
          })}</span
        >`
      : nothing
  }${overlay.text ? html`<span class="show-text" data-cue-text>${overlay.text}</span>` : nothing}`
}

/**
 * The layers: `.show-from` and `.show-color` (empty spans) then `cueOverlay(...)`, inside
 * an element with class `show-stage` (a size container, so text scales to the stage).
 */
export const cueStageStyles = css`
  .show-stage {
    container-type: size;
    overflow: hidden;
    background: #000;
  }
  .show-from,
  .show-color {
    position: absolute;
    inset: 0;
    background-size: cover;
  }
  .show-from {
    background-color: var(--gb-show-from-color, transparent);
    background-image: var(--gb-show-from-image, none);
    opacity: var(--gb-show-from-opacity, 0);
  }
  .show-color {
    background-color: var(--gb-show-color, transparent);
    background-image: var(--gb-show-image, none);
    opacity: var(--gb-show-opacity, 0);
  }
  .show-particles {
    position: absolute;
    inset: 0;
    pointer-events: none;
  }
  .show-particles i {
    position: absolute;
    top: 0;
    height: 100%;
    width: var(--s);
    animation: gb-drift linear infinite both;
    will-change: transform, opacity;
  }
  .show-particles[data-direction='down'] i {
    animation-direction: reverse;
  }
  .show-particles i::before {
    content: '';
    display: block;
    width: var(--s);
    height: var(--s);
    border-radius: 50%;
    background: var(--gb-particle);
    box-shadow: 0 0 calc(var(--s) * 1.2) var(--gb-particle);
  }
  @keyframes gb-drift {
    0% {
      transform: translateY(100%);
      opacity: 0;
    }
    12%,
    88% {
      opacity: 0.85;
    }
    100% {
      transform: translateY(-8%);
      opacity: 0;
    }
  }
  .show-text {
    position: absolute;
    inset: 0;
    display: grid;
    place-items: center;
    padding: 0 6cqw;
    text-align: center;
    font-size: clamp(1rem, 13cqw, 6rem);
    line-height: 1.05;
    font-weight: 800;
    letter-spacing: -0.02em;
    color: #fff;
    text-shadow:
      0 0 0.35em rgba(0, 0, 0, 0.55),
      0 0.05em 0.1em rgba(0, 0, 0, 0.6);
    overflow-wrap: anywhere;
    pointer-events: none;
  }
  @media (prefers-reduced-motion: reduce) {
    /* Gentle fades instead of switching; no drifting dots at all. */
    .show-from,
    .show-color {
      transition:
        background-color 1.2s ease,
        opacity 1.2s ease !important;
    }
    .show-particles {
      display: none;
    }
  }
`
