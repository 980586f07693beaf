import { css, html, LitElement, nothing } from 'lit'
import { msg, str } from '../../lib/i18n.ts'
import type { MessageBody, QueuedAction, RefusedAction, WaitReason } from '../../lib/outbox.ts'
import { reasonText, waitText } from '../reasons.ts'
import { sharedStyles } from '../shared.styles.ts'

export type DismissEvent = CustomEvent<{ actionId: string }>

const WAITING = (): Record<WaitReason, string> => ({
  offline: msg('No connection. They are saved on this phone and sent as soon as you are back online.'),
  unavailable: msg('The server is busy. They are saved on this phone and retried in a few seconds.'),
  rate_limited: msg('Sending a little slower: the host limits how often one wristband can post.'),
  unauthorized: msg('Check in again to send them.'),
})

const describe = (a: QueuedAction) =>
  a.kind === 'vote'
    ? html`${msg('Vote:')} <strong>${a.label}</strong>`
    : html`${msg('Message:')} <strong>“${(a.body as MessageBody).text}”</strong>`

/**
 * The guest's actions that are not settled yet (waiting or sending), and the ones the
 * server refused, each with its reason, until dismissed. Renders nothing when both are empty.
 *
 * @fires gb-dismiss - `CustomEvent<{ actionId }>` when the guest dismisses a refused action.
 */
export class PendingList extends LitElement {
  static properties = {
    pending: { attribute: false },
    refused: { attribute: false },
    inFlight: { attribute: false },
    waitReason: { attribute: false },
    retryAt: { attribute: false },
  }

  static styles = [
    sharedStyles,
    css`
      .card {
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: 0.75rem;
      }
      .waiting {
        border-color: rgba(251, 191, 36, 0.45);
      }
      .refused {
        border-color: rgba(248, 113, 113, 0.45);
      }
      h2 {
        display: flex;
        align-items: center;
        gap: 0.5rem;
        margin: 0;
        font-size: 1.0625rem;
      }
      .why {
        margin: 0;
        color: var(--gb-muted);
        font-size: 0.9375rem;
        line-height: 1.4;
      }
      li {
        display: flex;
        align-items: center;
        gap: 0.625rem;
        padding: 0.5rem 0.75rem;
        border-radius: 0.625rem;
        background: var(--gb-surface-2);
        font-size: 1rem;
        line-height: 1.35;
      }
      .what {
        flex: 1 1 auto;
        min-width: 0;
      }
      .state {
        display: block;
        font-size: 0.8125rem;
        font-weight: 700;
        color: var(--gb-warn);
      }
      .refused .state {
        color: #fca5a5;
        font-weight: 500;
        font-size: 0.875rem;
      }
      .icon {
        flex: none;
        width: 1.25rem;
        height: 1.25rem;
        color: var(--gb-warn);
      }
      .refused .icon {
        color: var(--gb-bad);
      }
      .spin {
        animation: spin 1s linear infinite;
      }
      @keyframes spin {
        to {
          transform: rotate(360deg);
        }
      }
      .btn {
        flex: none;
        font-size: 0.9375rem;
        padding: 0.5rem 0.875rem;
      }
    `,
  ]

  declare pending: QueuedAction[]
  declare refused: RefusedAction[]
  declare inFlight: string | null
  declare waitReason: WaitReason | null
  /** When the outbox tries again (epoch ms): a rate limit says how long. */
  declare retryAt: number | null

  constructor() {
    super()
    this.pending = []
    this.refused = []
    this.inFlight = null
    this.waitReason = null
    this.retryAt = null
  }

  private dismiss(actionId: string) {
    this.dispatchEvent(new CustomEvent('gb-dismiss', { detail: { actionId }, bubbles: true, composed: true }))
  }

  render() {
    return html`${this.pending.length ? this.renderPending() : nothing}${this.refused.length ? this.renderRefused() : nothing}`
  }

  private renderPending() {
    const n = this.pending.length
    return html`<section class="card waiting" aria-labelledby="pending-h" role="status" data-testid="pending">
      <h2 id="pending-h">
        <svg class="icon" viewBox="0 0 20 20" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true">
          <circle cx="10" cy="10" r="7.5" /><path d="M10 5.5V10l3 2" stroke-linecap="round" />
        </svg>
        ${n === 1 ? msg('1 action waiting to send') : msg(str`${n} actions waiting to send`)}
      </h2>
      ${this.waitReason ? html`<p class="why">${waitText(this.waitReason, this.retryAt) ?? WAITING()[this.waitReason]}</p>` : nothing}
      <ul class="item-list">
        ${this.pending.map((a) => {
          const sending = a.actionId === this.inFlight
          return html`<li data-action-id=${a.actionId} data-kind=${a.kind}>
            ${
              sending
                ? html`<svg class="icon spin" viewBox="0 0 20 20" fill="none" stroke="currentColor" stroke-width="2.5" aria-hidden="true">
                  <path d="M10 2.5a7.5 7.5 0 1 1-7.5 7.5" stroke-linecap="round" />
                </svg>`
                : html`<svg class="icon" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
                  <circle cx="10" cy="10" r="3.5" />
                </svg>`
            }
            <span class="what wrap">${describe(a)}<span class="state">${sending ? msg('Sending…') : msg('Waiting')}</span></span>
          </li>`
        })}
      </ul>
    </section>`
  }

  private renderRefused() {
    return html`<section class="card refused" aria-labelledby="refused-h" data-testid="refused">
      <h2 id="refused-h">
        <svg class="icon" viewBox="0 0 20 20" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true">
          <circle cx="10" cy="10" r="7.5" /><path d="M10 6v5M10 14v.01" stroke-linecap="round" />
        </svg>
        ${msg('Not sent')}
      </h2>
      <ul class="item-list">
        ${this.refused.map(
          (r) => html`<li data-action-id=${r.action.actionId} data-error=${r.error.error}>
            <span class="what wrap">${describe(r.action)}<span class="state">${reasonText(r.error)}</span></span>
            <button class="btn btn-quiet" @click=${() => this.dismiss(r.action.actionId)}>
              ${msg('OK')}<span class="sr-only">${msg(', dismiss')}</span>
            </button>
          </li>`,
        )}
      </ul>
    </section>`
  }
}
customElements.define('gb-pending-list', PendingList)

declare global {
  interface HTMLElementTagNameMap {
    'gb-pending-list': PendingList
  }
}
