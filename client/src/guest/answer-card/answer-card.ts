import { css, html, LitElement, nothing } from 'lit'
import type { Me, Poll, Status, VoteBody } from '../../../../protocol/index.ts'
import { formatNumber, msg, str } from '../../lib/i18n.ts'
import { sharedStyles } from '../shared.styles.ts'

/** A guest's answer to a rating, word cloud or open-text poll, as /me and the outbox know it. */
export type AnswerValue = NonNullable<Me['answers']>[string]
export type AnswerBody = Pick<VoteBody, 'value' | 'words' | 'text'>
export type AnswerEvent = CustomEvent<{ pollId: number; body: AnswerBody; label: string }>

/**
 * A poll of another kind than choice on the phone: a row of big buttons for a rating
 * (then the live average and distribution), up to three words for a word cloud (then the
 * top words), a box for an open answer. The guest may change their answer while it is open.
 *
 * @fires gb-answer - `CustomEvent<{ pollId, body, label }>` with the answer's one field.
 */
export class AnswerCard extends LitElement {
  static properties = {
    poll: { attribute: false },
    answer: { attribute: false },
    sending: { attribute: false },
    eventStatus: { attribute: false },
    editing: { state: true },
  }

  static styles = [
    sharedStyles,
    css`
      h2 {
        margin: 0 0 1rem;
        font-size: 1.375rem;
        line-height: 1.25;
      }
      .scale {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(3rem, 1fr));
        gap: 0.5rem;
      }
      .scale button {
        min-height: 3.5rem;
        border: 2px solid #3a3a55;
        border-radius: 0.875rem;
        background: var(--gb-surface-2);
        color: var(--gb-text);
        font: inherit;
        font-size: 1.25rem;
        font-weight: 800;
        cursor: pointer;
        touch-action: manipulation;
      }
      .scale button[aria-pressed='true'] {
        border-color: var(--gb-accent);
        background: var(--gb-accent);
        color: var(--gb-accent-text);
      }
      .ends {
        display: flex;
        justify-content: space-between;
        margin-top: 0.375rem;
        color: var(--gb-muted);
        font-size: 0.875rem;
      }
      .result {
        margin-top: 1rem;
        display: flex;
        align-items: flex-end;
        gap: 0.25rem;
        height: 4.5rem;
      }
      .result div {
        flex: 1;
        background: rgba(255, 204, 51, 0.5);
        border-radius: 0.25rem 0.25rem 0 0;
        min-height: 2px;
      }
      .avg {
        margin: 0.75rem 0 0;
        font-weight: 700;
      }
      .avg b {
        font-size: 1.75rem;
        color: var(--gb-accent);
      }
      form {
        display: grid;
        gap: 0.625rem;
      }
      input,
      textarea {
        width: 100%;
        box-sizing: border-box;
        padding: 0.75rem 0.875rem;
        border: 2px solid #3a3a55;
        border-radius: 0.75rem;
        background: var(--gb-bg);
        color: var(--gb-text);
        font: inherit;
        font-size: 1.0625rem;
      }
      textarea {
        min-height: 5.5rem;
        resize: vertical;
      }
      .mine {
        margin: 0.75rem 0 0;
        padding: 0.75rem 0.875rem;
        border-radius: 0.75rem;
        background: var(--gb-surface-2);
        overflow-wrap: anywhere;
      }
      .chips {
        display: flex;
        flex-wrap: wrap;
        gap: 0.375rem;
        margin: 0.75rem 0 0;
        padding: 0;
        list-style: none;
      }
      .chips li {
        padding: 0.25rem 0.625rem;
        border-radius: 999px;
        background: var(--gb-surface-2);
        font-weight: 700;
      }
      .foot {
        margin: 0.875rem 0 0;
        color: var(--gb-muted);
        font-size: 0.9375rem;
        line-height: 1.4;
      }
    `,
  ]

  declare poll: Poll | null
  declare answer: AnswerValue | null
  declare sending: boolean
  declare eventStatus: Status
  declare editing: boolean

  constructor() {
    super()
    this.poll = null
    this.answer = null
    this.sending = false
    this.eventStatus = 'live'
    this.editing = false
  }

  private get open() {
    return !!this.poll?.open && this.eventStatus === 'live'
  }

  private send(body: AnswerBody, label: string) {
    const poll = this.poll
    if (!poll || !this.open) return
    this.editing = false
    this.dispatchEvent(
      new CustomEvent('gb-answer', { detail: { pollId: poll.id, body, label }, bubbles: true, composed: true }),
    )
  }

  private shown(poll: Poll) {
    return !(poll.hideResults && !poll.revealed)
  }

  render() {
    const poll = this.poll
    if (!poll) return nothing
    const id = `poll-${poll.id}-q`
    return html`<section class="card" aria-labelledby=${id} data-poll-id=${poll.id} data-kind=${poll.kind}>
      <p class="eyebrow">${poll.open ? msg('Live') : msg('Closed')} · ${poll.responses === 1 ? msg('1 answer') : msg(str`${formatNumber(poll.responses ?? 0)} answers`)}</p>
      <h2 id=${id} class="wrap">${poll.question}</h2>
      ${poll.kind === 'rating' ? this.rating(poll) : poll.kind === 'words' ? this.words(poll) : this.text()}
      <p class="foot">${this.footnote(poll)}</p>
    </section>`
  }

  private rating(poll: Poll) {
    const mine = this.answer?.value
    const top = Math.max(1, ...poll.options.map((o) => o.votes))
    return html`<div class="scale" role="group" aria-label=${msg('rating')}>
        ${poll.options.map(
          (o) => html`<button
            data-value=${o.id}
            aria-pressed=${mine === o.id ? 'true' : 'false'}
            ?disabled=${!this.open}
            @click=${() => mine !== o.id && this.send({ value: o.id }, `${o.label} / ${poll.rating?.max}`)}
          >
            ${o.label}
          </button>`,
        )}
      </div>
      <div class="ends"><span>${poll.rating?.min}</span><span>${poll.rating?.max}</span></div>
      ${
        mine !== undefined && this.shown(poll)
          ? html`<div class="result" aria-hidden="true">
              ${poll.options.map((o) => html`<div style="height:${(o.votes / top) * 100}%"></div>`)}
            </div>
            <p class="avg">${msg('Average')} <b>${typeof poll.rating?.average === 'number' ? formatNumber(poll.rating.average, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) : '–'}</b></p>`
          : nothing
      }`
  }

  private words(poll: Poll) {
    const mine = this.answer?.words
    const form = (!mine || this.editing) && this.open
    return html`${
      form
        ? html`<form
            @submit=${(e: Event) => {
              e.preventDefault()
              const inputs = [...(e.target as HTMLFormElement).querySelectorAll('input')]
              const words = inputs.map((i) => i.value.trim()).filter(Boolean)
              if (words.length) this.send({ words }, words.join(', '))
            }}
          >
            ${[0, 1, 2].map(
              (i) =>
                html`<input
                  name="w${i}"
                  maxlength="40"
                  autocomplete="off"
                  .value=${mine?.[i] ?? ''}
                  placeholder=${i === 0 ? msg('A word') : msg('Another (optional)')}
                  aria-label=${msg(str`word ${i + 1}`)}
                />`,
            )}
            <button class="btn btn-primary" type="submit">${msg('Send')}</button>
          </form>`
        : nothing
    }
    ${
      mine && !this.editing
        ? html`<ul class="chips" aria-label=${msg('your words')}>${mine.map((w) => html`<li>${w}</li>`)}</ul>
          ${this.open ? html`<button class="btn btn-quiet" @click=${() => (this.editing = true)}>${msg('Change my words')}</button>` : nothing}`
        : nothing
    }
    ${
      mine && this.shown(poll) && poll.words?.length
        ? html`<p class="eyebrow" style="margin-top:1rem">${msg('Top words')}</p>
          <ul class="chips">${poll.words.slice(0, 10).map((w) => html`<li>${w.text} · ${w.count}</li>`)}</ul>`
        : nothing
    }`
  }

  private text() {
    const mine = this.answer?.text
    const form = (mine === undefined || this.editing) && this.open
    return html`${
      form
        ? html`<form
            @submit=${(e: Event) => {
              e.preventDefault()
              const text = (e.target as HTMLFormElement).querySelector('textarea')!.value.trim()
              if (text) this.send({ text }, text)
            }}
          >
            <textarea aria-label=${msg('your answer')} maxlength="400" .value=${mine ?? ''} placeholder=${msg('Your answer')}></textarea>
            <button class="btn btn-primary" type="submit">${msg('Send')}</button>
          </form>`
        : nothing
    }
    ${
      mine !== undefined && !this.editing
        ? html`<p class="mine">${mine}</p>
          ${this.open ? html`<button class="btn btn-quiet" @click=${() => (this.editing = true)}>${msg('Change my answer')}</button>` : nothing}`
        : nothing
    }`
  }

  private footnote(poll: Poll) {
    if (this.eventStatus === 'paused') return msg('Answers are on hold while the event is paused.')
    if (this.eventStatus === 'ended') return msg('The event has ended.')
    if (!poll.open) return msg('This poll has closed.')
    if (this.sending) return msg('Sending…')
    if (this.answer?.held) return msg('Sent! The host checks answers before they go on the big screen.')
    if (!this.shown(poll)) return msg('Results are hidden until the host reveals them.')
    if (this.answer) return msg('Thanks! You can change your answer while the poll is open.')
    return poll.kind === 'rating'
      ? msg('Tap a number.')
      : poll.kind === 'words'
        ? msg('Up to three words.')
        : msg('Write your answer.')
  }
}
customElements.define('gb-answer-card', AnswerCard)

declare global {
  interface HTMLElementTagNameMap {
    'gb-answer-card': AnswerCard
  }
}
