import { css, html, LitElement, nothing } from 'lit'
import type { QuizView } from '../../../../protocol/index.ts'
import type { Quiz } from '../../../../protocol/quiz-api.ts'
import { msg, str } from '../../lib/i18n.ts'
import { adminStyles } from '../shared/admin.styles.ts'
import { Actions, hostApi } from '../shared/host-api.ts'

interface DraftQuestion {
  question: string
  options: string[]
  correct: number[]
  seconds: number
  points: number
}

const blankQuestion = (): DraftQuestion => ({
  question: '',
  options: ['', ''],
  correct: [0],
  seconds: 20,
  points: 1000,
})
const MAX_OPTIONS = 6
const FIELD_NAMES = (): Record<string, string> => ({
  question: msg('question'),
  options: msg('options'),
  correct: msg('right answers'),
  seconds: msg('seconds'),
  points: msg('points'),
})

/**
 * The host's quiz tools: build a quiz (questions with 2-6 options, the right ones ticked,
 * seconds and points each), then run it question by question. Nothing moves on by itself:
 * "Start question N" waits for the host, so the pause between questions is theirs. The
 * live question (countdown, answers so far, the leaderboard after it) comes from the
 * host stream's snapshot.
 */
export class QuizPanel extends LitElement {
  static properties = {
    slug: { attribute: false },
    live: { attribute: false },
    quizzes: { state: true },
    title: { state: true },
    draft: { state: true },
    now: { state: true },
  }

  static styles = [
    adminStyles,
    css`
      :host {
        display: grid;
        gap: 1rem;
      }
      .q {
        display: grid;
        gap: 0.5rem;
        padding: 0.75rem;
        border: 1px solid rgba(255, 255, 255, 0.1);
        border-radius: 0.75rem;
      }
      .opt {
        display: flex;
        gap: 0.5rem;
        align-items: center;
      }
      .opt input[type='text'] {
        flex: 1;
        min-width: 0;
      }
      .nums {
        display: flex;
        gap: 0.75rem;
        flex-wrap: wrap;
      }
      .nums .field {
        width: 8rem;
      }
      .form-actions {
        display: flex;
        gap: 0.5rem;
        flex-wrap: wrap;
        margin-top: 0.5rem;
      }
      .run {
        display: flex;
        gap: 0.75rem;
        align-items: center;
        flex-wrap: wrap;
      }
      .clock {
        font-size: 2rem;
        font-weight: 800;
        font-variant-numeric: tabular-nums;
      }
      ol.board {
        margin: 0.5rem 0 0;
        padding-left: 1.5rem;
      }
    `,
  ]

  declare slug: string
  declare live: QuizView | null
  declare quizzes: Quiz[]
  declare title: string
  declare draft: DraftQuestion[]
  declare now: number
  private actions = new Actions(this)
  private timer: ReturnType<typeof setInterval> | null = null

  constructor() {
    super()
    this.slug = ''
    this.live = null
    this.quizzes = []
    this.title = ''
    this.draft = [blankQuestion()]
    this.now = Date.now()
  }

  connectedCallback() {
    super.connectedCallback()
    void this.load()
    this.timer = setInterval(() => (this.now = Date.now()), 250)
  }

  disconnectedCallback() {
    super.disconnectedCallback()
    if (this.timer) clearInterval(this.timer)
  }

  private async load() {
    const r = await hostApi<Quiz[]>(this.slug, 'GET', '/quizzes')
    if (r.ok) this.quizzes = r.body
  }

  private edit(i: number, change: Partial<DraftQuestion>) {
    this.draft = this.draft.map((q, j) => (j === i ? { ...q, ...change } : q))
  }

  private async create() {
    const body = {
      title: this.title.trim(),
      questions: this.draft.map((q) => {
        const kept = q.options.map((label, i) => ({ label: label.trim(), i })).filter((o) => o.label)
        return {
          question: q.question.trim(),
          options: kept.map((o) => o.label),
          correct: kept.flatMap((o, j) => (q.correct.includes(o.i) ? [j] : [])),
          seconds: q.seconds,
          points: q.points,
        }
      }),
    }
    const r = await this.actions.run(
      'create',
      () => hostApi<Quiz>(this.slug, 'POST', '/quizzes', body),
      msg('Quiz saved'),
    )
    if (r.ok) {
      this.title = ''
      this.draft = [blankQuestion()]
      await this.load()
    }
  }

  private async next(quiz: Quiz) {
    const r = await this.actions.run(`next-${quiz.id}`, () =>
      hostApi<Quiz>(this.slug, 'POST', `/quizzes/${quiz.id}/next`, {}),
    )
    if (r.ok) this.quizzes = this.quizzes.map((q) => (q.id === quiz.id ? r.body : q))
  }

  render() {
    return html`${this.renderLive()} ${this.quizzes.map((q) => this.renderQuiz(q))} ${this.renderBuilder()}`
  }

  private renderLive() {
    const v = this.live
    if (!v) return nothing
    const left = Math.max(0, Math.ceil((v.endsAt - this.now) / 1000))
    return html`<section class="card" aria-labelledby="quiz-live" data-testid="quiz-live">
      <div class="card-head">
        <h2 id="quiz-live">${v.title}: ${msg(str`question ${v.index + 1} of ${v.total}`)}</h2>
        ${
          !v.reveal
            ? html`<span class="badge badge-live"><span class="dot dot-pulse"></span>${msg('live')}</span>`
            : html`<span class="badge">${msg('time is up')}</span>`
        }
      </div>
      <p>${v.question}</p>
      <div class="run">
        ${!v.reveal ? html`<span class="clock">${left} s</span>` : nothing}
        <span class="muted">${msg(str`${v.answered} answered`)}</span>
      </div>
      ${
        v.leaderboard
          ? html`<ol class="board">
            ${v.leaderboard.map(
              (r) =>
                html`<li>
                  #${r.number}${r.nickname ? ` ${r.nickname}` : ''}: <b>${r.score}</b>
                  ${
                    r.nickname
                      ? html`<button
                          class="btn btn-ghost btn-sm"
                          @click=${() =>
                            this.actions.run(
                              'nick',
                              () => hostApi(this.slug, 'DELETE', `/nicknames/${r.number}`),
                              msg('Nickname reset'),
                            )}
                        >
                          ${msg('Reset nickname')}
                        </button>`
                      : nothing
                  }
                </li>`,
            )}
          </ol>`
          : nothing
      }
      ${this.actions.feedback('nick')}
    </section>`
  }

  private renderQuiz(quiz: Quiz) {
    const next = quiz.current + 1
    const running = quiz.questions.some((q) => q.endsAt !== null && q.endsAt > this.now)
    const done = next >= quiz.questions.length
    return html`<section class="card" data-quiz=${quiz.id}>
      <div class="card-head">
        <h2>${quiz.title}</h2>
        <span class="badge">${msg(str`${quiz.current + 1} of ${quiz.questions.length} asked`)}</span>
      </div>
      <ol>
        ${quiz.questions.map(
          (q, i) =>
            html`<li class=${i === quiz.current ? 'num' : ''}>
              ${q.question} <span class="muted small">${msg(str`(${q.seconds} s, ${q.points} pts)`)}</span>
            </li>`,
        )}
      </ol>
      <div class="form-actions">
        <button
          class="btn btn-primary"
          data-testid="quiz-next"
          ?disabled=${running || done || this.actions.busy(`next-${quiz.id}`)}
          @click=${() => this.next(quiz)}
        >
          ${running ? msg('Question running…') : done ? msg('Quiz finished') : msg(str`Start question ${next + 1}`)}
        </button>
      </div>
      ${this.actions.feedback(`next-${quiz.id}`)}
    </section>`
  }

  private renderBuilder() {
    const fields: Record<string, string> = { title: msg('Title') }
    this.draft.forEach((_, i) => {
      for (const f of ['question', 'options', 'correct', 'seconds', 'points']) {
        fields[`questions.${i}.${f}`] = msg(str`Question ${i + 1} ${FIELD_NAMES()[f]}`)
      }
    })
    return html`<section class="card" aria-labelledby="new-quiz">
      <div class="card-head"><h2 id="new-quiz">${msg('New quiz')}</h2></div>
      <form
        novalidate
        @submit=${(e: Event) => {
          e.preventDefault()
          void this.create()
        }}
      >
        <label class="field"
          >${msg('Title')}
          <input
            type="text"
            name="title"
            maxlength="120"
            .value=${this.title}
            @input=${(e: Event) => (this.title = (e.target as HTMLInputElement).value)}
          />
        </label>
        ${this.draft.map((q, i) => this.renderDraft(q, i))}
        <div class="form-actions">
          <button
            type="button"
            class="btn btn-outline"
            ?disabled=${this.draft.length >= 100}
            @click=${() => (this.draft = [...this.draft, blankQuestion()])}
          >
            ${msg('Add a question')}
          </button>
          <button type="submit" class="btn btn-primary" ?disabled=${this.actions.busy('create')}>${msg('Save quiz')}</button>
        </div>
      </form>
      ${this.actions.feedback('create', { fields })}
    </section>`
  }

  private renderDraft(q: DraftQuestion, i: number) {
    return html`<fieldset class="q" data-draft=${i}>
      <legend class="eyebrow">${msg(str`Question ${i + 1}`)}</legend>
      <label class="field"
        >${msg('Question')}
        <input
          type="text"
          name="question"
          maxlength="200"
          .value=${q.question}
          @input=${(e: Event) => this.edit(i, { question: (e.target as HTMLInputElement).value })}
        />
      </label>
      ${q.options.map(
        (label, j) =>
          html`<div class="opt">
            <input
              type="checkbox"
              aria-label=${msg(str`Option ${j + 1} is right`)}
              title=${msg('Right answer')}
              .checked=${q.correct.includes(j)}
              @change=${(e: Event) => {
                const on = (e.target as HTMLInputElement).checked
                this.edit(i, { correct: on ? [...q.correct, j] : q.correct.filter((c) => c !== j) })
              }}
            />
            <input
              type="text"
              name="option"
              aria-label=${msg(str`Option ${j + 1}`)}
              placeholder=${msg(str`Option ${j + 1}`)}
              maxlength="80"
              .value=${label}
              @input=${(e: Event) =>
                this.edit(i, {
                  options: q.options.map((o, k) => (k === j ? (e.target as HTMLInputElement).value : o)),
                })}
            />
          </div>`,
      )}
      <div class="nums">
        ${
          q.options.length < MAX_OPTIONS
            ? html`<button
                type="button"
                class="btn btn-ghost btn-sm"
                @click=${() => this.edit(i, { options: [...q.options, ''] })}
              >
                ${msg('Add an option')}
              </button>`
            : nothing
        }
        <label class="field"
          >${msg('Seconds')}
          <input
            type="number"
            name="seconds"
            min="5"
            max="600"
            .value=${String(q.seconds)}
            @input=${(e: Event) => this.edit(i, { seconds: Number((e.target as HTMLInputElement).value) })}
          />
        </label>
        <label class="field"
          >${msg('Points')}
          <input
            type="number"
            name="points"
            min="1"
            max="10000"
            .value=${String(q.points)}
            @input=${(e: Event) => this.edit(i, { points: Number((e.target as HTMLInputElement).value) })}
          />
        </label>
      </div>
    </fieldset>`
  }
}

customElements.define('gb-quiz-panel', QuizPanel)

declare global {
  interface HTMLElementTagNameMap {
    'gb-quiz-panel': QuizPanel
  }
}
