/**
 * The event as hosts configure it: its status and its settings, defined once here for
 * the database column types, the host API's validation and the admin page.
 */
import { z } from 'zod'
import { lookSchema } from './look.ts'

export const statusSchema = z.enum(['live', 'paused', 'ended'])
export type Status = z.infer<typeof statusSchema>

export const eventSettingsSchema = z.object({
  /** Longest danmaku, in characters. */
  maxMessageLength: z.number().int().min(1).max(200),
  /** Messages one wristband may send per `messageWindowSeconds`. */
  messagesPerWindow: z.number().int().min(1).max(1000),
  messageWindowSeconds: z.number().int().min(1).max(3600),
  /** Hold every message for a host to approve before it reaches the screen. */
  premoderate: z.boolean(),
  /** Slow mode: seconds a wristband waits between two messages or questions (0: off). */
  slowModeSeconds: z.number().int().min(0).max(3600).optional(),
  /** Case-insensitive words that get a message refused. */
  blockedWords: z.array(z.string().trim().min(1).max(50)).max(500),
  /**
   * The language of the guest pages and the big screen: 'auto' (each browser's, and the guest's
   * own pick) or a fixed locale such as 'en' or 'zh-CN', which wins over both.
   */
  language: z
    .string()
    .regex(/^(auto|[a-z]{2,3}(-[A-Za-z0-9]{2,8})*)$/, "'auto' or a locale such as 'en' or 'zh-CN'")
    .optional(),
  /** The event's look (protocol/look.ts); changed through its own route, not the settings patch. */
  look: lookSchema.optional(),
})
export type EventSettings = z.infer<typeof eventSettingsSchema>

/** A settings change names only what changes; the server merges it into the rest. */
export const settingsPatchSchema = eventSettingsSchema.omit({ look: true }).partial()
export type SettingsPatch = z.infer<typeof settingsPatchSchema>

export const defaultEventSettings: EventSettings = {
  maxMessageLength: 80,
  messagesPerWindow: 5,
  messageWindowSeconds: 30,
  premoderate: false,
  slowModeSeconds: 0,
  blockedWords: [],
}

export const statusBodySchema = z.object({ status: statusSchema, message: z.string().max(280).default('') })
export const statusResultSchema = z.object({ status: statusSchema, message: z.string() })

/** `GET /api/admin/events/:slug`: the event as its host sees it. */
export const hostEventSchema = z.object({
  id: z.number().int(),
  slug: z.string(),
  name: z.string(),
  status: statusSchema,
  settings: eventSettingsSchema,
})
export type HostEvent = z.infer<typeof hostEventSchema>
