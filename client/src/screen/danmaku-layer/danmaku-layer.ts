import { html, LitElement } from 'lit'
import type { Danmaku } from '../../../../protocol/index.ts'
import { msg } from '../../lib/i18n.ts'
import { danmakuLayerStyles } from './danmaku-layer.styles.ts'
import { DanmakuEngine, type EngineOptions, type EngineStats } from './engine.ts'

/**
 * The danmaku sky: messages fly right to left in lanes that never overlap.
 * The page feeds it with `fly()` and takes hidden messages down with `takeDown()`;
 * everything else (lanes, speed, sampling, node clean-up) happens inside.
 *
 * @csspart sky - the area messages fly in
 * @cssprop --gb-danmaku-size - font size of a message (sets the lane height too)
 */
export class DanmakuLayer extends LitElement {
  static styles = danmakuLayerStyles
  static properties = { options: { attribute: false } }

  declare options: EngineOptions
  private engine: DanmakuEngine | null = null
  private observer: ResizeObserver | null = null
  private pending: { add: Danmaku[]; remove: number[] } = { add: [], remove: [] }

  constructor() {
    super()
    this.options = {}
  }

  render() {
    return html`<div class="sky idle" part="sky">
      <div class="hint" aria-hidden="true">${msg('💬 Send a message from your phone: it flies across here')}</div>
      <div class="dm measure" aria-hidden="true"></div>
    </div>`
  }

  firstUpdated() {
    const sky = this.renderRoot.querySelector<HTMLElement>('.sky')!
    const measurer = this.renderRoot.querySelector<HTMLElement>('.measure')!
    this.engine = new DanmakuEngine(sky, measurer, {
      ...this.options,
      onIdle: (idle) => sky.classList.toggle('idle', idle),
    })
    this.observer = new ResizeObserver(() => this.engine?.resize(sky.clientWidth, sky.clientHeight))
    this.observer.observe(sky)
    // Fonts change widths: measure lanes again once the CJK and emoji fonts are in.
    void document.fonts?.ready.then(() => this.engine?.resize(sky.clientWidth, sky.clientHeight))
    this.engine.add(this.pending.add)
    this.engine.remove(this.pending.remove)
    this.pending = { add: [], remove: [] }
  }

  disconnectedCallback() {
    super.disconnectedCallback()
    this.observer?.disconnect()
    this.engine?.dispose()
    this.engine = null
  }

  connectedCallback() {
    super.connectedCallback()
    // Re-attached after a disconnect: build a fresh engine on the existing sky.
    if (this.hasUpdated && !this.engine) this.firstUpdated()
  }

  /** Queues new messages to fly. */
  fly(items: readonly Danmaku[]) {
    if (this.engine) this.engine.add(items)
    else this.pending.add.push(...items.slice(-20))
  }

  /** Takes messages off the screen at once. */
  takeDown(ids: readonly number[]) {
    if (this.engine) this.engine.remove(ids)
    else {
      const gone = new Set(ids)
      this.pending.add = this.pending.add.filter((d) => !gone.has(d.id))
    }
  }

  /** Clears the sky (used when the event is paused). */
  clearSky() {
    this.engine?.clear()
    this.pending = { add: [], remove: [] }
  }

  get stats(): EngineStats | null {
    return this.engine?.stats ?? null
  }
}

customElements.define('gb-danmaku-layer', DanmakuLayer)

declare global {
  interface HTMLElementTagNameMap {
    'gb-danmaku-layer': DanmakuLayer
  }
}
