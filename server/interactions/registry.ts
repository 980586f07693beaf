/** The interaction kinds this server knows, by name. */
import type { VoteBody } from '../../protocol/index.ts'
import type { Kind } from './kind.ts'
import { choice } from './kinds/choice.ts'
import { qa } from './kinds/qa.ts'
import { quiz } from './kinds/quiz.ts'
import { rating } from './kinds/rating.ts'
import { text } from './kinds/text.ts'
import { words } from './kinds/words.ts'

const kinds = new Map<string, Kind>([choice, rating, words, text, qa, quiz].map((k) => [k.name, k]))

/** The kind module of an interaction; an unknown kind is a bug (rows are written by this server). */
export function kindOf(name: string): Kind {
  const kind = kinds.get(name)
  if (!kind) throw new Error(`unknown interaction kind "${name}"`)
  return kind
}

/** The kind a guest's answer is for, by the field it came in (the body schema allows exactly one). */
export function kindOfAnswer(body: VoteBody): { kind: Kind & Required<Pick<Kind, 'answer'>>; field: keyof VoteBody } {
  for (const kind of kinds.values()) {
    if (!kind.answer) continue
    const answer = kind.answer.bind(kind)
    for (const field of kind.fields ?? []) if (body[field] !== undefined) return { kind: { ...kind, answer }, field }
  }
  throw new Error('an answer without an answer field passed the body schema')
}
