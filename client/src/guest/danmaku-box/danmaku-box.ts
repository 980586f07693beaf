import { css, html, LitElement, nothing } from 'lit'
import type { Status } from '../../../../protocol/index.ts'
import { formatNumber, msg, str } from '../../lib/i18n.ts'
import { sharedStyles, textBoxFormStyles } from '../shared.styles.ts'

export type SendEvent = CustomEvent<{ text: string }>
export type Notice = { tone: 'ok' | 'info' | 'bad'; text: string }

type Segmenter = { segment(s: string): Iterable<unknown> }
const segmenter: Segmenter | null =
  typeof Intl !== 'undefined' && 'Segmenter' in Intl
    ? new (Intl as unknown as { Segmenter: new (l?: string, o?: object) => Segmenter }).Segmenter(undefined, {
        granularity: 'grapheme',
      })
    : null

/** Characters as a person counts them (an emoji with modifiers is one), like the server does. */
export function visibleLength(text: string): number {
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').trim()
  if (!segmenter) return Array.from(clean).length
  let n = 0
  for (const _ of segmenter.segment(clean)) n++
  return n
}

/**
 * The danmaku composer: a one-line message to the big screen, the characters left, and
 * what happened to the last message (sent, held for the host, refused and why). While
 * the host has paused (or ended) the event it takes nothing, and says why.
 *
 * @fires gb-send - `CustomEvent<{ text }>` when the guest sends a message that fits.
 */
export class DanmakuBox extends LitElement {
  static properties = {
    maxLength: { type: Number, attribute: 'max-length' },
    premoderate: { type: Boolean },
    notice: { attribute: false },
    eventStatus: { attribute: false },
    text: { state: true },
  }

  static styles = [
    sharedStyles,
    textBoxFormStyles,
    css`
      form {
        gap: 0.5rem;
      }
      .top {
        display: flex;
        justify-content: space-between;
        align-items: baseline;
        gap: 0.5rem;
        flex-wrap: wrap;
      }
      .left {
        font-size: 0.875rem;
        color: var(--gb-muted);
        font-variant-numeric: tabular-nums;
      }
      .left.low {
        color: var(--gb-warn);
      }
      .left.over {
        color: var(--gb-bad);
        font-weight: 700;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: stretch;
      }
      /* Side by side on a phone; with large text the button wraps under the box, full width. */
      input {
        flex: 999 1 10rem;
        min-width: 0;
        min-height: 3.25rem;
        padding: 0.5rem 0.875rem;
        font-size: 1.0625rem;
      }
      input::placeholder {
        color: #8b8ba6;
      }
      .btn {
        flex: 1 0 auto;
        min-height: 3.25rem;
        padding: 0 1.125rem;
      }
      .btn svg {
        width: 1.25rem;
        height: 1.25rem;
      }
      .notice {
        margin: 0;
        font-size: 0.9375rem;
        line-height: 1.35;
      }
      .notice.ok {
        color: var(--gb-good);
      }
      .notice.info {
        color: var(--gb-warn);
      }
      .notice.bad {
        color: #fca5a5;
      }
      .hint {
        margin: 0;
        font-size: 0.875rem;
        color: var(--gb-muted);
      }
    `,
  ]

  declare maxLength: number
  declare premoderate: boolean
  declare notice: Notice | null
  declare eventStatus: Status
  declare text: string

  constructor() {
    super()
    this.maxLength = 80
    this.premoderate = false
    this.notice = null
    this.eventStatus = 'live'
    this.text = ''
  }

  /** Puts a refused message back so the guest can fix it, unless they already wrote another. */
  restore(text: string) {
    if (!this.text.trim()) this.text = text
  }

  private onInput(e: Event) {
    this.text = (e.target as HTMLInputElement).value
  }

  private onSubmit(e: Event) {
    e.preventDefault()
    const length = visibleLength(this.text)
    if (!length || length > this.maxLength || this.eventStatus !== 'live') return
    this.dispatchEvent(
      new CustomEvent('gb-send', { detail: { text: this.text.trim() }, bubbles: true, composed: true }),
    )
    this.text = ''
  }

  render() {
    const used = visibleLength(this.text)
    const left = this.maxLength - used
    const over = left < 0
    const cls = over ? 'over' : left <= 10 ? 'low' : ''
    const onHold = this.eventStatus !== 'live'
    return html`
      <form @submit=${this.onSubmit}>
        <div class="top">
          <label for="msg">${msg('Send to the big screen')}</label>
          <span class="left ${cls}" id="msg-left" aria-live=${left <= 10 ? 'polite' : 'off'}>
            ${over ? msg(str`${formatNumber(-left)} too many`) : msg(str`${formatNumber(left)} left`)}
          </span>
        </div>
        <div class="row">
          <input
            id="msg"
            name="text"
            .value=${this.text}
            @input=${this.onInput}
            placeholder=${msg('Say something nice…')}
            autocomplete="off"
            enterkeyhint="send"
            aria-describedby="msg-left${this.notice ? ' msg-notice' : ''}${this.premoderate || onHold ? ' msg-hint' : ''}"
            aria-invalid=${over ? 'true' : 'false'}
            ?disabled=${onHold}
          />
          <button class="btn btn-primary" type="submit" ?disabled=${!used || over || onHold} aria-label=${msg('Send message')}>
            <svg viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
              <path d="M2.5 2.8a.7.7 0 0 1 .97-.8l14 7.3a.8.8 0 0 1 0 1.4l-14 7.3a.7.7 0 0 1-.97-.8L4 10.6h6.2a.6.6 0 0 0 0-1.2H4z" />
            </svg>
            ${msg('Send')}
          </button>
        </div>
        ${
          this.notice
            ? html`<p class="notice ${this.notice.tone} wrap" id="msg-notice" role=${this.notice.tone === 'bad' ? 'alert' : 'status'}>
              ${this.notice.text}
            </p>`
            : onHold
              ? html`<p class="hint" id="msg-hint">
                ${this.eventStatus === 'paused' ? msg('Messages are on hold while the event is paused.') : msg('The event has ended.')}
              </p>`
              : this.premoderate
                ? html`<p class="hint" id="msg-hint">${msg('The host checks messages before they appear.')}</p>`
                : nothing
        }
      </form>
    `
  }
}
customElements.define('gb-danmaku-box', DanmakuBox)

declare global {
  interface HTMLElementTagNameMap {
    'gb-danmaku-box': DanmakuBox
  }
}
