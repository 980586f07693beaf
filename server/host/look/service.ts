/** The event's look: its images (checked, stored in Postgres, served by hash) and its settings. */
import { createHash } from 'node:crypto'
import { eq, sql } from 'drizzle-orm'
import { eventImages, events } from '../../../db/schema.ts'
import { IMAGE_LIMITS, type ImageSlot, type ImageStored, type Look, type LookPatch } from '../../../protocol/look.ts'
import type { Database } from '../../database/connect.ts'
import { textArray } from '../../database/pg-array.ts'
import type { EventDirectory, EventRecord } from '../../events/directory.ts'
import { ApiFailure, badRequest } from '../../http/errors.ts'
import { audit } from '../audit.ts'
import { describeRefused, sniffImage } from './images.ts'

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/
const kb = (n: number) => `${Math.round(n / 1024)} KB`

/** An image as served: its bytes and type. */
export interface StoredImage {
  type: string
  bytes: Uint8Array
}

export class LookService {
  /** Told after each change, so the screen and the phones read the look again (runtime.ts). */
  changed?: (event: EventRecord) => Promise<unknown>

  constructor(
    private db: Database,
    private directory: EventDirectory,
  ) {}

  /**
   * Checks an upload (base64 of a PNG, JPEG or WebP within the slot's limit) and stores it.
   * Every refusal is a 4xx naming the `image` field.
   */
  async putImage(event: EventRecord, slot: ImageSlot, base64: string): Promise<ImageStored> {
    const text = base64.replace(/^data:[^,]*,/, '').replace(/\s+/g, '')
    if (!text) throw badRequest('image_empty', 'the image is empty', { image: 'empty' })
    if (!BASE64.test(text)) throw badRequest('image_encoding', 'the image is not base64', { image: 'not base64' })
    const bytes = new Uint8Array(Buffer.from(text, 'base64'))
    const limit = IMAGE_LIMITS[slot]
    if (bytes.length > limit) {
      throw new ApiFailure(413, 'image_too_large', `the ${slot} is ${kb(bytes.length)}; the most is ${kb(limit)}`, {
        image: `over ${kb(limit)}`,
      })
    }
    const sniffed = sniffImage(bytes)
    if (!sniffed) {
      const what = describeRefused(bytes)
      const message = what
        ? `the ${slot} is ${what}; upload a PNG, JPEG or WebP`
        : `the ${slot} is not a PNG, JPEG or WebP image`
      throw new ApiFailure(415, 'image_type', message, { image: what ? `${what} is refused` : 'not an image' })
    }
    if (sniffed.width === 0 || sniffed.height === 0) {
      throw badRequest('image_invalid', `the ${slot} has no pixels`, { image: 'zero width or height' })
    }
    const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 24)
    await this.db
      .insert(eventImages)
      .values({ eventId: event.id, hash, type: sniffed.type, bytes, size: bytes.length })
      .onConflictDoNothing()
    const url = `/images/${hash}.${sniffed.ext}`
    await this.setLook(event, slot === 'logo' ? { logo: url } : { backgroundImage: url })
    return { url, type: sniffed.type, bytes: bytes.length, width: sniffed.width, height: sniffed.height }
  }

  /** An uploaded image by its hash (any event's: the hash is of the bytes). */
  async image(hash: string): Promise<StoredImage | null> {
    const [row] = await this.db
      .select({ type: eventImages.type, bytes: eventImages.bytes })
      .from(eventImages)
      .where(eq(eventImages.hash, hash))
      .limit(1)
    return row ?? null
  }

  /** Merges a change into the look; `null` (or an empty title) removes that part. */
  async setLook(event: EventRecord, patch: LookPatch): Promise<Look> {
    // Merged in SQL, like the other settings, so two changes at once both stay.
    const set: Record<string, unknown> = {}
    const remove: string[] = []
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) continue
      if (value === null || value === '') remove.push(key)
      else set[key] = value
    }
    const [row] = await this.db
      .update(events)
      .set({
        settings: sql`jsonb_set(${events.settings}, '{look}',
          ((coalesce(${events.settings}->'look', '{}'::jsonb) || ${JSON.stringify(set)}::jsonb) - ${textArray(remove)}::text[]))`,
      })
      .where(eq(events.id, event.id))
      .returning({ settings: events.settings })
    await audit(this.db, event.id, 'look', patch)
    this.directory.forget(event.slug)
    await this.changed?.(event)
    return row.settings.look ?? {}
  }
}
