import { css, html, LitElement, nothing } from 'lit'
import type { QuizView as Quiz } from '../../../../protocol/index.ts'
import { leaderRanks } from '../../../../protocol/quiz-api.ts'
import { msg, str } from '../../lib/i18n.ts'

/** How long the screen shows the reveal (right answer and counts) before the leaderboard. */
export const REVEAL_MS = 5000
const LETTERS = 'ABCDEF'
const COLORS = ['#ef4444', '#3b82f6', '#eab308', '#22c55e', '#a855f7', '#f97316']

/**
 * The quiz on the big screen: the question with its options and a countdown to `endsAt` on
 * the screen's corrected clock; after the deadline the right answer and how many chose each
 * option, then (REVEAL_MS later, once the scores are in) the top 10. Every screen runs the
 * same clock, so they all switch together. Carries `data-stage` (question, reveal, leaderboard).
 */
export class QuizViewElement extends LitElement {
  static properties = { quiz: { attribute: false }, clock: { attribute: false } }

  static styles = css`
    :host {
      display: flex;
      flex-direction: column;
      min-height: 0;
      --u: var(--gb-u, 1vw);
    }
    header {
      display: flex;
      justify-content: space-between;
      align-items: flex-start;
      gap: calc(var(--u) * 1);
      margin-bottom: calc(var(--u) * 1.2);
    }
    .tag {
      display: inline-block;
      padding: 0.25em 0.8em;
      border-radius: 999px;
      font-size: max(11px, calc(var(--u) * 0.95));
      font-weight: 800;
      letter-spacing: 0.12em;
      text-transform: uppercase;
      background: rgb(255 204 51 / 0.12);
      color: var(--gb-accent);
    }
    h2 {
      margin: calc(var(--u) * 0.5) 0 0;
      font-size: max(18px, calc(var(--u) * 2.5));
      line-height: 1.15;
      font-weight: 800;
      overflow-wrap: anywhere;
    }
    .left {
      flex: none;
      display: grid;
      place-items: center;
      width: calc(var(--u) * 7);
      height: calc(var(--u) * 7);
      border-radius: 50%;
      border: calc(var(--u) * 0.5) solid var(--gb-accent);
      font-size: calc(var(--u) * 3);
      font-weight: 800;
      font-variant-numeric: tabular-nums;
    }
    ol {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      grid-template-columns: 1fr 1fr;
      gap: calc(var(--u) * 1);
      flex: 1;
      min-height: 0;
    }
    li {
      position: relative;
      display: flex;
      align-items: center;
      gap: calc(var(--u) * 1);
      padding: calc(var(--u) * 1) calc(var(--u) * 1.4);
      border-radius: calc(var(--u) * 1);
      background: var(--c);
      color: #fff;
      font-size: max(14px, calc(var(--u) * 1.7));
      font-weight: 800;
      overflow: hidden;
    }
    li.dim {
      opacity: 0.35;
    }
    li .fill {
      position: absolute;
      inset: 0 auto 0 0;
      background: rgb(255 255 255 / 0.18);
    }
    .letter,
    .label,
    .count {
      position: relative;
    }
    .letter {
      display: grid;
      place-items: center;
      width: 1.6em;
      height: 1.6em;
      border-radius: 0.3em;
      background: rgb(0 0 0 / 0.25);
    }
    .label {
      flex: 1;
    }
    .foot {
      margin-top: calc(var(--u) * 1);
      color: var(--gb-muted);
      font-size: max(12px, calc(var(--u) * 1.2));
      font-weight: 700;
    }
    .board li {
      background: rgb(255 255 255 / 0.06);
      font-size: max(13px, calc(var(--u) * 1.5));
      padding: calc(var(--u) * 0.6) calc(var(--u) * 1.2);
    }
    .board {
      grid-template-columns: 1fr 1fr;
      grid-auto-flow: column;
      grid-template-rows: repeat(5, 1fr);
    }
    .board .rank {
      width: 2em;
      color: var(--gb-accent);
    }
    .board .who {
      flex: 1;
    }
    .board .who small {
      color: var(--gb-muted);
      margin-left: 0.5em;
    }
  `

  declare quiz: Quiz | null
  declare clock: { now(): number }
  private timer: ReturnType<typeof setInterval> | null = null

  constructor() {
    super()
    this.quiz = null
    this.clock = { now: () => Date.now() }
  }

  connectedCallback() {
    super.connectedCallback()
    this.timer = setInterval(() => this.requestUpdate(), 250)
  }

  disconnectedCallback() {
    super.disconnectedCallback()
    if (this.timer) clearInterval(this.timer)
  }

  render() {
    const q = this.quiz
    if (!q) return nothing
    const now = this.clock.now()
    const stage =
      !q.reveal && now < q.endsAt ? 'question' : q.leaderboard && now >= q.endsAt + REVEAL_MS ? 'leaderboard' : 'reveal'
    this.dataset.stage = stage
    const head = html`<span class="tag">${q.title} · ${msg(str`question ${q.index + 1} of ${q.total}`)}</span>`
    if (stage === 'leaderboard') {
      const rows = q.leaderboard ?? []
      const ranks = leaderRanks(rows)
      return html`<header><div>${head}<h2>${msg('Leaderboard')}</h2></div></header>
        <ol class="board">
          ${rows.map(
            (r, i) =>
              html`<li data-number=${r.number}>
                <span class="rank">${ranks[i]}</span>
                <span class="who">${r.nickname ?? `#${r.number}`}${r.nickname ? html`<small>#${r.number}</small>` : nothing}</span>
                <span class="count">${r.score}</span>
              </li>`,
          )}
        </ol>`
    }
    const counts = q.reveal?.counts ?? []
    const total = counts.reduce((a, b) => a + b, 0)
    const right = new Set(q.reveal?.correct ?? [])
    return html`<header>
        <div>${head}<h2>${q.question}</h2></div>
        ${stage === 'question' ? html`<div class="left" data-testid="quiz-left">${Math.ceil((q.endsAt - now) / 1000)}</div>` : nothing}
      </header>
      <ol>
        ${q.options.map(
          (o, i) =>
            html`<li class=${q.reveal && !right.has(o.id) ? 'dim' : ''} style="--c:${COLORS[i]}" data-option=${o.id}>
              ${q.reveal ? html`<span class="fill" style="width:${total ? (counts[i] / total) * 100 : 0}%"></span>` : nothing}
              <span class="letter">${LETTERS[i]}</span>
              <span class="label">${o.label}</span>
              ${q.reveal ? html`<span class="count">${right.has(o.id) ? '✓ ' : ''}${counts[i]}</span>` : nothing}
            </li>`,
        )}
      </ol>
      <p class="foot">${q.answered === 1 ? msg('1 answer') : msg(str`${q.answered} answers`)}${stage === 'question' ? msg(' · answer on your phone') : ''}</p>`
  }
}

customElements.define('gb-quiz-view', QuizViewElement)

declare global {
  interface HTMLElementTagNameMap {
    'gb-quiz-view': QuizViewElement
  }
}
