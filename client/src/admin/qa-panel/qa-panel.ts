/**
 * The host's Q&A queue: questions held for approval (approve or hide, one by one or all at
 * once), the board as guests see it (pin, mark answered, hide), and who may write: ban a
 * wristband by its number (it holds whatever phone it comes back with) and slow mode.
 */
import { css, html, LitElement, nothing } from 'lit'
import type { AdminView, Question } from '../../../../protocol/index.ts'
import { msg, str } from '../../lib/i18n.ts'
import { moderationPanelStyles } from '../moderation-panel/moderation-panel.styles.ts'
import { adminStyles, panelStyles } from '../shared/admin.styles.ts'
import { clockTime } from '../shared/format.ts'
import { Actions, hostApi } from '../shared/host-api.ts'
import type { EventSettings } from '../shared/session.ts'

type HeldQuestion = NonNullable<AdminView['heldQuestions']>[number]

export class QaPanel extends LitElement {
  static properties = {
    slug: { type: String },
    questions: { attribute: false },
    held: { attribute: false },
    settings: { attribute: false },
    bans: { state: true },
    banNumber: { state: true },
    slow: { state: true },
  }
  declare slug: string
  declare questions: Question[]
  declare held: HeldQuestion[]
  declare settings: EventSettings | null
  declare bans: number[] | null
  declare banNumber: string
  declare slow: string | null

  private actions = new Actions(this)

  static styles = [
    adminStyles,
    panelStyles,
    moderationPanelStyles,
    css`
      .row {
        display: flex;
        gap: 8px;
        align-items: center;
        flex-wrap: wrap;
      }
      .row input {
        width: 7rem;
      }
      .pinned {
        box-shadow: inset 3px 0 0 #ffcc33;
      }
      .votes {
        font-weight: 800;
        min-width: 3.5rem;
      }
    `,
  ]

  constructor() {
    super()
    this.slug = ''
    this.questions = []
    this.held = []
    this.settings = null
    this.bans = null
    this.banNumber = ''
    this.slow = null
  }

  connectedCallback() {
    super.connectedCallback()
    void this.loadBans()
  }

  private async loadBans() {
    const r = await hostApi<{ bans: { number: number }[] }>(this.slug, 'GET', '/bans')
    if (r.ok) this.bans = r.body.bans.map((b) => b.number)
  }

  private change(id: number, body: Record<string, unknown>) {
    return this.actions.run(`q-${id}`, () => hostApi(this.slug, 'POST', `/questions/${id}`, body))
  }

  private bulk(action: 'approve' | 'hide') {
    const ids = this.held.map((q) => q.id)
    if (!ids.length) return
    return this.actions.run(
      'bulk',
      () => hostApi<{ done: number[] }>(this.slug, 'POST', '/questions/bulk', { ids, action }),
      (b) => (action === 'approve' ? msg(str`${b.done.length} approved`) : msg(str`${b.done.length} hidden`)),
    )
  }

  private async ban(banned: boolean, number = Number(this.banNumber)) {
    if (!Number.isInteger(number) || number < 1) {
      this.actions.fail('ban', msg('Type a wristband number.'), { number: msg('a wristband number') })
      return
    }
    const r = await this.actions.run(
      'ban',
      () => hostApi(this.slug, banned ? 'PUT' : 'DELETE', `/bans/${number}`),
      banned ? `#${number} can no longer write` : `#${number} may write again`,
    )
    if (r.ok) {
      this.banNumber = ''
      await this.loadBans()
    }
  }

  private submitBan = (e: Event) => {
    e.preventDefault()
    void this.ban(true)
  }

  private async saveSlow(e: Event) {
    e.preventDefault()
    const n = Number(this.slow ?? this.settings?.slowModeSeconds ?? 0)
    if (!Number.isInteger(n) || n < 0 || n > 3600) {
      this.actions.fail('slow', msg('Slow mode is a whole number of seconds, 0 to 3600.'), {
        slowModeSeconds: '0-3600',
      })
      return
    }
    const r = await this.actions.run(
      'slow',
      () => hostApi<EventSettings>(this.slug, 'PATCH', '/settings', { slowModeSeconds: n }),
      n ? msg(str`Slow mode: one message every ${n} s`) : msg('Slow mode off'),
    )
    if (r.ok) {
      this.slow = null
      this.dispatchEvent(new CustomEvent('gb-settings-saved', { bubbles: true, composed: true, detail: r.body }))
    }
  }

  render() {
    const bulkBusy = this.actions.busy('bulk')
    return html`
      <section class="card">
        <div class="card-head">
          <h2 class="eyebrow">${msg(str`Questions waiting (${this.held.length})`)}</h2>
          <div class="row">
            <button class="btn btn-good btn-sm" ?disabled=${bulkBusy || !this.held.length} @click=${() => this.bulk('approve')}>
              ${msg('Approve all')}
            </button>
            <button class="btn btn-danger btn-sm" ?disabled=${bulkBusy || !this.held.length} @click=${() => this.bulk('hide')}>
              ${msg('Hide all')}
            </button>
          </div>
        </div>
        ${this.actions.feedback('bulk')}
        ${
          this.held.length
            ? html`<ul class="list">
              ${this.held.map(
                (q) => html`<li class="msg" data-held-question=${q.id}>
                  <span class="who num">#${q.number}</span>
                  <span class="text wrap">${q.text}<small>${clockTime(q.at)}</small></span>
                  <span class="btns">
                    <button class="btn btn-good btn-sm" @click=${() => this.change(q.id, { state: 'visible' })}>${msg('Approve')}</button>
                    <button class="btn btn-ghost btn-sm" @click=${() => this.change(q.id, { state: 'hidden' })}>${msg('Hide')}</button>
                  </span>
                </li>`,
              )}
            </ul>`
            : html`<p class="muted small">${msg('Nothing waiting.')} ${this.settings?.premoderate ? '' : msg('Questions go straight to the board (turn on “Hold for approval” to check them first).')}</p>`
        }
      </section>
      <section class="card">
        <h2 class="eyebrow">${msg(str`On the board (${this.questions.length})`)}</h2>
        ${
          this.questions.length
            ? html`<ul class="list">
              ${this.questions.map(
                (q) => html`<li class="msg ${q.pinned ? 'pinned' : ''}" data-question=${q.id}>
                  <span class="votes">▲ ${q.votes}</span>
                  <span class="text wrap">${q.text}<small>#${q.number}${q.answered ? ' · answered' : ''}</small></span>
                  <span class="btns">
                    <button class="btn btn-ghost btn-sm" @click=${() => this.change(q.id, { pinned: !q.pinned })}>
                      ${q.pinned ? msg('Unpin') : msg('Pin')}
                    </button>
                    <button class="btn btn-ghost btn-sm" @click=${() => this.change(q.id, { answered: !q.answered })}>
                      ${q.answered ? msg('Not answered') : msg('Answered')}
                    </button>
                    <button class="btn btn-danger btn-sm" @click=${() => this.change(q.id, { state: 'hidden' })}>${msg('Hide')}</button>
                  </span>
                </li>`,
              )}
            </ul>`
            : html`<p class="muted small">${msg('No questions yet.')}</p>`
        }
      </section>
      <section class="card">
        <h2 class="eyebrow">${msg('Who may write')}</h2>
        <form class="row" @submit=${this.submitBan}>
          <label for="ban">${msg('Wristband #')}</label>
          <input
            id="ban"
            inputmode="numeric"
            .value=${this.banNumber}
            @input=${(e: Event) => (this.banNumber = (e.target as HTMLInputElement).value)}
          />
          <button class="btn btn-danger btn-sm" type="submit">${msg('Ban from writing')}</button>
        </form>
        ${this.actions.feedback('ban')}
        ${
          this.bans?.length
            ? html`<p class="row small">
              ${msg('Banned:')}
              ${this.bans.map(
                (
                  n,
                ) => html`<button class="btn btn-ghost btn-sm" title=${msg('Lift the ban')} @click=${() => this.ban(false, n)}>
                  #${n} ✕
                </button>`,
              )}
            </p>`
            : nothing
        }
        <form class="row" @submit=${this.saveSlow}>
          <label for="slow">${msg('Slow mode (seconds between messages, 0 = off)')}</label>
          <input
            id="slow"
            inputmode="numeric"
            .value=${this.slow ?? String(this.settings?.slowModeSeconds ?? 0)}
            @input=${(e: Event) => (this.slow = (e.target as HTMLInputElement).value)}
          />
          <button class="btn btn-sm" type="submit">${msg('Save')}</button>
        </form>
        ${this.actions.feedback('slow')}
      </section>
    `
  }
}
customElements.define('gb-qa-panel', QaPanel)

declare global {
  interface HTMLElementTagNameMap {
    'gb-qa-panel': QaPanel
  }
}
