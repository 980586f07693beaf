import { html, LitElement, nothing } from 'lit'
import type { TextAnswerAdmin as HeldAnswer } from '../../../../protocol/host.ts'
import type { Poll } from '../../../../protocol/index.ts'
import { msg, str } from '../../lib/i18n.ts'
import { adminStyles, panelStyles } from '../shared/admin.styles.ts'
import { Actions, hostApi } from '../shared/host-api.ts'
import { pollManagerStyles } from './poll-manager.styles.ts'

/**
 * The quieter tools under a poll card: edit a draft in place, move a poll up or down
 * the host's order, and, for open answers, the queue of answers held for moderation
 * with approve and hide. Kept apart from the card so the card stays about results.
 */
export class PollTools extends LitElement {
  static properties = {
    slug: { type: String },
    poll: { attribute: false },
    /** Every poll of the event in the host's order (to move this one among them). */
    order: { attribute: false },
    editing: { state: true },
    question: { state: true },
    options: { state: true },
    held: { state: true },
  }

  declare slug: string
  declare poll: Poll
  declare order: number[]
  declare editing: boolean
  declare question: string
  declare options: string
  /** Held answers of an open-text poll, once the host asked for them. */
  declare held: HeldAnswer[] | null

  private actions = new Actions(this)

  static styles = [adminStyles, panelStyles, pollManagerStyles]

  constructor() {
    super()
    this.slug = ''
    this.order = []
    this.editing = false
    this.question = ''
    this.options = ''
    this.held = null
  }

  private get key() {
    return `tools-${this.poll.id}`
  }

  private startEdit() {
    this.question = this.poll.question
    this.options = this.poll.options.map((o) => o.label).join('\n')
    this.editing = true
  }

  private async saveEdit() {
    const p = this.poll
    const body: Record<string, unknown> = { question: this.question.trim(), kind: p.kind }
    if (p.kind === 'choice') {
      body.options = this.options
        .split('\n')
        .map((o) => o.trim())
        .filter(Boolean)
      if (p.maxChoices > 1) body.maxChoices = p.maxChoices
    }
    if (p.kind === 'rating' && p.rating) body.scale = { min: p.rating.min, max: p.rating.max }
    if (p.hideResults) body.hideResults = true
    const r = await this.actions.run(
      this.key,
      () => hostApi(this.slug, 'PUT', `/polls/${p.id}`, body),
      msg('Draft saved'),
    )
    if (r.ok) this.editing = false
  }

  private async move(by: -1 | 1) {
    const ids = [...this.order]
    const at = ids.indexOf(this.poll.id)
    const to = at + by
    if (at < 0 || to < 0 || to >= ids.length) return
    ;[ids[at], ids[to]] = [ids[to]!, ids[at]!]
    await this.actions.run(
      this.key,
      () => hostApi(this.slug, 'PUT', '/polls/order', { ids }),
      by < 0 ? msg('Moved up') : msg('Moved down'),
    )
  }

  private async loadHeld() {
    const r = await this.actions.run<HeldAnswer[]>(this.key, () =>
      hostApi(this.slug, 'GET', `/polls/${this.poll.id}/answers?state=held`),
    )
    if (r.ok) this.held = r.body
  }

  private async moderate(a: HeldAnswer, to: 'approve' | 'hide') {
    const r = await this.actions.run(
      this.key,
      () => hostApi(this.slug, 'POST', `/polls/${this.poll.id}/answers/${a.number}/${to}`),
      to === 'approve' ? msg(str`Answer of #${a.number} shown`) : msg(str`Answer of #${a.number} hidden`),
    )
    if (r.ok) this.held = (this.held ?? []).filter((h) => h.number !== a.number)
  }

  render() {
    const p = this.poll
    if (!p) return nothing
    const busy = this.actions.busy(this.key)
    const draft = !p.open && !p.closed
    const at = this.order.indexOf(p.id)
    return html`<div class="poll-actions" data-tools=${p.id}>
        ${draft && !this.editing ? html`<button class="btn btn-ghost btn-sm" data-edit ?disabled=${busy} @click=${this.startEdit}>${msg('Edit')}</button>` : nothing}
        <button class="btn btn-ghost btn-sm" data-move="up" aria-label=${msg('Move up')} ?disabled=${busy || at <= 0} @click=${() => this.move(-1)}>↑</button>
        <button class="btn btn-ghost btn-sm" data-move="down" aria-label=${msg('Move down')} ?disabled=${busy || at < 0 || at >= this.order.length - 1} @click=${() => this.move(1)}>↓</button>
        ${p.kind === 'text' ? html`<button class="btn btn-ghost btn-sm" data-held-load ?disabled=${busy} @click=${this.loadHeld}>${msg('Held answers')}</button>` : nothing}
      </div>
      ${this.editing ? this.renderEdit(busy) : nothing} ${this.held ? this.renderHeld(busy) : nothing}
      ${this.actions.feedback(this.key)}`
  }

  private renderEdit(busy: boolean) {
    const qErr = this.actions.fieldError(this.key, 'question')
    const oErr = this.actions.fieldError(this.key, 'options')
    return html`<form
      class="edit"
      data-edit-form
      novalidate
      @submit=${(e: Event) => {
        e.preventDefault()
        void this.saveEdit()
      }}
    >
      <label class="field"
        >${msg('Question')}
        <input
          type="text"
          name="question"
          .value=${this.question}
          @input=${(e: Event) => (this.question = (e.target as HTMLInputElement).value)}
          aria-invalid=${qErr ? 'true' : 'false'}
        />
        ${qErr ? html`<span class="field-error" role="alert">${qErr}</span>` : nothing}
      </label>
      ${
        this.poll.kind === 'choice'
          ? html`<label class="field"
            >${msg('Options, one per line')}
            <textarea
              name="options"
              rows="4"
              .value=${this.options}
              @input=${(e: Event) => (this.options = (e.target as HTMLTextAreaElement).value)}
              aria-invalid=${oErr ? 'true' : 'false'}
            ></textarea>
            ${oErr ? html`<span class="field-error" role="alert">${oErr}</span>` : nothing}
          </label>`
          : nothing
      }
      <div class="poll-actions">
        <button class="btn btn-primary btn-sm" type="submit" ?disabled=${busy}>${msg('Save draft')}</button>
        <button class="btn btn-ghost btn-sm" type="button" @click=${() => (this.editing = false)}>${msg('Cancel')}</button>
      </div>
    </form>`
  }

  private renderHeld(busy: boolean) {
    const held = this.held ?? []
    if (!held.length) return html`<p class="empty" data-held-empty>${msg('No answers waiting.')}</p>`
    return html`<ul class="bars" data-held>
      ${held.map(
        (a) => html`<li class="bar" data-number=${a.number}>
          <span class="label wrap">${a.text} <small class="num">#${a.number}</small></span>
          <button class="btn btn-good btn-sm" data-approve ?disabled=${busy} @click=${() => this.moderate(a, 'approve')}>${msg('Show')}</button>
          <button class="btn btn-ghost btn-sm" data-hide ?disabled=${busy} @click=${() => this.moderate(a, 'hide')}>${msg('Hide')}</button>
        </li>`,
      )}
    </ul>`
  }
}

customElements.define('gb-poll-tools', PollTools)

declare global {
  interface HTMLElementTagNameMap {
    'gb-poll-tools': PollTools
  }
}
