import { css, html, LitElement, nothing, svg } from 'lit'
import { repeat } from 'lit/directives/repeat.js'
import type { Poll } from '../../../../protocol/index.ts'
import '../shared/tween-number.ts'
import { formatNumber, msg, str } from '../../lib/i18n.ts'
import { pollBarsStyles } from '../poll-bars/poll-bars.styles.ts'
import { CLOUD_H, CLOUD_W, WordLayout } from './word-layout.ts'

const PALETTE = ['#ffcc33', '#7ee0ff', '#ff8fb1', '#b6f36b', '#c9a7ff', '#ffa45c']
const colourOf = (text: string) => {
  let h = 0
  for (const ch of text) h = (h * 31 + ch.codePointAt(0)!) >>> 0
  return PALETTE[h % PALETTE.length]
}

/**
 * The big screen's view of a poll of another kind than choice, or of any poll whose results
 * are hidden: a rating's histogram and live average, a word cloud (stable layout, words glide
 * and grow), open answers as cards. Each kind's root carries `data-kind`.
 */
export class KindView extends LitElement {
  static properties = { poll: { attribute: false } }
  static styles = [
    pollBarsStyles,
    css`
      .body {
        flex: 1;
        min-height: 0;
        display: flex;
        flex-direction: column;
      }
      .hidden-note {
        flex: 1;
        display: grid;
        place-items: center;
        text-align: center;
        font-size: max(16px, calc(var(--u) * 2.2));
        font-weight: 700;
        color: var(--gb-muted);
      }
      .rating {
        flex: 1;
        min-height: 0;
        display: grid;
        grid-template-columns: auto 1fr;
        gap: calc(var(--u) * 2);
        align-items: stretch;
      }
      .avg {
        display: flex;
        flex-direction: column;
        justify-content: center;
        align-items: center;
        min-width: calc(var(--u) * 14);
      }
      .avg .big {
        font-size: max(40px, calc(var(--u) * 8));
        font-weight: 900;
        line-height: 1;
        color: var(--gb-accent);
        font-variant-numeric: tabular-nums;
      }
      .avg .of {
        font-size: max(14px, calc(var(--u) * 1.5));
        color: var(--gb-muted);
        font-weight: 700;
      }
      .hist {
        display: grid;
        grid-auto-flow: column;
        grid-auto-columns: minmax(0, 1fr);
        gap: calc(var(--u) * 0.6);
        min-height: 0;
      }
      .col {
        display: grid;
        grid-template-rows: 1fr auto;
        justify-items: center;
        min-height: 0;
      }
      .bin {
        position: relative;
        width: 100%;
        min-height: 0;
      }
      .bin-fill {
        position: absolute;
        left: 0;
        right: 0;
        bottom: 0;
        border-radius: calc(var(--u) * 0.5) calc(var(--u) * 0.5) 0 0;
        background: linear-gradient(180deg, var(--gb-accent), #ff8a3d);
        height: calc(var(--share) * (100% - 1.6em) + 2px);
        transition: height 0.6s ease-out;
      }
      .bin-n {
        position: absolute;
        left: 0;
        right: 0;
        bottom: calc(var(--share) * (100% - 1.6em) + 0.3em);
        text-align: center;
        font-size: max(11px, calc(var(--u) * 1.3));
        font-weight: 700;
        color: var(--gb-muted);
        transition: bottom 0.6s ease-out;
      }
      .bin-v {
        padding-top: 0.3em;
        font-size: max(13px, calc(var(--u) * 1.6));
        font-weight: 800;
      }
      svg.cloud {
        flex: 1;
        min-height: 0;
        width: 100%;
      }
      svg.cloud text {
        font-weight: 800;
        transition:
          font-size 0.6s ease-out,
          opacity 0.6s;
        animation: pop 0.6s ease-out;
      }
      @keyframes pop {
        from {
          opacity: 0;
        }
      }
      .cards {
        flex: 1;
        min-height: 0;
        overflow: hidden;
        columns: 3 calc(var(--u) * 22);
        column-gap: calc(var(--u) * 1.2);
      }
      .answer {
        break-inside: avoid;
        margin: 0 0 calc(var(--u) * 1.2);
        padding: calc(var(--u) * 1) calc(var(--u) * 1.2);
        border-radius: calc(var(--u) * 0.8);
        background: rgb(255 255 255 / 0.07);
        border-left: calc(var(--u) * 0.35) solid var(--gb-accent);
        font-size: max(14px, calc(var(--u) * 1.6));
        font-weight: 600;
        line-height: 1.3;
        overflow-wrap: anywhere;
        animation: pop 0.6s ease-out;
      }
      .answer small {
        display: block;
        margin-top: 0.3em;
        font-size: 0.7em;
        color: var(--gb-muted);
      }
      .empty {
        flex: 1;
        display: grid;
        place-items: center;
        color: var(--gb-muted);
        font-size: max(16px, calc(var(--u) * 2));
      }
    `,
  ]

  declare poll: Poll | null
  private layout = new WordLayout()
  private layoutFor = 0

  constructor() {
    super()
    this.poll = null
  }

  private resultsHidden(poll: Poll) {
    return !!poll.hideResults && !poll.revealed
  }

  render() {
    const poll = this.poll
    if (!poll) return nothing
    const final = !poll.open
    const n = poll.responses ?? poll.options.reduce((a, o) => a + o.votes, 0)
    const how = {
      choice: msg('Live · vote on your phone'),
      rating: msg('Live · rate on your phone'),
      words: msg('Live · send your words on your phone'),
      text: msg('Live · answer on your phone'),
    }[poll.kind]
    return html`
      <header>
        <span class="tag ${final ? 'final' : 'live'}">${final ? msg('Final result') : how}</span>
        <h2 style="--q-size:${poll.question.length > 70 ? 2.1 : 2.7}">${poll.question}</h2>
      </header>
      <div class="body" data-kind=${poll.kind} data-responses=${n}>
        ${
          this.resultsHidden(poll)
            ? html`<div class="hidden-note" data-hidden="true">${msg('Results are hidden until the host reveals them')}</div>`
            : this.results(poll)
        }
      </div>
      <footer><gb-tween-number .value=${n}></gb-tween-number> ${n === 1 ? msg('answer') : msg('answers')}${final ? msg(' · closed') : ''}</footer>
    `
  }

  private results(poll: Poll) {
    if (poll.kind === 'rating') return this.rating(poll)
    if (poll.kind === 'words') return this.cloud(poll)
    if (poll.kind === 'text') return this.cards(poll)
    return nothing
  }

  private rating(poll: Poll) {
    const top = Math.max(1, ...poll.options.map((o) => o.votes))
    const avg = poll.rating?.average
    return html`<div class="rating">
      <div class="avg" data-average=${avg ?? ''}>
        <span class="big">${avg === null || avg === undefined ? '–' : formatNumber(avg, { minimumFractionDigits: 1, maximumFractionDigits: 1 })}</span>
        <span class="of">${msg(str`average · ${poll.rating?.min}–${poll.rating?.max}`)}</span>
      </div>
      <div class="hist">
        ${poll.options.map(
          (
            o,
          ) => html`<div class="col" data-value=${o.id} data-votes=${o.votes} style="--share:${(o.votes / top).toFixed(4)}">
            <div class="bin"><div class="bin-fill"></div><span class="bin-n">${o.votes}</span></div>
            <span class="bin-v">${o.label}</span>
          </div>`,
        )}
      </div>
    </div>`
  }

  private cloud(poll: Poll) {
    if (this.layoutFor !== poll.id) {
      this.layout = new WordLayout()
      this.layoutFor = poll.id
    }
    const placed = this.layout.update(poll.words ?? [])
    if (!placed.length) return html`<div class="empty">${msg('Send a word from your phone')}</div>`
    return html`<svg class="cloud" viewBox="0 0 ${CLOUD_W} ${CLOUD_H}" preserveAspectRatio="xMidYMid meet" role="img"
      aria-label=${msg('word cloud')}>
      ${repeat(
        placed,
        (p) => p.text,
        (p) => svg`<text x=${p.x.toFixed(1)} y=${p.y.toFixed(1)} font-size=${p.size.toFixed(1)} fill=${colourOf(p.text)}
          text-anchor="middle" dominant-baseline="central" data-word=${p.text}>${p.text}</text>`,
      )}
    </svg>`
  }

  private cards(poll: Poll) {
    const answers = (poll.answers ?? []).slice(0, 12)
    if (!answers.length) return html`<div class="empty">${msg('Answers appear here as they come in')}</div>`
    return html`<div class="cards">
      ${repeat(
        answers,
        (a) => `${a.number}:${a.at}`,
        (a) => html`<div class="answer" data-number=${a.number}>${a.text}<small>#${a.number}</small></div>`,
      )}
    </div>`
  }
}

customElements.define('gb-kind-view', KindView)

declare global {
  interface HTMLElementTagNameMap {
    'gb-kind-view': KindView
  }
}
