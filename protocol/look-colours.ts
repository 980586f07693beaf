/**
 * The colour arithmetic of an event's look (WCAG luminance and contrast), without zod so
 * the pages' first load can apply a look without the schema library.
 */
const channel = (v: number) => {
  const c = v / 255
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
}
const rgb = (hex: string) => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [number, number, number]

/** WCAG relative luminance of #rrggbb, 0 (black) to 1 (white). */
export function luminance(hex: string): number {
  const [r, g, b] = rgb(hex).map(channel)
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

/** WCAG contrast ratio of two colours, 1 to 21. */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (hi + 0.05) / (lo + 0.05)
}

/** Text on the accent (buttons, the check-in counter): near-black or white, whichever reads better. */
export const textOn = (hex: string) => (contrast(hex, '#111111') >= contrast(hex, '#ffffff') ? '#111111' : '#ffffff')

/** The pages' light text colour, which every background must carry. */
export const PAGE_TEXT = '#f4f4fa'

/**
 * The background as the pages use it: the host's colour, darkened until the pages' light
 * text has at least 7:1 on it (AAA), so a pale pick never makes the screen unreadable.
 */
export function readableBackground(hex: string): string {
  let [r, g, b] = rgb(hex)
  const toHex = () => `#${[r, g, b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`
  for (let i = 0; i < 40 && contrast(toHex(), PAGE_TEXT) < 7; i++) {
    r *= 0.9
    g *= 0.9
    b *= 0.9
  }
  return toHex()
}
