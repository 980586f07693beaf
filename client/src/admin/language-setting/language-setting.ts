import { css, html, LitElement } from 'lit'
import { LOCALES, languageName, msg } from '../../lib/i18n.ts'
import '../../lib/language-switch.ts'
import { adminStyles } from '../shared/admin.styles.ts'
import { Actions, hostApi } from '../shared/host-api.ts'
import type { EventSettings } from '../shared/session.ts'

/**
 * Languages on the host page: this page's own (the host's browser, or the switch), and the
 * event's setting for the guest phones and the big screen: 'auto' lets each browser choose
 * (and each guest switch), a fixed language wins over both and hides the guests' switch.
 *
 * @fires gb-settings-saved - CustomEvent<EventSettings>: the server saved the event's language.
 */
export class LanguageSetting extends LitElement {
  static properties = {
    slug: { type: String },
    settings: { attribute: false },
  }

  static styles = [
    adminStyles,
    css`
      :host {
        display: block;
        margin-top: 1rem;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: 0.5rem;
      }
      .row + .row {
        margin-top: 0.75rem;
      }
      label {
        font-size: 0.875rem;
      }
      select {
        min-height: 2.75rem;
        padding: 0 0.5rem;
        border-radius: 0.5rem;
        background: var(--gb-surface-2);
        color: var(--gb-text);
        border: 1px solid rgba(255, 255, 255, 0.18);
        font: inherit;
        font-size: 0.875rem;
      }
    `,
  ]

  declare slug: string
  declare settings: EventSettings | null
  private actions = new Actions(this)

  constructor() {
    super()
    this.slug = ''
    this.settings = null
  }

  private async save(language: string) {
    const r = await this.actions.run(
      'language',
      () => hostApi<EventSettings>(this.slug, 'PATCH', '/settings', { language }),
      language === 'auto'
        ? msg('Guests and the screen follow each browser')
        : msg('Every guest page and the screen now use this language'),
    )
    if (r.ok) {
      this.dispatchEvent(
        new CustomEvent<EventSettings>('gb-settings-saved', { bubbles: true, composed: true, detail: r.body }),
      )
    }
  }

  render() {
    const now = this.settings?.language ?? 'auto'
    return html`<section class="card" aria-labelledby="lang-title">
      <h2 id="lang-title" class="eyebrow">${msg('Languages')}</h2>
      <div class="row">
        <span>${msg('This page')}</span>
        <gb-language-switch></gb-language-switch>
      </div>
      <div class="row">
        <label for="event-language">${msg('Guests and the big screen')}</label>
        <select
          id="event-language"
          data-testid="event-language"
          ?disabled=${this.actions.busy('language') || !this.settings}
          @change=${(e: Event) => void this.save((e.target as HTMLSelectElement).value)}
        >
          <option value="auto" ?selected=${now === 'auto'}>${msg('Each browser’s language')}</option>
          ${LOCALES.map((l) => html`<option value=${l} lang=${l} ?selected=${now === l}>${languageName(l)}</option>`)}
        </select>
      </div>
      ${this.actions.feedback('language')}
    </section>`
  }
}
customElements.define('gb-language-setting', LanguageSetting)

declare global {
  interface HTMLElementTagNameMap {
    'gb-language-setting': LanguageSetting
  }
}
