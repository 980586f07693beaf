/**
 * The layers of the light show, shared by the phone's show, the admin page's preview and
 * the big screen: the styles that paint the custom properties a `CuePlayer`
 * (lib/cue-player.ts) sets, and the particles and text of a cue. Kept apart from the
 * player so the guest page loads the player only when a show is announced.
 */
import { css } from 'lit'
import type { CueParticles } from './cues.ts'

/** What a host renders over the light: changes only at cue boundaries. */
export interface CueOverlay {
  /** Changes when the cue does (a new key means new particles/text). */
  key: string
  particles: CueParticles | null
  text: string
}

/**
 * The layers: `.show-from` and `.show-color` (empty spans) then `cueOverlay(...)`, inside
 * an element with class `show-stage` (a size container, so text scales to the stage).
 * Under prefers-reduced-motion the layers fade over 1.2 s instead of switching and the
 * particles are hidden even if a player asked for them.
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
  @media (prefers-reduced-motion: reduce) {
    .show-from,
    .show-color {
      transition:
        background-color 1.2s ease,
        opacity 1.2s ease !important;
    }
  }
`
