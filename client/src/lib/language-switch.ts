import { css, html, LitElement } from 'lit'
import { getLocale, LOCALES, languageName, msg, pickLocale } from './i18n.ts'

/**
 * A small language picker: every locale the build has, each in its own language. The pick
 * is remembered on this device. Pages hide it when the event fixes the language.
 */
export class LanguageSwitch extends LitElement {
  static styles = css`
    :host {
      display: inline-block;
    }
    select {
      min-height: 2.75rem;
      padding: 0 0.5rem;
      border: 1px solid rgba(255, 255, 255, 0.28);
      border-radius: 0.625rem;
      background: transparent;
      color: inherit;
      font: inherit;
      font-size: 0.875rem;
    }
    option {
      color: #111;
    }
  `

  render() {
    const now = getLocale()
    return html`<select
      aria-label=${msg('Language')}
      data-testid="language-switch"
      @change=${(e: Event) => void pickLocale((e.target as HTMLSelectElement).value)}
    >
      ${LOCALES.map((l) => html`<option value=${l} lang=${l} ?selected=${l === now}>${languageName(l)}</option>`)}
    </select>`
  }
}
customElements.define('gb-language-switch', LanguageSwitch)

declare global {
  interface HTMLElementTagNameMap {
    'gb-language-switch': LanguageSwitch
  }
}
