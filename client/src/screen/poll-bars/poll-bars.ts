import { html, LitElement } from 'lit'
import { repeat } from 'lit/directives/repeat.js'
import type { Poll } from '../../../../protocol/index.ts'
import '../shared/tween-number.ts'
import { msg } from '../../lib/i18n.ts'
import { pollBarsStyles } from './poll-bars.styles.ts'

/**
 * A poll as bars that glide to their new values, with counts and percentages; the
 * leading option is highlighted. A closed poll is labelled as the final result.
 * Each option row carries `data-option` and `data-votes` (the current count).
 */
export class PollBars extends LitElement {
  static styles = pollBarsStyles
  static properties = { poll: { attribute: false } }

  declare poll: Poll | null

  constructor() {
    super()
    this.poll = null
  }

  render() {
    const poll = this.poll
    if (!poll) return html``
    const total = poll.options.reduce((n, o) => n + o.votes, 0)
    const top = Math.max(0, ...poll.options.map((o) => o.votes))
    const final = !poll.open
    const rows = Math.max(3, poll.options.length)
    // Long labels wrap onto two lines rather than being cut (counted in characters, CJK too).
    const long = Math.max(0, ...poll.options.map((o) => [...o.label].length)) > 22
    const layout = `${poll.options.length >= 4 ? 'compact' : ''} ${long ? 'long' : ''} ${poll.options.length > 8 ? 'dense' : ''}`
    return html`
      <header>
        <span class="tag ${final ? 'final' : 'live'}">${final ? msg('Final result') : msg('Live poll · vote on your phone')}</span>
        <h2 style="--q-size:${poll.question.length > 70 ? 2.1 : 2.7}">${poll.question}</h2>
      </header>
      <div class="rows"><ol class=${layout} style="--n:${poll.options.length}; --rows:${rows}">
        ${repeat(
          poll.options,
          (o) => o.id,
          (o) => {
            const share = total ? o.votes / total : 0
            const lead = top > 0 && o.votes === top
            return html`<li class=${lead ? 'lead' : ''} data-option=${o.id} data-votes=${o.votes}>
              <div class="label">${o.label}${lead && final ? html`<span class="crown" aria-label=${msg('winner')}>🏆</span>` : ''}</div>
              <div class="pct">
                <gb-tween-number .value=${Math.round(share * 100)} suffix="%"></gb-tween-number>
                <small><gb-tween-number .value=${o.votes}></gb-tween-number> ${o.votes === 1 ? msg('vote') : msg('votes')}</small>
              </div>
              <div class="track"><div class="fill" style="--share:${share.toFixed(4)}"></div></div>
            </li>`
          },
        )}
      </ol></div>
      <footer><gb-tween-number .value=${total}></gb-tween-number> ${total === 1 ? msg('vote') : msg('votes')}${final ? msg(' · poll closed') : ''}</footer>
    `
  }
}

customElements.define('gb-poll-bars', PollBars)

declare global {
  interface HTMLElementTagNameMap {
    'gb-poll-bars': PollBars
  }
}
