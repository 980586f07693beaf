/**
 * Reactions floating up the big screen: each tick's counts become a few bubbles (at most
 * MAX_PER_TICK, so 5,000 taps a second stays a handful of elements), rising at the right
 * of the danmaku sky (above the join QR, which must stay scannable) and fading. With
 * prefers-reduced-motion they fade in place instead.
 */
import { css, html, LitElement } from 'lit'

const MAX_PER_TICK = 12
const MAX_ON_SCREEN = 60
const LIFE_MS = 3200

interface Bubble {
  id: number
  emoji: string
  x: number
  size: number
  born: number
}

export class ReactionBubbles extends LitElement {
  static properties = { bubbles: { state: true } }
  declare bubbles: Bubble[]
  private next = 0
  private timer: ReturnType<typeof setInterval> | null = null
  constructor() {
    super()
    this.bubbles = []
  }
  static styles = css`
    :host {
      position: fixed;
      right: 1vw;
      top: 10vh;
      width: 20vw;
      height: 46vh;
      pointer-events: none;
      overflow: hidden;
      z-index: 5;
    }
    span {
      position: absolute;
      bottom: -10%;
      animation: rise ${LIFE_MS}ms ease-out forwards;
      filter: drop-shadow(0 0.3vmin 0.6vmin rgb(0 0 0 / 0.5));
    }
    @keyframes rise {
      0% {
        transform: translateY(0) scale(0.6);
        opacity: 0;
      }
      10% {
        opacity: 1;
      }
      100% {
        transform: translateY(-40vh) scale(1.1);
        opacity: 0;
      }
    }
    @media (prefers-reduced-motion: reduce) {
      span {
        bottom: 10%;
        animation: fade ${LIFE_MS}ms ease-out forwards;
      }
      @keyframes fade {
        0%,
        100% {
          opacity: 0;
        }
        20% {
          opacity: 1;
        }
      }
    }
  `

  /** One tick's reactions: emoji -> taps. */
  add(counts: Record<string, number>) {
    const total = Object.values(counts).reduce((a, b) => a + b, 0)
    if (!total) return
    const now = performance.now()
    const shown = Math.min(MAX_PER_TICK, total)
    const fresh: Bubble[] = []
    for (const [emoji, n] of Object.entries(counts)) {
      const share = Math.max(1, Math.round((n / total) * shown))
      for (let i = 0; i < share; i++) {
        fresh.push({ id: ++this.next, emoji, x: 5 + Math.random() * 75, size: 3 + Math.random() * 2.5, born: now })
      }
    }
    this.bubbles = this.bubbles.concat(fresh).slice(-MAX_ON_SCREEN)
    this.timer ??= setInterval(() => {
      const t = performance.now()
      this.bubbles = this.bubbles.filter((b) => t - b.born < LIFE_MS)
      if (!this.bubbles.length && this.timer) {
        clearInterval(this.timer)
        this.timer = null
      }
    }, 500)
  }

  disconnectedCallback() {
    super.disconnectedCallback()
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  render() {
    return html`${this.bubbles.map(
      (b) =>
        html`<span style="left:${b.x}%;font-size:${b.size}vmin;animation-delay:${(b.id % 4) * 90}ms" aria-hidden="true"
          >${b.emoji}</span
        >`,
    )}`
  }
}
customElements.define('gb-reaction-bubbles', ReactionBubbles)

declare global {
  interface HTMLElementTagNameMap {
    'gb-reaction-bubbles': ReactionBubbles
  }
}
