import { css, html, LitElement, nothing } from 'lit'
import type { Poll, Status } from '../../../../protocol/index.ts'
import { formatNumber, msg, str } from '../../lib/i18n.ts'
import { sharedStyles } from '../shared.styles.ts'

export type VoteEvent = CustomEvent<{ pollId: number; optionId: number; label: string }>

/** Where the guest's newest vote for this poll is. */
export type VoteState = 'confirmed' | 'sending' | 'waiting'

const percent = (votes: number, total: number) => (total ? Math.round((votes / total) * 100) : 0)

/**
 * One poll: big buttons to vote, then live result bars with percentages. The guest's
 * own choice is highlighted and, while the poll is open, can be changed with one tap.
 * Results show only after voting (or once the poll is closed), so they do not sway the vote.
 * While the host has paused (or ended) the event, the options stay visible but take no vote.
 *
 * @fires gb-vote - `CustomEvent<{ pollId, optionId, label }>` when the guest picks an option.
 */
export class PollCard extends LitElement {
  static properties = {
    poll: { attribute: false },
    choice: { attribute: false },
    voteState: { attribute: false },
    waitNote: { attribute: false },
    eventStatus: { attribute: false },
  }

  static styles = [
    sharedStyles,
    css`
      h2 {
        margin: 0 0 1rem;
        font-size: 1.375rem;
        line-height: 1.25;
      }
      .head {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: 0.5rem;
        flex-wrap: wrap;
      }
      .live-dot {
        display: inline-block;
        width: 0.5rem;
        height: 0.5rem;
        margin-right: 0.375rem;
        border-radius: 50%;
        background: var(--gb-good);
        vertical-align: 0.1em;
      }
      .options {
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: 0.625rem;
        margin: 0;
        padding: 0;
        list-style: none;
      }
      .option {
        position: relative;
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.375rem 0.75rem;
        width: 100%;
        min-height: 3.5rem;
        padding: 0.75rem 14px;
        border: 2px solid #3a3a55;
        border-radius: 0.875rem;
        background: var(--gb-surface-2);
        color: var(--gb-text);
        font: inherit;
        font-size: 1.125rem;
        font-weight: 600;
        text-align: left;
        overflow: hidden;
        cursor: pointer;
        touch-action: manipulation;
        -webkit-tap-highlight-color: transparent;
      }
      .option:disabled {
        cursor: default;
      }
      .option:not(:disabled):active {
        border-color: var(--gb-accent);
      }
      .option.mine {
        border-color: var(--gb-accent);
      }
      .bar {
        position: absolute;
        inset: 0 auto 0 0;
        background: rgba(255, 255, 255, 0.1);
        transition: width 0.5s ease-out;
      }
      .mine .bar {
        background: rgba(255, 204, 51, 0.26);
      }
      /* With large text the numbers wrap under the label instead of squeezing it. */
      .label {
        position: relative;
        flex: 1 1 6rem;
        min-width: 0;
      }
      .tag {
        display: block;
        margin-top: 0.125rem;
        font-size: 0.875rem;
        font-weight: 700;
        color: var(--gb-accent);
      }
      .tag.waiting {
        color: var(--gb-warn);
      }
      .numbers {
        position: relative;
        flex: none;
        margin-left: auto;
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      .pct {
        display: block;
        font-size: 1.25rem;
        font-weight: 800;
      }
      .count {
        display: block;
        font-size: 0.8125rem;
        font-weight: 500;
        color: var(--gb-muted);
      }
      .check {
        position: relative;
        flex: none;
        display: grid;
        place-items: center;
        width: 1.75rem;
        height: 1.75rem;
        border-radius: 50%;
        border: 2px solid #5a5a7a;
      }
      .mine .check {
        border-color: var(--gb-accent);
        background: var(--gb-accent);
        color: var(--gb-accent-text);
      }
      .check svg {
        width: 1rem;
        height: 1rem;
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
  /** The option the guest chose last (sent or not), or null. */
  declare choice: number | null
  declare voteState: VoteState | null
  /** Why a waiting vote waits, when it is not the connection (a rate limit). */
  declare waitNote: string
  declare eventStatus: Status

  constructor() {
    super()
    this.poll = null
    this.choice = null
    this.voteState = null
    this.waitNote = ''
    this.eventStatus = 'live'
  }

  private pick(optionId: number, label: string) {
    const poll = this.poll
    if (!poll || !this.votable(poll) || optionId === this.choice) return
    this.dispatchEvent(
      new CustomEvent('gb-vote', { detail: { pollId: poll.id, optionId, label }, bubbles: true, composed: true }),
    )
  }

  render() {
    const poll = this.poll
    if (!poll) return nothing
    const total = poll.options.reduce((n, o) => n + o.votes, 0)
    const results = this.choice !== null || poll.closed
    const headingId = `poll-${poll.id}-q`
    return html`
      <section class="card" aria-labelledby=${headingId} data-poll-id=${poll.id}>
        <div class="head">
          <p class="eyebrow">
            ${poll.open ? html`<span class="live-dot" aria-hidden="true"></span>${msg('Live poll')}` : msg('Final results')}
          </p>
          ${results ? html`<p class="eyebrow" aria-live="polite">${total === 1 ? msg('1 vote') : msg(str`${formatNumber(total)} votes`)}</p>` : nothing}
        </div>
        <h2 id=${headingId} class="wrap">${poll.question}</h2>
        <ul class="options" role="list">
          ${poll.options.map((o) => {
            const mine = o.id === this.choice
            const pct = percent(o.votes, total)
            return html`<li>
              <button
                class="option ${mine ? 'mine' : ''}"
                data-option-id=${o.id}
                data-votes=${o.votes}
                data-percent=${pct}
                aria-pressed=${mine ? 'true' : 'false'}
                ?disabled=${!this.votable(poll)}
                @click=${() => this.pick(o.id, o.label)}
              >
                ${results ? html`<span class="bar" style="width:${pct}%"></span>` : nothing}
                <span class="check" aria-hidden="true">
                  ${
                    mine
                      ? html`<svg viewBox="0 0 16 16" fill="none" stroke="currentColor" stroke-width="2.5">
                        <path d="M3 8.5l3.2 3L13 4.5" stroke-linecap="round" stroke-linejoin="round" />
                      </svg>`
                      : nothing
                  }
                </span>
                <span class="label wrap">
                  ${o.label} ${mine ? this.tag() : nothing}
                </span>
                ${
                  results
                    ? html`<span class="numbers">
                      <span class="pct">${pct}%</span>
                      <span class="count">${o.votes === 1 ? msg('1 vote') : msg(str`${formatNumber(o.votes)} votes`)}</span>
                    </span>`
                    : nothing
                }
              </button>
            </li>`
          })}
        </ul>
        <p class="foot">${this.footnote(poll)}</p>
      </section>
    `
  }

  private tag() {
    switch (this.voteState) {
      case 'sending':
        return html`<span class="tag">${msg('Your vote · sending…')}</span>`
      case 'waiting':
        return html`<span class="tag waiting">${msg('Your vote · waiting to send')}</span>`
      default:
        return html`<span class="tag">${msg('Your vote')}</span>`
    }
  }

  /** The server refuses votes while the event is paused or ended; the buttons say so first. */
  private votable(poll: Poll) {
    return poll.open && this.eventStatus === 'live'
  }

  private footnote(poll: Poll) {
    if (poll.closed) return msg('Voting has closed.')
    if (this.eventStatus === 'paused') return msg('Voting is on hold while the event is paused.')
    if (this.eventStatus === 'ended') return msg('The event has ended.')
    if (this.choice === null) return msg('Tap an option to vote. You can change it while the poll is open.')
    if (this.voteState === 'waiting' && this.waitNote) return this.waitNote
    if (this.voteState === 'waiting') return msg('Saved on this phone; it is sent as soon as the connection is back.')
    return msg('Results update live. Tap another option to change your vote.')
  }
}
customElements.define('gb-poll-card', PollCard)

declare global {
  interface HTMLElementTagNameMap {
    'gb-poll-card': PollCard
  }
}
