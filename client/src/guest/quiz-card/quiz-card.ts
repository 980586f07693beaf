/**
 * The phone's quiz card, loaded just after the page with the clock (../after-load.ts),
 * not with it (the page's size budget). It counts down to the question's `endsAt` on the corrected server clock,
 * takes one answer (the server decides by its own clock; a late tap is told so), shows the
 * right answer and the counts after the deadline, and the guest's own score and rank.
 *
 * The score is asked for once per question end, after a random delay of up to a second
 * past the moment the server takes the scores, so a room of phones does not ask at the
 * same instant. On load (a reload, a second phone) it asks at once, which also brings the
 * guest's answers back, so a question already answered shows as answered.
 */
import { css, html, LitElement, nothing } from 'lit'
import { QUIZ_SCORE_GRACE_MS, type QuizView } from '../../../../protocol/index.ts'
import type { ScoreResult } from '../../../../protocol/quiz-api.ts'
import { api, slugFromPath } from '../../lib/api.ts'
import { msg, str } from '../../lib/i18n.ts'
import { sharedStyles } from '../shared.styles.ts'

/** Retries of an answer whose request got no answer (network, 503), with the same actionId. */
const ANSWER_TRIES = 4
const LETTERS = 'ABCDEF'

const newActionId = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('')

export class QuizCard extends LitElement {
  static properties = {
    quiz: { attribute: false },
    clock: { attribute: false },
    chosen: { state: true },
    standing: { state: true },
    error: { state: true },
    nick: { state: true },
  }

  static styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      .top {
        display: flex;
        justify-content: space-between;
        align-items: baseline;
        gap: 0.5rem;
      }
      .left {
        font-size: 2rem;
        font-weight: 800;
        font-variant-numeric: tabular-nums;
      }
      .bar {
        height: 0.375rem;
        border-radius: 1rem;
        background: var(--gb-surface-2);
        overflow: hidden;
        margin: 0.25rem 0 0.75rem;
      }
      .bar > i {
        display: block;
        height: 100%;
        background: var(--gb-accent, #8b5cf6);
        transition: width 0.25s linear;
      }
      h2 {
        margin: 0 0 0.75rem;
        font-size: 1.375rem;
        line-height: 1.25;
      }
      ul {
        display: grid;
        gap: 0.5rem;
        margin: 0;
        padding: 0;
        list-style: none;
      }
      button.opt {
        display: flex;
        gap: 0.75rem;
        align-items: center;
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
        cursor: pointer;
        touch-action: manipulation;
      }
      button.opt:disabled {
        cursor: default;
      }
      .letter {
        flex: none;
        display: inline-grid;
        place-items: center;
        width: 2rem;
        height: 2rem;
        border-radius: 0.5rem;
        background: rgba(255, 255, 255, 0.1);
        font-weight: 800;
      }
      .label {
        flex: 1;
      }
      .opt[data-mine] {
        border-color: var(--gb-accent, #8b5cf6);
      }
      .opt[data-right] {
        border-color: var(--gb-good);
        background: color-mix(in srgb, var(--gb-good) 22%, var(--gb-surface-2));
      }
      .opt[data-mine]:not([data-right])[data-revealed] {
        border-color: var(--gb-bad, #ef4444);
      }
      .note {
        margin: 0.75rem 0 0;
        font-weight: 600;
      }
      .me {
        display: flex;
        gap: 1rem;
        justify-content: space-between;
        margin-top: 0.75rem;
        padding-top: 0.75rem;
        border-top: 1px solid rgba(255, 255, 255, 0.08);
        font-weight: 700;
      }
      .me b {
        font-size: 1.25rem;
      }
      form {
        display: flex;
        gap: 0.5rem;
        margin-top: 0.75rem;
      }
      form input {
        flex: 1;
        min-width: 0;
        min-height: 3rem;
        padding: 0 0.75rem;
        border-radius: 0.75rem;
        border: 1px solid #3a3a55;
        background: var(--gb-surface-2);
        color: var(--gb-text);
        font: inherit;
      }
    `,
  ]

  declare quiz: QuizView
  declare clock: { now(): number }
  private readonly apiBase = `/api/events/${encodeURIComponent(slugFromPath())}`
  /** questionId -> the option this phone (or the wristband, per the server) answered. */
  declare chosen: Record<string, number>
  declare standing: ScoreResult | null
  declare error: string
  declare nick: string
  private ticker: ReturnType<typeof setInterval> | null = null
  private scoreTimer: ReturnType<typeof setTimeout> | null = null
  /** The question whose end the score was last asked for. */
  private askedFor = 0
  private sending = false
  private retries = 0

  constructor() {
    super()
    this.chosen = {}
    this.standing = null
    this.error = ''
    this.nick = ''
    this.clock = { now: () => Date.now() }
  }

  connectedCallback() {
    super.connectedCallback()
    this.ticker = setInterval(() => {
      this.requestUpdate()
      this.planScore()
    }, 250)
    void this.fetchScore()
  }

  disconnectedCallback() {
    super.disconnectedCallback()
    if (this.ticker) clearInterval(this.ticker)
    if (this.scoreTimer) clearTimeout(this.scoreTimer)
  }

  /** After a question's scores are taken, ask for ours once, after a random part of a second. */
  private planScore() {
    const q = this.quiz
    if (!q || this.askedFor === q.questionId) return
    const due = q.endsAt + QUIZ_SCORE_GRACE_MS - this.clock.now()
    if (due > 0 && !q.reveal) return
    this.askedFor = q.questionId
    this.retries = 0
    this.scoreTimer = setTimeout(() => void this.fetchScore(), Math.max(0, due) + Math.random() * 1000)
  }

  private async fetchScore() {
    const r = await api<ScoreResult>('GET', `${this.apiBase}/score`)
    if (!r.ok) return
    // Asked a little early (this clock ahead of the server's): once more, a second later.
    const q = this.quiz
    if (q && this.askedFor === q.questionId && r.body.scoredQuestionId !== q.questionId && this.retries++ < 3) {
      this.scoreTimer = setTimeout(() => void this.fetchScore(), 1000)
    }
    this.standing = r.body
    this.chosen = { ...r.body.answers, ...this.chosen }
    if (!this.nick && r.body.nickname) this.nick = r.body.nickname
  }

  private async answer(optionId: number) {
    const q = this.quiz
    if (this.sending || this.chosen[q.questionId] !== undefined) return
    this.sending = true
    this.error = ''
    this.chosen = { ...this.chosen, [q.questionId]: optionId }
    const body = { quizId: q.quizId, questionId: q.questionId, optionId, actionId: newActionId() }
    let r = await api('POST', `${this.apiBase}/answers`, body)
    for (let i = 1; i < ANSWER_TRIES && !r.ok && (r.status === 0 || r.status === 503); i++) {
      await new Promise((done) => setTimeout(done, 500 * i))
      r = await api('POST', `${this.apiBase}/answers`, body)
    }
    this.sending = false
    if (r.ok) return
    const { [q.questionId]: _, ...rest } = this.chosen
    this.chosen = rest
    if (r.error.error === 'already_answered') void this.fetchScore()
    this.error =
      r.error.error === 'question_closed'
        ? msg('Too late: time was up on the server before your answer arrived.')
        : r.error.message
  }

  private async saveNick(e: Event) {
    e.preventDefault()
    const r = await api<{ nickname: string | null }>('PUT', `${this.apiBase}/nickname`, { nickname: this.nick })
    this.error = r.ok ? '' : r.error.message
    if (r.ok) this.nick = r.body.nickname ?? ''
  }

  render() {
    const q = this.quiz
    if (!q) return nothing
    const now = this.clock.now()
    const open = !q.reveal && now < q.endsAt
    const leftMs = Math.max(0, q.endsAt - now)
    const mine = this.chosen[q.questionId]
    const revealed = !!q.reveal
    const right = new Set(q.reveal?.correct ?? [])
    const s = this.standing
    return html`<section class="card" aria-labelledby="quiz-q" data-testid="quiz-card" data-phase=${open ? 'question' : 'reveal'}>
      <div class="top">
        <p class="eyebrow">${q.title} · ${msg(str`question ${q.index + 1} of ${q.total}`)}</p>
        ${open ? html`<span class="left" data-testid="quiz-left" aria-live="off">${Math.ceil(leftMs / 1000)}</span>` : nothing}
      </div>
      ${open ? html`<div class="bar" aria-hidden="true"><i style="width:${(leftMs / (q.seconds * 10)).toFixed(1)}%"></i></div>` : nothing}
      <h2 id="quiz-q">${q.question}</h2>
      <ul>
        ${q.options.map(
          (o, i) =>
            html`<li>
              <button
                class="opt"
                data-option=${o.id}
                ?data-mine=${mine === o.id}
                ?data-right=${revealed && right.has(o.id)}
                ?data-revealed=${revealed}
                aria-pressed=${mine === o.id ? 'true' : 'false'}
                ?disabled=${!open || mine !== undefined}
                @click=${() => this.answer(o.id)}
              >
                <span class="letter" aria-hidden="true">${LETTERS[i]}</span>
                <span class="label">${o.label}</span>
                ${revealed ? html`<span class="count">${q.reveal?.counts[i] ?? 0}</span>` : nothing}
                ${revealed && right.has(o.id) ? html`<span aria-label=${msg('right answer')}>✓</span>` : nothing}
              </button>
            </li>`,
        )}
      </ul>
      <p class="note" role="status" data-testid="quiz-note">
        ${
          this.error
            ? this.error
            : open
              ? mine !== undefined
                ? msg('Answer locked in. Wait for the reveal…')
                : msg('Tap your answer: faster right answers score more.')
              : mine === undefined
                ? msg('Time is up.')
                : right.has(mine)
                  ? msg('Right!')
                  : revealed
                    ? msg('Not this time.')
                    : msg('Time is up.')
        }
      </p>
      <div class="me" data-testid="quiz-me">
        <span>${msg('Score')} <b data-testid="quiz-score">${s?.score ?? 0}</b></span>
        <span>${msg('Rank')} <b data-testid="quiz-rank">${s?.rank ?? '–'}</b>${s?.players ? msg(str` of ${s.players}`) : nothing}</span>
      </div>
      <form @submit=${this.saveNick}>
        <input
          aria-label=${msg('Nickname on the leaderboard')}
          placeholder=${msg('Nickname (optional)')}
          maxlength="20"
          .value=${this.nick}
          @input=${(e: Event) => (this.nick = (e.target as HTMLInputElement).value)}
        />
        <button class="btn btn-ghost" type="submit">${msg('Save')}</button>
      </form>
    </section>`
  }
}

customElements.define('gb-quiz-card', QuizCard)

declare global {
  interface HTMLElementTagNameMap {
    'gb-quiz-card': QuizCard
  }
}
