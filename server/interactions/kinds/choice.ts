/**
 * `choice`: pick one option (maxChoices 1) or up to maxChoices of them. A guest may change
 * their answer while the poll is open; counts follow. Counter keys are the option ids.
 */
import type { Poll, VoteBody } from '../../../protocol/index.ts'
import type { InteractionDef } from '../../live/counters/types.ts'
import { type Answer, commonDef, commonView, type InteractionRow, type Kind } from '../kind.ts'

export interface ChoiceSpec {
  question: string
  options: { id: number; label: string }[]
  maxChoices: number
}

const spec = (def: InteractionDef) => def.spec as ChoiceSpec

export const choice: Kind = {
  name: 'choice',
  fields: ['optionId', 'optionIds'],

  answer(body: VoteBody): Answer {
    return choiceAnswer(body.optionIds ?? [body.optionId!])
  },

  define(row: InteractionRow): InteractionDef {
    const maxChoices = Math.max(1, Math.min(row.options.length, Number(row.config.maxChoices ?? 1)))
    return {
      ...commonDef(row),
      kind: 'choice',
      spec: { question: row.question, options: row.options, maxChoices } satisfies ChoiceSpec,
      accept: { keys: row.options.map((o) => String(o.id)), maxKeys: maxChoices },
    }
  },

  keysOf(response: unknown): string[] {
    const ids = (response as { optionIds?: unknown } | null)?.optionIds
    return Array.isArray(ids) ? ids.map(String) : []
  },

  view(def: InteractionDef, counts: ReadonlyMap<string, number>, responders: number): Poll {
    const s = spec(def)
    return {
      ...commonView(def),
      // With results hidden, how many voted is all the public sees.
      ...(def.results ? { responses: responders } : {}),
      kind: 'choice',
      question: s.question,
      maxChoices: s.maxChoices,
      options: s.options.map((o) => ({ id: o.id, label: o.label, votes: counts.get(String(o.id)) ?? 0 })),
    }
  },
}

/** A guest's choice: one option id or several (sorted, without repeats). */
export function choiceAnswer(optionIds: number[]): Answer {
  const ids = [...new Set(optionIds)].sort((a, b) => a - b)
  return { response: JSON.stringify({ optionIds: ids }), keys: ids.map(String) }
}
