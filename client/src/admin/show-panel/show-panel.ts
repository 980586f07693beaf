import {
  html,
  LitElement,
  nothing,
  type PropertyValues,
  type ReactiveController,
  type ReactiveControllerHost,
} from 'lit'
import type { CueSheet, Show } from '../../../../protocol/index.ts'
import { ServerClock } from '../../lib/clock.ts'
import { CHANGE_GRID_MS, cueStateAt, showEndsAt } from '../../lib/cues.ts'
import { adminStyles, panelStyles } from '../shared/admin.styles.ts'
import { clockTime } from '../shared/format.ts'
import { Actions, hostApi } from '../shared/host-api.ts'
import { checkCueSheet, MAX_SHEET_BYTES, type SheetCheck } from './check-sheet.ts'
import './cue-preview.ts'
import { msg, str } from '../../lib/i18n.ts'
import { EFFECTS_EXAMPLE, EXAMPLE_CUE_SHEET } from './example-sheet.ts'
import { showPanelStyles } from './show-panel.styles.ts'

/** The server's clock, synced while the panel is on the page. */
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

const START_DELAYS = [
  { ms: 3000, label: 'in 3 s' },
  { ms: 5000, label: 'in 5 s' },
  { ms: 10_000, label: 'in 10 s' },
  { ms: 30_000, label: 'in 30 s' },
  { ms: 60_000, label: 'in 1 min' },
]

/** What the server's refusals mean for a host (the fields then name the cue). */
const UPLOAD_MESSAGES = () => ({
  flash_limit: msg('The server refused this sheet: it flashes more than 3 times a second (photosensitivity).'),
  invalid_input: msg('The server refused this sheet:'),
})

const seconds = (ms: number) =>
  ms >= 60_000 ? `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s` : `${Math.round(ms / 1000)} s`

/** Cue segments for a strip: each cue's colour over its share of `total` ms. */
function segments(sheet: CueSheet, total: number) {
  const cues = [...sheet.cues].sort((a, b) => a.at - b.at)
  const out: { color: string; pct: number }[] = []
  let t = 0
  for (let i = 0; i < cues.length; i++) {
    const c = cues[i]
    if (c.at > t) out.push({ color: 'transparent', pct: ((c.at - t) / total) * 100 })
    const next = cues[i + 1]?.at ?? total
    const end = Math.min(next, c.durationMs !== undefined ? c.at + c.durationMs : next)
    out.push({ color: c.color, pct: (Math.max(0, end - c.at) / total) * 100 })
    t = Math.max(t, end, c.at)
    if (next > end) {
      out.push({ color: 'transparent', pct: ((next - end) / total) * 100 })
      t = next
    }
  }
  return out
}

/**
 * The light show: start the built-in colour cycle in one click, or paste/upload a cue
 * sheet (checked with the server's schema before it is sent), start it a few seconds
 * ahead so every phone can fetch it, stop it, and watch a preview of the colour the
 * room shows now, computed with the same function the phones use.
 */
export class ShowPanel extends LitElement {
  static properties = {
    slug: { type: String },
    show: { attribute: false },
    text: { state: true },
    startIn: { state: true },
    running: { state: true },
    uploaded: { state: true },
    previewAt: { state: true },
  }

  declare slug: string
  declare show: Show | null
  declare text: string
  declare startIn: number
  /** The running show's cue sheet, fetched from its public URL. */
  declare running: { url: string; sheet: CueSheet | null; error?: string } | null
  /** The editor's text as last stored on the server, and its hash (start skips the upload). */
  declare uploaded: { text: string; hash: string; url: string } | null
  /** When the editor's preview started playing (this computer's clock), or null. */
  declare previewAt: number | null
  private previewTimer: ReturnType<typeof setInterval> | null = null

  private actions = new Actions(this)
  private clock = new ClockController(this).clock
  private check: SheetCheck | null = null
  private frame: ReturnType<typeof setInterval> | null = null
  private reducedMotion = matchMedia('(prefers-reduced-motion: reduce)').matches

  static styles = [adminStyles, panelStyles, showPanelStyles]

  constructor() {
    super()
    this.slug = ''
    this.show = null
    this.text = ''
    this.startIn = 5000
    this.running = null
    this.uploaded = null
    this.previewAt = null
  }

  connectedCallback() {
    super.connectedCallback()
    if (this.show && !this.frame) this.frame = setInterval(() => this.requestUpdate(), CHANGE_GRID_MS)
  }

  disconnectedCallback() {
    super.disconnectedCallback()
    this.stopFrames()
    this.stopPreview()
  }

  protected willUpdate(changed: PropertyValues<this>) {
    if (changed.has('text')) {
      this.check = this.text.trim() ? checkCueSheet(this.text) : null
      if (this.uploaded?.text !== this.text) this.uploaded = null
      if (!this.check?.ok) this.stopPreview()
      else if (this.previewAt !== null) this.previewAt = Date.now()
    }
    if (changed.has('show')) {
      const url = this.show?.cueSheet ?? null
      if (!url) {
        this.running = null
        this.stopFrames()
      } else if (this.running?.url !== url) {
        this.running = { url, sheet: null }
        void this.fetchSheet(url)
      }
      if (url && !this.frame) this.frame = setInterval(() => this.requestUpdate(), CHANGE_GRID_MS)
    }
  }

  private stopFrames() {
    if (this.frame) clearInterval(this.frame)
    this.frame = null
  }

  private async fetchSheet(url: string) {
    try {
      const res = await fetch(url)
      if (!res.ok) throw new Error(`the server answered ${res.status}`)
      const sheet = (await res.json()) as CueSheet
      if (this.running?.url === url) this.running = { url, sheet }
    } catch (err) {
      if (this.running?.url === url) this.running = { url, sheet: null, error: (err as Error).message }
    }
  }

  /** Plays the editor's sheet in the preview from cue 0, now; again from the top if it is playing. */
  private preview() {
    const c = this.check
    if (!c?.ok) return
    this.previewAt = Date.now()
    if (!this.previewTimer) {
      this.previewTimer = setInterval(() => {
        const end = this.check?.ok ? this.check.durationMs : null
        if (this.previewAt !== null && end !== null && Date.now() - this.previewAt > end + 1000) this.stopPreview()
        else this.requestUpdate()
      }, 250)
    }
  }

  private stopPreview() {
    if (this.previewTimer) clearInterval(this.previewTimer)
    this.previewTimer = null
    this.previewAt = null
  }

  /** Stores the editor's sheet on the server (content-hashed, so uploading twice is harmless). */
  private async uploadSheet(key: string, sheet: CueSheet, text?: string) {
    const up = await this.actions.run<{ hash: string; url: string }>(
      key,
      () => hostApi(this.slug, 'POST', '/cue-sheets', sheet),
      key === 'upload' ? (b) => msg(str`Uploaded “${sheet.name}” as ${b.url}: ready to start`) : undefined,
    )
    if (up.ok && text !== undefined) this.uploaded = { text, hash: up.body.hash, url: up.body.url }
    return up.ok ? up.body.hash : null
  }

  /** Uploads the sheet (unless this very text is stored already) and starts it `startInMs` from now. */
  private async start(key: string, sheet: CueSheet, startInMs: number, text?: string) {
    const hash =
      text !== undefined && this.uploaded?.text === text ? this.uploaded.hash : await this.uploadSheet(key, sheet, text)
    if (!hash) return
    await this.actions.run<Show>(
      key,
      () => hostApi(this.slug, 'PUT', '/show', { cueSheet: hash, startInMs }),
      (s) => `“${sheet.name}” starts at ${clockTime(s.startAt)} on every phone and the big screen`,
    )
  }

  private stop() {
    return this.actions.run(
      'stop',
      () => hostApi(this.slug, 'DELETE', '/show'),
      msg('Show stopped: phones go back to normal'),
    )
  }

  private async upload(e: Event) {
    const input = e.target as HTMLInputElement
    const file = input.files?.[0]
    input.value = ''
    if (!file) return
    if (file.size > MAX_SHEET_BYTES) {
      this.actions.fail('sheet', `“${file.name}” is too big for a cue sheet (over 2 MB).`)
      return
    }
    this.actions.clear('sheet')
    this.text = await file.text()
  }

  private renderNow() {
    const show = this.show
    const busyStop = this.actions.busy('stop')
    if (!show) {
      return html`<section class="card" aria-labelledby="now-title">
        <div class="card-head"><h2 id="now-title">${msg('Light show')}</h2><span class="spacer"></span><span class="badge">${msg('Off')}</span></div>
        <div class="now">
          <div class="swatch" aria-hidden="true"><span></span></div>
          <div>
            <h3>${msg('No show running')}</h3>
            <p class="facts">${msg('Phones show the normal guest page. Start a show and every phone in the room turns into one light, in sync.')}</p>
          </div>
        </div>
        <div class="example">
          <div class="strip" aria-hidden="true">${EXAMPLE_CUE_SHEET.cues.map((c) => html`<i style="background:${c.color}"></i>`)}</div>
          <div class="row">
            <button
              class="btn btn-primary btn-lg"
              ?disabled=${this.actions.busy('example')}
              @click=${() => this.start('example', EXAMPLE_CUE_SHEET, 3000)}
            >
              ▶ Start example show
            </button>
            <span class="small muted">${EXAMPLE_CUE_SHEET.name}: 12 colours, no flashing. Starts 3 s after you click.</span>
          </div>
          ${this.actions.feedback('example')}
        </div>
        ${this.actions.feedback('stop')}
      </section>`
    }
    const now = this.clock.now()
    const sheet = this.running?.sheet ?? null
    const state = sheet ? cueStateAt(sheet, show.startAt, now, { reducedMotion: this.reducedMotion }) : null
    const end = sheet ? showEndsAt(sheet, show.startAt) : Number.POSITIVE_INFINITY
    const before = now < show.startAt
    const over = now >= end
    const total = sheet
      ? Number.isFinite(end)
        ? end - show.startAt
        : Math.max(...sheet.cues.map((c) => c.at)) + 10_000
      : 1
    const progress = Math.max(0, Math.min(1, (now - show.startAt) / total))
    let phase: string
    if (before) phase = msg(str`Starts in ${Math.ceil((show.startAt - now) / 1000)} s`)
    else if (over) phase = msg('Finished: phones are dark until you stop it or start another')
    else if (!state) phase = msg('Between cues: dark')
    else phase = msg(str`Cue ${state.index + 1} of ${sheet!.cues.length} · ${state.color} · ${state.effect}`)
    const color = state && !over ? state.color : 'transparent'
    return html`<section class="card" aria-labelledby="now-title">
      <div class="card-head">
        <h2 id="now-title">${msg('Light show')}</h2>
        <span class="spacer"></span>
        ${
          before
            ? html`<span class="badge badge-warn">${msg('Starting')}</span>`
            : over
              ? html`<span class="badge">${msg('Finished')}</span>`
              : html`<span class="badge badge-live"><span class="dot dot-pulse"></span>${msg('Running')}</span>`
        }
      </div>
      <div class="now" data-show-start=${show.startAt}>
        <div class="swatch ${state ? 'on' : ''}" style="--glow:${color}" role="img" aria-label=${color === 'transparent' ? msg('Preview: dark') : msg(str`Preview: ${color}`)}>
          <span data-preview=${color} style="background:${color};opacity:${state ? state.intensity : 0}"></span>
        </div>
        <div>
          <h3 class="wrap">${sheet?.name ?? (this.running?.error ? msg('Cue sheet unavailable') : msg('Loading cue sheet…'))}</h3>
          <div class="facts">
            <span>${msg('Start:')} <b class="num">${clockTime(show.startAt)}</b>${sheet && Number.isFinite(end) ? html` · ends <b class="num">${clockTime(end)}</b>` : nothing}</span>
            <span class="num" role="status">${phase}</span>
          </div>
          <button class="btn btn-danger" ?disabled=${busyStop} @click=${this.stop}>${msg('■ Stop show')}</button>
        </div>
        ${
          sheet
            ? html`<div class="timeline" aria-hidden="true">
              ${segments(sheet, total).map((s) => html`<i style="width:${s.pct}%;background:${s.color}"></i>`)}
              <span class="playhead" style="left:${progress * 100}%"></span>
            </div>`
            : nothing
        }
      </div>
      ${this.actions.feedback('stop')} ${this.actions.feedback('example')}
    </section>`
  }

  private renderPreview(sheet: CueSheet, durationMs: number | null) {
    const at = this.previewAt
    const elapsed = at === null ? 0 : Date.now() - at
    const state = at === null ? null : cueStateAt(sheet, at, Date.now(), { reducedMotion: this.reducedMotion })
    const total = durationMs ?? Math.max(...sheet.cues.map((c) => c.at)) + 10_000
    let line = msg('Plays the sheet here, as a phone shows it, from its first cue.')
    if (at !== null) {
      const where = state ? `cue ${state.index + 1} of ${sheet.cues.length}` : 'dark'
      line =
        durationMs === null
          ? msg(str`Preview: ${seconds(Math.min(elapsed, total))} · ${where}`)
          : msg(str`Preview: ${seconds(Math.min(elapsed, total))} of ${seconds(durationMs)} · ${where}`)
    }
    return html`<div class="preview">
      <gb-cue-preview .sheet=${sheet} .startAt=${at}></gb-cue-preview>
      <div class="preview-side">
        <div class="row">
          <button class="btn btn-outline btn-sm" @click=${this.preview}>${at === null ? '▶ Preview' : '↺ Replay preview'}</button>
          ${at !== null ? html`<button class="btn btn-ghost btn-sm" @click=${this.stopPreview}>${msg('■ Stop preview')}</button>` : nothing}
        </div>
        <p class="small muted num" role="status" data-preview-status>${line}</p>
        <div class="timeline" aria-hidden="true">
          ${segments(sheet, total).map((s) => html`<i style="width:${s.pct}%;background:${s.color}"></i>`)}
          ${at !== null ? html`<span class="playhead" style="left:${Math.min(1, elapsed / total) * 100}%"></span>` : nothing}
        </div>
      </div>
    </div>`
  }

  private renderEditor() {
    const c = this.check
    const busy = this.actions.busy('start')
    return html`<section class="card" aria-labelledby="sheet-title">
      <div class="card-head"><h2 id="sheet-title">${msg('Your cue sheet')}</h2></div>
      <div class="tools">
        <span class="btn btn-outline btn-sm file"
          >${msg('Choose .json file…')}<input type="file" accept=".json,application/json" aria-label=${msg('Upload a cue sheet file')} @change=${this.upload}
        /></span>
        <button class="btn btn-ghost btn-sm" @click=${() => (this.text = JSON.stringify(EXAMPLE_CUE_SHEET, null, 2))}>
          ${msg('Paste the example to edit')}
        </button>
        <button class="btn btn-ghost btn-sm" @click=${() => (this.text = JSON.stringify(EFFECTS_EXAMPLE, null, 2))}>
          ${msg('Paste the effects example')}
        </button>
      </div>
      <label class="sr-only" for="sheet">${msg('Cue sheet JSON')}</label>
      <textarea
        id="sheet"
        spellcheck="false"
        placeholder=${'{\n  "name": "Encore",\n  "cues": [\n    { "at": 0, "color": "#ff3b30" },\n    { "at": 4000, "color": "#0a84ff", "effect": "pulse" }\n  ]\n}'}
        .value=${this.text}
        aria-invalid=${c && !c.ok ? 'true' : 'false'}
        @input=${(e: Event) => (this.text = (e.target as HTMLTextAreaElement).value)}
      ></textarea>
      ${this.actions.feedback('sheet')}
      ${
        c
          ? c.ok
            ? html`<p class="fb fb-info" role="status">
              <span class="check-ok" aria-hidden="true">✓</span>
              <span
                >“${c.sheet.name}”: ${c.cues} cues,
                ${c.durationMs === null ? 'the last colour holds until you stop it' : `lasts ${seconds(c.durationMs)}`}${
                  c.flashes ? ' · flashes are capped at 3 per second on every phone' : ''
                }</span
              >
            </p>`
            : html`<div class="fb fb-error" role="alert" data-feedback="sheet-check">
              <span aria-hidden="true">⚠</span>
              <div>
                ${msg('Not a valid cue sheet:')}
                <ul>
                  ${c.errors.map((e) => html`<li>${e}</li>`)}
                </ul>
              </div>
            </div>`
          : nothing
      }
      ${c?.ok ? this.renderPreview(c.sheet, c.durationMs) : nothing}
      <div class="start">
        <button
          class="btn btn-outline"
          ?disabled=${this.actions.busy('upload') || !c?.ok || this.uploaded?.text === this.text}
          @click=${() => c?.ok && this.uploadSheet('upload', c.sheet, this.text)}
        >
          ⤒ Upload
        </button>
        <label class="field"
          >${msg('Start')}
          <select
            aria-label=${msg('Start in')}
            .value=${String(this.startIn)}
            @change=${(e: Event) => (this.startIn = Number((e.target as HTMLSelectElement).value))}
          >
            ${START_DELAYS.map((d) => html`<option value=${d.ms} ?selected=${d.ms === this.startIn}>${d.label}</option>`)}
          </select>
        </label>
        <button
          class="btn btn-primary"
          ?disabled=${busy || !c?.ok}
          @click=${() => c?.ok && this.start('start', c.sheet, this.startIn, this.text)}
        >
          ▶ ${this.uploaded?.text === this.text ? msg('Start') : msg('Upload & start')}
        </button>
        ${this.show ? html`<span class="small muted">${msg('Replaces the running show.')}</span>` : nothing}
      </div>
      ${this.actions.feedback('upload', { messages: UPLOAD_MESSAGES() })}
      ${this.actions.feedback('start', { messages: UPLOAD_MESSAGES() })}
      <p class="small muted" style="margin-top:0.75rem">
        ${msg('Times are ms after the start; phones fetch the sheet when the show is announced, so start it a few seconds ahead.')}
      </p>
    </section>`
  }

  render() {
    return html`<div class="layout">${this.renderNow()} ${this.renderEditor()}</div>`
  }
}

customElements.define('gb-show-panel', ShowPanel)

declare global {
  interface HTMLElementTagNameMap {
    'gb-show-panel': ShowPanel
  }
}
