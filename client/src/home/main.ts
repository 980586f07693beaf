/**
 * The home page, `/`: what Glowband is in one line, and the type-your-code form for a
 * guest whose camera will not scan. The typed code goes to `/w/<code>`, the same place
 * the QR code points to, which finds the event and checks the phone in. A failed scan
 * lands here too, as `/?checkin=<error>`.
 */
import '../lib/zod-jitless.ts'
import { css, html, LitElement, nothing } from 'lit'
import type { CodeEvent } from '../guest/checkin-form/checkin-form.ts'
import '../guest/checkin-form/checkin-form.ts'
import { reasonText } from '../guest/reasons.ts'
import { sharedStyles, stageGlowPageStyles } from '../guest/shared.styles.ts'
import { msg } from '../lib/i18n.ts'
import '../lib/language-switch.ts'

/** Same key the guest page writes (client/src/guest/main.ts); not imported, to keep this page tiny. */
const LAST_EVENT_KEY = 'gb-last-event'

const SCAN_ERRORS = (): Record<string, string> => ({
  unknown_code: msg('That wristband code was not recognised. Type the code printed under the QR code to try again.'),
})

function lastEvent(): { slug: string; name: string } | null {
  try {
    const v = JSON.parse(localStorage.getItem(LAST_EVENT_KEY) ?? 'null')
    return v && typeof v.slug === 'string' && typeof v.name === 'string' ? v : null
  } catch {
    return null
  }
}

/** The landing page. */
export class HomePage extends LitElement {
  static properties = {
    error: { state: true },
    busy: { state: true },
  }

  static styles = [
    sharedStyles,
    stageGlowPageStyles,
    css`
      .page {
        display: flex;
        flex-direction: column;
        gap: 1.25rem;
        max-width: 30rem;
        min-height: 100vh;
        min-height: 100dvh;
        margin: 0 auto;
        padding: 1.5rem 16px calc(1.5rem + env(safe-area-inset-bottom));
      }
      .top {
        display: flex;
        align-items: center;
        flex-wrap: wrap;
        justify-content: space-between;
        gap: 0.5rem;
      }
      .brand {
        display: flex;
        align-items: center;
        gap: 0.625rem;
        margin: 0;
        font-size: 1.125rem;
        font-weight: 800;
        letter-spacing: 0.14em;
        text-transform: uppercase;
        color: var(--gb-accent);
      }
      .glow {
        width: 1.75rem;
        height: 1.75rem;
        border-radius: 50%;
        border: 4px solid var(--gb-accent);
        box-shadow: 0 0 1rem rgba(255, 204, 51, 0.7), inset 0 0 0.5rem rgba(255, 204, 51, 0.6);
      }
      .hero {
        flex: 1 0 auto;
        display: flex;
        flex-direction: column;
        justify-content: flex-end;
        gap: 0.75rem;
      }
      h1 {
        margin: 0;
        font-size: 2rem;
        line-height: 1.15;
        letter-spacing: -0.01em;
      }
      .lead {
        margin: 0;
        color: var(--gb-muted);
        font-size: 1.125rem;
        line-height: 1.45;
      }
      .back {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: 0.75rem;
        flex-wrap: wrap;
      }
      .back p {
        margin: 0;
      }
      .scan-error {
        margin: 0;
        padding: 0.875rem 1rem;
        border-radius: var(--gb-radius);
        background: rgba(248, 113, 113, 0.14);
        border: 1px solid rgba(248, 113, 113, 0.45);
        color: #fecaca;
        line-height: 1.4;
      }
    `,
  ]

  declare error: string
  declare busy: boolean
  private last = lastEvent()

  constructor() {
    super()
    const reason = new URLSearchParams(location.search).get('checkin')
    this.error = reason
      ? (SCAN_ERRORS()[reason] ?? reasonText({ error: reason, message: `check-in failed: ${reason}` }))
      : ''
    this.busy = false
    // Coming back with the Back button restores this page from the cache: the form must work again.
    addEventListener('pageshow', () => (this.busy = false))
  }

  private onCode(e: CodeEvent) {
    this.busy = true
    // /w/:code finds the event this wristband belongs to, checks in and redirects to it.
    location.assign(`/w/${encodeURIComponent(e.detail.code)}`)
  }

  render() {
    return html`<div class="page">
      <div class="top">
        <p class="brand"><span class="glow" aria-hidden="true"></span>Glowband</p>
        <gb-language-switch></gb-language-switch>
      </div>
      <div class="hero">
        <h1>${msg('Your wristband is your ticket to the show.')}</h1>
        <p class="lead">${msg("Scan its QR code with your phone's camera to vote, send messages to the big screen and win prizes. No app needed.")}</p>
      </div>
      ${
        this.last
          ? html`<section class="card back">
            <p>${msg('Back to')} <strong class="wrap">${this.last.name}</strong></p>
            <a class="btn btn-quiet" href="/e/${encodeURIComponent(this.last.slug)}">${msg('Open')}</a>
          </section>`
          : nothing
      }
      ${this.error ? html`<p class="scan-error wrap" role="alert">${this.error}</p>` : nothing}
      <section class="card" aria-label=${msg('Type your wristband code')}>
        <gb-checkin-form .busy=${this.busy} .submitLabel=${msg('Join the event')} @gb-code=${this.onCode}></gb-checkin-form>
      </section>
    </div>`
  }
}
customElements.define('gb-home', HomePage)

declare global {
  interface HTMLElementTagNameMap {
    'gb-home': HomePage
  }
}
