import { css, html, LitElement, nothing } from 'lit'
import {
  contrast,
  IMAGE_LIMITS,
  type ImageSlot,
  type ImageStored,
  type Look,
  PAGE_TEXT,
  readableBackground,
  textOn,
} from '../../../../protocol/look.ts'
import { msg, str } from '../../lib/i18n.ts'
import { adminStyles, panelStyles } from '../shared/admin.styles.ts'
import { Actions, hostApi } from '../shared/host-api.ts'

const DEFAULT_ACCENT = '#ffcc33'
const DEFAULT_BACKGROUND = '#0b0b14'
const ACCEPT = 'image/png,image/jpeg,image/webp'

/** A file as base64 (without the data: prefix the server would strip anyway). */
const readBase64 = (file: File) =>
  new Promise<string>((ok, fail) => {
    const reader = new FileReader()
    reader.onload = () => ok(String(reader.result).replace(/^data:[^,]*,/, ''))
    reader.onerror = () => fail(reader.error)
    reader.readAsDataURL(file)
  })

/**
 * The event's look on the big screen and the phones: a title, the accent and background
 * colours, a logo and a background image. Images go to the server as they are picked; it
 * checks their bytes and size and answers what is wrong. The preview shows the colours as
 * the pages will (the background darkened for the light text, the text on the accent
 * picked by its luminance) with the contrast ratios.
 *
 * @fires gb-look-changed - CustomEvent<Look>: the look was saved.
 */
export class LookPanel extends LitElement {
  static properties = {
    slug: { type: String },
    look: { state: true },
    title: { state: true },
    accent: { state: true },
    background: { state: true },
  }

  declare slug: string
  /** The look as saved; null until loaded. */
  declare look: Look | null
  declare title: string
  declare accent: string
  declare background: string

  private actions = new Actions(this, 6000)

  constructor() {
    super()
    this.slug = ''
    this.look = null
    this.title = ''
    this.accent = DEFAULT_ACCENT
    this.background = DEFAULT_BACKGROUND
  }

  connectedCallback() {
    super.connectedCallback()
    void this.load()
  }

  private async load() {
    const r = await this.actions.run<Look>('load', () => hostApi(this.slug, 'GET', '/look'))
    if (r.ok) this.show(r.body)
  }

  private show(look: Look) {
    this.look = look
    this.title = look.title ?? ''
    this.accent = look.accent ?? DEFAULT_ACCENT
    this.background = look.background ?? DEFAULT_BACKGROUND
  }

  private changed(look: Look) {
    this.show(look)
    this.dispatchEvent(new CustomEvent<Look>('gb-look-changed', { bubbles: true, composed: true, detail: look }))
  }

  private async save(e: Event) {
    e.preventDefault()
    const r = await this.actions.run<Look>(
      'save',
      () =>
        hostApi(this.slug, 'PATCH', '/look', {
          title: this.title,
          accent: this.accent === DEFAULT_ACCENT && !this.look?.accent ? null : this.accent,
          background: this.background === DEFAULT_BACKGROUND && !this.look?.background ? null : this.background,
        }),
      msg('Saved: screens and phones show it when they next load'),
    )
    if (r.ok) this.changed(r.body)
  }

  private async reset() {
    const r = await this.actions.run<Look>(
      'save',
      () => hostApi(this.slug, 'PATCH', '/look', { title: '', accent: null, background: null }),
      msg('Colours and title back to Glowband’s own'),
    )
    if (r.ok) this.changed(r.body)
  }

  private async upload(slot: ImageSlot, input: HTMLInputElement) {
    const file = input.files?.[0]
    input.value = ''
    if (!file) return
    const limit = IMAGE_LIMITS[slot]
    // Said at once for the obvious cases; the server checks the bytes either way.
    if (file.size > limit) {
      this.actions.fail(
        slot,
        msg(str`${file.name} is ${Math.round(file.size / 1024)} KB; the most is ${limit / 1024} KB.`),
        {
          image: msg('too large'),
        },
      )
      return
    }
    const image = await readBase64(file)
    const r = await this.actions.run<ImageStored>(
      slot,
      () => hostApi(this.slug, 'PUT', `/look/images/${slot}`, { image }),
      (b) => msg(str`Uploaded ${file.name} (${b.width ?? '?'}×${b.height ?? '?'}, ${Math.round(b.bytes / 1024)} KB)`),
    )
    if (r.ok && this.look) {
      this.changed({ ...this.look, [slot === 'logo' ? 'logo' : 'backgroundImage']: r.body.url })
    }
  }

  private async removeImage(slot: ImageSlot) {
    const key = slot === 'logo' ? 'logo' : 'backgroundImage'
    const r = await this.actions.run<Look>(
      slot,
      () => hostApi(this.slug, 'PATCH', '/look', { [key]: null }),
      msg('Removed'),
    )
    if (r.ok) this.changed(r.body)
  }

  static styles = [
    adminStyles,
    panelStyles,
    css`
      @container (min-width: 46rem) {
        .layout {
          grid-template-columns: 1fr 1fr;
        }
      }
      .colours {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: 0.75rem;
      }
      .colour {
        display: flex;
        align-items: center;
        gap: 0.5rem;
      }
      input[type='color'] {
        width: 2.75rem;
        height: 2.5rem;
        padding: 0.15rem;
        border: 1px solid rgba(255, 255, 255, 0.2);
        border-radius: 0.5rem;
        background: var(--gb-surface-2);
        cursor: pointer;
      }
      .hex {
        font-family: ui-monospace, 'SF Mono', Menlo, Consolas, monospace;
        font-size: 0.85rem;
      }
      .preview {
        position: relative;
        border-radius: 0.75rem;
        overflow: hidden;
        aspect-ratio: 16 / 9;
        display: grid;
        align-content: space-between;
        padding: 0.9rem 1rem;
        color: #f4f4fa;
        border: 1px solid rgba(255, 255, 255, 0.1);
      }
      .preview .top {
        display: flex;
        align-items: center;
        gap: 0.6rem;
        min-width: 0;
      }
      .preview img {
        height: 2.25rem;
        max-width: 9rem;
        object-fit: contain;
      }
      .preview b {
        font-size: 1.2rem;
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
      }
      .preview .pill {
        justify-self: start;
        padding: 0.4rem 0.9rem;
        border-radius: 999px;
        font-weight: 750;
      }
      .preview .count {
        font-size: 2rem;
        font-weight: 850;
      }
      .ratios {
        display: flex;
        flex-wrap: wrap;
        gap: 0.35rem 1rem;
        margin-top: 0.6rem;
      }
      .images {
        display: grid;
        gap: 0.9rem;
      }
      .image {
        display: grid;
        grid-template-columns: 5.5rem 1fr;
        gap: 0.75rem;
        align-items: center;
      }
      .thumb {
        width: 5.5rem;
        height: 3.5rem;
        border-radius: 0.5rem;
        background: var(--gb-surface-2) center / contain no-repeat;
        border: 1px dashed rgba(255, 255, 255, 0.18);
      }
      .image .row {
        gap: 0.5rem;
      }
      input[type='file'] {
        position: absolute;
        width: 1px;
        height: 1px;
        opacity: 0;
      }
      .warn {
        color: var(--gb-warn);
      }
    `,
  ]

  private renderPreview() {
    const bg = readableBackground(this.background)
    const image = this.look?.backgroundImage
    const veil = `${bg}cc`
    const accentOnBg = contrast(this.accent, bg)
    const textOnBg = contrast(PAGE_TEXT, bg)
    return html`<div
        class="preview"
        data-preview
        style="background: ${image ? `linear-gradient(${veil}, ${veil}), url('${image}') center / cover, ` : ''}${bg}"
      >
        <div class="top">
          ${this.look?.logo ? html`<img src=${this.look.logo} alt=${msg('Logo')} />` : nothing}
          <b>${this.title || msg('Your event')}</b>
        </div>
        <span class="count" style="color:${this.accent}">128</span>
        <span class="pill" style="background:${this.accent};color:${textOn(this.accent)}">${msg('Join in')}</span>
      </div>
      <div class="ratios small">
        <span>${msg('Text on background')} <b class="num">${textOnBg.toFixed(1)}:1</b></span>
        <span class=${accentOnBg < 3 ? 'warn' : ''} data-accent-contrast=${accentOnBg.toFixed(2)}
          >${msg('Accent on background')} <b class="num">${accentOnBg.toFixed(1)}:1</b>${accentOnBg < 3 ? msg(' · hard to read: pick a brighter accent') : ''}</span
        >
      </div>
      ${
        bg !== this.background.toLowerCase()
          ? html`<p class="small muted">${msg(str`The background is darkened to ${bg} so white text stays readable.`)}</p>`
          : nothing
      }`
  }

  private renderImage(slot: ImageSlot, label: string, url: string | null | undefined) {
    const limit = IMAGE_LIMITS[slot] / 1024
    const busy = this.actions.busy(slot)
    return html`<div class="image" data-image=${slot}>
        <span class="thumb" style=${url ? `background-image:url('${url}')` : ''} aria-hidden="true"></span>
        <div>
          <b>${label}</b>
          <p class="small muted">${msg(str`PNG, JPEG or WebP, up to ${limit >= 1024 ? `${limit / 1024} MB` : `${limit} KB`}`)}</p>
          <div class="row">
            <label class="btn btn-outline btn-sm" ?aria-disabled=${busy}>
              ${url ? msg('Replace…') : msg('Upload…')}
              <input
                type="file"
                name=${slot}
                accept=${ACCEPT}
                ?disabled=${busy}
                @change=${(e: Event) => this.upload(slot, e.target as HTMLInputElement)}
              />
            </label>
            ${
              url
                ? html`<button class="btn btn-ghost btn-sm" ?disabled=${busy} @click=${() => this.removeImage(slot)}>
                  ${msg('Remove')}
                </button>`
                : nothing
            }
          </div>
        </div>
      </div>
      ${this.actions.feedback(slot, { fields: { image: label } })}`
  }

  render() {
    if (!this.look) {
      return html`<section class="card"><p class="muted">${msg('Loading…')}</p>${this.actions.feedback('load')}</section>`
    }
    return html`<div class="layout">
      <section class="card" aria-labelledby="look-title">
        <div class="card-head"><h2 id="look-title">${msg('The event’s look')}</h2></div>
        <form @submit=${this.save} novalidate>
          <div>
            <label class="field" for="look-name">${msg('Title on the screen and phones')}</label>
            <input
              id="look-name"
              type="text"
              maxlength="80"
              placeholder=${msg('The event’s name')}
              .value=${this.title}
              @input=${(e: Event) => (this.title = (e.target as HTMLInputElement).value)}
            />
          </div>
          <div class="colours">
            <div>
              <label class="field" for="look-accent">${msg('Accent')}</label>
              <span class="colour">
                <input
                  id="look-accent"
                  type="color"
                  .value=${this.accent}
                  @input=${(e: Event) => (this.accent = (e.target as HTMLInputElement).value)}
                />
                <span class="hex">${this.accent}</span>
              </span>
            </div>
            <div>
              <label class="field" for="look-background">${msg('Background')}</label>
              <span class="colour">
                <input
                  id="look-background"
                  type="color"
                  .value=${this.background}
                  @input=${(e: Event) => (this.background = (e.target as HTMLInputElement).value)}
                />
                <span class="hex">${this.background}</span>
              </span>
            </div>
          </div>
          ${this.renderPreview()}
          <div class="row">
            <button type="submit" class="btn btn-primary" ?disabled=${this.actions.busy('save')}>${msg('Save look')}</button>
            <button type="button" class="btn btn-ghost" @click=${this.reset}>${msg('Reset')}</button>
          </div>
          ${this.actions.feedback('save')}
        </form>
      </section>
      <section class="card" aria-labelledby="images-title">
        <div class="card-head"><h2 id="images-title">${msg('Images')}</h2></div>
        <div class="images">
          ${this.renderImage('logo', msg('Logo'), this.look.logo)}
          ${this.renderImage('background', msg('Background image'), this.look.backgroundImage)}
        </div>
        <p class="small muted" style="margin-top:0.9rem">
          ${msg('The background image is shown behind a veil of the background colour, so the text stays readable.')}
        </p>
      </section>
    </div>`
  }
}

customElements.define('gb-look-panel', LookPanel)

declare global {
  interface HTMLElementTagNameMap {
    'gb-look-panel': LookPanel
  }
}
