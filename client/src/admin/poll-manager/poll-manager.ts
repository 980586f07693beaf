import { html, LitElement, nothing } from 'lit'
import { repeat } from 'lit/directives/repeat.js'
import type { CreatedPoll } from '../../../../protocol/host.ts'
import type { Poll, PollKind } from '../../../../protocol/index.ts'
import { msg, str } from '../../lib/i18n.ts'
import { adminStyles, panelStyles } from '../shared/admin.styles.ts'
import { count } from '../shared/format.ts'
import { Actions, hostApi } from '../shared/host-api.ts'
import { pollManagerStyles } from './poll-manager.styles.ts'
import './poll-tools.ts'

export const MIN_OPTIONS = 2
export const MAX_OPTIONS = 12
const QUESTION_MAX = 200
const OPTION_MAX = 100

/**
 * Polls: write one (2-12 options), open it, watch the votes come in, close it. The
 * bars come from the admin stream, so they move as the big screen's do.
 */
export class PollManager extends LitElement {
  static properties = {
    slug: { type: String },
    polls: { attribute: false },
    question: { state: true },
    options: { state: true },
    kind: { state: true },
    maxChoices: { state: true },
    scale: { state: true },
    hideResults: { state: true },
  }

  declare slug: string
  declare polls: Poll[]
  declare question: string
  declare options: string[]
  declare kind: PollKind
  declare maxChoices: number
  /** A rating's scale as "min-max". */
  declare scale: string
  declare hideResults: boolean

  private actions = new Actions(this)

  static styles = [adminStyles, panelStyles, pollManagerStyles]

  constructor() {
    super()
    this.slug = ''
    this.polls = []
    this.question = ''
    this.options = ['', '', '']
    this.kind = 'choice'
    this.maxChoices = 1
    this.scale = '1-5'
    this.hideResults = false
  }

  private setOption(i: number, value: string) {
    this.options = this.options.map((o, j) => (j === i ? value : o))
  }

  private addOption(focus = true) {
    if (this.options.length >= MAX_OPTIONS) return
    this.options = [...this.options, '']
    if (focus) void this.updateComplete.then(() => this.optionInput(this.options.length - 1)?.focus())
  }

  private removeOption(i: number) {
    if (this.options.length <= MIN_OPTIONS) return
    this.options = this.options.filter((_, j) => j !== i)
  }

  private optionInput(i: number) {
    return this.renderRoot.querySelector<HTMLInputElement>(`#option-${i}`)
  }

  /** Enter in an option moves to the next one (adding it if there is room), like a list editor. */
  private optionKey(e: KeyboardEvent, i: number) {
    if (e.key !== 'Enter' || e.isComposing) return
    e.preventDefault()
    if (i < this.options.length - 1) this.optionInput(i + 1)?.focus()
    else if (this.options[i].trim()) this.addOption()
  }

  /** The same limits the server enforces, checked before sending so mistakes show at once. */
  private validate(): Record<string, unknown> | null {
    const question = this.question.trim()
    const options = this.options.map((o) => o.trim()).filter(Boolean)
    const fields: Record<string, string> = {}
    if (!question) fields.question = 'write the question'
    else if (question.length > QUESTION_MAX) fields.question = `at most ${QUESTION_MAX} characters`
    const choice = this.kind === 'choice'
    if (choice && options.length < MIN_OPTIONS) fields.options = `give at least ${MIN_OPTIONS} options`
    const long = options.findIndex((o) => o.length > OPTION_MAX)
    if (long >= 0) fields[`options.${long}`] = `at most ${OPTION_MAX} characters`
    const seen = new Set<string>()
    for (const o of options) {
      if (seen.has(o.toLowerCase())) fields.options = `“${o}” is there twice`
      seen.add(o.toLowerCase())
    }
    if (Object.keys(fields).length) {
      this.actions.fail('create', msg('Fix the poll before creating it.'), fields)
      return null
    }
    const body: Record<string, unknown> = { question, kind: this.kind }
    if (choice) {
      body.options = options
      if (this.maxChoices > 1) body.maxChoices = Math.min(this.maxChoices, options.length)
    }
    if (this.kind === 'rating') {
      const [min, max] = this.scale.split('-').map(Number)
      body.scale = { min, max }
    }
    if (this.hideResults) body.hideResults = true
    return body
  }

  private async create(openNow: boolean) {
    const body = this.validate()
    if (!body) return
    const r = await this.actions.run<CreatedPoll>('create', () => hostApi(this.slug, 'POST', '/polls', body))
    if (!r.ok) return
    this.question = ''
    this.options = ['', '', '']
    this.hideResults = false
    if (openNow) {
      const o = await this.actions.run('create', () => hostApi(this.slug, 'POST', `/polls/${r.body.id}/open`))
      if (o.ok) this.actions.succeed('create', msg('Poll created and open: guests can vote now'))
    } else {
      this.actions.succeed('create', msg('Draft saved: open it when you are ready'))
    }
  }

  /** Reveal, reset, duplicate: one click each, answered in the poll's own feedback line. */
  private async act(poll: Poll, what: 'reveal' | 'reset' | 'duplicate') {
    if (what === 'reset' && !confirm(msg('Clear every answer to this poll?'))) return
    const done = {
      reveal: msg('Results shown on every screen'),
      reset: msg('Answers cleared'),
      duplicate: msg('Copied into a new draft'),
    }
    await this.actions.run(`poll-${poll.id}`, () => hostApi(this.slug, 'POST', `/polls/${poll.id}/${what}`), done[what])
  }

  private async hideAnswer(poll: Poll, number: number) {
    await this.actions.run(
      `poll-${poll.id}`,
      () => hostApi(this.slug, 'POST', `/polls/${poll.id}/answers/${number}/hide`),
      msg(str`Answer of #${number} hidden`),
    )
  }

  /** Each kind's live results for the host (hidden ones too: the host stream has them). */
  private renderResults(poll: Poll) {
    if (poll.kind === 'words') {
      return html`<ul class="bars" data-words>
        ${(poll.words ?? [])
          .slice(0, 15)
          .map(
            (w) =>
              html`<li class="bar"><span class="label wrap">${w.text}</span><span class="votes num">${count(w.count)}</span></li>`,
          )}
      </ul>`
    }
    if (poll.kind === 'text') {
      return html`<ul class="bars" data-answers>
        ${(poll.answers ?? []).slice(0, 10).map(
          (a) => html`<li class="bar">
            <span class="label wrap">${a.text} <small class="num">#${a.number}</small></span>
            <button class="btn btn-ghost btn-sm" @click=${() => this.hideAnswer(poll, a.number)}>${msg('Hide')}</button>
          </li>`,
        )}
      </ul>`
    }
    return html`${poll.kind === 'rating' ? html`<p class="num">${msg('Average')} <b>${poll.rating?.average ?? '–'}</b> (${poll.rating?.min}–${poll.rating?.max})</p>` : nothing}
      ${this.renderBars(poll)}`
  }

  private async setState(poll: Poll, state: 'open' | 'close') {
    const done = state === 'open' ? msg('Open: guests can vote') : msg('Closed: the final result stays on screen')
    await this.actions.run(`poll-${poll.id}`, () => hostApi(this.slug, 'POST', `/polls/${poll.id}/${state}`), done)
  }

  private renderForm() {
    const busy = this.actions.busy('create')
    const qErr = this.actions.fieldError('create', 'question')
    return html`<section class="card create" aria-labelledby="new-poll">
      <div class="card-head"><h2 id="new-poll">${msg('New poll')}</h2></div>
      <form
        @submit=${(e: Event) => {
          e.preventDefault()
          void this.create(true)
        }}
        novalidate
      >
        <label class="field"
          >${msg('Question')}
          <input
            type="text"
            name="question"
            maxlength=${QUESTION_MAX}
            placeholder=${msg('e.g. Encore: which song?')}
            .value=${this.question}
            aria-invalid=${qErr ? 'true' : 'false'}
            @input=${(e: Event) => (this.question = (e.target as HTMLInputElement).value)}
          />
          ${qErr ? html`<span class="field-error">${qErr}</span>` : nothing}
        </label>
        <label class="field"
          >${msg('Kind')}
          <select
            name="kind"
            .value=${this.kind}
            @change=${(e: Event) => (this.kind = (e.target as HTMLSelectElement).value as PollKind)}
          >
            <option value="choice">${msg('Multiple choice')}</option>
            <option value="rating">${msg('Rating scale')}</option>
            <option value="words">${msg('Word cloud')}</option>
            <option value="text">${msg('Open answers')}</option>
          </select>
        </label>
        ${
          this.kind === 'rating'
            ? html`<label class="field"
                >${msg('Scale')}
                <select name="scale" .value=${this.scale} @change=${(e: Event) => (this.scale = (e.target as HTMLSelectElement).value)}>
                  <option value="1-5">${msg('1 to 5')}</option>
                  <option value="1-10">${msg('1 to 10')}</option>
                  <option value="0-10">${msg('0 to 10')}</option>
                </select>
              </label>`
            : nothing
        }
        ${this.kind === 'choice' ? this.renderOptionInputs() : nothing}
        ${
          this.kind === 'choice'
            ? html`<label class="field"
                >${msg('Each guest picks')}
                <select
                  name="maxChoices"
                  .value=${String(this.maxChoices)}
                  @change=${(e: Event) => (this.maxChoices = Number((e.target as HTMLSelectElement).value))}
                >
                  <option value="1">${msg('one option')}</option>
                  ${[2, 3, 4, 5].map((n) => html`<option value=${n}>${msg(str`up to ${n} options`)}</option>`)}
                </select>
              </label>`
            : nothing
        }
        <label class="check-row" style="display:flex;gap:0.5rem;align-items:center;font-weight:600">
          <input
            type="checkbox"
            name="hideResults"
            .checked=${this.hideResults}
            @change=${(e: Event) => (this.hideResults = (e.target as HTMLInputElement).checked)}
          />
          ${msg('Hide results until I reveal them')}
        </label>
        <div class="form-actions">
          <button type="button" class="btn btn-outline" ?disabled=${busy} @click=${() => this.create(false)}>
            ${msg('Save as draft')}
          </button>
          <button type="submit" class="btn btn-primary" ?disabled=${busy}>${msg('Create & open')}</button>
        </div>
      </form>
      ${this.actions.feedback('create', {
        fields: {
          question: '',
          options: msg('Options'),
          ...Object.fromEntries(this.options.map((_, i) => [`options.${i}`, msg(str`Option ${i + 1}`)])),
        },
      })}
    </section>`
  }

  private renderOptionInputs() {
    return html`<fieldset class="options" style="border:0;margin:0;padding:0">
          <legend class="field" style="padding:0;margin-bottom:0.35rem;font-size:0.8125rem;font-weight:600;color:var(--gb-muted)">
            Options (${MIN_OPTIONS}–${MAX_OPTIONS})
          </legend>
          ${this.options.map((value, i) => {
            const err = this.actions.fieldError('create', `options.${i}`)
            return html`<div class="option">
              <span class="n" aria-hidden="true">${i + 1}</span>
              <input
                id="option-${i}"
                type="text"
                maxlength=${OPTION_MAX}
                aria-label=${msg(str`Option ${i + 1}`)}
                placeholder=${i < 2 ? msg(str`Option ${i + 1}`) : msg(str`Option ${i + 1} (optional)`)}
                .value=${value}
                aria-invalid=${err ? 'true' : 'false'}
                @input=${(e: Event) => this.setOption(i, (e.target as HTMLInputElement).value)}
                @keydown=${(e: KeyboardEvent) => this.optionKey(e, i)}
              />
              <button
                type="button"
                class="btn btn-ghost remove"
                aria-label=${msg(str`Remove option ${i + 1}`)}
                title=${msg('Remove')}
                ?disabled=${this.options.length <= MIN_OPTIONS}
                @click=${() => this.removeOption(i)}
              >
                ×
              </button>
            </div>`
          })}
          <button
            type="button"
            class="btn btn-ghost btn-sm"
            style="justify-self:start"
            ?disabled=${this.options.length >= MAX_OPTIONS}
            @click=${() => this.addOption()}
          >
            + Add option
          </button>
        </fieldset>`
  }

  private renderBars(poll: Poll) {
    const total = poll.options.reduce((n, o) => n + o.votes, 0)
    const max = Math.max(0, ...poll.options.map((o) => o.votes))
    return html`<ul class="bars">
      ${poll.options.map((o) => {
        const pct = total ? Math.round((o.votes / total) * 100) : 0
        const lead = total > 0 && o.votes === max
        return html`<li class="bar ${lead ? 'lead' : ''}" data-option=${o.id} data-votes=${o.votes}>
          <span class="fill" style="width:${total ? (o.votes / total) * 100 : 0}%"></span>
          <span class="label wrap">${o.label}</span>
          <span class="votes num" aria-label=${o.votes === 1 ? msg('1 vote') : msg(str`${o.votes} votes`)}>${count(o.votes)}</span>
          <span class="pct num" aria-hidden="true">${pct}%</span>
        </li>`
      })}
    </ul>`
  }

  private renderPoll(poll: Poll) {
    const total = poll.responses ?? poll.options.reduce((n, o) => n + o.votes, 0)
    const key = `poll-${poll.id}`
    const kindName = {
      choice: poll.maxChoices > 1 ? msg(str`Pick up to ${poll.maxChoices}`) : msg('Choice'),
      rating: msg('Rating'),
      words: msg('Word cloud'),
      text: msg('Open answers'),
    }[poll.kind]
    const busy = this.actions.busy(key)
    const state = poll.open ? 'open' : poll.closed ? 'closed' : 'draft'
    return html`<article class="card poll ${poll.open ? 'is-open' : ''}" data-poll=${poll.id} data-state=${state}>
      <div class="poll-head">
        <h3 class="wrap">${poll.question}</h3>
        <div class="meta">
          <span class="badge">${kindName}</span>
          ${poll.hideResults ? html`<span class="badge ${poll.revealed ? '' : 'badge-warn'}">${poll.revealed ? msg('Revealed') : msg('Results hidden')}</span>` : nothing}
          <span class="total num">${poll.kind === 'choice' ? (total === 1 ? msg('1 vote') : msg(str`${count(total)} votes`)) : total === 1 ? msg('1 answer') : msg(str`${count(total)} answers`)}</span>
          ${
            poll.open
              ? html`<span class="badge badge-live"><span class="dot dot-pulse"></span>${msg('Open')}</span>`
              : poll.closed
                ? html`<span class="badge">${msg('Closed')}</span>`
                : html`<span class="badge badge-accent">${msg('Draft')}</span>`
          }
        </div>
      </div>
      ${this.renderResults(poll)}
      <div class="poll-actions">
        ${
          poll.open
            ? html`<button class="btn btn-outline" ?disabled=${busy} @click=${() => this.setState(poll, 'close')}>
              ■ Close poll
            </button>`
            : poll.closed
              ? html`<button class="btn btn-ghost btn-sm" ?disabled=${busy} @click=${() => this.setState(poll, 'open')}>
                ${msg('Reopen')}
              </button>`
              : html`<button class="btn btn-good" ?disabled=${busy} @click=${() => this.setState(poll, 'open')}>
                ▶ Open poll
              </button>`
        }
        ${
          poll.hideResults && !poll.revealed && (poll.open || poll.closed)
            ? html`<button class="btn btn-primary btn-sm" ?disabled=${busy} @click=${() => this.act(poll, 'reveal')}>${msg('Reveal results')}</button>`
            : nothing
        }
        ${total ? html`<button class="btn btn-ghost btn-sm" ?disabled=${busy} @click=${() => this.act(poll, 'reset')}>${msg('Reset')}</button>` : nothing}
        <button class="btn btn-ghost btn-sm" ?disabled=${busy} @click=${() => this.act(poll, 'duplicate')}>${msg('Duplicate')}</button>
      </div>
      ${this.actions.feedback(key)}
      <gb-poll-tools .slug=${this.slug} .poll=${poll} .order=${this.polls.map((p) => p.id)}></gb-poll-tools>
    </article>`
  }

  private group(title: string, polls: Poll[], cls = '', badge: unknown = nothing) {
    if (!polls.length) return nothing
    return html`<section class="group ${cls}" aria-label=${title}>
      <div class="group-title"><h2 class="eyebrow">${title}</h2>${badge}</div>
      <div class="polls">${repeat(
        polls,
        (p) => p.id,
        (p) => this.renderPoll(p),
      )}</div>
    </section>`
  }

  render() {
    const polls = this.polls ?? []
    const open = polls.filter((p) => p.open)
    const drafts = polls.filter((p) => !p.open && !p.closed)
    const past = polls.filter((p) => p.closed).reverse()
    return html`<div class="layout">
      ${this.renderForm()}
      <div>
        ${
          polls.length
            ? html`${this.group(msg('Open now'), open, '', html`<span class="badge badge-live">${open.length}</span>`)}
            ${this.group(msg('Drafts'), drafts)} ${this.group(msg('Past polls'), past, 'past')}`
            : html`<p class="empty">${msg('No polls yet. Write one on the left; it shows on every phone and the big screen when you open it.')}</p>`
        }
      </div>
    </div>`
  }
}

customElements.define('gb-poll-manager', PollManager)

declare global {
  interface HTMLElementTagNameMap {
    'gb-poll-manager': PollManager
  }
}
