/**
 * The screen's Q&A board: the top questions, pinned first, with their upvotes, big
 * enough to read from the back of a hall; long questions wrap, never cut.
 */
import { css, html, LitElement, nothing } from 'lit'
import type { Question } from '../../../../protocol/index.ts'
import { msg } from '../../lib/i18n.ts'

export class QaList extends LitElement {
  static properties = { questions: { attribute: false }, max: { type: Number } }
  declare questions: Question[]
  declare max: number
  constructor() {
    super()
    this.questions = []
    this.max = 5
  }
  static styles = css`
    :host {
      display: flex;
      flex-direction: column;
      gap: calc(var(--u, 10px) * 1);
      min-height: 0;
      overflow: hidden;
    }
    .kicker {
      font-size: max(12px, calc(var(--u, 10px) * 1.4));
      font-weight: 800;
      letter-spacing: 0.12em;
      text-transform: uppercase;
      color: var(--gb-muted, #aab);
    }
    ol {
      list-style: none;
      margin: 0;
      padding: 0;
      display: flex;
      flex-direction: column;
      gap: calc(var(--u, 10px) * 0.9);
      min-height: 0;
    }
    li {
      display: grid;
      grid-template-columns: calc(var(--u, 10px) * 7) minmax(0, 1fr);
      gap: calc(var(--u, 10px) * 1.4);
      align-items: center;
      padding: calc(var(--u, 10px) * 0.9) calc(var(--u, 10px) * 1.2);
      border-radius: calc(var(--u, 10px) * 0.9);
      background: rgb(255 255 255 / 0.05);
    }
    li.pinned {
      background: rgb(255 204 51 / 0.12);
      box-shadow: inset 0 0 0 2px rgb(255 204 51 / 0.5);
    }
    li.answered .text {
      opacity: 0.6;
    }
    .votes {
      text-align: center;
      font-size: max(18px, calc(var(--u, 10px) * 2.6));
      font-weight: 900;
      color: var(--gb-accent, #ffcc33);
      line-height: 1;
    }
    .votes small {
      display: block;
      font-size: max(10px, calc(var(--u, 10px) * 1));
      font-weight: 700;
      color: var(--gb-muted, #aab);
      letter-spacing: 0.08em;
    }
    .text {
      font-size: max(16px, calc(var(--u, 10px) * 2.1));
      font-weight: 700;
      line-height: 1.25;
      overflow-wrap: anywhere;
    }
    .meta {
      font-size: max(11px, calc(var(--u, 10px) * 1.2));
      color: var(--gb-muted, #aab);
      margin-top: calc(var(--u, 10px) * 0.3);
    }
  `
  render() {
    const top = this.questions.slice(0, this.max)
    return html`<div class="kicker">${msg('Q&A · ask from your phone')}</div>
      <ol>
        ${top.map(
          (q) => html`<li class="${q.pinned ? 'pinned' : ''} ${q.answered ? 'answered' : ''}" data-question=${q.id}>
            <div class="votes">${q.votes}<small>${q.votes === 1 ? msg('VOTE') : msg('VOTES')}</small></div>
            <div>
              <div class="text">${q.text}</div>
              <div class="meta">
                #${q.number}${q.pinned ? msg(' · 📌 pinned') : nothing}${q.answered ? msg(' · ✓ answered') : nothing}
              </div>
            </div>
          </li>`,
        )}
      </ol>`
  }
}
customElements.define('gb-qa-list', QaList)

declare global {
  interface HTMLElementTagNameMap {
    'gb-qa-list': QaList
  }
}
