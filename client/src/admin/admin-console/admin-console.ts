import { html, LitElement, nothing, type PropertyValues } from 'lit'
import type { Poll } from '../../../../protocol/index.ts'
import { slugFromPath } from '../../lib/api.ts'
import type { AttendeesPanel } from '../attendees-panel/attendees-panel.ts'
import '../attendees-panel/attendees-panel.ts'
import '../look-panel/look-panel.ts'
import { LiveController, type LiveStream, streamUrls } from '../../lib/live-stream.ts'
import '../moderation-panel/moderation-panel.ts'
import '../qa-panel/qa-panel.ts'
import '../quiz-panel/quiz-panel.ts'
import '../overview-panel/overview-panel.ts'
import '../poll-manager/poll-manager.ts'
import '../raffle-panel/raffle-panel.ts'
import '../screen-panel/screen-panel.ts'
import { adminStyles } from '../shared/admin.styles.ts'
import { AUTH_LOST, type AuthLostDetail, hostApi } from '../shared/host-api.ts'
import { type EventSettings, type HostEvent, loadHostEvent } from '../shared/session.ts'
import '../show-panel/show-panel.ts'
import '../status-panel/status-panel.ts'
import type { WristbandBatch } from '../wristband-panel/wristband-panel.ts'
import '../wristband-panel/wristband-panel.ts'
import { msg, str } from '../../lib/i18n.ts'
import { consoleStyles } from './admin-console.styles.ts'
import '../language-setting/language-setting.ts'

type Tab = 'overview' | 'polls' | 'moderation' | 'qa' | 'quiz' | 'raffles' | 'screen' | 'show' | 'wristbands' | 'look'
/** phone: one column; laptop: overview + tabs; wide: moderation gets its own column. */
type Layout = 'phone' | 'laptop' | 'wide'

const PHONE_QUERY = '(max-width: 760px)'
const WIDE_QUERY = '(min-width: 1600px)'
/** How often, at most, a struggling stream makes us check that the session still holds. */
const AUTH_RECHECK_MS = 10_000

/**
 * The signed-in host console: one admin stream feeds every panel. The status bar with
 * the pause control never scrolls away; the overview stays on the left; polls,
 * moderation, raffles, the light show and wristbands are tabs, with moderation in its
 * own column on wide screens. Only ever on the page after sign-in, so the stream (and
 * its cookie) is never tried without a session.
 *
 * @fires gb-sign-out - CustomEvent<void>: the host pressed Sign out.
 * @fires gb-auth-lost - CustomEvent<AuthLostDetail>: the session no longer works (from any panel, or found by the stream check).
 */
/** The host sees every poll's results live: hidden ones come in the host view's `results`. */
const withHostResults = (polls: Poll[], results: Poll[] | undefined): Poll[] => {
  if (!results?.length) return polls
  const full = new Map(results.map((p) => [p.id, p]))
  return polls.map((p) => full.get(p.id) ?? p)
}

export class AdminConsole extends LitElement {
  static properties = {
    event: { attribute: false },
    batches: { state: true },
    tab: { state: true },
    layout: { state: true },
  }

  /** The event in the page's path, /e/:slug/admin. */
  readonly slug = slugFromPath()
  declare event: HostEvent | null
  declare batches: WristbandBatch[] | null
  declare tab: Tab
  declare layout: Layout

  private live: LiveController
  private lastAuthCheck = 0
  private phoneQuery = matchMedia(PHONE_QUERY)
  private wideQuery = matchMedia(WIDE_QUERY)

  static styles = [adminStyles, consoleStyles]

  constructor() {
    super()
    this.event = null
    this.batches = null
    this.layout = this.currentLayout()
    this.tab = this.layout === 'phone' ? 'overview' : 'polls'
    // Created here, before the element connects: the controller starts with it. No
    // sessionStorage resume: the host view (`admin`) rides only on the snapshot and on
    // deltas that change it, so a resumed stream would start without it.
    this.live = new LiveController(this, {
      ...streamUrls(this.slug, true),
      storageKey: null,
      onChange: (s) => this.onStream(s),
    })
  }

  connectedCallback() {
    super.connectedCallback()
    this.phoneQuery.addEventListener('change', this.onLayout)
    this.wideQuery.addEventListener('change', this.onLayout)
    void this.loadBatches()
  }

  disconnectedCallback() {
    super.disconnectedCallback()
    this.phoneQuery.removeEventListener('change', this.onLayout)
    this.wideQuery.removeEventListener('change', this.onLayout)
    document.title = msg('Glowband host')
  }

  private currentLayout(): Layout {
    return this.phoneQuery.matches ? 'phone' : this.wideQuery.matches ? 'wide' : 'laptop'
  }

  private onLayout = () => {
    this.layout = this.currentLayout()
    // Tabs that only exist in some layouts fall back to one that exists in this one.
    if (this.tab === 'overview' && this.layout !== 'phone') this.tab = 'polls'
    if (this.tab === 'moderation' && this.layout === 'wide') this.tab = 'polls'
  }

  /** A stream that cannot connect may mean the session ended: find out, at most every 10 s. */
  private onStream(s: LiveStream) {
    if (s.state !== 'polling' && s.state !== 'reconnecting') return
    const now = Date.now()
    if (now - this.lastAuthCheck < AUTH_RECHECK_MS) return
    this.lastAuthCheck = now
    void loadHostEvent(this.slug).then((r) => {
      if (r.ok || r.status !== 401) return
      this.dispatchEvent(
        new CustomEvent<AuthLostDetail>(AUTH_LOST, {
          bubbles: true,
          composed: true,
          detail: { message: r.error.message },
        }),
      )
    })
  }

  private async loadBatches() {
    const r = await hostApi<WristbandBatch[]>(this.slug, 'GET', '/wristbands')
    if (r.ok) this.batches = r.body
  }

  protected updated(changed: PropertyValues<this>) {
    super.updated(changed)
    const status = this.live.stream.snapshot?.status
    const prefix = status === 'paused' ? msg('⏸ PAUSED · ') : status === 'ended' ? msg('ENDED · ') : ''
    document.title = `${prefix}${this.event?.name ?? this.slug} · ${msg('Glowband host')}`
  }

  private renderConnection(s: LiveStream) {
    if (s.degraded)
      return html`<span class="conn conn-bad" role="status" title=${msg('Counts may lag; guest actions may be refused for a moment')}
        ><span class="dot"></span><span class="conn-text">${msg('Degraded')}</span></span
      >`
    const map = {
      live: ['conn-live', msg('Connected'), msg('Live updates are streaming')],
      connecting: ['conn-wait', msg('Connecting…'), msg('Opening the live stream')],
      reconnecting: ['conn-warn', msg('Reconnecting…'), msg('The live stream dropped; reconnecting')],
      polling: ['conn-warn', msg('Polling'), msg('The live stream is blocked; polling every 2 s instead')],
    } as const
    const [cls, text, title] = map[s.state]
    return html`<span class="conn ${cls}" role="status" title=${title} data-connection=${s.state}
      ><span class="dot ${s.state === 'live' ? '' : 'dot-pulse'}"></span><span class="conn-text">${text}</span></span
    >`
  }

  /** Arrow keys move between tabs, as the ARIA tabs pattern expects. */
  private tabKey(e: KeyboardEvent, ids: Tab[]) {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0
    if (!step) return
    e.preventDefault()
    const next = ids[(ids.indexOf(this.tab) + step + ids.length) % ids.length]
    this.tab = next
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${next}`)?.focus())
  }

  private renderTabs(tabs: { id: Tab; label: string; badge?: unknown }[]) {
    const ids = tabs.map((t) => t.id)
    return html`<nav class="tabs" role="tablist" aria-label=${msg('Host tools')} @keydown=${(e: KeyboardEvent) => this.tabKey(e, ids)}>
      ${tabs.map(
        (t) => html`<button
          class="tab"
          role="tab"
          id="tab-${t.id}"
          aria-controls="panel-${t.id}"
          aria-selected=${this.tab === t.id ? 'true' : 'false'}
          tabindex=${this.tab === t.id ? '0' : '-1'}
          @click=${() => (this.tab = t.id)}
        >
          ${t.label}${t.badge ?? nothing}
        </button>`,
      )}
    </nav>`
  }

  render() {
    const stream = this.live.stream
    const s = stream.snapshot
    const admin = stream.admin
    const wide = this.layout === 'wide'
    const phone = this.layout === 'phone'
    const held = admin?.held.length ?? 0
    const openPolls = s?.polls.filter((p) => p.open).length ?? 0
    const undrawn = s?.raffles.filter((r) => r.drawnAt === null).length ?? 0
    const usable = this.batches ? this.batches.reduce((n, b) => n + b.count - b.revoked, 0) : null
    // Wristbands revoked after they checked in: the live count holds them, the usable total does not.
    const revokedIn = this.batches?.reduce((n, b) => n + (b.revokedCheckedIn ?? 0), 0) ?? 0
    const tabs: { id: Tab; label: string; badge?: unknown }[] = []
    if (phone) tabs.push({ id: 'overview', label: msg('Overview') })
    tabs.push({
      id: 'polls',
      label: msg('Polls'),
      badge: openPolls ? html`<span class="badge badge-live">${msg(str`${openPolls} open`)}</span>` : nothing,
    })
    if (!wide) {
      tabs.push({
        id: 'moderation',
        label: msg('Moderation'),
        badge: held ? html`<span class="badge badge-warn">${msg(str`${held} held`)}</span>` : nothing,
      })
    }
    const heldQuestions = admin?.heldQuestions?.length ?? 0
    tabs.push({
      id: 'qa',
      label: msg('Q&A'),
      badge: heldQuestions ? html`<span class="badge badge-warn">${msg(str`${heldQuestions} held`)}</span>` : nothing,
    })
    tabs.push({
      id: 'quiz',
      label: msg('Quiz'),
      badge: s?.quiz && !s.quiz.reveal ? html`<span class="badge badge-live">${msg('live')}</span>` : nothing,
    })
    tabs.push({
      id: 'raffles',
      label: msg('Raffles'),
      badge: undrawn ? html`<span class="badge">${undrawn}</span>` : nothing,
    })
    tabs.push({
      id: 'screen',
      label: msg('Screen'),
      badge: s?.screen?.winners ? html`<span class="badge badge-accent">${msg('winners')}</span>` : nothing,
    })
    tabs.push({
      id: 'show',
      label: msg('Light show'),
      badge: s?.show ? html`<span class="badge badge-live"><span class="dot"></span>${msg('on')}</span>` : nothing,
    })
    tabs.push({ id: 'wristbands', label: phone ? msg('Wristbands') : msg('Wristbands & exports') })
    tabs.push({ id: 'look', label: msg('Look') })
    const shown = (t: Tab) => this.tab === t
    const status = s?.status ?? null
    const moderation = html`<gb-moderation-panel
      .slug=${this.slug}
      .danmaku=${s?.danmaku ?? []}
      .held=${admin?.held ?? []}
      .settings=${this.event?.settings ?? null}
      @gb-settings-saved=${(e: CustomEvent<EventSettings>) => {
        if (this.event) this.event = { ...this.event, settings: e.detail }
      }}
    ></gb-moderation-panel>`

    return html`<header class="top ${status === 'paused' ? 'is-paused' : status === 'ended' ? 'is-ended' : ''}">
        <div class="brand">
          <span class="mark" aria-hidden="true"></span>
          <div class="names">
            <span class="app">${msg('Glowband host')}</span>
            <h1 title=${this.event?.name ?? ''}>${this.event?.name ?? this.slug}</h1>
          </div>
        </div>
        <gb-status-panel
          .slug=${this.slug}
          .status=${status}
          .message=${s?.message ?? ''}
          .connected=${stream.state === 'live'}
        ></gb-status-panel>
        <div class="top-tools">
          ${this.renderConnection(stream)}
          <button
            class="btn btn-ghost btn-sm"
            @click=${() => this.dispatchEvent(new CustomEvent<void>('gb-sign-out', { bubbles: true, composed: true }))}
          >
            ${msg('Sign out')}
          </button>
        </div>
      </header>
      <div class="layout ${this.layout}">
        <aside
          class="overview"
          id="panel-overview"
          role=${phone ? 'tabpanel' : 'complementary'}
          aria-label=${msg('Overview')}
          ?hidden=${phone && !shown('overview')}
        >
          <gb-overview-panel
            .snapshot=${s}
            .admin=${admin}
            .wristbands=${usable}
            .revokedCheckedIn=${revokedIn}
          ></gb-overview-panel>
          <gb-language-setting
            .slug=${this.slug}
            .settings=${this.event?.settings ?? null}
            @gb-settings-saved=${(e: CustomEvent<EventSettings>) => {
              if (this.event) this.event = { ...this.event, settings: e.detail }
            }}
          ></gb-language-setting>
        </aside>
        ${this.renderTabs(tabs)}
        <section class="panel" id="panel-polls" role="tabpanel" aria-labelledby="tab-polls" ?hidden=${!shown('polls')}>
          <gb-poll-manager .slug=${this.slug} .polls=${withHostResults(s?.polls ?? [], admin?.results)}></gb-poll-manager>
        </section>
        ${
          wide
            ? html`<aside class="side" aria-labelledby="side-title">
              <div class="side-title">
                <h2 id="side-title" class="eyebrow">${msg('Moderation')}</h2>
                ${held ? html`<span class="badge badge-warn">${msg(str`${held} held`)}</span>` : nothing}
              </div>
              ${moderation}
            </aside>`
            : html`<section
              class="panel"
              id="panel-moderation"
              role="tabpanel"
              aria-labelledby="tab-moderation"
              ?hidden=${!shown('moderation')}
            >
              ${moderation}
            </section>`
        }
        <section class="panel" id="panel-qa" role="tabpanel" aria-labelledby="tab-qa" ?hidden=${!shown('qa')}>
          <gb-qa-panel
            .slug=${this.slug}
            .questions=${s?.questions ?? []}
            .held=${admin?.heldQuestions ?? []}
            .settings=${this.event?.settings ?? null}
            @gb-settings-saved=${(e: CustomEvent<EventSettings>) => {
              if (this.event) this.event = { ...this.event, settings: e.detail }
            }}
          ></gb-qa-panel>
        </section>
        <section class="panel" id="panel-quiz" role="tabpanel" aria-labelledby="tab-quiz" ?hidden=${!shown('quiz')}>
          <gb-quiz-panel .slug=${this.slug} .live=${s?.quiz ?? null}></gb-quiz-panel>
        </section>
        <section class="panel" id="panel-raffles" role="tabpanel" aria-labelledby="tab-raffles" ?hidden=${!shown('raffles')}>
          <gb-raffle-panel .slug=${this.slug} .raffles=${s?.raffles ?? []}></gb-raffle-panel>
        </section>
        <section class="panel" id="panel-screen" role="tabpanel" aria-labelledby="tab-screen" ?hidden=${!shown('screen')}>
          <gb-screen-panel
            .slug=${this.slug}
            .screen=${s?.screen ?? null}
            .polls=${s?.polls ?? []}
            .raffles=${s?.raffles ?? []}
          ></gb-screen-panel>
        </section>
        <section class="panel" id="panel-show" role="tabpanel" aria-labelledby="tab-show" ?hidden=${!shown('show')}>
          <gb-show-panel .slug=${this.slug} .show=${s?.show ?? null}></gb-show-panel>
        </section>
        <section
          class="panel"
          id="panel-wristbands"
          role="tabpanel"
          aria-labelledby="tab-wristbands"
          ?hidden=${!shown('wristbands')}
        >
          <gb-attendees-panel .slug=${this.slug}></gb-attendees-panel>
          <gb-wristband-panel
            .slug=${this.slug}
            .batches=${this.batches}
            @gb-wristbands-changed=${() => {
              void this.loadBatches()
              void this.renderRoot.querySelector<AttendeesPanel>('gb-attendees-panel')?.refresh()
            }}
          ></gb-wristband-panel>
        </section>
        <section class="panel" id="panel-look" role="tabpanel" aria-labelledby="tab-look" ?hidden=${!shown('look')}>
          <gb-look-panel .slug=${this.slug}></gb-look-panel>
        </section>
      </div>`
  }
}

customElements.define('gb-admin-console', AdminConsole)

declare global {
  interface HTMLElementTagNameMap {
    'gb-admin-console': AdminConsole
  }
  interface HTMLElementEventMap {
    'gb-sign-out': CustomEvent<void>
  }
}
