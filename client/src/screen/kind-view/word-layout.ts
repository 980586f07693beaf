/**
 * A word cloud layout that stays put between ticks: each word keeps the place it got when
 * it first appeared (found along a spiral from the centre, clear of the words already
 * placed) and grows there while it has room. A word never moves once placed: one that
 * outgrows its room stops growing instead (a moving word is what the room notices).
 * Coordinates are in a fixed 1000 x 560 box (an SVG viewBox), so the cloud scales to any screen.
 */
export const CLOUD_W = 1000
export const CLOUD_H = 560

/** How much a word may outgrow its box and stay put (its neighbours may touch it a little). */
const GROW_IN_PLACE = 1.3

export interface Placed {
  text: string
  x: number
  y: number
  size: number
  w: number
  h: number
}

/** Font size (viewBox units) for a count, relative to the biggest. */
export const sizeFor = (count: number, max: number) => 24 + 86 * Math.sqrt(count / Math.max(1, max))

/** Estimated box of a word at a size: wide glyphs (CJK) count as whole ems. */
function box(text: string, size: number) {
  const em = emsOf(text)
  return { w: em * size + 16, h: size * 1.2 }
}

function emsOf(text: string) {
  let em = 0
  for (const ch of text) em += /[\u1100-\uffff]/u.test(ch) ? 1.05 : 0.66
  return em
}

/** The biggest size a placed word may take without outgrowing its box by more than GROW_IN_PLACE. */
function sizeCap(p: Placed) {
  return Math.min((p.w * GROW_IN_PLACE - 16) / emsOf(p.text), (p.h * GROW_IN_PLACE) / 1.2)
}

const overlaps = (a: Placed, b: { x: number; y: number; w: number; h: number }) =>
  Math.abs(a.x - b.x) * 2 < a.w + b.w && Math.abs(a.y - b.y) * 2 < a.h + b.h

export class WordLayout {
  private placed = new Map<string, Placed>()

  /** The layout for these words (most given first); words gone from the list are dropped. */
  update(words: { text: string; count: number }[]): Placed[] {
    const max = words[0]?.count ?? 1
    const keep = new Set(words.map((w) => w.text))
    for (const text of this.placed.keys()) if (!keep.has(text)) this.placed.delete(text)
    const out: Placed[] = []
    for (const word of words) {
      const size = sizeFor(word.count, max)
      const prev = this.placed.get(word.text)
      if (prev) {
        const b = box(word.text, size)
        // Shrinking or growing a little stays in place; the box it was placed with is kept.
        if (b.w <= prev.w * GROW_IN_PLACE && b.h <= prev.h * GROW_IN_PLACE) {
          prev.size = size
          out.push(prev)
          continue
        }
        // Growing more: still in place if the bigger box is clear of the others.
        const grown = { ...prev, size, w: b.w, h: b.h }
        if (this.fits(grown, word.text)) {
          this.placed.set(word.text, grown)
          out.push(grown)
          continue
        }
        // No room to grow: it stays where it is, as big as its box allows.
        prev.size = Math.min(size, sizeCap(prev))
        out.push(prev)
        continue
      }
      const spot = this.find(word.text, size)
      if (spot) {
        this.placed.set(word.text, spot)
        out.push(spot)
      }
    }
    return out
  }

  /** Inside the box and clear of every placed word but `except`. */
  private fits(spot: Placed, except?: string) {
    const { x, y, w, h } = spot
    if (x - w / 2 < 0 || x + w / 2 > CLOUD_W || y - h / 2 < 0 || y + h / 2 > CLOUD_H) return false
    for (const p of this.placed.values()) if (p.text !== except && overlaps(p, spot)) return false
    return true
  }

  private find(text: string, size: number): Placed | null {
    // Try the size asked for, then smaller ones, so a crowded cloud still fits a new word.
    for (let s = size; s >= 18; s *= 0.8) {
      const { w, h } = box(text, s)
      for (let t = 0; t < 900; t += 1) {
        const r = 4 * t ** 0.62 * 2.2
        const a = t * 0.55
        const x = CLOUD_W / 2 + r * Math.cos(a) * 1.6
        const y = CLOUD_H / 2 + r * Math.sin(a)
        const spot = { text, x, y, size: s, w, h }
        if (this.fits(spot)) return spot
      }
    }
    return null
  }
}
