/**
 * Zod schemas of every table, derived from db/schema.ts by drizzle-zod, so a column's
 * type and its validation never drift apart. Request models build on the insert
 * schemas (tightened where a person types the value); tests parse real rows with the
 * select schemas.
 */
import { createInsertSchema, createSelectSchema } from 'drizzle-zod'
import { z } from 'zod'
import { eventSettingsSchema, statusSchema } from '../protocol/event.ts'
import { showSchema } from '../protocol/index.ts'
import {
  checkins,
  events,
  messageStates,
  messages,
  pickOutcomes,
  pollOptions,
  pollStates,
  polls,
  rafflePicks,
  raffles,
  raffleTaps,
  raffleWinners,
  responses,
  wristbandBatches,
  wristbands,
} from './schema.ts'

const eventColumns = { status: statusSchema, settings: eventSettingsSchema, show: showSchema.nullable() }
export const eventRowSchema = createSelectSchema(events, eventColumns)
export const eventInsertSchema = createInsertSchema(events, {
  ...eventColumns,
  name: (s) => s.trim().min(1).max(200),
})

export const wristbandBatchRowSchema = createSelectSchema(wristbandBatches)
export const wristbandBatchInsertSchema = createInsertSchema(wristbandBatches, {
  label: (s) => s.trim().regex(/^[\w.-]{1,64}$/, 'use 1-64 letters, digits, _ . -'),
  count: (s) => s.int().min(1).max(200_000),
  firstNumber: (s) => s.int().min(1).max(99_999_999),
})
export const wristbandRowSchema = createSelectSchema(wristbands)
export const checkinRowSchema = createSelectSchema(checkins)

const pollColumns = { state: z.enum(pollStates) }
export const pollRowSchema = createSelectSchema(polls, pollColumns)
export const pollInsertSchema = createInsertSchema(polls, {
  ...pollColumns,
  question: (s) => s.trim().min(1).max(200),
})
export const pollOptionRowSchema = createSelectSchema(pollOptions)
export const pollOptionInsertSchema = createInsertSchema(pollOptions, { label: (s) => s.trim().min(1).max(100) })
export const responseRowSchema = createSelectSchema(responses)

const messageColumns = { state: z.enum(messageStates) }
export const messageRowSchema = createSelectSchema(messages, messageColumns)

export const raffleRowSchema = createSelectSchema(raffles)
export const raffleInsertSchema = createInsertSchema(raffles, {
  name: (s) => s.trim().min(1).max(200),
  winners: (s) => s.int().min(1).max(1000),
})
export const raffleWinnerRowSchema = createSelectSchema(raffleWinners)
export const rafflePickRowSchema = createSelectSchema(rafflePicks, { outcome: z.enum(pickOutcomes) })
export const raffleTapRowSchema = createSelectSchema(raffleTaps)
