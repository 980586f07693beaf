import { html, LitElement, nothing, type PropertyValues } from 'lit'
import { repeat } from 'lit/directives/repeat.js'
import type { AdminView, Danmaku } from '../../../../protocol/index.ts'
import { msg, str } from '../../lib/i18n.ts'
import { adminStyles, panelStyles } from '../shared/admin.styles.ts'
import { clockTime, relativeTime } from '../shared/format.ts'
import { Actions, hostApi } from '../shared/host-api.ts'
import type { EventSettings } from '../shared/session.ts'
import { moderationPanelStyles } from './moderation-panel.styles.ts'

type Held = AdminView['held'][number]

/** Words from a textarea: one per line or comma-separated, trimmed, deduplicated. */
export function parseWords(text: string): string[] {
  const seen = new Set<string>()
  const words: string[] = []
  for (const raw of text.split(/[\n,]/)) {
    const w = raw.trim()
    if (w && !seen.has(w.toLowerCase())) {
      seen.add(w.toLowerCase())
      words.push(w)
    }
  }
  return words
}

interface Draft {
  premoderate: boolean
  maxMessageLength: string
  messagesPerWindow: string
  messageWindowSeconds: string
  blockedWords: string
}

const draftOf = (s: EventSettings): Draft => ({
  premoderate: s.premoderate,
  maxMessageLength: String(s.maxMessageLength),
  messagesPerWindow: String(s.messagesPerWindow),
  messageWindowSeconds: String(s.messageWindowSeconds),
  blockedWords: s.blockedWords.join('\n'),
})

const FIELD_LABELS = () => ({
  premoderate: msg('Hold for approval'),
  maxMessageLength: msg('Longest message'),
  messagesPerWindow: msg('Messages per guest'),
  messageWindowSeconds: msg('Per seconds'),
  blockedWords: msg('Blocked words'),
})

/**
 * Moderation: the live danmaku feed (newest first) with Hide, the queue of messages
 * held for approval, and the message rules (premoderation, length, rate, blocked words).
 *
 * @fires gb-settings-saved - CustomEvent<EventSettings>: the server saved new message rules.
 */
export class ModerationPanel extends LitElement {
  static properties = {
    slug: { type: String },
    danmaku: { attribute: false },
    held: { attribute: false },
    settings: { attribute: false },
    draft: { state: true },
  }

  declare slug: string
  /** Visible messages from the snapshot, oldest first (as the protocol keeps them). */
  declare danmaku: Danmaku[]
  declare held: Held[]
  declare settings: EventSettings | null
  declare draft: Draft | null

  private actions = new Actions(this)
  /** Held messages we approved or hid, until the stream takes them out of the queue. */
  private settled = new Set<number>()
  /** Visible messages we hid, until the stream takes them off the feed. */
  private hiding = new Set<number>()
  private seen = new Set<number>()
  private fresh = new Set<number>()

  static styles = [adminStyles, panelStyles, moderationPanelStyles]

  constructor() {
    super()
    this.slug = ''
    this.danmaku = []
    this.held = []
    this.settings = null
    this.draft = null
  }

  protected willUpdate(changed: PropertyValues<this>) {
    if (changed.has('settings') && this.settings && (!this.draft || !this.dirty())) {
      this.draft = draftOf(this.settings)
    }
    if (changed.has('danmaku') || changed.has('held')) {
      const ids = [...(this.danmaku ?? []), ...(this.held ?? [])].map((m) => m.id)
      const first = this.seen.size === 0
      this.fresh = new Set(first ? [] : ids.filter((id) => !this.seen.has(id)))
      this.seen = new Set(ids)
      const held = new Set((this.held ?? []).map((m) => m.id))
      const feed = new Set((this.danmaku ?? []).map((m) => m.id))
      for (const id of this.settled) if (!held.has(id)) this.settled.delete(id)
      for (const id of this.hiding) if (!feed.has(id)) this.hiding.delete(id)
    }
  }

  private dirty(): boolean {
    if (!this.settings || !this.draft) return false
    const a = draftOf(this.settings)
    const b = this.draft
    return (Object.keys(a) as (keyof Draft)[]).some((k) =>
      k === 'blockedWords' ? parseWords(a[k]).join('\n') !== parseWords(b[k]).join('\n') : a[k] !== b[k],
    )
  }

  private async moderate(m: Danmaku, action: 'hide' | 'approve', held: boolean) {
    const r = await this.actions.run(`msg-${m.id}`, () => hostApi(this.slug, 'POST', `/messages/${m.id}/${action}`))
    if (r.ok) {
      ;(held ? this.settled : this.hiding).add(m.id)
      this.requestUpdate()
    }
  }

  private async save(e: Event) {
    e.preventDefault()
    if (!this.settings || !this.draft) return
    const d = this.draft
    const now = this.settings
    const patch: Partial<EventSettings> = {}
    const int = (v: string) => (/^\d+$/.test(v.trim()) ? Number(v) : NaN)
    const fields: Record<string, string> = {}
    const numbers = [
      ['maxMessageLength', 1, 200],
      ['messagesPerWindow', 1, 1000],
      ['messageWindowSeconds', 1, 3600],
    ] as const
    for (const [key, min, max] of numbers) {
      const n = int(d[key])
      if (!Number.isInteger(n) || n < min || n > max) fields[key] = `a whole number from ${min} to ${max}`
      else if (n !== now[key]) patch[key] = n
    }
    const words = parseWords(d.blockedWords)
    if (words.some((w) => w.length > 50)) fields.blockedWords = 'each word at most 50 characters'
    else if (words.length > 500) fields.blockedWords = 'at most 500 words'
    else if (words.join('\n') !== now.blockedWords.join('\n')) patch.blockedWords = words
    if (d.premoderate !== now.premoderate) patch.premoderate = d.premoderate
    if (Object.keys(fields).length) {
      this.actions.fail('settings', msg('Some rules are not valid.'), fields)
      return
    }
    if (!Object.keys(patch).length) {
      this.actions.succeed('settings', msg('Nothing to save: the rules are unchanged'))
      return
    }
    const r = await this.actions.run<EventSettings>(
      'settings',
      () => hostApi(this.slug, 'PATCH', '/settings', patch),
      msg('Rules saved: they apply to the next message'),
    )
    if (r.ok) {
      this.draft = draftOf(r.body)
      this.dispatchEvent(
        new CustomEvent<EventSettings>('gb-settings-saved', { bubbles: true, composed: true, detail: r.body }),
      )
    }
  }

  private edit<K extends keyof Draft>(key: K, value: Draft[K]) {
    if (this.draft) this.draft = { ...this.draft, [key]: value }
  }

  private renderMessage(m: Danmaku | Held, held: boolean) {
    const key = `msg-${m.id}`
    const busy = this.actions.busy(key)
    const leaving = (held ? this.settled : this.hiding).has(m.id)
    const at = 'at' in m ? m.at : null
    return html`<li
      class="msg ${this.fresh.has(m.id) ? 'fresh' : ''} ${leaving ? 'hiding' : ''}"
      data-message=${m.id}
      data-held=${held ? 'true' : 'false'}
    >
      <span class="who num" title=${msg(str`Wristband ${m.number}`)}>#${m.number}</span>
      <span class="text wrap"
        >${m.text}${at ? html`<small>${clockTime(at)} · ${relativeTime(at)}</small>` : nothing}</span
      >
      <span class="btns">
        ${
          leaving
            ? html`<span class="small muted" role="status">${held ? msg('Done') : msg('Hiding…')}</span>`
            : html`${
                held
                  ? html`<button
                    class="btn btn-good btn-sm"
                    ?disabled=${busy}
                    aria-label=${msg(str`Approve message from #${m.number}`)}
                    @click=${() => this.moderate(m, 'approve', true)}
                  >
                    ${msg('Approve')}
                  </button>`
                  : nothing
              }
              <button
                class="btn btn-outline btn-sm"
                ?disabled=${busy}
                aria-label=${msg(str`Hide message from #${m.number}`)}
                @click=${() => this.moderate(m, 'hide', held)}
              >
                ${msg('Hide')}
              </button>`
        }
      </span>
      <div class="msg-fb">${this.actions.feedback(key)}</div>
    </li>`
  }

  private renderHeld() {
    const held = this.held ?? []
    const premoderate = this.settings?.premoderate ?? false
    if (!held.length && !premoderate) return nothing
    return html`<section class="card held-card" aria-labelledby="held-title">
      <div class="card-head">
        <h3 id="held-title">${msg('Waiting for approval')}</h3>
        <span class="badge ${held.length ? 'badge-warn' : ''}">${held.length}</span>
      </div>
      ${
        held.length
          ? html`<ol>
            ${repeat(
              held,
              (m) => m.id,
              (m) => this.renderMessage(m, true),
            )}
          </ol>`
          : html`<p class="empty">${msg('Nothing waiting. New messages are held here until you approve them.')}</p>`
      }
    </section>`
  }

  private renderFeed() {
    const feed = [...(this.danmaku ?? [])].reverse()
    return html`<section class="card feed-card" aria-labelledby="feed-title">
      <div class="card-head">
        <h3 id="feed-title">${msg('Live messages')}</h3>
        <span class="spacer"></span>
        <span class="count">${feed.length ? msg(str`latest ${feed.length}, newest first`) : ''}</span>
      </div>
      ${
        feed.length
          ? html`<ol class="feed" aria-live="polite">
            ${repeat(
              feed,
              (m) => m.id,
              (m) => this.renderMessage(m, false),
            )}
          </ol>`
          : html`<p class="empty">${msg("No messages on screen. Guests' messages appear here as they fly across the big screen.")}</p>`
      }
    </section>`
  }

  private renderSettings() {
    const d = this.draft
    if (!d)
      return html`<section class="card rules-card"><p class="muted">${msg('Loading the message rules…')}</p></section>`
    const err = (k: string) => this.actions.fieldError('settings', k)
    const dirty = this.dirty()
    return html`<section class="card rules-card" aria-labelledby="rules-title">
      <div class="card-head"><h3 id="rules-title">${msg('Message rules')}</h3></div>
      <form @submit=${this.save} novalidate>
        <label class="switch">
          <input
            type="checkbox"
            role="switch"
            name="premoderate"
            .checked=${d.premoderate}
            @change=${(e: Event) => this.edit('premoderate', (e.target as HTMLInputElement).checked)}
          />
          <span
            ><b>${msg('Hold every message for approval')}</b
            ><span>${msg('Nothing reaches the big screen until you approve it here.')}</span></span
          >
        </label>
        <div class="pair">
          <label class="field"
            >${msg('Longest message (characters)')}
            <input
              type="number"
              name="maxMessageLength"
              min="1"
              max="200"
              inputmode="numeric"
              .value=${d.maxMessageLength}
              aria-invalid=${err('maxMessageLength') ? 'true' : 'false'}
              @input=${(e: Event) => this.edit('maxMessageLength', (e.target as HTMLInputElement).value)}
            />
          </label>
          <div class="field">
            <span>${msg('Rate limit per guest')}</span>
            <div class="rate">
              <input
                type="number"
                name="messagesPerWindow"
                min="1"
                max="1000"
                inputmode="numeric"
                aria-label=${msg('Messages per guest')}
                .value=${d.messagesPerWindow}
                aria-invalid=${err('messagesPerWindow') ? 'true' : 'false'}
                @input=${(e: Event) => this.edit('messagesPerWindow', (e.target as HTMLInputElement).value)}
              />
              ${msg('per')}
              <input
                type="number"
                name="messageWindowSeconds"
                min="1"
                max="3600"
                inputmode="numeric"
                aria-label=${msg('Per this many seconds')}
                .value=${d.messageWindowSeconds}
                aria-invalid=${err('messageWindowSeconds') ? 'true' : 'false'}
                @input=${(e: Event) => this.edit('messageWindowSeconds', (e.target as HTMLInputElement).value)}
              />
              ${msg('s')}
            </div>
          </div>
        </div>
        <label class="field"
          >${msg('Blocked words (one per line or comma-separated)')}
          <textarea
            name="blockedWords"
            rows="3"
            placeholder=${msg('Messages containing these are refused')}
            .value=${d.blockedWords}
            aria-invalid=${err('blockedWords') ? 'true' : 'false'}
            @input=${(e: Event) => this.edit('blockedWords', (e.target as HTMLTextAreaElement).value)}
          ></textarea>
        </label>
        <div class="save">
          <button type="submit" class="btn ${dirty ? 'btn-primary' : 'btn-outline'}" ?disabled=${this.actions.busy('settings')}>
            ${msg('Save rules')}
          </button>
          ${
            dirty
              ? html`<button type="button" class="btn btn-ghost" @click=${() => (this.draft = draftOf(this.settings!))}>
                ${msg('Undo changes')}
              </button>`
              : nothing
          }
        </div>
      </form>
      ${this.actions.feedback('settings', { fields: FIELD_LABELS() })}
    </section>`
  }

  render() {
    return html`<div class="layout">${this.renderFeed()} ${this.renderHeld()} ${this.renderSettings()}</div>`
  }
}

customElements.define('gb-moderation-panel', ModerationPanel)

declare global {
  interface HTMLElementTagNameMap {
    'gb-moderation-panel': ModerationPanel
  }
  interface HTMLElementEventMap {
    'gb-settings-saved': CustomEvent<EventSettings>
  }
}
