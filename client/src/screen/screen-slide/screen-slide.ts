import { css, html, LitElement } from 'lit'
import { formatNumber, msg, str } from '../../lib/i18n.ts'
import '../join-qr/join-qr.ts'

/**
 * A whole-screen slide the host puts up: the join QR as big as the screen allows (for the
 * doors opening), or the idle slide with the event's name (between acts).
 */
export class ScreenSlide extends LitElement {
  static styles = css`
    :host {
      --u: var(--gb-u, 1vw);
      position: absolute;
      inset: 0;
      z-index: 1;
      display: flex;
      flex-direction: column;
      align-items: center;
      justify-content: center;
      gap: calc(var(--u) * 1.6);
      padding: calc(var(--u) * 2);
      box-sizing: border-box;
      text-align: center;
    }
    h1 {
      margin: 0;
      max-width: 90%;
      font-size: max(28px, calc(var(--u) * 6));
      line-height: 1.05;
      font-weight: 900;
      letter-spacing: -0.02em;
      overflow-wrap: anywhere;
    }
    .join h1 {
      font-size: max(20px, calc(var(--u) * 3));
    }
    .join gb-join-qr {
      --gb-qr-size: min(calc(var(--u) * 30), 62vh);
    }
    .glow {
      width: calc(var(--u) * 8);
      height: calc(var(--u) * 0.5);
      border-radius: 999px;
      background: var(--gb-accent);
      box-shadow: 0 0 calc(var(--u) * 3) var(--gb-accent);
      animation: breathe 4s ease-in-out infinite;
    }
    p {
      margin: 0;
      font-size: max(16px, calc(var(--u) * 2));
      font-weight: 700;
      color: var(--gb-muted);
    }
    .wrap {
      display: contents;
    }
    @keyframes breathe {
      50% {
        opacity: 0.4;
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .glow {
        animation: none;
      }
    }
  `
  static properties = {
    kind: { type: String },
    name: { type: String },
    joinUrl: { type: String },
    checkins: { type: Number },
  }

  declare kind: 'join' | 'idle'
  declare name: string
  declare joinUrl: string
  declare checkins: number

  constructor() {
    super()
    this.kind = 'idle'
    this.name = ''
    this.joinUrl = ''
    this.checkins = 0
  }

  render() {
    if (this.kind === 'join') {
      return html`<div class="wrap join" data-slide="join">
        <h1>${this.name}</h1>
        ${this.joinUrl ? html`<gb-join-qr .url=${this.joinUrl}></gb-join-qr>` : ''}
        <p>${msg('Scan your wristband or this code with your phone’s camera')}</p>
      </div>`
    }
    return html`<div class="wrap" data-slide="idle">
      <div class="glow" aria-hidden="true"></div>
      <h1>${this.name}</h1>
      <p>${this.checkins > 0 ? msg(str`${formatNumber(this.checkins)} checked in · back in a moment`) : msg('Back in a moment')}</p>
    </div>`
  }
}

customElements.define('gb-screen-slide', ScreenSlide)

declare global {
  interface HTMLElementTagNameMap {
    'gb-screen-slide': ScreenSlide
  }
}
