import { css, html, LitElement } from 'lit'
import type { Status } from '../../../../protocol/index.ts'
import { msg } from '../../lib/i18n.ts'
import type { ConnectionState } from '../../lib/live-stream.ts'
import { sharedStyles } from '../shared.styles.ts'

const LABELS = (): Record<ConnectionState, [short: string, long: string]> => ({
  connecting: [msg('Connecting…'), msg('Connecting to the live event')],
  live: [msg('Live'), msg('Live: updates arrive as they happen')],
  reconnecting: [msg('Reconnecting…'), msg('Connection lost, reconnecting. What you do is saved on this phone.')],
  polling: [msg('Live · slower'), msg('Live over a slower fallback: updates every few seconds')],
})

/** While connected, a paused or ended event says so: a green "Live" would promise what is not on. */
const STATUS_LABELS = (): Record<Exclude<Status, 'live'>, [short: string, long: string]> => ({
  paused: [msg('Paused'), msg('Connected: the event is paused for now')],
  ended: [msg('Ended'), msg('Connected: the event has ended')],
})

/**
 * A small, calm indicator of the live connection: live, reconnecting, or the slower
 * polling fallback (and "delayed" when the server says its live backend lags); while
 * connected, "Paused" or "Ended" when the event is (`status`, carried as `data-status`).
 */
export class ConnectionPill extends LitElement {
  static properties = {
    state: { type: String, reflect: true },
    degraded: { type: Boolean },
    status: { type: String },
  }

  static styles = [
    sharedStyles,
    css`
      :host {
        display: inline-block;
      }
      .pill {
        display: inline-flex;
        align-items: center;
        gap: 0.4375rem;
        padding: 0.3125rem 0.75rem;
        border-radius: 999px;
        background: var(--gb-surface-2);
        font-size: 0.875rem;
        font-weight: 600;
        white-space: nowrap;
      }
      .dot {
        width: 0.5625rem;
        height: 0.5625rem;
        border-radius: 50%;
        background: var(--gb-good);
        box-shadow: 0 0 0 3px rgba(74, 222, 128, 0.2);
      }
      .warn .dot {
        background: var(--gb-warn);
        box-shadow: 0 0 0 3px rgba(251, 191, 36, 0.2);
        animation: breathe 1.6s ease-in-out infinite;
      }
      .idle .dot {
        background: var(--gb-muted);
        box-shadow: none;
      }
      .slow .dot {
        background: #60a5fa;
        box-shadow: 0 0 0 3px rgba(96, 165, 250, 0.2);
      }
      @keyframes breathe {
        50% {
          opacity: 0.35;
        }
      }
    `,
  ]

  declare state: ConnectionState
  declare degraded: boolean
  declare status: Status

  constructor() {
    super()
    this.state = 'connecting'
    this.degraded = false
    this.status = 'live'
  }

  render() {
    let [short, long] = LABELS()[this.state]
    let tone = this.state === 'live' ? 'ok' : this.state === 'polling' ? 'slow' : 'warn'
    if (this.degraded && (this.state === 'live' || this.state === 'polling')) {
      short = msg('Live · delayed')
      long = msg('Live, but the server is catching up: counts may lag for a moment')
      tone = 'warn'
    }
    if (this.status !== 'live' && (this.state === 'live' || this.state === 'polling')) {
      ;[short, long] = STATUS_LABELS()[this.status]
      tone = 'idle'
    }
    return html`<span class="pill ${tone}" role="status" title=${long} data-state=${this.state} data-status=${this.status}>
      <span class="dot" aria-hidden="true"></span><span aria-hidden="true">${short}</span><span class="sr-only">${long}</span>
    </span>`
  }
}
customElements.define('gb-connection-pill', ConnectionPill)

declare global {
  interface HTMLElementTagNameMap {
    'gb-connection-pill': ConnectionPill
  }
}
