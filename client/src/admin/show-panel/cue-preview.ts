import { css, html, LitElement, type PropertyValues } from 'lit'
import type { CueSheet } from '../../../../protocol/index.ts'
import { cueOverlay, cueOverlayStyles } from '../../lib/cue-overlay.ts'
import { CuePlayer } from '../../lib/cue-player.ts'
import { type CueOverlay, cueStageStyles } from '../../lib/cue-stage.ts'
import { msg } from '../../lib/i18n.ts'

/**
 * A phone-sized preview of a cue sheet, played with the same code the phones run
 * (lib/cue-stage.ts), so the host sees the fades, gradients, particles and text before the
 * room does. It plays the sheet from cue 0 when `startAt` (epoch ms, this computer's clock)
 * is set, and is dark when it is null. Honours prefers-reduced-motion like a phone.
 *
 * The stage element carries the same custom properties as a phone (`--gb-show-color`, ...).
 */
export class CuePreview extends LitElement {
  static properties = {
    sheet: { attribute: false },
    startAt: { attribute: false },
    overlay: { state: true },
  }

  declare sheet: CueSheet | null
  declare startAt: number | null
  declare overlay: CueOverlay | null

  private player: CuePlayer | null = null
  private motion = matchMedia('(prefers-reduced-motion: reduce)')

  static styles = [
    cueStageStyles,
    cueOverlayStyles,
    css`
      :host {
        display: block;
      }
      .phone {
        position: relative;
        width: 9.5rem;
        aspect-ratio: 390 / 844;
        border-radius: 1.4rem;
        border: 3px solid #2a2a35;
        box-shadow:
          0 0 0 1px rgba(255, 255, 255, 0.08),
          0 12px 30px -10px #000;
        overflow: hidden;
      }
      .show-stage {
        position: absolute;
        inset: 0;
      }
      .notch {
        position: absolute;
        top: 0.35rem;
        left: 50%;
        width: 2.6rem;
        height: 0.45rem;
        margin-left: -1.3rem;
        border-radius: 1rem;
        background: #111;
        z-index: 2;
      }
    `,
  ]

  constructor() {
    super()
    this.sheet = null
    this.startAt = null
    this.overlay = null
  }

  render() {
    return html`<div class="phone" role="img" aria-label=${msg('Preview of the light on a phone')}>
      <span class="notch" aria-hidden="true"></span>
      <div class="show-stage" data-testid="cue-preview">
        <span class="show-from"></span><span class="show-color"></span>${cueOverlay(this.overlay, Date.now())}
      </div>
    </div>`
  }

  protected firstUpdated() {
    this.player = new CuePlayer({
      target: this.renderRoot.querySelector('.show-stage') as HTMLElement,
      now: () => Date.now(),
      reducedMotion: () => this.motion.matches,
      onOverlay: (o) => (this.overlay = o),
    })
    this.sync()
  }

  protected updated(changed: PropertyValues<this>) {
    if (changed.has('sheet') || changed.has('startAt')) this.sync()
  }

  disconnectedCallback() {
    super.disconnectedCallback()
    this.player?.stop()
  }

  private sync() {
    if (!this.player) return
    if (this.sheet && this.startAt !== null) this.player.play(this.sheet, this.startAt)
    else this.player.stop()
  }
}

customElements.define('gb-cue-preview', CuePreview)

declare global {
  interface HTMLElementTagNameMap {
    'gb-cue-preview': CuePreview
  }
}
