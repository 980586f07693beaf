/**
 * Host calls and their feedback. Every write carries `X-Glowband-CSRF: 1`: the host
 * cookie is SameSite=Strict already, and the server also refuses a cookie-authenticated
 * write without this header (a cross-site form cannot set one).
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit'
import type { ApiError } from '../../../../protocol/index.ts'
import { type ApiResult, api } from '../../lib/api.ts'
import { msg, str } from '../../lib/i18n.ts'

export const CSRF_HEADERS = { 'x-glowband-csrf': '1' } as const

/** `/api/admin/events/:slug` */
export const adminBase = (slug: string) => `/api/admin/events/${encodeURIComponent(slug)}`

/**
 * One host call: JSON in, decoded answer out, never throws.
 * @example const r = await hostApi<{ id: number }>('demo', 'POST', '/polls', { question, options })
 */
export function hostApi<T>(slug: string, method: string, path: string, body?: unknown): Promise<ApiResult<T>> {
  return api<T>(method, adminBase(slug) + path, body, { ...CSRF_HEADERS })
}

export interface AuthLostDetail {
  message: string
}

/** Fired (bubbling, composed) by any host component whose call came back 401. */
export const AUTH_LOST = 'gb-auth-lost'

declare global {
  interface HTMLElementEventMap {
    'gb-auth-lost': CustomEvent<AuthLostDetail>
  }
}

/** Plain words for the failures that are not about one field. */
export function describeError(status: number, error: ApiError): string {
  if (status === 0) return msg('No connection to the server: nothing was changed. Check the network and try again.')
  if (status === 429) return msg('Too many host requests at once: wait a second and try again.')
  if (status === 503) return msg(str`The server is having trouble (${error.message}). Try again in a moment.`)
  const text = error.message || error.error
  return text.charAt(0).toUpperCase() + text.slice(1) + (/[.!?]$/.test(text) ? '' : '.')
}

export interface FeedbackOptions {
  fields?: Record<string, string>
  messages?: Record<string, string>
}

type Outcome = { kind: 'busy' } | { kind: 'error'; status: number; error: ApiError } | { kind: 'done'; text: string }

/**
 * Tracks one outcome per control (busy, failed with the server's error, or done) so
 * each panel shows it right under the control that caused it, and a 401 anywhere
 * sends the page back to the sign-in form.
 * @example
 * const r = await this.actions.run('create', () => hostApi(slug, 'POST', '/polls', body), 'Poll created')
 * html`<button ?disabled=${this.actions.busy('create')}>Create</button>${this.actions.feedback('create')}`
 */
export class Actions implements ReactiveController {
  private outcomes = new Map<string, Outcome>()
  private timers = new Map<string, ReturnType<typeof setTimeout>>()

  constructor(
    private host: ReactiveControllerHost & HTMLElement,
    /** How long a "done" line stays. */
    private doneMs = 5000,
  ) {
    host.addController(this)
  }

  hostDisconnected() {
    for (const t of this.timers.values()) clearTimeout(t)
    this.timers.clear()
  }

  busy(key: string): boolean {
    return this.outcomes.get(key)?.kind === 'busy'
  }

  /** The server's message for one field of the failed call under `key`, if any. */
  fieldError(key: string, field: string): string | undefined {
    const o = this.outcomes.get(key)
    return o?.kind === 'error' ? o.error.fields?.[field] : undefined
  }

  errorCode(key: string): string | undefined {
    const o = this.outcomes.get(key)
    return o?.kind === 'error' ? o.error.error : undefined
  }

  async run<T>(
    key: string,
    call: () => Promise<ApiResult<T>>,
    done?: string | ((body: T) => string),
  ): Promise<ApiResult<T>> {
    this.set(key, { kind: 'busy' })
    const r = await call()
    if (r.ok) {
      if (done) this.succeed(key, typeof done === 'string' ? done : done(r.body))
      else this.clear(key)
    } else {
      this.set(key, { kind: 'error', status: r.status, error: r.error })
      if (r.status === 401) {
        this.host.dispatchEvent(
          new CustomEvent<AuthLostDetail>(AUTH_LOST, {
            bubbles: true,
            composed: true,
            detail: { message: r.error.message },
          }),
        )
      }
    }
    return r
  }

  /** A failure found before calling the server (client-side validation). */
  fail(key: string, message: string, fields?: Record<string, string>) {
    this.set(key, { kind: 'error', status: 422, error: { error: 'invalid_input', message, fields } })
  }

  succeed(key: string, text: string) {
    this.set(key, { kind: 'done', text })
    this.timers.set(
      key,
      setTimeout(() => this.clear(key), this.doneMs),
    )
  }

  clear(key: string) {
    if (!this.outcomes.delete(key)) return
    this.host.requestUpdate()
  }

  private set(key: string, outcome: Outcome) {
    const t = this.timers.get(key)
    if (t) clearTimeout(t)
    this.timers.delete(key)
    this.outcomes.set(key, outcome)
    this.host.requestUpdate()
  }

  /**
   * The inline line for `key`: the error (with the fields it names) or the "done" note.
   * `fields` names the fields for people (a field mapped to '' is shown by its input
   * instead); `messages` replaces the server's text for known error codes.
   */
  feedback(key: string, opts: FeedbackOptions = {}): TemplateResult | typeof nothing {
    const o = this.outcomes.get(key)
    if (!o || o.kind === 'busy') return nothing
    if (o.kind === 'done') {
      return html`<p class="fb fb-done" role="status" data-feedback=${key}><span aria-hidden="true">✓</span>${o.text}</p>`
    }
    const labels = opts.fields ?? {}
    const fields = Object.entries(o.error.fields ?? {}).filter(([name]) => labels[name] !== '')
    const text = opts.messages?.[o.error.error] ?? describeError(o.status, o.error)
    return html`<div class="fb fb-error" role="alert" data-feedback=${key} data-error=${o.error.error}>
      <span aria-hidden="true">⚠</span>
      <div>
        ${text}
        ${
          fields.length
            ? html`<ul>
              ${fields.map(([name, msg]) => html`<li><b>${labels[name] ?? name}</b>: ${msg}</li>`)}
            </ul>`
            : nothing
        }
      </div>
    </div>`
  }
}
