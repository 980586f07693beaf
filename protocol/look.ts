/**
 * The event's look: the name shown on the big screen and the phones, a logo, the accent
 * and background colours and a background image. Stored in the event's settings
 * (`settings.look`); the images themselves are in the `event_images` table, served from
 * content-hashed URLs (`/images/<hash>.<ext>`). The contrast helpers are shared by the
 * host's preview and the pages that apply the look, so both agree on what is readable.
 */
import { z } from 'zod'

export const hexColourSchema = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'a colour as #rrggbb')
  .transform((s) => s.toLowerCase())

/** An image URL this server gave out (never a foreign one: the pages' CSP allows only this origin). */
export const imageUrlSchema = z.string().regex(/^\/images\/[0-9a-f]{24}\.(png|jpg|webp)$/, 'an uploaded image URL')

export const lookSchema = z.object({
  /** Shown instead of the event's name on the big screen and the phones; empty: the event's name. */
  title: z.string().trim().max(80).optional(),
  accent: hexColourSchema.optional(),
  background: hexColourSchema.optional(),
  logo: imageUrlSchema.nullable().optional(),
  backgroundImage: imageUrlSchema.nullable().optional(),
})
export type Look = z.infer<typeof lookSchema>

/** A change of the look names what changes; `null` takes an image (or a colour) away. */
export const lookPatchSchema = z.object({
  title: z.string().trim().max(80).optional(),
  accent: hexColourSchema.nullable().optional(),
  background: hexColourSchema.nullable().optional(),
  logo: imageUrlSchema.nullable().optional(),
  backgroundImage: imageUrlSchema.nullable().optional(),
})
export type LookPatch = z.infer<typeof lookPatchSchema>

export const imageSlots = ['logo', 'background'] as const
export type ImageSlot = (typeof imageSlots)[number]

/** Largest upload per slot, in bytes. */
export const IMAGE_LIMITS: Record<ImageSlot, number> = { logo: 512 * 1024, background: 2 * 1024 * 1024 }

export const imageUploadSchema = z.object({
  /**
   * The file's bytes, base64 (standard alphabet; a data: URL prefix and line breaks are
   * fine). Bounded like the request body; the decoded size is checked per slot (a 413).
   */
  image: z.string().max(3 * 1024 * 1024),
})
export const imageStoredSchema = z.object({
  url: imageUrlSchema,
  type: z.enum(['image/png', 'image/jpeg', 'image/webp']),
  bytes: z.number().int(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
})
export type ImageStored = z.infer<typeof imageStoredSchema>

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
