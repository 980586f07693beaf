/**
 * The host page at /e/:slug/admin. This shell only signs in: with the key from the
 * admin link's fragment (taken out of the address bar at once, sent in a POST body),
 * with the host cookie from an earlier sign-in, or with the form. Once signed in it
 * shows `gb-admin-console`, which runs the event from the admin stream.
 */
import '../lib/zod-jitless.ts'
import { css, html, LitElement } from 'lit'
import { slugFromPath } from '../lib/api.ts'
import './admin-console/admin-console.ts'
import { adminStyles } from './shared/admin.styles.ts'
import { type AuthLostDetail, describeError } from './shared/host-api.ts'
import { endSession, type HostEvent, loadHostEvent, startSession, takeKeyFromFragment } from './shared/session.ts'
import './sign-in/sign-in.ts'
import { msg, str } from '../lib/i18n.ts'
import '../lib/language-switch.ts'

type Auth = 'checking' | 'form' | 'in' | 'no-event'

/** Remembers, per tab, that the host signed out while the server could not end the cookie. */
const signedOutKey = (slug: string) => `gb-admin-signed-out:${slug}`

export class AdminApp extends LitElement {
  static properties = {
    auth: { state: true },
    formError: { state: true },
    formNotice: { state: true },
    event: { state: true },
  }

  declare auth: Auth
  declare formError: string
  declare formNotice: string
  declare event: HostEvent | null

  readonly slug = slugFromPath()

  static styles = [
    adminStyles,
    css`
      .center {
        min-height: 100vh;
        min-height: 100dvh;
        display: grid;
        place-items: center;
        padding: 1rem;
        text-align: center;
      }
      .spinner {
        width: 2.5rem;
        height: 2.5rem;
        margin: 0 auto 1rem;
        border-radius: 50%;
        border: 3px solid rgba(255, 255, 255, 0.12);
        border-top-color: var(--gb-accent);
        animation: spin 0.9s linear infinite;
      }
      @keyframes spin {
        to {
          transform: rotate(360deg);
        }
      }
    `,
  ]

  constructor() {
    super()
    this.auth = 'checking'
    this.formError = ''
    this.formNotice = ''
    this.event = null
  }

  connectedCallback() {
    super.connectedCallback()
    this.addEventListener('gb-auth-lost', this.onAuthLost)
    this.addEventListener('gb-sign-out', this.onSignOut)
    window.addEventListener('hashchange', this.onHashChange)
    void this.boot()
  }

  disconnectedCallback() {
    super.disconnectedCallback()
    this.removeEventListener('gb-auth-lost', this.onAuthLost)
    this.removeEventListener('gb-sign-out', this.onSignOut)
    window.removeEventListener('hashchange', this.onHashChange)
  }

  /** An admin link pasted into this open tab changes only the fragment: sign in with its key. */
  private onHashChange = () => {
    if (new URLSearchParams(location.hash.replace(/^#/, '')).has('key')) void this.boot()
  }

  /** Signs in from `#key=` if the link carried one, else resumes a cookie session, else asks. */
  private async boot() {
    const key = takeKeyFromFragment()
    if (key) {
      const r = await startSession(this.slug, key)
      if (r.ok) return this.enter()
      if (r.status === 404) return void (this.auth = 'no-event')
      this.formError =
        r.error.error === 'wrong_secret'
          ? msg('The key in this admin link is not right for this event. Paste the host secret below.')
          : describeError(r.status, r.error)
      this.auth = 'form'
      return
    }
    if (sessionStorage.getItem(signedOutKey(this.slug))) {
      this.formNotice = msg('You signed out in this tab.')
      this.auth = 'form'
      return
    }
    const r = await loadHostEvent(this.slug)
    if (r.ok) return this.enter(r.body)
    if (r.status === 404) return void (this.auth = 'no-event')
    if (r.status !== 401) this.formError = describeError(r.status, r.error)
    this.auth = 'form'
  }

  private async enter(event?: HostEvent) {
    sessionStorage.removeItem(signedOutKey(this.slug))
    if (!event) {
      const r = await loadHostEvent(this.slug)
      if (!r.ok) {
        this.formError = describeError(r.status, r.error)
        this.auth = r.status === 404 ? 'no-event' : 'form'
        return
      }
      event = r.body
    }
    this.event = event
    this.formError = ''
    this.formNotice = ''
    this.auth = 'in'
  }

  private leave(error: string, notice = '') {
    this.event = null
    this.formError = error
    this.formNotice = notice
    this.auth = 'form'
  }

  private onAuthLost = (e: CustomEvent<AuthLostDetail>) => {
    if (this.auth !== 'in') return
    this.leave(msg(str`Your host session has ended (${e.detail.message}). Enter the host secret to carry on.`))
  }

  private onSignOut = async () => {
    // The console goes first, so its stream closes before the session does.
    this.leave('', msg('Signing out…'))
    const ended = await endSession(this.slug)
    if (!ended) sessionStorage.setItem(signedOutKey(this.slug), '1')
    this.formNotice = ended
      ? msg('Signed out.')
      : msg(
          'Signed out in this tab. This browser keeps host access until its host cookie expires (24 h after sign-in): close the browser on a shared machine.',
        )
  }

  render() {
    switch (this.auth) {
      case 'checking':
        return html`<div class="center" role="status">
          <div><div class="spinner"></div><p class="muted">${msg('Signing in…')}</p></div>
        </div>`
      case 'no-event':
        return html`<div class="center">
          <section class="card" style="max-width:28rem">
            <h1 style="margin:0 0 0.5rem;font-size:1.35rem">${msg('No event here')}</h1>
            <p class="muted">${msg('There is no event here on this server. Check the admin link the CLI printed.')} <b>/e/${this.slug}</b></p>
          </section>
        </div>`
      case 'form':
        return html`<gb-sign-in
          .slug=${this.slug}
          .error=${this.formError}
          .notice=${this.formNotice}
          @gb-signed-in=${() => void this.enter()}
        ></gb-sign-in>`
      case 'in':
        return html`<gb-admin-console .event=${this.event}></gb-admin-console>`
    }
  }
}

customElements.define('gb-admin-app', AdminApp)

declare global {
  interface HTMLElementTagNameMap {
    'gb-admin-app': AdminApp
  }
}
