/** The shapes of the event status and settings requests. */
import { z } from 'zod'
import { statusSchema } from '../../../protocol/index.ts'

export const statusBodySchema = z.object({ status: statusSchema, message: z.string().max(280).default('') })

export const settingsSchema = z
  .object({
    maxMessageLength: z.number().int().min(1).max(200),
    messagesPerWindow: z.number().int().min(1).max(1000),
    messageWindowSeconds: z.number().int().min(1).max(3600),
    premoderate: z.boolean(),
    blockedWords: z.array(z.string().trim().min(1).max(50)).max(500),
  })
  .partial()
