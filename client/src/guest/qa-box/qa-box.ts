/**
 * The phone's Q&A tab: ask the board a question, upvote others (once each, tap again to
 * take it back), and see one's own questions with their state (waiting for the host, on
 * the board, answered, hidden). Also the reaction bar the live tab shows.
 * Fires `gb-me-changed` after an accepted action so the page re-reads /me.
 */
import { css, html, LitElement, nothing } from 'lit'
import { QUESTION_MAX_CHARS, REACTIONS } from '../../../../protocol/constants.ts'
import type { Me, Question, Status } from '../../../../protocol/index.ts'
import { api } from '../../lib/api.ts'
import { msg, str } from '../../lib/i18n.ts'
import { sharedStyles } from '../shared.styles.ts'

const newActionId = () => {
  const bytes = new Uint8Array(12)
  crypto.getRandomValues(bytes)
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
}

export class QaBox extends LitElement {
  static properties = {
    apiBase: { attribute: false },
    questions: { attribute: false },
    me: { attribute: false },
    eventStatus: { attribute: false },
    text: { state: true },
    busy: { state: true },
    note: { state: true },
  }
  declare apiBase: string
  declare questions: Question[]
  declare me: Me | null
  declare eventStatus: Status
  declare text: string
  declare busy: boolean
  declare note: { tone: 'ok' | 'error' | 'info'; text: string } | null
  /** The actionId of the question being written, kept across retries of the same text. */
  private pendingAction: string | null = null
  /** Upvotes changed here and not yet in /me: id -> upvoted. */
  private local = new Map<number, boolean>()

  constructor() {
    super()
    this.apiBase = ''
    this.questions = []
    this.me = null
    this.eventStatus = 'live'
    this.text = ''
    this.busy = false
    this.note = null
  }

  static styles = [
    sharedStyles,
    css`
      :host {
        display: grid;
        gap: 12px;
      }
      form {
        display: grid;
        gap: 8px;
      }
      textarea {
        font: inherit;
        font-size: 1.0625rem;
        min-height: 5.5rem;
        padding: 0.75rem;
        border-radius: 0.75rem;
        border: 1px solid rgba(255, 255, 255, 0.18);
        background: rgba(0, 0, 0, 0.25);
        color: inherit;
        resize: vertical;
      }
      .row {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: 8px;
      }
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 8px;
      }
      li {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        gap: 10px;
        align-items: center;
        padding: 10px 12px;
        border-radius: 0.75rem;
        background: rgba(255, 255, 255, 0.05);
      }
      li.pinned {
        box-shadow: inset 0 0 0 2px var(--gb-accent, #ffcc33);
      }
      .q {
        overflow-wrap: anywhere;
        line-height: 1.35;
      }
      .meta {
        font-size: 0.8125rem;
        color: var(--gb-muted);
        margin-top: 4px;
      }
      .up {
        min-width: 3.5rem;
        min-height: 3rem;
        display: grid;
        place-items: center;
        border-radius: 0.75rem;
        border: 1px solid rgba(255, 255, 255, 0.2);
        background: transparent;
        color: inherit;
        font: inherit;
        font-weight: 800;
        cursor: pointer;
      }
      .up[aria-pressed='true'] {
        background: var(--gb-accent, #ffcc33);
        color: #111;
        border-color: transparent;
      }
      .note.error {
        color: #ff8a8a;
      }
      .note.ok {
        color: #8aff9e;
      }
      .state {
        font-size: 0.75rem;
        font-weight: 700;
        text-transform: uppercase;
        letter-spacing: 0.06em;
      }
    `,
  ]

  private upvoted(id: number) {
    return this.local.get(id) ?? this.me?.upvoted.includes(id) ?? false
  }

  private async ask(e: Event) {
    e.preventDefault()
    const text = this.text.trim()
    if (!text || this.busy) return
    this.busy = true
    this.pendingAction ??= newActionId()
    const r = await api<{ held: boolean }>('POST', `${this.apiBase}/questions`, { text, actionId: this.pendingAction })
    this.busy = false
    if (r.ok) {
      this.text = ''
      this.pendingAction = null
      this.note = r.body.held
        ? { tone: 'info', text: msg('Sent! The host reads questions before they go on the board.') }
        : { tone: 'ok', text: msg('Your question is on the board.') }
      this.dispatchEvent(new CustomEvent('gb-me-changed', { bubbles: true, composed: true }))
    } else {
      if (r.status !== 0 && r.status !== 503) this.pendingAction = null
      this.note = { tone: 'error', text: r.error.message }
    }
  }

  private async toggle(q: Question) {
    const up = !this.upvoted(q.id)
    this.local.set(q.id, up)
    this.requestUpdate()
    const url = `${this.apiBase}/questions/${q.id}/upvote`
    const r = up ? await api('POST', url, { actionId: newActionId() }) : await api('DELETE', url)
    if (!r.ok && r.error.error !== 'already_upvoted' && r.error.error !== 'not_upvoted') {
      this.local.delete(q.id)
      this.note = { tone: 'error', text: r.error.message }
    }
    this.requestUpdate()
    this.dispatchEvent(new CustomEvent('gb-me-changed', { bubbles: true, composed: true }))
  }

  /** The board's count, adjusted for an upvote given here that the board has not shown yet. */
  private votes(q: Question) {
    const local = this.local.get(q.id)
    const server = this.me?.upvoted.includes(q.id) ?? false
    if (local === undefined || local === server) return q.votes
    return Math.max(0, q.votes + (local ? 1 : -1))
  }

  render() {
    const live = this.eventStatus === 'live'
    const mine = this.me?.questions ?? []
    const stateLabel = { held: msg('Waiting for the host'), visible: msg('On the board'), hidden: msg('Not shown') }
    return html`
      <section class="card">
        <h2 class="eyebrow">${msg('Ask a question')}</h2>
        <form @submit=${this.ask}>
          <label class="sr-only" for="q">${msg('Your question')}</label>
          <textarea
            id="q"
            maxlength=${QUESTION_MAX_CHARS}
            placeholder=${msg('What would you like to ask?')}
            .value=${this.text}
            ?disabled=${!live}
            @input=${(e: Event) => (this.text = (e.target as HTMLTextAreaElement).value)}
          ></textarea>
          <div class="row">
            <span class="meta">${[...this.text].length}/${QUESTION_MAX_CHARS}</span>
            <button class="btn btn-primary" type="submit" ?disabled=${!live || this.busy || !this.text.trim()}>${msg('Ask')}</button>
          </div>
          ${this.note ? html`<p class="note ${this.note.tone}" role="status">${this.note.text}</p>` : nothing}
        </form>
      </section>
      <section class="card">
        <h2 class="eyebrow">${msg('Top questions')}</h2>
        ${
          this.questions.length
            ? html`<ol>
              ${this.questions.map(
                (q) => html`<li class=${q.pinned ? 'pinned' : ''} data-question=${q.id}>
                  <div>
                    <div class="q">${q.text}</div>
                    <div class="meta">
                      #${q.number}${q.pinned ? msg(' · 📌 pinned') : ''}${q.answered ? msg(' · ✓ answered') : ''}
                    </div>
                  </div>
                  <button
                    class="up"
                    aria-pressed=${this.upvoted(q.id) ? 'true' : 'false'}
                    ?disabled=${!live}
                    @click=${() => this.toggle(q)}
                  >
                    <span aria-hidden="true">▲</span> ${this.votes(q)}<span class="sr-only">${msg(' upvotes')}</span>
                  </button>
                </li>`,
              )}
            </ol>`
            : html`<p class="meta">${msg('No questions yet: be the first.')}</p>`
        }
      </section>
      ${
        mine.length
          ? html`<section class="card">
            <h2 class="eyebrow">${msg('Your questions')}</h2>
            <ol>
              ${mine.map(
                (q) => html`<li data-mine=${q.id}>
                  <div>
                    <div class="q">${q.text}</div>
                    <div class="meta state">${q.answered ? msg('Answered') : stateLabel[q.state]}</div>
                  </div>
                </li>`,
              )}
            </ol>
          </section>`
          : nothing
      }
    `
  }
}
customElements.define('gb-qa-box', QaBox)

/** A row of reaction buttons; each tap is sent at once (reactions are not kept or retried). */
export class ReactionBar extends LitElement {
  static properties = { apiBase: { attribute: false }, eventStatus: { attribute: false } }
  declare apiBase: string
  declare eventStatus: Status
  constructor() {
    super()
    this.apiBase = ''
    this.eventStatus = 'live'
  }
  static styles = css`
    :host {
      display: grid;
      /* Six in a row on a phone; two rows when the text is zoomed. */
      grid-template-columns: repeat(auto-fit, minmax(3rem, 1fr));
      gap: 6px;
    }
    button {
      min-width: 0;
      padding: 0;
      min-height: 3rem;
      font-size: 1.5rem;
      border-radius: 0.75rem;
      border: 1px solid rgba(255, 255, 255, 0.14);
      background: rgba(255, 255, 255, 0.05);
      cursor: pointer;
    }
    button:active {
      transform: scale(0.92);
    }
  `
  render() {
    return html`${REACTIONS.map(
      (emoji) =>
        html`<button
          aria-label=${msg(str`React ${emoji}`)}
          ?disabled=${this.eventStatus !== 'live'}
          @click=${() => void api('POST', `${this.apiBase}/reactions`, { emoji })}
        >
          ${emoji}
        </button>`,
    )}`
  }
}
customElements.define('gb-reaction-bar', ReactionBar)

declare global {
  interface HTMLElementTagNameMap {
    'gb-qa-box': QaBox
    'gb-reaction-bar': ReactionBar
  }
}
