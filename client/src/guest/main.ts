/**
 * The guest phone page, `/e/:slug`: check in (when the QR scan has not already done
 * it), then the live event: the host's banner, raffle results, the latest danmaku, the
 * open poll and the message box. Live state comes from the shared LiveController; every
 * vote and message goes through the Outbox, so nothing is lost to a bad signal.
 */
import '../lib/zod-jitless.ts'
import { css, html, LitElement, nothing } from 'lit'
import { CHECKED_IN_MARK } from '../../../protocol/constants.ts'
import type { PublicEvent } from '../../../protocol/host.ts'
import type { Me, Poll, Raffle } from '../../../protocol/index.ts'
import { type ApiResult, api, slugFromPath } from '../lib/api.ts'
import { cueStageStyles } from '../lib/cue-stage.ts'
import { FreshnessController } from '../lib/freshness.ts'
import { InfoWatch } from '../lib/info-watch.ts'
import { LiveController, type LiveStream, streamUrls } from '../lib/live-stream.ts'
import { applyLook, lookTitle } from '../lib/look.ts'
import {
  type MessageBody,
  Outbox,
  outboxKey,
  type QueuedAction,
  type RefusedAction,
  type VoteBody,
} from '../lib/outbox.ts'
import type { CodeEvent } from './checkin-form/checkin-form.ts'
import './checkin-form/checkin-form.ts'
import './connection-pill/connection-pill.ts'
import type { DanmakuBox, Notice, SendEvent } from './danmaku-box/danmaku-box.ts'
import './danmaku-box/danmaku-box.ts'
import './danmaku-feed/danmaku-feed.ts'
import { LightShowController } from './light-show/light-show.ts'
import type { DismissEvent } from './pending-list/pending-list.ts'
import './pending-list/pending-list.ts'
import type { AnswerEvent, AnswerValue } from './answer-card/answer-card.ts'
import type { VoteEvent, VoteState } from './poll-card/poll-card.ts'
import './poll-card/poll-card.ts'
import { reasonText, waitText } from './reasons.ts'
import './qa-box/qa-box.ts'
import { sharedStyles, stageGlowPageStyles } from './shared.styles.ts'
import './status-banner/status-banner.ts'
import { chooseLocale, fixedLanguage, formatNumber, msg, str, useLocale } from '../lib/i18n.ts'
import '../lib/language-switch.ts'

/** GET /api/events/:slug */
export type EventInfo = PublicEvent

type Phase = 'loading' | 'checkin' | 'ready' | 'revoked' | 'missing' | 'offline'

/** What the page keeps between loads, so it opens (with its saved actions) even offline. */
interface Cached {
  event: EventInfo | null
  me: Me | null
}
const cacheKey = (slug: string) => `gb-guest:v1:${slug}`
/** The last event this phone joined, for the home page's "back to" link. */
export const LAST_EVENT_KEY = 'gb-last-event'

function readCache(slug: string): Cached {
  try {
    const raw = localStorage.getItem(cacheKey(slug))
    if (raw) return JSON.parse(raw) as Cached
  } catch {
    // private mode, or a damaged entry
  }
  return { event: null, me: null }
}

function writeCache(slug: string, patch: Partial<Cached>) {
  try {
    localStorage.setItem(cacheKey(slug), JSON.stringify({ ...readCache(slug), ...patch }))
  } catch {
    // the page works without it
  }
}

/** The raffle card loads once the event has a raffle, not with the page (the page's size budget). */
let raffleCard: Promise<unknown> | null = null
const loadRaffleCard = () => (raffleCard ??= import('./raffle-card/raffle-card.ts'))
/** The same for the card of the other poll kinds (rating, words, text): most events open choice polls. */
let answerCard: Promise<unknown> | null = null
const loadAnswerCard = () => (answerCard ??= import('./answer-card/answer-card.ts'))

const SENDING: Notice = {
  tone: 'info',
  get text() {
    return msg('Sending…')
  },
}
const SAVED: Notice = {
  tone: 'info',
  get text() {
    return msg('Saved on this phone: it goes out as soon as the connection is back.')
  },
}

/** How long "Sent!" stays under the message box. */
const NOTICE_MS = 8000
/** What `/me` would answer a phone that never checked in, without asking (see boot). */
const NOT_CHECKED_IN: ApiResult<Me> = {
  ok: false,
  status: 401,
  error: { error: 'unauthorized', message: 'check in first' },
}
/** A live stream that was silent this long and then answers again: the server is back. */
const STALE_MS = 5000
/** Polling that has not got an answer for this long is not live: say "reconnecting". */
const POLL_STALE_MS = 6000

/**
 * The guest app shell: boots from `/api/events/:slug` and `/me`, shows the check-in
 * form or the live page, and wires the components to the live stream and the outbox.
 */
export class GuestApp extends LitElement {
  static properties = {
    phase: { state: true },
    event: { state: true },
    me: { state: true },
    confirmed: { state: true },
    answers: { state: true },
    checkinBusy: { state: true },
    checkinError: { state: true },
    notice: { state: true },
    hiddenShow: { state: true },
    tab: { state: true },
    spoken: { state: true },
  }

  static styles = [
    sharedStyles,
    stageGlowPageStyles,
    cueStageStyles,
    css`
      .tabs {
        display: flex;
        gap: 6px;
        padding: 4px;
        border-radius: 0.875rem;
        background: rgba(255, 255, 255, 0.06);
      }
      .tabs button {
        flex: 1;
        min-height: 2.75rem;
        border: 0;
        border-radius: 0.625rem;
        background: transparent;
        color: inherit;
        font: inherit;
        font-weight: 700;
        cursor: pointer;
      }
      .tabs button[aria-selected='true'] {
        background: rgba(255, 255, 255, 0.14);
      }
      .tabs .count {
        font-size: 0.8125rem;
        opacity: 0.75;
      }
      .composer gb-reaction-bar {
        margin-bottom: 8px;
      }
      /*
       * The light show: while a cue plays, the whole screen is its colour (on black, so a
       * flash goes colour-black-colour, never colour-page-colour). A tap puts the page back
       * for the rest of this show.
       */
      .show {
        position: fixed;
        inset: 0;
        z-index: 10;
        display: none;
        width: 100%;
        margin: 0;
        padding: 0;
        border: 0;
        background: #000;
        color: #fff;
        font: inherit;
        cursor: pointer;
        -webkit-tap-highlight-color: transparent;
      }
      :host([data-show]) .show {
        display: block;
      }
      .back-to-show {
        position: fixed;
        z-index: 9;
        left: 16px;
        right: 16px;
        bottom: calc(1rem + env(safe-area-inset-bottom));
        width: fit-content;
        margin: 0 auto;
        display: flex;
        align-items: center;
        gap: 0.6rem;
        min-height: 48px;
        padding: 0.7rem 1.3rem;
        border: 0;
        border-radius: 999px;
        background: linear-gradient(90deg, #ff2d9a, #6e3bff 55%, #00b7ff);
        color: #fff;
        font: inherit;
        font-size: 1rem;
        font-weight: 700;
        box-shadow: 0 8px 28px -6px rgba(110, 59, 255, 0.7);
        cursor: pointer;
      }
      .page.page-with-back {
        padding-bottom: 5.5rem;
      }
      .back-dot {
        flex: none;
        width: 0.7rem;
        height: 0.7rem;
        border-radius: 50%;
        background: var(--gb-show-color, #fff);
        box-shadow: 0 0 0 3px rgba(255, 255, 255, 0.85);
      }
      .show-caption {
        position: absolute;
        left: 50%;
        bottom: calc(1.5rem + env(safe-area-inset-bottom));
        transform: translateX(-50%);
        max-width: calc(100% - 32px);
        padding: 0.5rem 1rem;
        border-radius: 999px;
        background: rgba(0, 0, 0, 0.6);
        font-size: 0.9375rem;
        font-weight: 600;
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
      }
      .page {
        display: flex;
        flex-direction: column;
        max-width: 34rem;
        min-height: 100vh;
        min-height: 100dvh;
        margin: 0 auto;
        /* Gutters in px: large text needs the width more than wide margins. */
        padding: 0 16px;
      }
      /* The pill shares the small brand row, never the title's: a pill that wrapped under
         the title while "Connecting…" and jumped up once "Live" moved the page (CLS 0.32). */
      header {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        align-items: center;
        column-gap: 0.75rem;
        padding: 1rem 0 0.75rem;
      }
      header > div:first-child {
        display: contents;
      }
      header .brand,
      header .logo {
        grid-area: 1 / 1;
      }
      header .meta {
        grid-area: 1 / 2;
      }
      header h1,
      header .here {
        grid-column: 1 / -1;
      }
      .logo {
        display: block;
        height: 2.5rem;
        max-width: 12rem;
        object-fit: contain;
        object-position: left;
      }
      .brand {
        margin: 0;
        font-size: 0.8125rem;
        font-weight: 800;
        letter-spacing: 0.14em;
        text-transform: uppercase;
        color: var(--gb-accent);
      }
      h1 {
        margin: 0.125rem 0 0;
        font-size: 1.375rem;
        line-height: 1.2;
      }
      .here {
        margin: 0.25rem 0 0;
        color: var(--gb-muted);
        font-size: 0.9375rem;
      }
      .meta {
        display: flex;
        align-items: center;
        justify-content: flex-end;
        gap: 0.5rem;
        flex-wrap: wrap;
      }
      .band {
        padding: 0.3125rem 0.75rem;
        border-radius: 999px;
        border: 1px solid rgba(255, 204, 51, 0.5);
        color: var(--gb-accent);
        font-size: 0.875rem;
        font-weight: 700;
        font-variant-numeric: tabular-nums;
        white-space: nowrap;
      }
      /* The content sits low, within thumb reach. */
      main {
        flex: 1 0 auto;
        display: flex;
        flex-direction: column;
        justify-content: flex-end;
        gap: 0.875rem;
        padding-bottom: 0.875rem;
      }
      .composer {
        position: -webkit-sticky;
        position: sticky;
        bottom: 0;
        z-index: 1;
        margin: 0 -16px;
        padding: 0.875rem 16px calc(0.875rem + env(safe-area-inset-bottom));
        background: var(--gb-surface);
        border-top: 1px solid rgba(255, 255, 255, 0.1);
        box-shadow: 0 -0.75rem 1.5rem rgba(0, 0, 0, 0.45);
      }
      /* With large text a pinned composer would cover the page: let it scroll with the rest. */
      .composer.tall {
        position: static;
        box-shadow: none;
        border-radius: var(--gb-radius) var(--gb-radius) 0 0;
      }
      .quiet {
        color: var(--gb-muted);
        line-height: 1.45;
      }
      .intro h2 {
        margin: 0 0 0.5rem;
        font-size: 1.625rem;
        line-height: 1.2;
      }
      .intro p {
        margin: 0;
        font-size: 1.0625rem;
      }
      .notice-bad {
        border-color: rgba(248, 113, 113, 0.5);
      }
      .center {
        flex: 1 0 auto;
        display: grid;
        place-content: center;
        gap: 1rem;
        text-align: center;
        padding: 2rem 0;
      }
      .center h2 {
        margin: 0;
        font-size: 1.5rem;
      }
      .center p {
        margin: 0;
      }
      .spinner {
        width: 2.5rem;
        height: 2.5rem;
        margin: 0 auto;
        border-radius: 50%;
        border: 4px solid var(--gb-surface-2);
        border-top-color: var(--gb-accent);
        animation: spin 0.9s linear infinite;
      }
      @keyframes spin {
        to {
          transform: rotate(360deg);
        }
      }
      .no-poll h2 {
        margin: 0 0 0.25rem;
        font-size: 1.125rem;
      }
      .no-poll p {
        margin: 0;
      }
    `,
  ]

  declare phase: Phase
  declare event: EventInfo | null
  declare me: Me | null
  /** Votes the server has accepted: pollId -> optionId. */
  declare confirmed: Record<string, number>
  /** Answers the server accepted to polls of other kinds: pollId -> the answer. */
  declare answers: Record<string, AnswerValue>
  declare checkinBusy: boolean
  declare checkinError: string
  declare notice: Notice | null
  /** The show (by start time) the guest tapped away, to see the page. */
  declare hiddenShow: number | null
  /** Which tab of the live page shows: polls and messages, or the Q&A board. */
  declare tab: 'live' | 'qa'

  private readonly slug = slugFromPath()
  private readonly api = `/api/events/${encodeURIComponent(this.slug)}`
  private readonly urls = streamUrls(encodeURIComponent(this.slug))
  private live = new LiveController(this, { ...this.urls, onChange: (s) => this.onStream(s) })
  // Spread over 3 s: a room of phones should not ask for the event at the same instant.
  private infoWatch = new InfoWatch(() => void this.reloadEvent(), { delayMs: 1500, spreadMs: 3000 })
  // An SSE connection can die without an error (venue Wi-Fi, a NAT): this notices and catches up.
  private freshness = new FreshnessController(this, () => this.live.stream, this.urls.snapshotUrl)
  private lights = new LightShowController(this, `/time?event=${encodeURIComponent(this.slug)}`)
  private outbox: Outbox | null = null
  private noticeTimer: ReturnType<typeof setTimeout> | null = null
  private bootTimer: ReturnType<typeof setTimeout> | null = null
  private lastState: LiveStream['state'] = 'connecting'
  private lastFresh = 0
  /** What screen readers heard last (the live region below the page), and what it was about. */
  declare spoken: string
  private heard: { status?: string; open?: string; raffles?: Set<number> } = {}
  private meFromCache = false
  /** Re-renders while polling, so a poll that stopped answering shows as "reconnecting". */
  private pollWatch: ReturnType<typeof setInterval> | null = null
  private resize: ResizeObserver | null = null
  private observed: HTMLElement | null = null

  constructor() {
    super()
    this.phase = 'loading'
    this.event = null
    this.me = null
    this.confirmed = {}
    this.answers = {}
    this.checkinBusy = false
    this.checkinError = ''
    this.notice = null
    this.spoken = ''
    this.hiddenShow = null
    this.tab = 'live'
  }

  connectedCallback() {
    super.connectedCallback()
    void this.boot()
  }

  disconnectedCallback() {
    super.disconnectedCallback()
    this.resize?.disconnect()
    this.resize = this.observed = null
    this.outbox?.stop()
    this.infoWatch.stop()
    if (this.bootTimer) clearTimeout(this.bootTimer)
    if (this.noticeTimer) clearTimeout(this.noticeTimer)
    if (this.pollWatch) clearInterval(this.pollWatch)
    this.pollWatch = null
  }

  protected updated() {
    const composer = this.renderRoot.querySelector<HTMLElement>('.composer')
    if (!composer || composer === this.observed || typeof ResizeObserver === 'undefined') return
    this.resize?.disconnect()
    this.resize = new ResizeObserver(() => this.fitComposer())
    this.resize.observe(composer)
    this.resize.observe(document.documentElement)
    this.observed = composer
  }

  /** Pins the composer to the bottom only while it takes at most about a quarter of the screen. */
  private fitComposer() {
    const composer = this.renderRoot.querySelector<HTMLElement>('.composer')
    if (!composer) return
    composer.classList.toggle('tall', composer.offsetHeight > innerHeight * 0.28)
  }

  /** Loads the event and this phone's check-in; falls back to what the last visit kept. */
  private async boot() {
    const cached = readCache(this.slug)
    // A phone with neither the check-in mark nor a check-in it remembers has not checked in:
    // no need to ask (a 401 in the console). One that remembers asks, so a cookie from
    // before the mark existed still counts.
    const mayBeIn = !!cached.me || document.cookie.split('; ').includes(`${CHECKED_IN_MARK}=1`)
    const [ev, me] = await Promise.all([
      api<EventInfo>('GET', this.api),
      mayBeIn ? api<Me>('GET', `${this.api}/me`) : Promise.resolve(NOT_CHECKED_IN),
    ])
    if (ev.ok) {
      this.event = ev.body
      writeCache(this.slug, { event: ev.body })
    } else if (ev.status === 404) {
      this.phase = 'missing'
      return
    } else {
      this.event = cached.event
    }
    this.applyEvent()
    if (me.ok) return this.setMe(me.body, false)
    if (me.status === 401) {
      this.phase = 'checkin'
      return
    }
    if (me.status === 403) {
      this.phase = 'revoked'
      return
    }
    // Offline or the server is restarting: carry on with what this phone knew.
    if (cached.me) return this.setMe(cached.me, true)
    this.phase = 'offline'
    this.bootTimer = setTimeout(() => void this.boot(), 3000)
  }

  /** The event's look and title, and the host's fixed language, which wins over the browser and the guest's own pick. */
  private applyEvent() {
    if (!this.event) return
    applyLook(this.event.look)
    document.title = `${lookTitle(this.event.look, this.event.name)} · Glowband`
    if (fixedLanguage(this.event)) void useLocale(chooseLocale(this.event.language))
  }

  /** The host changed the look or the settings (the stream's `screen.infoAt` moved). */
  private async reloadEvent() {
    const ev = await api<EventInfo>('GET', this.api)
    if (!ev.ok) return
    this.event = ev.body
    writeCache(this.slug, { event: ev.body })
    this.applyEvent()
  }

  private setMe(me: Me, fromCache: boolean) {
    this.me = me
    this.meFromCache = fromCache
    this.confirmed = { ...me.votes }
    this.answers = { ...(me.answers ?? {}) }
    this.phase = 'ready'
    if (!fromCache) {
      writeCache(this.slug, { me })
      try {
        localStorage.setItem(LAST_EVENT_KEY, JSON.stringify({ slug: this.slug, name: this.event?.name ?? this.slug }))
      } catch {
        // optional
      }
    }
    this.openOutbox(me.number)
  }

  private openOutbox(number: number) {
    const key = outboxKey(this.slug, number)
    if (this.outbox?.storageKey === key) {
      this.outbox.resume()
      return
    }
    this.outbox?.stop()
    this.outbox = new Outbox({
      baseUrl: this.api,
      storageKey: key,
      onChange: () => this.requestUpdate(),
      onAccepted: (a, body) => this.accepted(a, body),
      onRefused: (r) => this.refused(r),
      onUnauthorized: () => {
        this.checkinError = msg(
          'Your check-in on this phone has expired. Scan your wristband or type its code: what you did is kept.',
        )
        this.phase = 'checkin'
      },
    })
    this.outbox.start()
  }

  /** Says a change out loud to screen readers, through the page's one polite live region. */
  private announce(text: string) {
    // The same words twice in a row are still a new announcement.
    this.spoken = text === this.spoken.replace(/\u200b$/, '') ? `${text}\u200b` : text
  }

  /** Status changes, a poll opening or closing and raffle results, as a screen reader should hear them. */
  private hear(snap: LiveStream['snapshot']) {
    if (!snap || !this.me) return
    const open = snap.polls.filter((p) => p.open)
    const openIds = open.map((p) => p.id).join()
    const drawn = snap.raffles.filter((r) => r.drawnAt !== null)
    const h = this.heard
    if (h.raffles === undefined) {
      this.heard = { status: snap.status, open: openIds, raffles: new Set(drawn.map((r) => r.id)) }
      return
    }
    if (snap.status !== h.status) {
      this.announce(
        snap.status === 'paused'
          ? msg('The host paused the event.')
          : snap.status === 'ended'
            ? msg('The event has ended.')
            : msg('The event is live again.'),
      )
    } else if (openIds !== h.open) {
      const fresh = open.find((p) => !h.open?.split(',').includes(String(p.id)))
      this.announce(fresh ? msg(str`New poll: ${fresh.question}`) : msg('Voting has closed.'))
    }
    for (const r of drawn) {
      if (h.raffles.has(r.id)) continue
      h.raffles.add(r.id)
      this.announce(
        r.winners.includes(this.me.number) ? msg(str`You won: ${r.name}!`) : msg(str`${r.name}: not this time.`),
      )
    }
    h.status = snap.status
    h.open = openIds
  }

  private onStream(s: LiveStream) {
    this.hear(s.snapshot)
    if (s.snapshot) this.infoWatch.update(s.snapshot.screen?.infoAt)
    const back =
      (s.state === 'live' && this.lastState !== 'live') ||
      (s.freshAt > 0 && this.lastFresh > 0 && s.freshAt - this.lastFresh > STALE_MS)
    this.lastState = s.state
    this.lastFresh = s.freshAt
    if (back) {
      // The server answers again: send what waited instead of sitting out the backoff.
      this.outbox?.kick()
      if (this.meFromCache) void this.refreshMe()
    }
    this.lights.setShow(s.snapshot?.show ?? null)
    if (s.state === 'polling' && !this.pollWatch) this.pollWatch = setInterval(() => this.requestUpdate(), 2000)
    if (s.state !== 'polling' && this.pollWatch) {
      clearInterval(this.pollWatch)
      this.pollWatch = null
    }
  }

  private async refreshMe() {
    const me = await api<Me>('GET', `${this.api}/me`)
    if (me.ok) this.setMe(me.body, false)
  }

  private accepted(action: QueuedAction, body: unknown) {
    if (action.kind === 'vote') {
      const v = action.body as VoteBody
      if (v.optionId === undefined && v.optionIds === undefined) {
        const held = v.text !== undefined && !!this.event?.premoderate
        const a: AnswerValue =
          v.value !== undefined ? { value: v.value } : v.words ? { words: v.words } : { text: v.text, held }
        this.answers = { ...this.answers, [v.pollId]: a }
        return
      }
      this.confirmed = { ...this.confirmed, [v.pollId]: v.optionId }
      this.announce(msg('Your vote is in.'))
      if (this.me) writeCache(this.slug, { me: { ...this.me, votes: this.confirmed } })
      return
    }
    const held = !!(body as { held?: boolean } | null)?.held
    this.say(
      held
        ? { tone: 'info', text: msg('Sent! The host checks messages before they go on the big screen.') }
        : { tone: 'ok', text: msg('Sent! Watch for it on the big screen.') },
    )
  }

  private refused(r: RefusedAction) {
    if (r.action.kind !== 'message') return
    const box = this.renderRoot.querySelector('gb-danmaku-box') as DanmakuBox | null
    const text = (r.action.body as MessageBody).text
    if (box && !box.text.trim()) {
      // Back in the box, with the reason right under it: the guest can fix it and send again.
      box.restore(text)
      this.outbox?.dismiss(r.action.actionId)
      this.say({ tone: 'bad', text: msg(str`Not sent: ${reasonText(r.error)}`) }, false)
    }
  }

  private say(notice: Notice, fade = true) {
    this.notice = notice
    if (this.noticeTimer) clearTimeout(this.noticeTimer)
    this.noticeTimer = fade ? setTimeout(() => (this.notice = null), NOTICE_MS) : null
  }

  private async onCode(e: CodeEvent) {
    this.checkinBusy = true
    this.checkinError = ''
    const r = await api<{ number: number }>('POST', `${this.api}/checkin`, { code: e.detail.code })
    if (r.ok) {
      const me = await api<Me>('GET', `${this.api}/me`)
      this.checkinBusy = false
      if (me.ok) this.setMe(me.body, false)
      else this.setMe({ number: r.body.number, votes: {}, choices: {}, wins: [], questions: [], upvoted: [] }, true)
      return
    }
    this.checkinBusy = false
    this.checkinError = reasonText(r.error)
    this.renderRoot.querySelector('gb-checkin-form')?.focus()
  }

  private onAnswer(e: AnswerEvent) {
    const { pollId, body, label } = e.detail
    this.outbox?.add('vote', { pollId, ...body }, label)
  }

  private onVote(e: VoteEvent) {
    const { pollId, optionId, label } = e.detail
    this.outbox?.add('vote', { pollId, optionId }, label)
  }

  private onSend(e: SendEvent) {
    if (!this.outbox) return
    this.outbox.add('message', { text: e.detail.text }, e.detail.text)
    this.say(SENDING, false)
  }

  private onDismiss(e: DismissEvent) {
    this.outbox?.dismiss(e.detail.actionId)
  }

  render() {
    const show = this.phase === 'ready' ? this.live.stream.snapshot?.show : null
    const hidden = !!show && this.hiddenShow === show.startAt
    const awake =
      this.lights.wake === 'unsupported' || this.lights.wake === 'refused' ? msg(' · keep your screen on') : ''
    return html`${
      show && !hidden
        ? html`<button class="show show-stage" @click=${() => (this.hiddenShow = show.startAt)}>
            <span class="show-from"></span><span class="show-color"></span>
            <gb-cue-overlay .overlay=${this.lights.overlay} .now=${this.lights.clock.now()}></gb-cue-overlay>
            <span class="show-caption">${msg(str`Light show${awake} · tap to see the page`)}</span>
          </button>`
        : nothing
    }${
      hidden && this.lights.running
        ? html`<button class="back-to-show" data-testid="back-to-show" @click=${() => (this.hiddenShow = null)}>
            <span class="back-dot" aria-hidden="true"></span>${msg('Back to the light show')}
          </button>`
        : nothing
    }
      <div class="page ${hidden && this.lights.running ? 'page-with-back' : ''}">${this.renderPhase()}</div>
      <p class="sr-only" role="status" aria-live="polite" data-testid="announcer">${this.spoken}</p>`
  }

  private header(withMe: boolean) {
    const s = this.live.stream
    // The polling fallback says "polling" even while every poll fails: show what the guest lives.
    // The outbox failing to reach the server says the same, sooner.
    const stale =
      (s.state === 'polling' && Date.now() - s.freshAt > POLL_STALE_MS) ||
      this.outbox?.waitReason === 'offline' ||
      this.freshness.staleMs() > 0
    const state = stale && s.state !== 'connecting' ? 'reconnecting' : s.state
    return html`<header>
      <div>
        ${
          this.event?.look?.logo
            ? html`<img class="logo" src=${this.event.look.logo} alt="" />`
            : html`<p class="brand">Glowband</p>`
        }
        <h1 class="wrap">${this.event ? lookTitle(this.event.look, this.event.name) : msg('Live event')}</h1>
        ${
          withMe && s.snapshot
            ? html`<p class="here">${s.snapshot.checkins === 1 ? msg('1 guest here') : msg(str`${formatNumber(s.snapshot.checkins)} guests here`)}</p>`
            : nothing
        }
      </div>
      <div class="meta">
        ${
          withMe && this.me
            ? html`<span class="band" data-testid="number">${msg(str`Wristband #${this.me.number}`)}</span>`
            : nothing
        }
        <gb-connection-pill .state=${state} .degraded=${s.degraded} .status=${s.snapshot?.status ?? 'live'}></gb-connection-pill>
        ${fixedLanguage(this.event) ? nothing : html`<gb-language-switch></gb-language-switch>`}
      </div>
    </header>`
  }

  private renderPhase() {
    switch (this.phase) {
      case 'loading':
        return html`<div class="center" role="status">
          <div class="spinner" aria-hidden="true"></div>
          <p class="quiet">${msg('Joining the event…')}</p>
        </div>`
      case 'missing':
        return html`<div class="center">
          <h2>${msg('This event is not here')}</h2>
          <p class="quiet">${msg('Check the link, or scan the QR code on your wristband again.')}</p>
          <a class="btn btn-primary" href="/">${msg('Type my wristband code')}</a>
        </div>`
      case 'revoked':
        return html`${this.header(false)}
          <div class="center" role="alert">
            <h2>${msg('This wristband no longer works')}</h2>
            <p class="quiet">${msg('Ask the staff at the entrance for help.')}</p>
          </div>`
      case 'offline':
        return html`${this.header(false)}
          <div class="center" role="status">
            <div class="spinner" aria-hidden="true"></div>
            <h2>${msg("Can't reach the event")}</h2>
            <p class="quiet">${msg('Check your signal. We keep trying.')}</p>
          </div>`
      case 'checkin':
        return this.renderCheckin()
      case 'ready':
        return this.renderLive()
    }
  }

  private renderCheckin() {
    const waiting = this.outbox?.pending.length ?? 0
    return html`${this.header(false)}
      <main>
        <section class="intro">
          <h2>${msg('Join in')}</h2>
          <p class="quiet">
            ${msg('Scan the QR code on your wristband with your camera, or type the code printed under it. Then vote, send messages to the big screen, and see if you won.')}
          </p>
        </section>
        <section class="card" aria-label=${msg('Check in with your wristband code')}>
          <gb-checkin-form
            .busy=${this.checkinBusy}
            .error=${this.checkinError}
            @gb-code=${this.onCode}
          ></gb-checkin-form>
        </section>
        ${
          waiting
            ? html`<p class="quiet">${waiting === 1 ? msg('1 action is saved and sent once you are checked in.') : msg(str`${waiting} actions are saved and sent once you are checked in.`)}</p>`
            : nothing
        }
      </main>`
  }

  private voteFor(poll: Poll): { choice: number | null; state: VoteState | null } {
    const pending = this.outbox?.pendingVote(poll.id)
    if (pending) {
      const inFlight = this.outbox!.inFlight === pending.actionId
      return {
        choice: pending.body.optionId ?? pending.body.optionIds?.[0] ?? null,
        state: inFlight || !this.outbox!.waitReason ? 'sending' : 'waiting',
      }
    }
    const confirmed = this.confirmed[String(poll.id)]
    return confirmed !== undefined ? { choice: confirmed, state: 'confirmed' } : { choice: null, state: null }
  }

  /** Open polls, newest first; else the poll that closed last, with its final results. */
  private visiblePolls(polls: Poll[]): Poll[] {
    const open = polls.filter((p) => p.open).sort((a, b) => b.id - a.id)
    if (open.length) return open
    const closed = polls.filter((p) => p.closed).sort((a, b) => b.id - a.id)
    return closed.slice(0, 1)
  }

  /** Raffles from the snapshot, plus wins the server reported that the snapshot does not hold. */
  private raffles(fromSnapshot: Raffle[]): Raffle[] {
    const me = this.me
    if (!me) return fromSnapshot
    const extra = me.wins
      .filter((w) => !fromSnapshot.some((r) => r.id === w.raffleId))
      .map((w) => ({ id: w.raffleId, name: w.name, winners: [me.number], drawnAt: 0 }))
    return fromSnapshot.concat(extra)
  }

  private renderLive() {
    const snap = this.live.stream.snapshot
    const ob = this.outbox
    const polls = snap ? this.visiblePolls(snap.polls) : []
    const hasOpen = polls.some((p) => p.open)
    const raffles = snap ? this.raffles(snap.raffles) : []
    if (raffles.length) void loadRaffleCard()
    if (polls.some((p) => p.kind !== 'choice')) void loadAnswerCard()
    // A first attempt on a good connection takes a blink: list actions once one had to wait.
    const showList =
      !!ob &&
      (ob.refused.length > 0 ||
        (ob.pending.length > 0 && (ob.waitReason !== null || ob.pending.some((a) => a.attempts > 1))))
    // A rate limit (429) says how long to wait; only a real outage blames the connection.
    const limited = ob ? waitText(ob.waitReason, ob.retryAt) : null
    const waiting: Notice = limited ? { tone: 'info', text: limited } : SAVED
    const notice = this.notice === SENDING && ob?.waitReason ? waiting : this.notice
    const tabs = html`<nav class="tabs" role="tablist" aria-label=${msg('Sections')}>
      <button role="tab" aria-selected=${this.tab === 'live' ? 'true' : 'false'} @click=${() => (this.tab = 'live')}>
        ${msg('Live')}
      </button>
      <button role="tab" aria-selected=${this.tab === 'qa' ? 'true' : 'false'} @click=${() => (this.tab = 'qa')}>
        ${msg('Q&A')}${snap?.questions?.length ? html` <span class="count">${snap.questions.length}</span>` : nothing}
      </button>
    </nav>`
    if (this.tab === 'qa') {
      return html`${this.header(true)}
        <main @gb-me-changed=${() => void this.refreshMe()}>
          ${tabs}
          <gb-qa-box
            .apiBase=${this.api}
            .questions=${snap?.questions ?? []}
            .me=${this.me}
            .eventStatus=${snap?.status ?? 'live'}
          ></gb-qa-box>
        </main>`
    }
    return html`${this.header(true)}
      <main @gb-answer=${this.onAnswer} @gb-vote=${this.onVote} @gb-dismiss=${this.onDismiss}>
        ${tabs}
        ${
          snap
            ? html`${
                snap.status !== 'live' || snap.message
                  ? html`<gb-status-banner .status=${snap.status} .message=${snap.message}></gb-status-banner>`
                  : nothing
              }
              ${
                raffles.length
                  ? html`<gb-raffle-card
                      .raffles=${raffles}
                      .myNumber=${this.me?.number ?? null}
                      .slug=${this.slug}
                    ></gb-raffle-card>`
                  : nothing
              }
              ${snap.quiz ? html`<gb-quiz-card .quiz=${snap.quiz} .clock=${this.lights.clock}></gb-quiz-card>` : nothing}
              <gb-danmaku-feed .items=${snap.danmaku} .myNumber=${this.me?.number ?? null}></gb-danmaku-feed>
              ${
                hasOpen
                  ? nothing
                  : html`<section class="card no-poll">
                    <h2>${msg('No poll open right now')}</h2>
                    <p class="quiet">${msg('The next one shows up here the moment the host opens it.')}</p>
                  </section>`
              }
              ${polls.map((p) => {
                if (p.kind !== 'choice') {
                  return html`<gb-answer-card
                    .poll=${p}
                    .answer=${this.answers[String(p.id)] ?? null}
                    .sending=${!!this.outbox?.pendingVote(p.id)}
                    .eventStatus=${snap.status}
                  ></gb-answer-card>`
                }
                const v = this.voteFor(p)
                return html`<gb-poll-card
                  .poll=${p}
                  .choice=${v.choice}
                  .voteState=${v.state}
                  .waitNote=${v.state === 'waiting' ? (limited ?? '') : ''}
                  .eventStatus=${snap.status}
                ></gb-poll-card>`
              })}`
            : html`<div class="center" role="status">
              <div class="spinner" aria-hidden="true"></div>
              <p class="quiet">${msg('Connecting to the live event…')}</p>
            </div>`
        }
        ${
          showList
            ? html`<gb-pending-list
              .pending=${ob!.pending}
              .refused=${ob!.refused}
              .inFlight=${ob!.inFlight}
              .waitReason=${ob!.waitReason}
              .retryAt=${ob!.retryAt}
            ></gb-pending-list>`
            : nothing
        }
      </main>
      <div class="composer">
        <gb-reaction-bar .apiBase=${this.api} .eventStatus=${snap?.status ?? 'live'}></gb-reaction-bar>
        <gb-danmaku-box
          .maxLength=${this.event?.maxMessageLength ?? 80}
          .premoderate=${this.event?.premoderate ?? false}
          .notice=${notice}
          .eventStatus=${snap?.status ?? 'live'}
          @gb-send=${this.onSend}
        ></gb-danmaku-box>
      </div>`
  }
}
customElements.define('gb-guest-app', GuestApp)

declare global {
  interface HTMLElementTagNameMap {
    'gb-guest-app': GuestApp
  }
}

// The service worker (client/src/sw/sw.js): after a first visit the page opens offline.
if ('serviceWorker' in navigator) {
  addEventListener('load', () => navigator.serviceWorker.register('/sw.js', { scope: '/e/' }).catch(() => {}))
}
