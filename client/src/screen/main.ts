/**
 * The big screen at /e/:slug/screen: what the whole room looks at, on a projector, for
 * hours. The live stream drives everything; the components under this folder draw it:
 * poll bars, the danmaku sky, the check-in counter, the join QR, the raffle draw, the
 * pause overlay, the light show and a note when the screen is not sure it is current.
 */
import '../lib/zod-jitless.ts'
import { html, LitElement, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit'
import type { PublicEvent } from '../../../protocol/host.ts'
import {
  type Danmaku,
  defaultScreenState,
  type Poll,
  type Raffle,
  revealOrder,
  type ScreenState,
  type Snapshot,
} from '../../../protocol/index.ts'
import { api, slugFromPath } from '../lib/api.ts'
import { ServerClock } from '../lib/clock.ts'
import { InfoWatch } from '../lib/info-watch.ts'
import { LiveController, type LiveStream, streamUrls } from '../lib/live-stream.ts'
import { applyLook, lookTitle } from '../lib/look.ts'
import './connection-badge/connection-badge.ts'
import type { DanmakuLayer } from './danmaku-layer/danmaku-layer.ts'
import './danmaku-layer/danmaku-layer.ts'
import { FreshnessController } from '../lib/freshness.ts'
import { diffDanmaku } from './danmaku-layer/feed.ts'
import './join-qr/join-qr.ts'
import { screenStyles } from './main.styles.ts'
import './poll-bars/poll-bars.ts'
import './kind-view/kind-view.ts'
import './qa-list/qa-list.ts'
import './quiz-view/quiz-view.ts'
import type { ReactionBubbles } from './reaction-bubbles/reaction-bubbles.ts'
import './reaction-bubbles/reaction-bubbles.ts'
import type { RaffleDraw } from './raffle-draw/raffle-draw.ts'
import './raffle-draw/raffle-draw.ts'
import './raffle-stage/raffle-stage.ts'
import './screen-slide/screen-slide.ts'
import './shared/tween-number.ts'
import './show-lights/show-lights.ts'
import './status-overlay/status-overlay.ts'
import { chooseLocale, msg, useLocale } from '../lib/i18n.ts'

/** A draw older than this when the screen learns of it is shown without the drum roll. */
const DRUM_ROLL_MAX_AGE_MS = 20_000
/** How many of the already-sent messages fly when the screen first connects. */
const INITIAL_DANMAKU = 3

/** Starts the server clock with the page and stops it with the page. */
class ClockController implements ReactiveController {
  readonly clock = new ServerClock()
  constructor(host: ReactiveControllerHost) {
    host.addController(this)
  }
  hostConnected() {
    this.clock.start()
  }
  hostDisconnected() {
    this.clock.stop()
  }
}

/**
 * Keeps the display awake while the screen is shown (a laptop on a projector must not
 * dim mid-event). The lock goes when the page is hidden, so it is asked for again.
 */
class WakeLockController implements ReactiveController {
  private lock: { release(): Promise<void> } | null = null
  constructor(host: ReactiveControllerHost) {
    host.addController(this)
  }
  hostConnected() {
    void this.request()
    document.addEventListener('visibilitychange', this.onVisibility)
  }
  hostDisconnected() {
    document.removeEventListener('visibilitychange', this.onVisibility)
    void this.lock?.release().catch(() => {})
    this.lock = null
  }
  private onVisibility = () => {
    if (document.visibilityState === 'visible') void this.request()
  }
  private async request() {
    const wakeLock = (
      navigator as Navigator & { wakeLock?: { request(type: 'screen'): Promise<{ release(): Promise<void> }> } }
    ).wakeLock
    try {
      this.lock = (await wakeLock?.request('screen')) ?? null
    } catch {
      // not allowed (no user gesture yet, battery saver): the screen still works
    }
  }
}

export class ScreenApp extends LitElement {
  static styles = screenStyles
  static properties = {
    info: { state: true },
    missing: { state: true },
    latestRaffle: { state: true },
    raffleUp: { state: true },
  }

  declare info: PublicEvent | null
  declare missing: boolean
  /** The most recent draw, for the winners card in the sidebar. */
  declare latestRaffle: Raffle | null
  /** The raffle overlay is up (the winners card waits until it is gone). */
  declare raffleUp: boolean

  private slug = slugFromPath()
  private urls = streamUrls(this.slug)
  private live = new LiveController(this, {
    ...this.urls,
    onChange: (s) => this.onStream(s),
    onDelta: (d) => {
      if (d.reactions && this.prev?.status !== 'paused') {
        this.renderRoot.querySelector<ReactionBubbles>('gb-reaction-bubbles')?.add(d.reactions)
      }
    },
  })
  private clockCtl = new ClockController(this)
  // Held for its side effect: it keeps the screen awake while this page is shown.
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: a reactive controller, registered by its constructor
  private wake = new WakeLockController(this)
  private freshness = new FreshnessController(this, () => this.live.stream, this.urls.snapshotUrl)
  private prev: Snapshot | null = null
  /** The host changed the look or the language: read them again, the screen stays up. */
  private infoWatch = new InfoWatch(() => void this.readInfo(), { delayMs: 1500, spreadMs: 0 })
  /** Raffles known to be drawn; a raffle that joins this set while the screen watches gets a drum roll. */
  private drawn = new Set<number>()
  /** The poll that most recently went from open to closed, shown as the final result. */
  private lastClosed: number | null = null
  private inbox: { add: Danmaku[]; remove: number[]; clear: boolean } = { add: [], remove: [], clear: false }
  private pendingRaffle: Raffle | null = null
  /** The winners panel last handed to the draw (JSON), so a change of the host's panel is seen once. */
  private panelKey = 'null'
  /** A committed raffle whose drum roll (the guests' taps) should show now. */
  private pendingDrumroll: Raffle | null = null
  private drumrolls = new Set<number>()

  constructor() {
    super()
    this.info = null
    this.missing = false
    this.latestRaffle = null
    this.raffleUp = false
  }

  connectedCallback() {
    super.connectedCallback()
    void this.loadInfo()
    // Double-click anywhere: full screen (and out again), for whoever sets up the projector.
    this.addEventListener('dblclick', this.toggleFullscreen)
  }

  disconnectedCallback() {
    super.disconnectedCallback()
    this.infoWatch.stop()
    this.removeEventListener('dblclick', this.toggleFullscreen)
  }

  private toggleFullscreen = () => {
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => {})
    else void document.documentElement.requestFullscreen?.().catch(() => {})
  }

  private async loadInfo() {
    for (let attempt = 0; !this.info && !this.missing; attempt++) {
      if (await this.readInfo()) return
      if (!this.missing) await new Promise((ok) => setTimeout(ok, Math.min(10_000, 1000 * 2 ** attempt)))
    }
  }

  /** Reads the event's name, look and language and applies them; false when that failed. */
  private async readInfo(): Promise<boolean> {
    const r = await api<PublicEvent>('GET', `/api/events/${encodeURIComponent(this.slug)}`)
    if (r.ok) {
      this.info = r.body
      applyLook(r.body.look)
      document.title = `${lookTitle(r.body.look, r.body.name)} · Glowband screen`
      void useLocale(chooseLocale(r.body.language))
      return true
    }
    if (r.status === 404) this.missing = true
    return false
  }

  /**
   * Runs for every change of the stream, before the render: works out which messages
   * are new or taken down and which raffles were just drawn, and passes them on to the
   * components in updated().
   */
  private onStream(s: LiveStream) {
    const snap = s.snapshot
    if (!snap || snap === this.prev) return
    const prev = this.prev
    this.prev = snap
    this.infoWatch.update(snap.screen?.infoAt)
    const live = snap.status === 'live'
    if (!prev) {
      if (live) this.inbox.add.push(...snap.danmaku.slice(-INITIAL_DANMAKU))
    } else {
      const { added, removed } = diffDanmaku(prev.danmaku, snap.danmaku)
      if (live) this.inbox.add.push(...added)
      this.inbox.remove.push(...removed)
      if (!live && prev.status === 'live') this.inbox.clear = true
      for (const p of snap.polls) {
        const before = prev.polls.find((q) => q.id === p.id)
        if (p.closed && before && !before.closed) this.lastClosed = p.id
      }
    }
    // Keep the inbox bounded even if the page is not rendering (a hidden tab).
    if (this.inbox.add.length > 100) this.inbox.add.splice(0, this.inbox.add.length - 100)
    this.noteRaffles(snap, !prev)
  }

  private noteRaffles(snap: Snapshot, first: boolean) {
    const now = this.clockCtl.clock.now()
    for (const r of snap.raffles) {
      if (r.state !== 'committed' || this.drumrolls.has(r.id)) continue
      this.drumrolls.add(r.id)
      if (r.closesAt && r.closesAt > now) this.pendingDrumroll = r
    }
    let newest: Raffle | null = null
    for (const r of snap.raffles) {
      if (r.drawnAt === null) continue
      if (!this.latestRaffle || r.drawnAt >= (this.latestRaffle.drawnAt ?? 0)) this.latestRaffle = r
      if (this.drawn.has(r.id)) continue
      this.drawn.add(r.id)
      if (!newest || r.drawnAt > (newest.drawnAt ?? 0)) newest = r
    }
    if (!newest || newest.drawnAt === null) return
    // A draw seen happening gets the drum roll; the winners panel is the host's (the screen state).
    if (!first && now - newest.drawnAt < DRUM_ROLL_MAX_AGE_MS) this.pendingRaffle = newest
  }

  /** The raffle's frozen list, so the drum only shows numbers that can win. */
  private poolFor = 0

  private async loadPool(draw: RaffleDraw, raffleId: number) {
    if (this.poolFor !== raffleId) draw.pool = null
    this.poolFor = raffleId
    try {
      const res = await fetch(`/api/events/${encodeURIComponent(this.slug)}/raffles/${raffleId}/proof`)
      if (!res.ok) return
      const proof = (await res.json()) as { list: number[] | null }
      if (proof.list?.length && this.poolFor === raffleId) draw.pool = proof.list
    } catch {}
  }

  /** The open poll; else the one closed most recently (the final result). Drafts never show. */
  private currentPoll(snap: Snapshot): Poll | null {
    const open = snap.polls.filter((p) => p.open)
    if (open.length) return open[open.length - 1]
    const closed = snap.polls.filter((p) => p.closed)
    return (
      closed.find((p) => p.id === this.lastClosed) ??
      closed.reduce<Poll | null>((a, p) => (!a || p.id > a.id ? p : a), null)
    )
  }

  updated() {
    const sky = this.renderRoot.querySelector<DanmakuLayer>('gb-danmaku-layer')
    if (sky) {
      if (this.inbox.clear) sky.clearSky()
      if (this.inbox.remove.length) sky.takeDown(this.inbox.remove)
      if (this.inbox.add.length) sky.fly(this.inbox.add)
      this.inbox = { add: [], remove: [], clear: false }
    }
    const draw = this.renderRoot.querySelector<RaffleDraw>('gb-raffle-draw')
    if (draw && this.pendingDrumroll && !this.pendingRaffle) {
      const raffle = this.pendingDrumroll
      this.pendingDrumroll = null
      draw.poolMax = Math.max(this.prev?.checkins ?? 0, 1)
      void this.loadPool(draw, raffle.id)
      draw.drumroll(raffle)
      this.raffleUp = true
    }
    const panel = this.prev?.screen?.winners ?? null
    const panelRaffle = panel && this.prev?.raffles.find((r) => r.id === panel.raffleId && r.drawnAt !== null)
    if (draw) {
      draw.now = () => this.clockCtl.clock.now()
      draw.panel = panelRaffle ? panel : null
    }
    if (draw && this.pendingRaffle) {
      const raffle = this.pendingRaffle
      this.pendingRaffle = null
      this.pendingDrumroll = null
      void this.loadPool(draw, raffle.id)
      draw.poolMax = Math.max(this.prev?.checkins ?? 0, ...raffle.winners)
      // The reels land on the prize revealed first (the lowest), so the grand prize stays a surprise.
      draw.play(raffle, revealOrder(raffle)[0]?.winners)
      this.raffleUp = true
    }
    const key = JSON.stringify(panelRaffle ? panel : null)
    // The landing reels go on to the panel up when they land (or close): that one is seen.
    if (draw?.phase === 'rolling') this.panelKey = key
    if (draw && (draw.phase === 'idle' || draw.phase === 'winners')) {
      if (key !== this.panelKey) {
        this.panelKey = key
        if (panel && panelRaffle) {
          draw.show(panelRaffle, panel)
          this.raffleUp = true
        } else draw.close()
      } else if (draw.phase === 'winners' && panelRaffle && draw.raffle !== panelRaffle) {
        // A no-show replaced, a claim: the panel shows the raffle as it is now.
        draw.raffle = panelRaffle
      }
    }
  }

  render() {
    const stream = this.live.stream
    const snap = stream.snapshot
    const staleMs = this.freshness.staleMs()
    // In the header normally; floating at the top centre over an overlay (a paused screen can be stale too).
    const badge = (floating: boolean) => html`<gb-connection-badge
      ?floating=${floating}
      .state=${stream.state}
      .degraded=${stream.degraded}
      .staleMs=${staleMs}
      .delayed=${this.freshness.delayed()}
    ></gb-connection-badge>`
    if (this.missing) {
      return html`<div class="splash"><h1>${msg('No event here')}</h1><p>${msg('Check the screen address:')} /e/<i>event</i>/screen</p></div>`
    }
    if (!snap) {
      return html`<div class="splash">
          <div class="spinner" aria-hidden="true"></div>
          <h1>${this.info ? lookTitle(this.info.look, this.info.name) : 'Glowband'}</h1>
          <p>${msg('Connecting to the live event…')}</p>
        </div>
        ${badge(true)}`
    }
    const screen = snap.screen ?? defaultScreenState()
    const poll = this.stagedPoll(snap, screen)
    const winners = !this.raffleUp ? this.latestRaffle : null
    // Chosen by the host, or (auto) a quiz takes the stage until a poll opens or its leaderboard has shown for 5 minutes.
    const recentQuiz = snap.quiz && this.clockCtl.clock.now() < snap.quiz.endsAt + 300_000 ? snap.quiz : null
    const quiz =
      screen.view === 'quiz' ? (snap.quiz ?? null) : screen.view === 'auto' && !poll?.open ? recentQuiz : null
    const overlaid = snap.status !== 'live' || this.raffleUp
    const slide = screen.view === 'join' || screen.view === 'idle'
    return html`
      <gb-show-lights .show=${snap.show} .clock=${this.clockCtl.clock}></gb-show-lights>
      ${
        slide
          ? html`<gb-screen-slide
              data-view=${screen.view}
              .kind=${screen.view}
              .name=${this.info ? lookTitle(this.info.look, this.info.name) : ''}
              .joinUrl=${this.info?.joinUrl ?? ''}
              .checkins=${snap.checkins}
            ></gb-screen-slide>`
          : nothing
      }
      <div class="frame ${poll || quiz ? '' : 'no-poll'} ${(poll?.options.length ?? 0) > 6 ? 'many' : ''}" data-view=${screen.view} ?hidden=${slide}>
        <header>
          <div class="brand">
            <span class="onair ${snap.status} ${stream.state === 'live' ? '' : 'offline'}" aria-hidden="true"></span>
            ${this.info?.look?.logo ? html`<img class="logo" src=${this.info.look.logo} alt="" />` : nothing}
            <h1>${this.info ? lookTitle(this.info.look, this.info.name) : ''}</h1>
          </div>
          ${overlaid ? nothing : badge(false)}
          <div class="checkins" data-checkins=${snap.checkins}>
            <gb-tween-number class="count" .value=${snap.checkins}></gb-tween-number>
            <span class="unit">${msg('checked in')}</span>
          </div>
        </header>
        <gb-danmaku-layer class="sky"></gb-danmaku-layer>
        <main>
          ${
            quiz
              ? html`<gb-quiz-view class="card stage" data-stage="quiz" .quiz=${quiz} .clock=${this.clockCtl.clock}></gb-quiz-view>`
              : this.stage(snap, screen, poll)
          }
          <aside>
            <div class="card join">${this.info ? html`<gb-join-qr .url=${this.info.joinUrl}></gb-join-qr>` : nothing}</div>
            ${winners ? this.winnersCard(winners) : nothing}
          </aside>
        </main>
      </div>
      <gb-reaction-bubbles></gb-reaction-bubbles>
      <gb-raffle-draw @gb-raffle-closed=${() => (this.raffleUp = false)}></gb-raffle-draw>
      <gb-status-overlay .status=${snap.status} .message=${snap.message}></gb-status-overlay>
      ${overlaid ? badge(true) : nothing}
    `
  }

  /** The poll on the stage: the host's choice, or (auto) the open one, else the last result unless Q&A has questions. */
  private stagedPoll(snap: Snapshot, screen: ScreenState): Poll | null {
    if (screen.view === 'poll') {
      return (screen.id ? snap.polls.find((p) => p.id === screen.id) : null) ?? this.currentPoll(snap)
    }
    if (screen.view !== 'auto') return null
    const found = this.currentPoll(snap)
    return found && !found.open && snap.questions?.length ? null : found
  }

  /** What the stage card shows: the poll, else the view the host chose, else (auto) Q&A or the welcome card. */
  private stage(snap: Snapshot, screen: ScreenState, poll: Poll | null) {
    if (poll) {
      return poll.kind === 'choice' && !(poll.hideResults && !poll.revealed)
        ? html`<gb-poll-bars class="card stage" data-stage="poll" .poll=${poll}></gb-poll-bars>`
        : html`<gb-kind-view class="card stage" data-stage="poll" .poll=${poll}></gb-kind-view>`
    }
    if (screen.view === 'raffle') {
      const raffle = (screen.id ? snap.raffles.find((r) => r.id === screen.id) : null) ?? snap.raffles.at(-1)
      if (raffle)
        return html`<gb-raffle-stage class="card stage" data-stage="raffle" .raffle=${raffle}></gb-raffle-stage>`
    }
    if (screen.view === 'quiz') {
      return html`<div class="card stage welcome" data-stage="quiz">
        <div class="kicker">${msg('Quiz')}</div>
        <h2>${msg('The quiz starts in a moment')}</h2>
        <p>${msg('Get your phone ready: questions appear there and here at the same time.')}</p>
      </div>`
    }
    if (screen.view === 'qa' || (screen.view === 'auto' && snap.questions?.length)) {
      return snap.questions?.length
        ? html`<gb-qa-list class="card stage" data-stage="qa" .questions=${snap.questions} .max=${5}></gb-qa-list>`
        : html`<div class="card stage welcome" data-stage="qa">
            <div class="kicker">${msg('Q&A')}</div>
            <h2>${msg('Ask the stage a question')}</h2>
            <p>${msg('Open the Q&A tab on your phone: the questions with the most votes show here.')}</p>
          </div>`
    }
    return html`<div class="card stage welcome" data-stage="welcome">
      <div class="kicker">${msg('Welcome')}</div>
      <h2>${msg('Send a message to this screen')}</h2>
      <p>${msg('Scan your wristband or the code on the right, then vote, send messages and win prizes.')}</p>
    </div>`
  }

  /** The latest draw, kept small in the sidebar once its big panel has gone. */
  private winnersCard(r: Raffle) {
    const max = 9
    return html`<div class="card latest" data-raffle=${r.id}>
      <div class="latest-title">🎁 ${r.name}</div>
      <div class="latest-numbers">
        ${r.winners.slice(0, max).map((n) => html`<b>#${n}</b>`)}
        ${r.winners.length > max ? html`<i>+${r.winners.length - max}</i>` : nothing}
      </div>
    </div>`
  }
}

customElements.define('gb-screen-app', ScreenApp)

declare global {
  interface HTMLElementTagNameMap {
    'gb-screen-app': ScreenApp
  }
}
