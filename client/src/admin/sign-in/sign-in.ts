import { css, html, LitElement, nothing } from 'lit'
import { msg, str } from '../../lib/i18n.ts'
import { adminStyles } from '../shared/admin.styles.ts'
import { describeError } from '../shared/host-api.ts'
import { startSession } from '../shared/session.ts'

export interface SignedInDetail {
  slug: string
}

/**
 * The host sign-in form: asks for the host secret, trades it for the host cookie.
 * Shows nothing about the event beyond its slug until the secret is right.
 *
 * @fires gb-signed-in - CustomEvent<SignedInDetail>: the server accepted the secret and set the host cookie.
 */
export class SignIn extends LitElement {
  static properties = {
    slug: { type: String },
    error: { type: String },
    notice: { type: String },
    busy: { type: Boolean },
    reveal: { state: true },
  }

  declare slug: string
  /** An error to show from outside (a wrong key in the admin link, an expired session). */
  declare error: string
  /** A neutral note (e.g. "Signed out"). */
  declare notice: string
  declare busy: boolean
  declare reveal: boolean

  constructor() {
    super()
    this.slug = ''
    this.error = ''
    this.notice = ''
    this.busy = false
    this.reveal = false
  }

  static styles = [
    adminStyles,
    css`
      :host {
        min-height: 100vh;
        min-height: 100dvh;
        display: grid;
        place-items: center;
        padding: 1.5rem 1rem;
        background:
          radial-gradient(60rem 30rem at 50% -10%, rgba(255, 204, 51, 0.1), transparent 70%),
          radial-gradient(40rem 30rem at 100% 110%, rgba(120, 80, 255, 0.12), transparent 70%);
      }
      .panel {
        width: min(29rem, 100%);
        padding: 2rem 2rem 1.75rem;
      }
      .brand {
        display: flex;
        align-items: center;
        gap: 0.75rem;
        margin-bottom: 1.5rem;
      }
      .mark {
        width: 2.5rem;
        height: 2.5rem;
        border-radius: 50%;
        border: 4px solid var(--gb-accent);
        box-shadow:
          0 0 18px rgba(255, 204, 51, 0.55),
          inset 0 0 10px rgba(255, 204, 51, 0.4);
        flex: none;
      }
      h1 {
        margin: 0;
        font-size: 1.5rem;
        letter-spacing: -0.01em;
      }
      .slug {
        font-family: ui-monospace, 'SF Mono', Menlo, Consolas, monospace;
        color: var(--gb-accent);
      }
      form {
        display: grid;
        gap: 1rem;
        margin-top: 1.25rem;
      }
      .secret {
        position: relative;
      }
      .secret input {
        padding-right: 4.5rem;
        font-family: ui-monospace, 'SF Mono', Menlo, Consolas, monospace;
        min-height: 3rem;
      }
      .secret button {
        position: absolute;
        right: 0.35rem;
        top: 50%;
        transform: translateY(-50%);
      }
      .help {
        margin-top: 1.25rem;
        padding-top: 1rem;
        border-top: 1px solid rgba(255, 255, 255, 0.08);
        font-size: 0.8125rem;
        color: var(--gb-muted);
      }
      code {
        font-family: ui-monospace, 'SF Mono', Menlo, Consolas, monospace;
        font-size: 0.8rem;
        color: var(--gb-text);
        background: var(--gb-surface-2);
        padding: 0.05rem 0.35rem;
        border-radius: 0.3rem;
      }
    `,
  ]

  private async submit(e: Event) {
    e.preventDefault()
    const input = this.renderRoot.querySelector<HTMLInputElement>('#secret')!
    const secret = input.value.trim()
    if (!secret) {
      this.error = msg('Enter the host secret for this event.')
      input.focus()
      return
    }
    this.busy = true
    this.error = ''
    this.notice = ''
    const r = await startSession(this.slug, secret)
    this.busy = false
    if (r.ok) {
      input.value = ''
      this.dispatchEvent(
        new CustomEvent<SignedInDetail>('gb-signed-in', { bubbles: true, composed: true, detail: { slug: this.slug } }),
      )
      return
    }
    this.error =
      r.error.error === 'wrong_secret'
        ? msg('That host secret is not right for this event. Check it and try again.')
        : r.status === 404
          ? msg(str`There is no event “${this.slug}” on this server.`)
          : describeError(r.status, r.error)
    input.select()
  }

  render() {
    return html`<section class="card panel" aria-labelledby="title">
      <div class="brand">
        <span class="mark" aria-hidden="true"></span>
        <div>
          <p class="eyebrow">${msg('Glowband host')}</p>
          <h1 id="title">${msg('Sign in to run the show')}</h1>
        </div>
      </div>
      <gb-language-switch style="float:right"></gb-language-switch>
      <p class="muted">${msg('Event')} <span class="slug">/e/${this.slug}</span></p>
      <form @submit=${this.submit} novalidate>
        <label class="field" for="secret">${msg('Host secret')}</label>
        <div class="secret" style="margin-top:-0.65rem">
          <input
            id="secret"
            name="secret"
            type=${this.reveal ? 'text' : 'password'}
            autocomplete="current-password"
            autocapitalize="off"
            spellcheck="false"
            aria-invalid=${this.error ? 'true' : 'false'}
            aria-describedby="sign-in-error"
            placeholder=${msg('paste the secret')}
          />
          <button
            type="button"
            class="btn btn-ghost btn-sm"
            aria-pressed=${this.reveal ? 'true' : 'false'}
            @click=${() => (this.reveal = !this.reveal)}
          >
            ${this.reveal ? msg('Hide') : msg('Show')}
          </button>
        </div>
        <div id="sign-in-error">
          ${
            this.error
              ? html`<div class="fb fb-error" role="alert"><span aria-hidden="true">⚠</span>${this.error}</div>`
              : this.notice
                ? html`<div class="fb fb-info" role="status">${this.notice}</div>`
                : nothing
          }
        </div>
        <button class="btn btn-primary btn-lg btn-block" type="submit" ?disabled=${this.busy}>
          ${this.busy ? msg('Signing in…') : msg('Sign in')}
        </button>
      </form>
      <p class="help">
        <code>glowband event create</code> ${msg('printed the host secret and an admin link ending in')}
        <code>#key=…</code>. ${msg('Opening that link signs you in; the key never leaves this browser in a URL.')}
      </p>
    </section>`
  }
}

customElements.define('gb-sign-in', SignIn)

declare global {
  interface HTMLElementTagNameMap {
    'gb-sign-in': SignIn
  }
  interface HTMLElementEventMap {
    'gb-signed-in': CustomEvent<SignedInDetail>
  }
}
