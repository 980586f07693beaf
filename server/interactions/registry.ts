/** The interaction kinds this server knows, by name. */
import type { Kind } from './kind.ts'
import { choice } from './kinds/choice.ts'
import { qa } from './kinds/qa.ts'

const kinds = new Map<string, Kind>([
  [choice.name, choice],
  [qa.name, qa],
])

/** The kind module of an interaction; an unknown kind is a bug (rows are written by this server). */
export function kindOf(name: string): Kind {
  const kind = kinds.get(name)
  if (!kind) throw new Error(`unknown interaction kind "${name}"`)
  return kind
}
