import { css, html, LitElement, nothing } from 'lit'
import { msg, str } from '../../lib/i18n.ts'
import type { ConnectionState } from '../../lib/live-stream.ts'

/** After this long without fresh data the badge says how old the screen's state is. */
export const STALE_AFTER_MS = 5000

/**
 * A small, calm but clear note in a corner when the screen is not sure it is current:
 * connecting, reconnecting, polling, a degraded server, and how long ago the last
 * update came when that is more than a few seconds. Nothing at all while live.
 * The badge carries `data-state`. It sits where the page puts it, or with the
 * `floating` attribute at the top centre above everything.
 */
export class ConnectionBadge extends LitElement {
  static styles = css`
    :host {
      --u: var(--gb-u, 1vw);
      pointer-events: none;
    }
    /* Over everything, at the top centre (for a page with an overlay up). */
    :host([floating]) {
      position: fixed;
      left: 50%;
      top: calc(var(--u) * 1.6);
      transform: translateX(-50%);
      z-index: 50;
    }

    .badge {
      display: flex;
      align-items: center;
      gap: 0.6em;
      padding: 0.5em 1em;
      white-space: nowrap;
      border-radius: 999px;
      font-size: max(12px, calc(var(--u) * 1.05));
      font-weight: 700;
      color: var(--gb-text);
      background: rgb(23 23 38 / 0.92);
      box-shadow:
        0 0 0 1px rgb(255 255 255 / 0.12),
        0 0.3em 1.2em rgb(0 0 0 / 0.5);
      animation: appear 0.3s ease-out both;
    }
    .dot {
      width: 0.7em;
      height: 0.7em;
      border-radius: 50%;
      background: var(--gb-warn);
      animation: breathe 1.4s ease-in-out infinite;
    }
    .badge.lost .dot {
      background: var(--gb-bad);
    }
    .badge.lost {
      font-size: max(14px, calc(var(--u) * 1.3));
      box-shadow:
        0 0 0 2px var(--gb-bad),
        0 0.3em 1.2em rgb(0 0 0 / 0.5);
    }
    .age {
      color: var(--gb-muted);
      font-weight: 600;
    }
    @keyframes breathe {
      50% {
        opacity: 0.3;
      }
    }
    @keyframes appear {
      from {
        opacity: 0;
        transform: translateY(0.5em);
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .dot,
      .badge {
        animation: none;
      }
    }
  `
  static properties = {
    state: { type: String },
    degraded: { type: Boolean },
    delayed: { type: Boolean },
    staleMs: { type: Number },
  }

  declare state: ConnectionState
  declare degraded: boolean
  /** The live feed was caught behind recently (the page caught up by polling). */
  declare delayed: boolean
  /** ms since the screen last knew it was current. */
  declare staleMs: number

  constructor() {
    super()
    this.state = 'connecting'
    this.degraded = false
    this.delayed = false
    this.staleMs = 0
  }

  render() {
    const stale = this.staleMs >= STALE_AFTER_MS
    if (this.state === 'live' && !this.degraded && !this.delayed && !stale) return nothing
    let text: string
    if (stale && this.state !== 'live') text = msg('Connection lost · reconnecting')
    else if (stale) text = msg('No word from the server · checking')
    else if (this.state === 'connecting') text = msg('Connecting…')
    else if (this.state === 'reconnecting') text = msg('Reconnecting…')
    else if (this.state === 'polling') text = msg('Slow connection · updating every few seconds')
    else if (this.degraded) text = msg('Live counts may lag')
    else text = msg('Live updates delayed · catching up')
    const seconds = Math.floor(this.staleMs / 1000)
    return html`<div class="badge ${stale ? 'lost' : ''}" data-state=${stale ? 'stale' : this.state} role="status">
      <span class="dot" aria-hidden="true"></span>
      <span>${text}</span>
      ${stale ? html`<span class="age">${msg(str`· last update ${ago(seconds)}`)}</span>` : nothing}
    </div>`
  }
}

function ago(s: number) {
  if (s < 60) return msg(str`${s} s ago`)
  const m = Math.floor(s / 60)
  if (m < 60) return msg(str`${m} min ago`)
  return msg(str`${Math.floor(m / 60)} h ${m % 60} min ago`)
}

customElements.define('gb-connection-badge', ConnectionBadge)

declare global {
  interface HTMLElementTagNameMap {
    'gb-connection-badge': ConnectionBadge
  }
}
