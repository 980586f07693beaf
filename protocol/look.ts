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

export { contrast, luminance, PAGE_TEXT, readableBackground, textOn } from './look-colours.ts'
