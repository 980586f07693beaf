import { css, html, LitElement, nothing } from 'lit'
import { CODE_LENGTH, formatCode, normaliseCode, parseCode } from '../../../../protocol/code-format.ts'
import { msg, str } from '../../lib/i18n.ts'
import { sharedStyles, textBoxFormStyles } from '../shared.styles.ts'

export type CodeEvent = CustomEvent<{ code: string }>

/** What a guest sees for each way a typed code can be wrong; said before anything is sent. */
export function codeProblem(input: string): string | null {
  const parsed = parseCode(input)
  if (parsed.ok) return null
  const typed = normaliseCode(input)
  if (parsed.reason === 'symbol') {
    const bad = [...typed].find((c) => !/[0-9A-Z]/.test(c)) ?? ''
    return bad
      ? msg(str`“${bad}” is not part of a code: codes use only letters and digits.`)
      : msg('Codes use only letters and digits.')
  }
  if (parsed.reason === 'length') {
    if (!typed.length) return msg(str`Type the ${CODE_LENGTH}-character code printed under the QR code.`)
    const missing = CODE_LENGTH - typed.length
    return missing > 0
      ? missing === 1
        ? msg(str`1 character is missing: a code has ${CODE_LENGTH}.`)
        : msg(str`${missing} characters are missing: a code has ${CODE_LENGTH}.`)
      : missing === -1
        ? msg(str`1 character too many: a code has ${CODE_LENGTH}.`)
        : msg(str`${-missing} characters too many: a code has ${CODE_LENGTH}.`)
  }
  return msg('This code has a typo. Compare each character with the code on your wristband.')
}

/**
 * The type-your-code form for guests without a camera. Forgiving about case, spaces,
 * dashes and look-alike characters (O/0, I/L/1); the check character catches a typo
 * here, on the phone, before anything is sent.
 *
 * @fires gb-code - `CustomEvent<{ code }>` with the normalised code, only when it is well-formed.
 */
export class CheckinForm extends LitElement {
  static properties = {
    busy: { type: Boolean },
    error: { type: String },
    submitLabel: { type: String, attribute: 'submit-label' },
    value: { state: true },
    problem: { state: true },
  }

  static styles = [
    sharedStyles,
    textBoxFormStyles,
    css`
      form {
        gap: 0.75rem;
      }
      .hint {
        margin: 0;
        color: var(--gb-muted);
        font-size: 0.9375rem;
        line-height: 1.4;
      }
      input {
        width: 100%;
        min-height: 3.5rem;
        padding: 0.625rem 0.875rem;
        font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, 'DejaVu Sans Mono', monospace;
        font-size: 1.375rem;
        letter-spacing: 0.12em;
        text-transform: uppercase;
      }
      input::placeholder {
        color: #7d7d98;
        letter-spacing: 0.12em;
      }
      .count {
        font-variant-numeric: tabular-nums;
      }
      .problem {
        display: flex;
        gap: 0.5rem;
        margin: 0;
        padding: 0.75rem 0.875rem;
        border-radius: 0.75rem;
        background: rgba(248, 113, 113, 0.14);
        color: #fecaca;
        font-size: 1rem;
        line-height: 1.4;
      }
      .problem strong {
        color: var(--gb-bad);
      }
      .btn {
        width: 100%;
        min-height: 3.5rem;
        font-size: 1.125rem;
      }
    `,
  ]

  declare busy: boolean
  declare error: string
  declare submitLabel: string
  declare value: string
  declare problem: string | null

  constructor() {
    super()
    this.busy = false
    this.error = ''
    this.submitLabel = ''
    this.value = ''
    this.problem = null
  }

  /** Moves focus to the code box (after a failed check-in, say). */
  override focus() {
    this.renderRoot.querySelector('input')?.focus()
  }

  private onInput(e: Event) {
    this.value = (e.target as HTMLInputElement).value
    // Clear a complaint as soon as the guest starts fixing it.
    if (this.problem) this.problem = null
  }

  private onSubmit(e: Event) {
    e.preventDefault()
    if (this.busy) return
    this.problem = codeProblem(this.value)
    if (this.problem) {
      this.focus()
      return
    }
    const parsed = parseCode(this.value)
    if (parsed.ok) {
      this.dispatchEvent(new CustomEvent('gb-code', { detail: { code: parsed.code }, bubbles: true, composed: true }))
    }
  }

  render() {
    const typed = normaliseCode(this.value).length
    const message = this.problem ?? (this.error || null)
    return html`
      <form @submit=${this.onSubmit} novalidate>
        <label for="code">${msg('Wristband code')}</label>
        <p class="hint" id="code-hint">
          ${msg(str`The ${CODE_LENGTH} characters printed under the QR code, like ${formatCode('7K3M0Q9TZX4A')}. Capitals, spaces and dashes don't matter.`)}
        </p>
        <input
          id="code"
          name="code"
          .value=${this.value}
          @input=${this.onInput}
          placeholder="XXXX-XXXX-XXXX"
          autocomplete="off"
          autocapitalize="characters"
          autocorrect="off"
          spellcheck="false"
          enterkeyhint="go"
          maxlength="32"
          aria-describedby="code-hint code-count${message ? ' code-problem' : ''}"
          aria-invalid=${message ? 'true' : 'false'}
        />
        <p class="hint count" id="code-count">${msg(str`${typed} of ${CODE_LENGTH} characters`)}</p>
        ${
          message
            ? html`<p class="problem wrap" id="code-problem" role="alert"><strong aria-hidden="true">!</strong> ${message}</p>`
            : nothing
        }
        <button class="btn btn-primary" type="submit" ?disabled=${this.busy}>
          ${this.busy ? msg('Checking…') : this.submitLabel || msg('Check in')}
        </button>
      </form>
    `
  }
}
customElements.define('gb-checkin-form', CheckinForm)

declare global {
  interface HTMLElementTagNameMap {
    'gb-checkin-form': CheckinForm
  }
}
