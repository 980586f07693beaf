import { css, html, LitElement, nothing } from 'lit'
import type { Status } from '../../../../protocol/index.ts'
import { msg } from '../../lib/i18n.ts'

/**
 * The pause / emergency overlay: when the host pauses (or ends) the event, it covers
 * the whole screen with the host's message in the biggest type on the page.
 * Renders nothing while the event is live. The overlay carries `data-status`.
 */
export class StatusOverlay extends LitElement {
  static styles = css`
    :host {
      --u: var(--gb-u, 1vw);
    }
    .overlay {
      position: fixed;
      inset: 0;
      z-index: 40;
      display: flex;
      flex-direction: column;
      align-items: center;
      justify-content: center;
      gap: calc(var(--u) * 2);
      padding: calc(var(--u) * 5);
      box-sizing: border-box;
      text-align: center;
      background: rgb(8 8 16 / 0.97);
      animation: appear 0.25s ease-out both;
    }
    .overlay.paused {
      box-shadow: inset 0 0 0 calc(var(--u) * 0.6) var(--gb-warn);
    }
    .icon {
      display: flex;
      gap: calc(var(--u) * 1.1);
    }
    .icon span {
      width: calc(var(--u) * 1.8);
      height: calc(var(--u) * 6);
      border-radius: calc(var(--u) * 0.4);
      background: var(--gb-warn);
    }
    .kicker {
      font-size: max(16px, calc(var(--u) * 2));
      font-weight: 900;
      letter-spacing: 0.2em;
      text-transform: uppercase;
      color: var(--gb-warn);
    }
    .ended .kicker {
      color: var(--gb-accent);
    }
    .message {
      max-width: 85%;
      font-size: max(28px, calc(var(--u) * var(--size, 5.2)));
      line-height: 1.15;
      font-weight: 800;
      overflow-wrap: anywhere;
      white-space: pre-line;
    }
    @keyframes appear {
      from {
        opacity: 0;
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .overlay {
        animation: none;
      }
    }
  `
  static properties = { status: { type: String }, message: { type: String } }

  declare status: Status
  declare message: string

  constructor() {
    super()
    this.status = 'live'
    this.message = ''
  }

  render() {
    if (this.status === 'live') return nothing
    const paused = this.status === 'paused'
    const text = this.message.trim() || (paused ? msg('We will be right back.') : msg('Thank you for coming!'))
    // Long messages get smaller type so they still fit on the screen.
    const size = text.length > 160 ? 3 : text.length > 80 ? 4 : 5.2
    return html`<div class="overlay ${this.status}" data-status=${this.status} role="alert">
      ${paused ? html`<div class="icon" aria-hidden="true"><span></span><span></span></div>` : nothing}
      <div class="kicker">${paused ? msg('Paused') : msg('The event has ended')}</div>
      <div class="message" style="--size:${size}">${text}</div>
    </div>`
  }
}

customElements.define('gb-status-overlay', StatusOverlay)

declare global {
  interface HTMLElementTagNameMap {
    'gb-status-overlay': StatusOverlay
  }
}
