import { css, html, LitElement } from 'lit'
import { type CueSheet, cueSheetSchema, type Show } from '../../../../protocol/index.ts'
import type { ServerClock } from '../../lib/clock.ts'
import { cueOverlay, cueOverlayStyles } from '../../lib/cue-overlay.ts'
import { type CueOverlay, cueStageStyles } from '../../lib/cue-stage.ts'
import { cueStateAt, showEndsAt } from '../../lib/cues.ts'

/**
 * The screen's part of the light show: a glow around the edges of the screen in the
 * current cue's colour, fired against the server clock like every phone in the room.
 * A cue's gradient washes in from the edges, its particles drift up the whole screen and
 * its text sits under the header, behind the poll bars and danmaku. Flashing is capped at three
 * per second (lib/cues.ts); prefers-reduced-motion gets steady colours, still gradients
 * and no particles. Sits behind everything else; `data-cue` holds the cue index.
 */
export class ShowLights extends LitElement {
  static styles = [
    cueStageStyles,
    cueOverlayStyles,
    css`
    :host {
      position: fixed;
      inset: 0;
      z-index: 0;
      pointer-events: none;
    }
    .glow {
      position: absolute;
      inset: 0;
      opacity: 0;
      background:
        radial-gradient(ellipse at 50% 120%, var(--cue) 0%, transparent 60%),
        radial-gradient(ellipse at 50% -20%, var(--cue) 0%, transparent 55%);
      box-shadow: inset 0 0 calc(var(--gb-u, 1vw) * 6) var(--cue);
    }
    .wash {
      position: absolute;
      inset: 0;
      opacity: 0;
      background-image: var(--wash, none);
      -webkit-mask-image: radial-gradient(ellipse at 50% 50%, transparent 35%, #000 85%);
      mask-image: radial-gradient(ellipse at 50% 50%, transparent 35%, #000 85%);
    }
    .stage {
      position: absolute;
      inset: 0;
      container-type: size;
    }
    /* Below the header, in the danmaku band: messages fly over it. */
    .stage .show-text {
      inset: 13cqh 0 auto;
      display: block;
      font-size: 5cqw;
      opacity: 0.9;
    }
  `,
  ]
  static properties = { show: { attribute: false }, overlay: { state: true } }

  declare show: Show | null
  declare overlay: CueOverlay | null
  clock: ServerClock | null = null
  private sheet: { url: string; sheet: CueSheet } | null = null
  private frame = 0
  private glow: HTMLElement | null = null
  private wash: HTMLElement | null = null
  private last = ''
  private reduced = matchMedia('(prefers-reduced-motion: reduce)')

  constructor() {
    super()
    this.show = null
    this.overlay = null
  }

  render() {
    return html`<div class="glow"></div>
      <div class="wash"></div>
      <div class="stage">${cueOverlay(this.overlay, this.clock?.now() ?? Date.now())}</div>`
  }

  firstUpdated() {
    this.glow = this.renderRoot.querySelector('.glow')
    this.wash = this.renderRoot.querySelector('.wash')
  }

  updated(changed: Map<string, unknown>) {
    if (changed.has('show')) void this.load()
  }

  disconnectedCallback() {
    super.disconnectedCallback()
    this.stop()
  }

  private async load() {
    const show = this.show
    if (!show) {
      this.stop()
      return
    }
    if (this.sheet?.url !== show.cueSheet) {
      for (let attempt = 0; attempt < 5 && this.show === show; attempt++) {
        try {
          const res = await fetch(show.cueSheet)
          if (res.ok) {
            this.sheet = { url: show.cueSheet, sheet: cueSheetSchema.parse(await res.json()) }
            break
          }
        } catch {
          // try again: the show must not depend on one request
        }
        await new Promise((r) => setTimeout(r, 1000 * (attempt + 1)))
      }
    }
    if (this.show === show && this.sheet?.url === show.cueSheet && !this.frame)
      this.frame = requestAnimationFrame(this.step)
  }

  private step = () => {
    this.frame = 0
    const show = this.show
    const sheet = this.sheet?.sheet
    if (!show || !sheet || !this.glow) return
    const now = this.clock?.now() ?? Date.now()
    const state = cueStateAt(sheet, show.startAt, now, { reducedMotion: this.reduced.matches })
    // A fade on the screen glides the glow's strength (the colour itself switches under it).
    const level = state ? state.intensity * (state.from ? state.mix : 1) : 0
    const key = state ? `${state.color}|${level.toFixed(3)}|${state.image}` : ''
    if (key !== this.last) {
      this.last = key
      this.glow.style.setProperty('--cue', state?.color ?? 'transparent')
      this.glow.style.opacity = state ? String(0.2 + 0.6 * level) : '0'
      if (this.wash) {
        this.wash.style.setProperty('--wash', state?.image || 'none')
        this.wash.style.opacity = state?.image ? String(0.6 * level) : '0'
      }
      this.dataset.cue = state ? String(state.index) : ''
    }
    const overlayKey = state ? `${show.startAt}:${state.index}` : ''
    if (overlayKey !== (this.overlay?.key ?? ''))
      this.overlay = state ? { key: overlayKey, particles: state.particles, text: state.text } : null
    if (now < showEndsAt(sheet, show.startAt) + 1000) this.frame = requestAnimationFrame(this.step)
  }

  private stop() {
    if (this.frame) cancelAnimationFrame(this.frame)
    this.frame = 0
    this.last = ''
    this.overlay = null
    if (this.glow) this.glow.style.opacity = '0'
    if (this.wash) this.wash.style.opacity = '0'
    delete this.dataset.cue
  }
}

customElements.define('gb-show-lights', ShowLights)

declare global {
  interface HTMLElementTagNameMap {
    'gb-show-lights': ShowLights
  }
}
