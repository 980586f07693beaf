/**
 * `<gb-cue-overlay>`: the particles and text of the cue playing now, over the phone's
 * light. Loaded with the player when a show is announced (light-show.ts), not with the
 * page: until then the tag is an empty unknown element.
 */
import { css, LitElement } from 'lit'
import { cueOverlay, cueOverlayStyles } from '../../lib/cue-overlay.ts'
import type { CueOverlay } from '../../lib/cue-stage.ts'

export class CueOverlayElement extends LitElement {
  static properties = { overlay: { attribute: false }, now: { attribute: false } }
  declare overlay: CueOverlay | null
  declare now: number

  static styles = [
    cueOverlayStyles,
    css`
      :host {
        position: absolute;
        inset: 0;
        pointer-events: none;
      }
    `,
  ]

  constructor() {
    super()
    this.overlay = null
    this.now = 0
  }

  render() {
    return cueOverlay(this.overlay, this.now)
  }
}

if (!customElements.get('gb-cue-overlay')) customElements.define('gb-cue-overlay', CueOverlayElement)
