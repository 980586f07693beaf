/**
 * `rating`: one value on the poll's scale (say 1-5 stars or 0-10). A guest may change it
 * while the poll is open. Counter keys are the values, so the distribution is the counts
 * and the live average comes from them; the view lists every value as an option.
 */
import type { Poll, VoteBody } from '../../../protocol/index.ts'
import { badRequest } from '../../http/errors.ts'
import type { InteractionDef } from '../../live/counters/types.ts'
import { type Answer, commonDef, commonView, type InteractionRow, type Kind } from '../kind.ts'

/** The scales a host may pick: min 0 or 1, max up to 10. */
export const RATING_MIN_LOW = 0
export const RATING_MAX_HIGH = 10
export const DEFAULT_SCALE = { min: 1, max: 5 }

export interface RatingSpec {
  question: string
  min: number
  max: number
}

const spec = (def: InteractionDef) => def.spec as RatingSpec

/** The scale a row's config names (clamped to what hosts may pick). */
export function scaleOf(config: Record<string, unknown>): { min: number; max: number } {
  const s = (config.scale ?? {}) as { min?: unknown; max?: unknown }
  const min = Math.max(RATING_MIN_LOW, Math.min(1, Number(s.min ?? DEFAULT_SCALE.min)))
  const max = Math.max(min + 1, Math.min(RATING_MAX_HIGH, Number(s.max ?? DEFAULT_SCALE.max)))
  return { min, max }
}

export const rating: Kind = {
  name: 'rating',
  fields: ['value'],

  answer(body: VoteBody): Answer {
    const value = body.value!
    if (!Number.isInteger(value))
      throw badRequest('invalid_value', 'a rating is a whole number', { value: 'not a whole number' })
    return { response: JSON.stringify({ value }), keys: [String(value)] }
  },

  define(row: InteractionRow): InteractionDef {
    const { min, max } = scaleOf(row.config)
    const values = Array.from({ length: max - min + 1 }, (_, i) => String(min + i))
    return {
      ...commonDef(row),
      kind: 'rating',
      spec: { question: row.question, min, max } satisfies RatingSpec,
      accept: { keys: values, maxKeys: 1 },
    }
  },

  keysOf(response: unknown): string[] {
    const value = (response as { value?: unknown } | null)?.value
    return typeof value === 'number' ? [String(value)] : []
  },

  view(def: InteractionDef, counts: ReadonlyMap<string, number>, responders: number): Poll {
    const s = spec(def)
    const options: Poll['options'] = []
    let sum = 0
    let total = 0
    for (let v = s.min; v <= s.max; v++) {
      const votes = counts.get(String(v)) ?? 0
      options.push({ id: v, label: String(v), votes })
      sum += v * votes
      total += votes
    }
    return {
      ...commonView(def),
      kind: 'rating',
      question: s.question,
      maxChoices: 1,
      options,
      responses: responders,
      rating: { min: s.min, max: s.max, average: total ? Math.round((sum / total) * 100) / 100 : null },
    }
  },
}
