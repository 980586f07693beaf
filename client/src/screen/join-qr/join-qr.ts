import { css, html, LitElement, svg } from 'lit'
import QRCode from 'qrcode'
import { msg, str } from '../../lib/i18n.ts'

/**
 * The event's join URL as a QR code, for people without a wristband QR. Drawn as one
 * SVG path from `QRCode.create()` (no canvas, no innerHTML), crisp at any size.
 * @csspart code - the white square holding the QR code
 */
export class JoinQr extends LitElement {
  static styles = css`
    :host {
      display: flex;
      flex-direction: column;
      align-items: center;
      gap: calc(var(--gb-u, 1vw) * 0.8);
      --u: var(--gb-u, 1vw);
    }
    .code {
      background: #fff;
      border-radius: calc(var(--u) * 0.8);
      padding: calc(var(--u) * 0.6);
      width: var(--gb-qr-size, calc(var(--u) * 16));
      aspect-ratio: 1;
      box-shadow: 0 0 0 calc(var(--u) * 0.25) rgb(255 255 255 / 0.12);
    }
    svg {
      display: block;
      width: 100%;
      height: 100%;
      shape-rendering: crispEdges;
    }
    .title {
      font-size: max(14px, calc(var(--u) * 1.5));
      font-weight: 800;
      text-align: center;
      line-height: 1.15;
    }
    .url {
      font-size: max(12px, calc(var(--u) * 1.15));
      font-weight: 700;
      color: var(--gb-accent);
      text-align: center;
      overflow-wrap: anywhere;
      max-width: calc(var(--u) * 22);
    }
  `
  static properties = { url: { type: String } }

  declare url: string
  private cache: { url: string; size: number; path: string } | null = null

  constructor() {
    super()
    this.url = ''
  }

  /** One path of 1x1 squares, one per dark module, with a 2-module quiet zone. */
  private qrPath() {
    if (this.cache?.url === this.url) return this.cache
    const qr = QRCode.create(this.url, { errorCorrectionLevel: 'M' })
    const { size, data } = qr.modules
    const quiet = 2
    let path = ''
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        if (data[y * size + x]) path += `M${x + quiet} ${y + quiet}h1v1h-1z`
      }
    }
    this.cache = { url: this.url, size: size + quiet * 2, path }
    return this.cache
  }

  render() {
    if (!this.url) return html``
    const { size, path } = this.qrPath()
    const shown = this.url.replace(/^https?:\/\//, '')
    return html`
      <div class="title">${msg('Scan to join')}</div>
      <div class="code" part="code" role="img" aria-label=${msg(str`QR code for ${shown}`)}>
        <svg viewBox="0 0 ${size} ${size}" xmlns="http://www.w3.org/2000/svg">
          ${svg`<path d=${path} fill="#0b0b14" />`}
        </svg>
      </div>
      <div class="url">${shown}</div>
    `
  }
}

customElements.define('gb-join-qr', JoinQr)

declare global {
  interface HTMLElementTagNameMap {
    'gb-join-qr': JoinQr
  }
}
