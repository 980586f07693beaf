/**
 * The big screen at /e/:slug/screen: what the whole room looks at, on a projector, for
 * hours. The live stream drives everything; the components under this folder draw it:
 * poll bars, the danmaku sky, the check-in counter, the join QR, the raffle draw, the
 * pause overlay, the light show and a note when the screen is not sure it is current.
 */
import '../lib/zod-jitless.ts'
import { html, LitElement, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit'
import type { PublicEvent } from '../../../protocol/host.ts'
import type { Danmaku, Poll, Raffle, Snapshot } from '../../../protocol/index.ts'
import { api, slugFromPath } from '../lib/api.ts'
import { ServerClock } from '../lib/clock.ts'
import { LiveController, type LiveStream, streamUrls } from '../lib/live-stream.ts'
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
import type { ReactionBubbles } from './reaction-bubbles/reaction-bubbles.ts'
import './reaction-bubbles/reaction-bubbles.ts'
import type { RaffleDraw } from './raffle-draw/raffle-draw.ts'
import './raffle-draw/raffle-draw.ts'
import './shared/tween-number.ts'
import './show-lights/show-lights.ts'
import './status-overlay/status-overlay.ts'
import { chooseLocale, msg, useLocale } from '../lib/i18n.ts'

/** How long the big winners panel stays up after a draw. */
export const WINNERS_PANEL_MS = 60_000
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
  /** Raffles known to be drawn; a raffle that joins this set while the screen watches gets a drum roll. */
  private drawn = new Set<number>()
  /** The poll that most recently went from open to closed, shown as the final result. */
  private lastClosed: number | null = null
  private inbox: { add: Danmaku[]; remove: number[]; clear: boolean } = { add: [], remove: [], clear: false }
  private pendingRaffle: { raffle: Raffle; roll: boolean; panelMs: number } | null = null
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
    this.removeEventListener('dblclick', this.toggleFullscreen)
  }

  private toggleFullscreen = () => {
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => {})
    else void document.documentElement.requestFullscreen?.().catch(() => {})
  }

  private async loadInfo() {
    for (let attempt = 0; !this.info; attempt++) {
      const r = await api<PublicEvent>('GET', `/api/events/${encodeURIComponent(this.slug)}`)
      if (r.ok) {
        this.info = r.body
        document.title = `${r.body.name} · Glowband screen`
        void useLocale(chooseLocale(r.body.language))
        return
      }
      if (r.status === 404) {
        this.missing = true
        return
      }
      await new Promise((ok) => setTimeout(ok, Math.min(10_000, 1000 * 2 ** attempt)))
    }
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
    const age = Math.max(0, now - newest.drawnAt)
    if (age >= WINNERS_PANEL_MS) return
    // A draw seen happening gets the drum roll; one from before the screen connected goes straight to the panel.
    const roll = !first && age < DRUM_ROLL_MAX_AGE_MS
    this.pendingRaffle = { raffle: newest, roll, panelMs: roll ? WINNERS_PANEL_MS : WINNERS_PANEL_MS - age }
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
    if (draw && this.pendingRaffle) {
      const { raffle, roll, panelMs } = this.pendingRaffle
      this.pendingRaffle = null
      this.pendingDrumroll = null
      void this.loadPool(draw, raffle.id)
      draw.poolMax = Math.max(this.prev?.checkins ?? 0, ...raffle.winners)
      if (roll) draw.play(raffle, panelMs)
      else draw.show(raffle, panelMs)
      this.raffleUp = true
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
          <h1>${this.info?.name ?? 'Glowband'}</h1>
          <p>${msg('Connecting to the live event…')}</p>
        </div>
        ${badge(true)}`
    }
    // An open poll takes the stage; else the Q&A board, if it has questions; else the last result.
    const found = this.currentPoll(snap)
    const poll = found && !found.open && snap.questions?.length ? null : found
    const winners = !this.raffleUp ? this.latestRaffle : null
    const overlaid = snap.status !== 'live' || this.raffleUp
    return html`
      <gb-show-lights .show=${snap.show} .clock=${this.clockCtl.clock}></gb-show-lights>
      <div class="frame ${poll ? '' : 'no-poll'}">
        <header>
          <div class="brand">
            <span class="onair ${snap.status} ${stream.state === 'live' ? '' : 'offline'}" aria-hidden="true"></span>
            <h1>${this.info?.name ?? ''}</h1>
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
            poll
              ? poll.kind === 'choice' && !(poll.hideResults && !poll.revealed)
                ? html`<gb-poll-bars class="card stage" .poll=${poll}></gb-poll-bars>`
                : html`<gb-kind-view class="card stage" .poll=${poll}></gb-kind-view>`
              : snap.questions?.length
                ? html`<gb-qa-list class="card stage" .questions=${snap.questions} .max=${5}></gb-qa-list>`
                : html`<div class="card stage welcome">
                <div class="kicker">${msg('Welcome')}</div>
                <h2>${msg('Send a message to this screen')}</h2>
                <p>${msg('Scan your wristband or the code on the right, then vote, send messages and win prizes.')}</p>
              </div>`
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
