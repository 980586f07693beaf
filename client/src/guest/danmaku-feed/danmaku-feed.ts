import { css, html, LitElement } from 'lit'
import { repeat } from 'lit/directives/repeat.js'
import type { Danmaku } from '../../../../protocol/index.ts'
import { msg } from '../../lib/i18n.ts'
import { sharedStyles } from '../shared.styles.ts'

/**
 * The latest messages on the big screen, newest first. Text is always bound as text,
 * never as markup: a message is whatever its sender typed, tags included.
 */
export class DanmakuFeed extends LitElement {
  static properties = {
    items: { attribute: false },
    myNumber: { attribute: false },
    limit: { type: Number },
  }

  static styles = [
    sharedStyles,
    css`
      li {
        display: flex;
        gap: 0.625rem;
        align-items: baseline;
        padding: 0.5rem 0.75rem;
        border-radius: 0.75rem;
        background: var(--gb-surface-2);
        font-size: 1rem;
        line-height: 1.35;
        animation: in 0.3s ease-out;
      }
      li.mine {
        background: rgba(255, 204, 51, 0.14);
        box-shadow: inset 3px 0 0 var(--gb-accent);
      }
      .who {
        flex: none;
        font-size: 0.8125rem;
        font-weight: 700;
        color: var(--gb-muted);
        font-variant-numeric: tabular-nums;
      }
      .mine .who {
        color: var(--gb-accent);
      }
      .text {
        flex: 1 1 auto;
        min-width: 0;
      }
      .empty {
        margin: 0;
        color: var(--gb-muted);
      }
      @keyframes in {
        from {
          opacity: 0;
          transform: translateY(-0.375rem);
        }
      }
    `,
  ]

  declare items: Danmaku[]
  declare myNumber: number | null
  declare limit: number

  constructor() {
    super()
    this.items = []
    this.myNumber = null
    this.limit = 5
  }

  render() {
    const latest = this.items.slice(-this.limit).reverse()
    return html`
      <section class="card" aria-labelledby="feed-h">
        <h2 class="eyebrow" id="feed-h">${msg('On the big screen')}</h2>
        ${
          latest.length
            ? html`<ol class="item-list">
              ${repeat(
                latest,
                (d) => d.id,
                (d) => {
                  const mine = d.number === this.myNumber
                  return html`<li class=${mine ? 'mine' : ''} data-danmaku-id=${d.id}>
                    <span class="who">${mine ? msg('You') : `#${d.number}`}</span>
                    <span class="text wrap">${d.text}</span>
                  </li>`
                },
              )}
            </ol>`
            : html`<p class="empty">${msg('No messages yet. Be the first!')}</p>`
        }
      </section>
    `
  }
}
customElements.define('gb-danmaku-feed', DanmakuFeed)

declare global {
  interface HTMLElementTagNameMap {
    'gb-danmaku-feed': DanmakuFeed
  }
}
