import { html, LitElement, nothing, type PropertyValues } from 'lit'
import type { Status } from '../../../../protocol/index.ts'
import { msg, str } from '../../lib/i18n.ts'
import { adminStyles } from '../shared/admin.styles.ts'
import { trapTab } from '../shared/focus-trap.ts'
import { clockTime, NowController } from '../shared/format.ts'
import { Actions, hostApi } from '../shared/host-api.ts'
import { statusPanelStyles } from './status-panel.styles.ts'

/**
 * The message the one-tap emergency preset sends, in the host page's language: the host
 * speaks to the room in theirs, and guests see the host's words as written.
 */
export const emergencyMessage = () => msg('Emergency: please stay where you are')

export const pausePresets = () => [
  { label: msg('Short break'), message: msg('Short break: we will be right back') },
  { label: msg('Technical problem'), message: msg('Technical problem: please hold on') },
]

/** How long to wait for the stream to echo a status before warning. */
const ECHO_WARN_MS = 5000
const MESSAGE_MAX = 280

type Sheet = 'pause' | 'end' | null

/**
 * The event's status and the controls that change it: always on screen, at the top of
 * the page. Pausing takes two taps (Pause, then the emergency preset); the bar then
 * says when the live stream echoed the new status back, which is the proof it went out
 * to every phone and the big screen.
 *
 * The panel writes with `PUT .../status` and reads the truth only from the stream
 * (`status` and `message` properties).
 */
export class StatusPanel extends LitElement {
  static properties = {
    slug: { type: String },
    status: { type: String },
    message: { type: String },
    /** The live stream is connected; without it, an echo cannot arrive. */
    connected: { type: Boolean },
    sheet: { state: true },
    draft: { state: true },
  }

  declare slug: string
  /** The status as the stream last said it; null before the first snapshot. */
  declare status: Status | null
  declare message: string
  declare connected: boolean
  declare sheet: Sheet
  declare draft: string

  private actions = new Actions(this)
  /** Re-renders every second so "waiting for the echo" turns into a warning on time. */
  protected ticker = new NowController(this, 1000)
  /** What we sent and are waiting to see echoed. */
  private pending: { status: Status; message: string; sentAt: number } | null = null
  /** The last echo we saw for something we sent. */
  private confirmed: { status: Status; at: number } | null = null
  /** When the stream showed the current status first (only known if it changed while we watched). */
  private since: number | null = null
  /** The control that opened the dialog: it gets the focus back when the dialog closes. */
  private opener: HTMLElement | null = null

  static styles = [adminStyles, statusPanelStyles]

  constructor() {
    super()
    this.slug = ''
    this.status = null
    this.message = ''
    this.connected = false
    this.sheet = null
    this.draft = ''
  }

  connectedCallback() {
    super.connectedCallback()
    document.addEventListener('keydown', this.onKey)
  }

  disconnectedCallback() {
    super.disconnectedCallback()
    document.removeEventListener('keydown', this.onKey)
  }

  private onKey = (e: KeyboardEvent) => {
    if (!this.sheet) return
    if (e.key === 'Escape') this.close()
    else trapTab(e, this.renderRoot.querySelector<HTMLElement>('[role="dialog"]'))
  }

  protected willUpdate(changed: PropertyValues<this>) {
    if (changed.has('status') && changed.get('status') != null) this.since = Date.now()
    const p = this.pending
    if (p && this.status === p.status && this.message === p.message) {
      this.confirmed = { status: p.status, at: Date.now() }
      this.pending = null
    }
  }

  private open(sheet: Exclude<Sheet, null>) {
    this.opener = (this.renderRoot as ShadowRoot).activeElement as HTMLElement | null
    this.actions.clear('status')
    this.draft = sheet === 'pause' && this.status === 'paused' ? this.message : ''
    this.sheet = sheet
    void this.updateComplete.then(() => {
      this.renderRoot.querySelector<HTMLElement>('[data-autofocus]')?.focus()
    })
  }

  private close() {
    this.sheet = null
    this.giveFocusBack()
  }

  /** Back to the button that opened the dialog, or the first action if that one is gone. */
  private giveFocusBack() {
    const opener = this.opener
    this.opener = null
    void this.updateComplete.then(() => {
      const target = opener?.isConnected ? opener : this.renderRoot.querySelector<HTMLElement>('.actions button')
      target?.focus()
    })
  }

  /** Sends a status; the sheet closes once the server took it, the echo confirms it. */
  async send(status: Status, message: string) {
    this.confirmed = null
    const r = await this.actions.run('status', () => hostApi(this.slug, 'PUT', '/status', { status, message }))
    if (!r.ok) return
    this.pending = { status, message, sentAt: Date.now() }
    // The stream may have echoed already (a fast tick) before this line runs.
    if (this.status === status && this.message === message) {
      this.confirmed = { status, at: Date.now() }
      this.pending = null
    }
    this.sheet = null
    this.giveFocusBack()
    this.requestUpdate()
  }

  private label(status: Status) {
    return status === 'live' ? msg('LIVE') : status === 'paused' ? msg('PAUSED') : msg('ENDED')
  }

  private renderConfirm() {
    if (this.actions.busy('status'))
      return html`<span class="confirm confirm-wait" role="status">${msg('Sending…')}</span>`
    const p = this.pending
    if (p) {
      const late = Date.now() - p.sentAt > ECHO_WARN_MS
      return late
        ? html`<span class="confirm confirm-late" role="alert"
            >${this.connected ? msg('Sent, but the live stream has not echoed it yet') : msg('Sent, but the live stream has not echoed it: the stream is disconnected')}</span
          >`
        : html`<span class="confirm confirm-wait" role="status">${msg('Sent · waiting for the stream to echo…')}</span>`
    }
    const c = this.confirmed
    if (c && Date.now() - c.at < 15_000) {
      const what = c.status === 'live' ? msg('Live again') : c.status === 'paused' ? msg('Paused') : msg('Ended')
      return html`<span class="confirm confirm-ok" role="status" data-confirmed=${c.status}
        >${msg(str`✓ ${what} on every screen · ${clockTime(c.at)}`)}</span
      >`
    }
    return nothing
  }

  private renderState() {
    const s = this.status
    if (!s)
      return html`<span class="pill pill-ended">…</span><span class="muted">${msg('Connecting to the live stream')}</span>`
    const since = this.since ? msg(str` since ${clockTime(this.since)}`) : ''
    return html`<span class="pill pill-${s}" data-status=${s}>
        <span class="dot ${s === 'live' ? 'dot-pulse' : ''}" aria-hidden="true"></span>${this.label(s)}
      </span>
      ${
        s === 'live'
          ? html`<div class="said">
            <span class="what">${msg('Event is live')}</span>
            <span class="how">${msg('Guests can vote and send messages')}${since}</span>
          </div>`
          : html`<div class="said">
            <span class="what wrap" title=${this.message}
              >${this.message ? html`“${this.message}”` : html`<span class="muted">${msg('No message')}</span>`}</span
            >
            <span class="how">${msg('Shown on every phone and the big screen')}${since}</span>
          </div>`
      }
      ${this.renderConfirm()}`
  }

  private renderActions() {
    const s = this.status
    const busy = this.actions.busy('status')
    if (s === 'paused') {
      return html`<button class="btn btn-good btn-lg btn-pause" ?disabled=${busy} @click=${() => this.send('live', '')}>
          ${msg('▶ Resume live')}
        </button>
        <button class="btn btn-outline" ?disabled=${busy} @click=${() => this.open('pause')}>${msg('Edit message')}</button>`
    }
    if (s === 'ended') {
      return html`<button class="btn btn-good btn-lg" ?disabled=${busy} @click=${() => this.send('live', '')}>
        ${msg('▶ Reopen as live')}
      </button>`
    }
    return html`<button
        class="btn btn-warn btn-lg btn-pause"
        ?disabled=${busy || !s}
        aria-haspopup="dialog"
        aria-expanded=${this.sheet === 'pause' ? 'true' : 'false'}
        @click=${() => this.open('pause')}
      >
        ${msg('⏸ Pause…')}
      </button>
      <button class="btn btn-ghost" ?disabled=${busy || !s} aria-haspopup="dialog" @click=${() => this.open('end')}>
        ${msg('End…')}
      </button>`
  }

  private renderPauseSheet() {
    const busy = this.actions.busy('status')
    const editing = this.status === 'paused'
    const emergency = emergencyMessage()
    return html`<div class="sheet" role="dialog" aria-modal="true" aria-labelledby="pause-title">
      <h3 id="pause-title">${editing ? msg('Change the pause message') : msg('Pause the event')}</h3>
      <p>${msg('Every phone and the big screen show this message at once, until you resume.')}</p>
      <div class="presets">
        <button
          class="btn btn-danger preset emergency"
          data-autofocus
          ?disabled=${busy}
          @click=${() => this.send('paused', emergency)}
        >
          <span aria-hidden="true">🚨</span>
          <span>${msg('Emergency pause')}<small>“${emergency}”</small></span>
        </button>
        ${pausePresets().map(
          (p) =>
            html`<button class="btn btn-outline preset" ?disabled=${busy} @click=${() => this.send('paused', p.message)}>
              <span>${p.label}<small>“${p.message}”</small></span>
            </button>`,
        )}
      </div>
      <form
        class="custom"
        @submit=${(e: Event) => {
          e.preventDefault()
          void this.send('paused', this.draft.trim())
        }}
      >
        <label class="field" for="pause-message">${msg('Your own message')}</label>
        <textarea
          id="pause-message"
          rows="2"
          maxlength=${MESSAGE_MAX}
          .value=${this.draft}
          @input=${(e: Event) => (this.draft = (e.target as HTMLTextAreaElement).value)}
          placeholder=${msg('e.g. Please make way for the medical team')}
          aria-invalid=${this.actions.fieldError('status', 'message') ? 'true' : 'false'}
        ></textarea>
        <div class="custom-foot">
          <span class="counter">${this.draft.length}/${MESSAGE_MAX}</span>
          <div class="custom-actions">
            <button type="button" class="btn btn-ghost" @click=${this.close}>${msg('Cancel')}</button>
            <button type="submit" class="btn btn-warn" ?disabled=${busy}>
              ${editing ? msg('Update message') : msg('Pause with this message')}
            </button>
          </div>
        </div>
      </form>
      ${this.actions.feedback('status', { fields: { message: msg('Message') } })}
    </div>`
  }

  private renderEndSheet() {
    const busy = this.actions.busy('status')
    return html`<div class="sheet" role="dialog" aria-modal="true" aria-labelledby="end-title">
      <h3 id="end-title">${msg('End the event?')}</h3>
      <p>${msg('Phones and the big screen show that the event is over, with your message. You can reopen it later.')}</p>
      <form
        @submit=${(e: Event) => {
          e.preventDefault()
          void this.send('ended', this.draft.trim())
        }}
      >
        <label class="field" for="end-message"
          >${msg('Goodbye message')}
          <input
            id="end-message"
            type="text"
            maxlength=${MESSAGE_MAX}
            data-autofocus
            .value=${this.draft}
            @input=${(e: Event) => (this.draft = (e.target as HTMLInputElement).value)}
            placeholder=${msg('Thanks for coming!')}
        /></label>
        <div class="sheet-foot">
          <button type="button" class="btn btn-ghost" @click=${this.close}>${msg('Cancel')}</button>
          <button type="submit" class="btn btn-danger" ?disabled=${busy}>${msg('End event')}</button>
        </div>
      </form>
      ${this.actions.feedback('status', { fields: { message: msg('Message') } })}
    </div>`
  }

  render() {
    return html`<div class="bar">
        <div class="state">${this.renderState()}</div>
        <div class="actions">${this.renderActions()}</div>
      </div>
      ${
        this.sheet
          ? html`<div class="backdrop" @click=${this.close}></div>
            ${this.sheet === 'pause' ? this.renderPauseSheet() : this.renderEndSheet()}`
          : this.actions.feedback('status')
      }`
  }
}

customElements.define('gb-status-panel', StatusPanel)

declare global {
  interface HTMLElementTagNameMap {
    'gb-status-panel': StatusPanel
  }
}
