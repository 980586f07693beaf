/**
 * An interaction kind: everything that makes a choice poll a choice poll (or a rating a
 * rating), in one module, so a new kind is a new module and never a change to the
 * counter layer. The counter layer only knows the generic response step: "wristband W's
 * response to interaction I is now R, contributing one to each of these counter keys".
 */
import type { Poll } from '../../protocol/index.ts'
import type { InteractionDef } from '../live/counters/types.ts'

/** An interaction as Postgres holds it (polls + poll_options). */
export interface InteractionRow {
  id: number
  kind: string
  question: string
  state: 'draft' | 'open' | 'closed'
  config: Record<string, unknown>
  options: { id: number; label: string }[]
}

/** What a guest's answer becomes: the response to store and the counter keys it adds one to. */
export interface Answer {
  /** JSON text of the response, or null when the guest takes it back. */
  response: string | null
  keys: string[]
}

export interface Kind {
  name: string
  /** The live definition, with the acceptance rules the counter layer enforces atomically. */
  define(row: InteractionRow): InteractionDef
  /** The counter keys a stored response contributes to (to rebuild counters from Postgres). */
  keysOf(response: unknown): string[]
  /** The snapshot's view of the interaction from its counters. */
  view(def: InteractionDef, counts: ReadonlyMap<string, number>, responders: number): Poll
}
