import { css, html, LitElement, nothing } from 'lit'
import { repeat } from 'lit/directives/repeat.js'
import type { HostRaffle } from '../../../../protocol/host.ts'
import type { Raffle } from '../../../../protocol/index.ts'
import { msg, str } from '../../lib/i18n.ts'
import { adminStyles, panelStyles } from '../shared/admin.styles.ts'
import { clockTime, count as fmt } from '../shared/format.ts'
import { Actions, hostApi } from '../shared/host-api.ts'

/** What the draw's refusals mean for the host, in place of the server's terse text. */
const DRAW_MESSAGES = () => ({
  already_drawn: msg('This raffle has been drawn already: its winners stand and are on every screen.'),
  drum_roll: msg('The drum roll is still on: guests are tapping. Draw when it ends.'),
  already_committed: msg('The drum roll has started already.'),
  no_candidates: msg(
    'Nobody can win this raffle: no one who can win is checked in (everyone checked in may have won an earlier raffle that excluded previous winners).',
  ),
})

/** How long the drum roll started from this page lasts (guests tap meanwhile). */
const ROLL_MS = 10_000
/** How often the live eligible counts are read again. */
const ELIGIBLE_MS = 5000

/** "1 Grand prize, 3 Headphones" -> tiers; null when a part does not read as "COUNT NAME". */
export function parseTiers(text: string): { name: string; count: number }[] | null {
  const parts = text
    .split(/[,;\n]/)
    .map((p) => p.trim())
    .filter(Boolean)
  const tiers = parts.map((p) => p.match(/^(\d{1,4})\s*[x×]?\s+(.+)$/))
  if (!parts.length || tiers.some((m) => !m)) return null
  return tiers.map((m) => ({ count: Number(m![1]), name: m![2].trim() }))
}

/**
 * Raffles: create one (name, how many winners or prize tiers, whether earlier winners may
 * win again) with the live eligible count; start the drum roll (which freezes the list and
 * publishes its hash and the seed's commitment; guests tap) and draw when it ends, or draw
 * at once; read the winners by prize; mark a winner absent (the next pick replaces them);
 * check claim codes. docs/raffles.md.
 */
export class RafflePanel extends LitElement {
  static properties = {
    slug: { type: String },
    raffles: { attribute: false },
    name: { state: true },
    winners: { state: true },
    exclude: { state: true },
    tiers: { state: true },
    eligible: { state: true },
    absent: { state: true },
    codes: { state: true },
  }

  declare slug: string
  declare raffles: Raffle[]
  declare name: string
  declare winners: string
  declare exclude: boolean
  declare tiers: string
  /** raffleId -> how many can win it now (live before the commit, frozen after). */
  declare eligible: Map<number, number>
  /** raffleId -> the number typed in "mark absent". */
  declare absent: Map<number, string>
  /** raffleId -> the claim code typed. */
  declare codes: Map<number, string>
  private eligibleTimer: ReturnType<typeof setInterval> | undefined

  private actions = new Actions(this)
  /**
   * Winners wanted and rules, known only from the create answer: the snapshot carries
   * neither, so raffles created before this page loaded show without them.
   */
  private details = new Map<number, HostRaffle>()
  /** Draw answers, shown until the stream brings the same result (a tick later). */
  private drawn = new Map<number, Raffle>()

  constructor() {
    super()
    this.slug = ''
    this.raffles = []
    this.name = ''
    this.winners = '1'
    this.exclude = true
    this.tiers = ''
    this.eligible = new Map()
    this.absent = new Map()
    this.codes = new Map()
  }

  connectedCallback() {
    super.connectedCallback()
    this.eligibleTimer = setInterval(() => void this.refreshEligible(), ELIGIBLE_MS)
  }

  disconnectedCallback() {
    super.disconnectedCallback()
    clearInterval(this.eligibleTimer)
  }

  private eligibleFor = ''

  protected updated() {
    const open = (this.raffles ?? []).filter((r) => r.drawnAt === null).map((r) => `${r.id}:${r.state ?? ''}`)
    const key = open.join(',')
    if (key !== this.eligibleFor) {
      this.eligibleFor = key
      void this.refreshEligible()
    }
  }

  private async refreshEligible() {
    if (!this.slug) return
    const open = (this.raffles ?? []).filter((r) => r.drawnAt === null)
    if (!open.length) return
    const next = new Map(this.eligible)
    for (const r of open) {
      const res = await hostApi<{ eligible: number }>(this.slug, 'GET', `/raffles/${r.id}/eligible`)
      if (res.ok) next.set(r.id, res.body.eligible)
    }
    this.eligible = next
  }

  static styles = [
    adminStyles,
    panelStyles,
    css`
      @container (min-width: 52rem) {
        .layout {
          grid-template-columns: minmax(19rem, 22rem) 1fr;
        }
      }
      .list {
        display: grid;
        gap: 0.75rem;
      }
      .raffle {
        display: grid;
        gap: 0.75rem;
      }
      .raffle.drawn {
        border-color: rgba(255, 204, 51, 0.35);
      }
      .head {
        display: flex;
        align-items: flex-start;
        gap: 0.75rem;
      }
      .head h3 {
        flex: 1;
        font-size: 1.0625rem;
        min-width: 0;
      }
      .head p {
        font-size: 0.8125rem;
        color: var(--gb-muted);
        margin-top: 0.15rem;
      }
      .winners {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        margin: 0;
        padding: 0;
        list-style: none;
      }
      .winner {
        min-width: 4.5rem;
        padding: 0.45rem 0.9rem;
        border-radius: 0.6rem;
        background: linear-gradient(180deg, rgba(255, 204, 51, 0.22), rgba(255, 204, 51, 0.1));
        border: 1px solid rgba(255, 204, 51, 0.45);
        color: var(--gb-accent);
        font-size: 1.5rem;
        font-weight: 850;
        text-align: center;
        letter-spacing: -0.01em;
        animation: gb-reveal 0.4s ease-out backwards;
      }
      @keyframes gb-reveal {
        from {
          transform: translateY(0.4rem) scale(0.9);
          opacity: 0;
        }
      }
      .draw {
        justify-self: start;
      }
      .none {
        color: var(--gb-muted);
        font-size: 0.875rem;
      }
      .actions-row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
      .hash {
        font-size: 0.75rem;
      }
      form.inline {
        display: flex;
        flex-wrap: wrap;
        align-items: flex-end;
        gap: 0.5rem;
      }
      form.inline .field {
        flex: 1;
        min-width: 8rem;
      }
      .tiers {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.25rem 0.75rem;
        margin: 0;
      }
      .tiers dd {
        margin: 0;
      }
    `,
  ]

  private async create(e: Event) {
    e.preventDefault()
    const name = this.name.trim()
    const winners = Number(this.winners)
    const fields: Record<string, string> = {}
    if (!name) fields.name = 'give the raffle a name'
    if (!/^\d+$/.test(this.winners.trim()) || winners < 1 || winners > 1000)
      fields.winners = 'a whole number from 1 to 1000'
    if (Object.keys(fields).length) {
      this.actions.fail('create', msg('Fix the raffle before creating it.'), fields)
      return
    }
    const tiers = this.tiers.trim() ? parseTiers(this.tiers) : undefined
    if (tiers === null) {
      this.actions.fail('create', msg('Write the tiers as "1 Grand prize, 3 Headphones".'), {
        prizes: 'COUNT NAME, COUNT NAME...',
      })
      return
    }
    const body = tiers
      ? { name, prizes: tiers, rules: { excludePreviousWinners: this.exclude } }
      : { name, winners, rules: { excludePreviousWinners: this.exclude } }
    const r = await this.actions.run<HostRaffle>(
      'create',
      () => hostApi(this.slug, 'POST', '/raffles', body),
      (b) => `“${b.name}” is ready to draw`,
    )
    if (r.ok) {
      this.details.set(r.body.id, r.body)
      this.name = ''
      this.winners = '1'
      this.tiers = ''
    }
  }

  private submit(e: Event, then: () => Promise<void>) {
    e.preventDefault()
    void then()
  }

  private async commit(raffle: Raffle) {
    await this.actions.run(
      `draw-${raffle.id}`,
      () => hostApi(this.slug, 'POST', `/raffles/${raffle.id}/commit`, { rollMs: ROLL_MS }),
      msg(str`Drum roll on for ${ROLL_MS / 1000} s: the list is frozen and its hash is public; guests are tapping`),
    )
  }

  private async markAbsent(raffle: Raffle) {
    const number = Number((this.absent.get(raffle.id) ?? '').replace('#', '').trim())
    const key = `absent-${raffle.id}`
    if (!Number.isInteger(number) || number < 0) {
      this.actions.fail(key, msg('Type the winner’s wristband number.'))
      return
    }
    const r = await this.actions.run<{ replacement: { number: number; prize: string } | null }>(
      key,
      () => hostApi(this.slug, 'POST', `/raffles/${raffle.id}/winners/${number}/no-show`),
      (b) =>
        b.replacement
          ? `#${number} marked absent: #${b.replacement.number} wins the ${b.replacement.prize} instead`
          : `#${number} marked absent: nobody is left on the list to replace them`,
    )
    if (r.ok) this.absent = new Map(this.absent).set(raffle.id, '')
  }

  private async claim(raffle: Raffle) {
    const code = (this.codes.get(raffle.id) ?? '').trim()
    const key = `claim-${raffle.id}`
    if (!code) {
      this.actions.fail(key, msg('Type the code on the winner’s phone.'))
      return
    }
    const r = await this.actions.run<{ number: number; prize: string }>(
      key,
      () => hostApi(this.slug, 'POST', `/raffles/${raffle.id}/claims`, { code }),
      (b) => msg(str`Valid: #${b.number} collects the ${b.prize}. Marked claimed.`),
    )
    if (r.ok) this.codes = new Map(this.codes).set(raffle.id, '')
  }

  private async draw(raffle: Raffle) {
    const r = await this.actions.run<Raffle>(
      `draw-${raffle.id}`,
      () => hostApi(this.slug, 'POST', `/raffles/${raffle.id}/draw`),
      (r) => msg(str`Drawn: ${r.winners.length} won, going out to the big screen and the winners' phones`),
    )
    if (r.ok) this.drawn.set(r.body.id, r.body)
  }

  private renderForm() {
    const err = (k: string) => this.actions.fieldError('create', k)
    return html`<section class="card" aria-labelledby="new-raffle">
      <div class="card-head"><h2 id="new-raffle">${msg('New raffle')}</h2></div>
      <form @submit=${this.create} novalidate>
        <label class="field"
          >${msg('Prize')}
          <input
            type="text"
            name="name"
            maxlength="200"
            placeholder=${msg('Signed T-shirt')}
            .value=${this.name}
            aria-invalid=${err('name') ? 'true' : 'false'}
            @input=${(e: Event) => (this.name = (e.target as HTMLInputElement).value)}
          />
        </label>
        <label class="field"
          >${msg('Number of winners')}
          <input
            type="number"
            name="winners"
            min="1"
            max="1000"
            inputmode="numeric"
            .value=${this.winners}
            aria-invalid=${err('winners') ? 'true' : 'false'}
            @input=${(e: Event) => (this.winners = (e.target as HTMLInputElement).value)}
          />
        </label>
        <label class="field"
          >${msg('Tiers (optional)')}
          <input
            type="text"
            name="prizes"
            maxlength="500"
            placeholder=${msg('1 Grand prize, 3 Headphones, 100 Tote bag')}
            .value=${this.tiers}
            aria-invalid=${err('prizes') ? 'true' : 'false'}
            @input=${(e: Event) => (this.tiers = (e.target as HTMLInputElement).value)}
          />
        </label>
        <label class="check">
          <input
            type="checkbox"
            name="exclude"
            .checked=${this.exclude}
            @change=${(e: Event) => (this.exclude = (e.target as HTMLInputElement).checked)}
          />
          ${msg('Earlier winners cannot win again')}
        </label>
        <p class="small muted">${msg('Only checked-in wristbands that are not revoked take part.')}</p>
        <button type="submit" class="btn btn-primary" ?disabled=${this.actions.busy('create')}>${msg('Create raffle')}</button>
      </form>
      ${this.actions.feedback('create', {
        fields: {
          name: msg('Prize'),
          winners: msg('Number of winners'),
          prizes: msg('Tiers'),
          'rules.excludePreviousWinners': msg('Earlier winners'),
        },
      })}
    </section>`
  }

  private renderRaffle(r: Raffle) {
    const d = this.details.get(r.id)
    const key = `draw-${r.id}`
    const drawn = r.drawnAt !== null
    const wanted = d
      ? drawn && r.winners.length < d.winnersWanted
        ? msg(str`${r.winners.length} of ${d.winnersWanted} winners: everyone who could win`)
        : d.winnersWanted === 1
          ? msg('1 winner')
          : msg(str`${fmt(d.winnersWanted)} winners`)
      : ''
    const rules = d
      ? `${wanted} · ${d.rules.excludePreviousWinners ? msg('earlier winners excluded') : msg('anyone checked in')}`
      : ''
    return html`<article class="card raffle ${drawn ? 'drawn' : ''}" data-raffle=${r.id} data-drawn=${drawn ? 'true' : 'false'}>
      <div class="head">
        <div style="flex:1;min-width:0">
          <h3 class="wrap">${r.name}</h3>
          <p>${drawn ? msg(str`Drawn at ${clockTime(r.drawnAt!)}`) : msg('Not drawn yet')}${rules ? ` · ${rules}` : ''}</p>
        </div>
        ${
          drawn
            ? html`<span class="badge badge-accent">${msg('Drawn')}</span>`
            : r.state === 'committed'
              ? html`<span class="badge">${msg('Drum roll')}</span>`
              : html`<span class="badge">${msg('Ready')}</span>`
        }
      </div>
      ${
        drawn
          ? r.winners.length
            ? html`<ul class="winners" aria-label=${msg("Winners' wristband numbers")}>
              ${r.winners.map((n, i) => html`<li class="winner num" style="animation-delay:${i * 60}ms">#${n}</li>`)}
            </ul>`
            : html`<p class="none">${msg('No winners.')}</p>`
          : html`${this.renderCommitment(r)}
            <div class="actions-row">
              ${
                r.state === 'committed'
                  ? nothing
                  : html`<button class="btn btn-lg" ?disabled=${this.actions.busy(key)} @click=${() => this.commit(r)}>
                      🥁 ${msg('Start the drum roll')}
                    </button>`
              }
              <button class="btn btn-primary btn-lg draw" ?disabled=${this.actions.busy(key)} @click=${() => this.draw(r)}>
                🎲 ${d ? (d.winnersWanted === 1 ? msg('Draw 1 winner') : msg(str`Draw ${fmt(d.winnersWanted)} winners`)) : msg('Draw winners')}
              </button>
            </div>`
      }
      ${this.actions.feedback(key, { messages: DRAW_MESSAGES() })}
      ${drawn ? this.renderAfter(r) : nothing}
    </article>`
  }

  private renderCommitment(r: Raffle) {
    const n = this.eligible.get(r.id) ?? r.eligible
    const count =
      n === undefined || n === null ? '' : n === 1 ? msg('1 wristband can win') : msg(str`${fmt(n)} wristbands can win`)
    if (r.state !== 'committed')
      return count ? html`<p class="small muted" data-eligible=${n}>${msg(str`${count} right now.`)}</p>` : nothing
    return html`<p class="small muted" data-committed>
      ${msg(str`${count}, list frozen · drum roll until ${clockTime(r.closesAt ?? 0)}`)}<br />
      ${msg('List hash')} <code class="hash">${r.listHash?.slice(0, 16)}…</code> · ${msg('seed commitment')}
      <code class="hash">${r.commitment?.slice(0, 16)}…</code>
    </p>`
  }

  private renderAfter(r: Raffle) {
    const tiers = r.prizes && r.prizes.length > 1 ? r.prizes : []
    const absentKey = `absent-${r.id}`
    const claimKey = `claim-${r.id}`
    return html`${
      tiers.length
        ? html`<dl class="small tiers">
            ${tiers.map(
              (t) => html`<dt>${t.name}</dt>
                <dd>${t.winners.map((n) => `#${n}`).join(', ') || msg('nobody')}</dd>`,
            )}
          </dl>`
        : nothing
    }
      ${r.noShows?.length ? html`<p class="small muted">${msg('Absent (replaced):')} ${r.noShows.map((n) => `#${n}`).join(', ')}</p>` : nothing}
      <form class="inline" @submit=${(e: Event) => this.submit(e, () => this.markAbsent(r))}>
        <label class="field"
          >${msg('Winner not here')}
          <input
            type="text"
            inputmode="numeric"
            placeholder="#17"
            .value=${this.absent.get(r.id) ?? ''}
            @input=${(e: Event) => (this.absent = new Map(this.absent).set(r.id, (e.target as HTMLInputElement).value))}
          />
        </label>
        <button class="btn" type="submit" ?disabled=${this.actions.busy(absentKey)}>${msg('Mark absent, draw the next')}</button>
      </form>
      ${this.actions.feedback(absentKey)}
      <form class="inline" @submit=${(e: Event) => this.submit(e, () => this.claim(r))}>
        <label class="field"
          >${msg('Claim code')}
          <input
            type="text"
            autocapitalize="characters"
            placeholder=${msg('ABCD-EFGH')}
            .value=${this.codes.get(r.id) ?? ''}
            @input=${(e: Event) => (this.codes = new Map(this.codes).set(r.id, (e.target as HTMLInputElement).value))}
          />
        </label>
        <button class="btn" type="submit" ?disabled=${this.actions.busy(claimKey)}>${msg('Check and mark claimed')}</button>
      </form>
      ${this.actions.feedback(claimKey)}
      <p class="small"><a href="/e/${encodeURIComponent(this.slug)}/raffles/${r.id}/verify" target="_blank" rel="noopener">${msg('Public check of this draw')}</a></p>`
  }

  render() {
    const raffles = [...(this.raffles ?? [])].map((r) => (r.drawnAt === null && this.drawn.get(r.id)) || r).reverse()
    return html`<div class="layout">
      ${this.renderForm()}
      <div class="list">
        ${
          raffles.length
            ? repeat(
                raffles,
                (r) => r.id,
                (r) => this.renderRaffle(r),
              )
            : html`<p class="empty">${msg('No raffles yet. Create one, then draw it when the moment comes.')}</p>`
        }
      </div>
    </div>`
  }
}

customElements.define('gb-raffle-panel', RafflePanel)

declare global {
  interface HTMLElementTagNameMap {
    'gb-raffle-panel': RafflePanel
  }
}
