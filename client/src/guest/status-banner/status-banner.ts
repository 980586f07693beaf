import { css, html, LitElement, nothing } from 'lit'
import type { Status } from '../../../../protocol/index.ts'
import { msg } from '../../lib/i18n.ts'
import { sharedStyles } from '../shared.styles.ts'

/**
 * The host's word to the room: a paused or ended event, or a message while live.
 * Renders nothing when the event is live without a message.
 */
export class StatusBanner extends LitElement {
  static properties = {
    status: { type: String },
    message: { type: String },
  }

  static styles = [
    sharedStyles,
    css`
      .banner {
        display: flex;
        gap: 0.75rem;
        align-items: flex-start;
        padding: 1rem;
        border-radius: var(--gb-radius);
        line-height: 1.4;
      }
      .paused {
        background: var(--gb-warn);
        color: #1f1300;
      }
      .ended {
        background: var(--gb-surface-2);
        border: 2px solid #5a5a7a;
      }
      .live {
        background: var(--gb-surface);
        border: 2px solid rgba(255, 204, 51, 0.5);
      }
      svg {
        flex: none;
        width: 1.75rem;
        height: 1.75rem;
        margin-top: 0.0625rem;
      }
      .title {
        margin: 0;
        font-size: 1.25rem;
        font-weight: 800;
      }
      .msg {
        margin: 0.25rem 0 0;
        font-size: 1.0625rem;
        font-weight: 500;
      }
      .live .msg {
        margin: 0;
      }
    `,
  ]

  declare status: Status
  declare message: string

  constructor() {
    super()
    this.status = 'live'
    this.message = ''
  }

  render() {
    const { status, message } = this
    if (status === 'live' && !message) return nothing
    const title = status === 'paused' ? msg('Paused') : status === 'ended' ? msg('The event has ended') : ''
    const icon =
      status === 'paused'
        ? html`<svg viewBox="0 0 24 24" fill="currentColor" aria-hidden="true">
            <rect x="6" y="4.5" width="4" height="15" rx="1.2" /><rect x="14" y="4.5" width="4" height="15" rx="1.2" />
          </svg>`
        : html`<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true">
            <path d="M4 10v4h3l5 4V6L7 10zM16 9a4 4 0 0 1 0 6M18.5 6.5a7.5 7.5 0 0 1 0 11" stroke-linejoin="round" stroke-linecap="round" />
          </svg>`
    return html`<div class="banner ${status}" role="status" aria-live="polite" data-status=${status}>
      ${icon}
      <div>
        ${title ? html`<p class="title">${title}</p>` : nothing}
        ${
          message
            ? html`<p class="msg wrap">${message}</p>`
            : status === 'paused'
              ? html`<p class="msg">${msg("The host paused the event. Hang on, we'll be right back.")}</p>`
              : html`<p class="msg">${msg('Thanks for coming!')}</p>`
        }
      </div>
    </div>`
  }
}
customElements.define('gb-status-banner', StatusBanner)

declare global {
  interface HTMLElementTagNameMap {
    'gb-status-banner': StatusBanner
  }
}
