/**
 * Applies an event's look (protocol/look.ts) to a page: the accent and background as the
 * design tokens every component reads (CSS custom properties set on <html> inherit into
 * every shadow root), the text on the accent chosen by its luminance, the background
 * darkened until the light text stays readable, and the background image behind a veil
 * of that colour. `--gb-logo` and `--gb-backdrop` are for the pages' own styles.
 */

import type { Look } from '../../../protocol/look.ts'
import { readableBackground, textOn } from '../../../protocol/look-colours.ts'

/** `#rrggbb` at an opacity, as rgb() (no color-mix: older phones lack it). */
const withAlpha = (hex: string, alpha: number) =>
  `rgb(${[1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)).join(' ')} / ${alpha})`

export type { Look }

/** The look's title if it has one, else the event's name. */
export const lookTitle = (look: Look | undefined, name: string) => look?.title?.trim() || name

/**
 * Sets (or, for parts the look lacks, removes) the page's look tokens.
 * @example applyLook(info.look) // after GET /api/events/:slug
 */
export function applyLook(look: Look | undefined, root: HTMLElement = document.documentElement): void {
  const set = (name: string, value: string | null) =>
    value === null ? root.style.removeProperty(name) : root.style.setProperty(name, value)
  const accent = look?.accent ?? null
  set('--gb-accent', accent)
  set('--gb-accent-text', accent ? textOn(accent) : null)
  const bg = look?.background ? readableBackground(look.background) : null
  set('--gb-bg', bg)
  // A veil of the background colour over the image keeps the light text readable on any picture.
  const veil = withAlpha(bg ?? '#0b0b14', 0.8)
  set(
    '--gb-backdrop',
    look?.backgroundImage
      ? `linear-gradient(${veil}, ${veil}), url("${look.backgroundImage}") center / cover no-repeat`
      : null,
  )
  if (look?.accent || look?.background || look?.backgroundImage) root.dataset.look = 'custom'
  else delete root.dataset.look
}
