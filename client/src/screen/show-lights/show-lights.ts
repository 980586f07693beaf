import { css, html, LitElement } from 'lit'
import { type CueSheet, cueSheetSchema, type Show } from '../../../../protocol/index.ts'
import type { ServerClock } from '../../lib/clock.ts'
import { cueStateAt, showEndsAt } from '../../lib/cues.ts'

/**
 * The screen's part of the light show: a glow around the edges of the screen in the
 * current cue's colour, fired against the server clock like every phone in the room.
 * Flashing is capped at three per second (lib/cues.ts) and steady under
 * prefers-reduced-motion. Sits behind everything else; `data-cue` holds the cue index.
 */
export class ShowLights extends LitElement {
  static styles = css`
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
  `
  static properties = { show: { attribute: false } }

  declare show: Show | null
  clock: ServerClock | null = null
  private sheet: { url: string; sheet: CueSheet } | null = null
  private frame = 0
  private glow: HTMLElement | null = null
  private last = ''
  private reduced = matchMedia('(prefers-reduced-motion: reduce)')

  constructor() {
    super()
    this.show = null
  }

  render() {
    return html`<div class="glow"></div>`
  }

  firstUpdated() {
    this.glow = this.renderRoot.querySelector('.glow')
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
    const key = state ? `${state.color}|${state.intensity.toFixed(3)}` : ''
    if (key !== this.last) {
      this.last = key
      this.glow.style.setProperty('--cue', state?.color ?? 'transparent')
      this.glow.style.opacity = state ? String(0.2 + 0.6 * state.intensity) : '0'
      this.dataset.cue = state ? String(state.index) : ''
    }
    if (now < showEndsAt(sheet, show.startAt) + 1000) this.frame = requestAnimationFrame(this.step)
  }

  private stop() {
    if (this.frame) cancelAnimationFrame(this.frame)
    this.frame = 0
    this.last = ''
    if (this.glow) this.glow.style.opacity = '0'
    delete this.dataset.cue
  }
}

customElements.define('gb-show-lights', ShowLights)

declare global {
  interface HTMLElementTagNameMap {
    'gb-show-lights': ShowLights
  }
}
