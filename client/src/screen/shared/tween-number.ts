import { css, html, LitElement } from 'lit'
import { formatNumber } from '../../lib/i18n.ts'

/**
 * A number that glides to its new value (ease-out, 700 ms) instead of jumping, so a
 * room watching the counts sees them move. The real value is always in `data-value`.
 * @cssprop --gb-tween-align - text alignment
 */
export class TweenNumber extends LitElement {
  static styles = css`
    :host {
      display: inline-block;
      font-variant-numeric: tabular-nums;
    }
  `
  static properties = {
    value: { type: Number },
    decimals: { type: Number },
    suffix: { type: String },
  }

  declare value: number
  declare decimals: number
  declare suffix: string
  private shown = 0
  private from = 0
  private startedAt = 0
  private frame = 0
  private started = false

  constructor() {
    super()
    this.value = 0
    this.decimals = 0
    this.suffix = ''
  }

  willUpdate(changed: Map<string, unknown>) {
    if (!changed.has('value')) return
    this.dataset.value = String(this.value)
    // The first value is shown as it is; later ones glide.
    if (!this.started || matchMedia('(prefers-reduced-motion: reduce)').matches) {
      this.started = true
      this.shown = this.value
      return
    }
    this.from = this.shown
    this.startedAt = performance.now()
    if (!this.frame) this.frame = requestAnimationFrame(this.step)
  }

  private step = (t: number) => {
    const p = Math.min(1, (t - this.startedAt) / 700)
    const eased = 1 - (1 - p) ** 3
    this.shown = this.from + (this.value - this.from) * eased
    this.frame = p < 1 ? requestAnimationFrame(this.step) : 0
    this.requestUpdate()
  }

  disconnectedCallback() {
    super.disconnectedCallback()
    if (this.frame) cancelAnimationFrame(this.frame)
    this.frame = 0
    this.shown = this.value
  }

  render() {
    const v = this.decimals ? this.shown.toFixed(this.decimals) : formatNumber(Math.round(this.shown))
    return html`${v}${this.suffix}`
  }
}

customElements.define('gb-tween-number', TweenNumber)

declare global {
  interface HTMLElementTagNameMap {
    'gb-tween-number': TweenNumber
  }
}
