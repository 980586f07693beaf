/**
 * The particles and text of a cue over the light show's layers (lib/cue-stage.ts), apart
 * from them so the guest page loads these with the player, when a show is announced.
 */
import { css, html, nothing, type TemplateResult } from 'lit'
import type { CueOverlay } from './cue-stage.ts'

/** A particle's trip across the screen: slow enough that tens of ms of drift cannot show. */
export const PARTICLE_TRIP_MS = 7000

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

/** The particles and text of `cueOverlay`; with `cueStageStyles` wherever an overlay renders. */
export const cueOverlayStyles = css`
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
    .show-particles {
      display: none;
    }
  }
`
