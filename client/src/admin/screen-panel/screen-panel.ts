import { css, html, LitElement, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit'
import {
  defaultScreenState,
  type Poll,
  panelAt,
  type Raffle,
  revealOrder,
  type ScreenState,
  type ScreenView,
  type WinnersReveal,
} from '../../../../protocol/index.ts'
import { msg, str } from '../../lib/i18n.ts'
import { adminStyles, panelStyles } from '../shared/admin.styles.ts'
import { Actions, hostApi } from '../shared/host-api.ts'

/** Redraws the panel every second while a winners panel turns its pages (to say which is up). */
class TickController implements ReactiveController {
  private timer: ReturnType<typeof setInterval> | null = null
  constructor(private host: ReactiveControllerHost) {
    host.addController(this)
  }
  hostConnected() {
    this.timer = setInterval(() => this.host.requestUpdate(), 1000)
  }
  hostDisconnected() {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }
}

const VIEWS = (): { view: ScreenView; label: string; hint: string }[] => [
  { view: 'auto', label: msg('Auto'), hint: msg('whatever opened last') },
  { view: 'qa', label: msg('Q&A'), hint: msg('the top questions') },
  { view: 'join', label: msg('Join QR'), hint: msg('full screen') },
  { view: 'idle', label: msg('Idle slide'), hint: msg('the event name') },
  { view: 'quiz', label: msg('Quiz'), hint: msg('the quiz') },
]

const PAGE_SPEEDS = [3, 6, 10, 15]

const REVEALS = (): { reveal: WinnersReveal; label: string }[] => [
  { reveal: 'all', label: msg('All at once') },
  { reveal: 'step', label: msg('Tier by tier (you step)') },
  { reveal: 'auto', label: msg('Tier by tier (by itself)') },
]

const RAFFLE_STATES = (): Record<string, string> => ({
  open: msg('open'),
  committed: msg('drum roll'),
  drawn: msg('drawn'),
})

/**
 * The host directs the big screen: one tap puts a view on it (auto, a poll, Q&A, a
 * raffle, the join QR, the idle slide, the quiz) and brings up or dismisses a drawn
 * raffle's winners panel, tier by tier. What is on now is the pressed button
 * (`aria-pressed`), read from the stream, so every host page agrees.
 */
export class ScreenPanel extends LitElement {
  static styles = [
    adminStyles,
    panelStyles,
    css`
      .choices {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr));
        gap: 0.5rem;
      }
      .choice {
        flex-direction: column;
        align-items: flex-start;
        gap: 0.1rem;
        min-height: 3.25rem;
        white-space: normal;
        text-align: left;
      }
      .choice small {
        font-weight: 500;
        color: var(--gb-muted);
        overflow: hidden;
        text-overflow: ellipsis;
        display: -webkit-box;
        -webkit-line-clamp: 2;
        -webkit-box-orient: vertical;
      }
      .choice[aria-pressed='true'] {
        border-color: var(--gb-accent);
        background: color-mix(in srgb, var(--gb-accent) 18%, transparent);
      }
      .choice[aria-pressed='true'] small {
        color: inherit;
      }
      h3 {
        font-size: 0.8125rem;
        margin: 0.9rem 0 0.4rem;
      }
      .now {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem;
      }
      .raffle {
        display: grid;
        gap: 0.5rem;
        padding: 0.75rem 0;
        border-top: 1px solid rgba(255, 255, 255, 0.07);
      }
      .raffle:first-of-type {
        border-top: 0;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
      }
      select {
        font: inherit;
      }
    `,
  ]
  static properties = {
    slug: { type: String },
    screen: { attribute: false },
    polls: { attribute: false },
    raffles: { attribute: false },
    pageSeconds: { state: true },
  }

  declare slug: string
  declare screen: ScreenState | null
  declare polls: Poll[]
  declare raffles: Raffle[]
  declare pageSeconds: number
  private actions = new Actions(this)
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: a reactive controller, registered by its constructor
  private tick = new TickController(this)

  constructor() {
    super()
    this.slug = ''
    this.screen = null
    this.polls = []
    this.raffles = []
    this.pageSeconds = 6
  }

  private get state(): ScreenState {
    return this.screen ?? defaultScreenState()
  }

  private put(view: ScreenView, id?: number) {
    void this.actions.run('view', () => hostApi<ScreenState>(this.slug, 'PUT', '/screen', { view, id }))
  }

  private winners(raffleId: number, reveal: WinnersReveal, step = 1) {
    void this.actions.run('winners', () =>
      hostApi<ScreenState>(this.slug, 'PUT', '/screen/winners', {
        raffleId,
        reveal,
        step,
        pageSeconds: this.pageSeconds,
      }),
    )
  }

  private dismiss() {
    void this.actions.run('winners', () => hostApi<ScreenState>(this.slug, 'DELETE', '/screen/winners'))
  }

  private choice(view: ScreenView, label: string, hint: string, id?: number) {
    const s = this.state
    const on = s.view === view && (id === undefined ? s.id === undefined : s.id === id)
    return html`<button
      class="btn btn-outline choice"
      aria-pressed=${on ? 'true' : 'false'}
      data-view=${view}
      data-id=${id ?? ''}
      ?disabled=${this.actions.busy('view')}
      @click=${() => this.put(view, id)}
    >
      <span>${label}</span><small>${hint}</small>
    </button>`
  }

  /** What the screen shows now, in words. */
  private nowLine() {
    const s = this.state
    const poll = s.view === 'poll' && s.id ? this.polls.find((p) => p.id === s.id) : undefined
    const raffle = s.view === 'raffle' && s.id ? this.raffles.find((r) => r.id === s.id) : undefined
    const what =
      s.view === 'poll'
        ? poll
          ? msg(str`Poll “${poll.question}”`)
          : msg('The open poll')
        : s.view === 'raffle'
          ? raffle
            ? msg(str`Raffle “${raffle.name}”`)
            : msg('The latest raffle')
          : (VIEWS().find((v) => v.view === s.view)?.label ?? s.view)
    return html`<p class="now" data-now=${s.view}>
      <span class="eyebrow">${msg('On screen now')}</span> <b>${what}</b>
      ${s.winners ? html`<span class="badge badge-accent">${msg('winners panel up')}</span>` : nothing}
    </p>`
  }

  private renderPanelOf(r: Raffle) {
    const panel = this.state.winners?.raffleId === r.id ? this.state.winners : null
    const tiers = revealOrder(r)
    const view = panel ? panelAt(r, panel, Date.now()) : null
    const current = view?.revealed.at(-1)
    return html`<div class="raffle" data-raffle=${r.id}>
      <div class="row">
        <b>${r.name}</b>
        <span class="small muted">${r.winners.length === 1 ? msg('1 winner') : msg(str`${r.winners.length} winners`)} · ${tiers.length === 1 ? msg('1 prize') : msg(str`${tiers.length} prizes`)}</span>
        ${
          view
            ? html`<span class="badge badge-live" data-panel-status
                >${msg('up:')} ${current ? `${current.name}` : '–'}${view.of > 1 ? msg(str`, page ${view.index + 1} of ${view.of}`) : ''}${
                  view.hidden ? msg(str` · ${view.hidden} to come`) : ''
                }</span
              >`
            : nothing
        }
      </div>
      <div class="row">
        ${REVEALS()
          .filter((x) => tiers.length > 1 || x.reveal === 'all')
          .map(
            (x) =>
              html`<button
              class="btn btn-sm ${panel?.reveal === x.reveal ? 'btn-primary' : 'btn-outline'}"
              data-reveal=${x.reveal}
              @click=${() => this.winners(r.id, x.reveal, x.reveal === 'step' ? Math.max(1, view?.revealed.length ?? 1) : 1)}
            >
              ${tiers.length > 1 ? x.label : msg('Show the winners')}
            </button>`,
          )}
        ${
          panel?.reveal === 'step' && view && view.hidden > 0
            ? html`<button class="btn btn-sm btn-primary" data-next-tier @click=${() => this.winners(r.id, 'step', panel.step + 1)}>
                ${msg('Reveal the next prize →')}
              </button>`
            : nothing
        }
        ${panel ? html`<button class="btn btn-sm btn-warn" data-dismiss @click=${() => this.dismiss()}>${msg('Dismiss')}</button>` : nothing}
      </div>
    </div>`
  }

  render() {
    const polls = this.polls.filter((p) => p.open || p.closed)
    const drawn = this.raffles
      .filter((r) => r.drawnAt !== null)
      .slice(-6)
      .reverse()
    return html`<div class="layout">
      <section class="card" aria-labelledby="screen-title">
        <div class="card-head"><h2 id="screen-title">${msg('Big screen')}</h2></div>
        ${this.nowLine()}
        <h3 class="eyebrow">${msg('Show')}</h3>
        <div class="choices" role="group" aria-label=${msg('What the big screen shows')}>
          ${VIEWS().map((v) => this.choice(v.view, v.label, v.hint))}
        </div>
        ${
          polls.length
            ? html`<h3 class="eyebrow">${msg('A poll')}</h3>
              <div class="choices" role="group" aria-label=${msg('Put a poll on the big screen')}>
                ${polls.map((p) => this.choice('poll', p.question, p.open ? msg('open') : msg('final result'), p.id))}
              </div>`
            : nothing
        }
        ${
          this.raffles.length
            ? html`<h3 class="eyebrow">${msg('A raffle')}</h3>
              <div class="choices" role="group" aria-label=${msg('Put a raffle on the big screen')}>
                ${this.raffles.map((r) => this.choice('raffle', r.name, r.drawnAt ? msg('drawn') : RAFFLE_STATES()[r.state ?? 'open'], r.id))}
              </div>`
            : nothing
        }
        ${this.actions.feedback('view')}
      </section>
      <section class="card" aria-labelledby="winners-title">
        <div class="card-head">
          <h2 id="winners-title">${msg('Winners panel')}</h2>
          <span class="spacer"></span>
          <label class="small muted"
            >${msg('Pages turn every')}
            <select
              aria-label=${msg('Seconds per page')}
              .value=${String(this.pageSeconds)}
              @change=${(e: Event) => (this.pageSeconds = Number((e.target as HTMLSelectElement).value))}
            >
              ${PAGE_SPEEDS.map((s) => html`<option value=${s} ?selected=${s === this.pageSeconds}>${msg(str`${s} s`)}</option>`)}
            </select></label
          >
        </div>
        ${
          drawn.length
            ? drawn.map((r) => this.renderPanelOf(r))
            : html`<p class="muted small">${msg('A draw brings its winners up over the screen until you dismiss them.')}</p>`
        }
        ${this.actions.feedback('winners')}
      </section>
    </div>`
  }
}

customElements.define('gb-screen-panel', ScreenPanel)

declare global {
  interface HTMLElementTagNameMap {
    'gb-screen-panel': ScreenPanel
  }
}
