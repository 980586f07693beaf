/**
 * An interaction kind: everything that makes a choice poll a choice poll (or a rating a
 * rating), in one module, so a new kind is a new module and never a change to the
 * counter layer. The counter layer only knows the generic response step: "wristband W's
 * response to interaction I is now R, contributing one to each of these counter keys".
 */
import type { EventSettings, Poll, VoteBody } from '../../protocol/index.ts'
import type { InteractionDef } from '../live/counters/types.ts'

/** An interaction as Postgres holds it (polls + poll_options). */
export interface InteractionRow {
  id: number
  kind: string
  question: string
  state: 'draft' | 'open' | 'closed'
  config: Record<string, unknown>
  options: { id: number; label: string }[]
  /** The host's order (polls.position); 0 when never reordered. */
  position?: number
}

/** What a guest's answer becomes: the response to store and the counter keys it adds one to. */
export interface Answer {
  /** JSON text of the response, or null when the guest takes it back. */
  response: string | null
  keys: string[]
}

/** What a kind may need to turn a guest's body into an answer. */
export interface AnswerContext {
  number: number
  now: number
  settings: EventSettings
  /** The blocked word the text contains, if any (the event's word filter). */
  blockedWord(text: string): string | null
}

export interface Kind {
  name: string
  /** The vote body fields this kind's answers come in (none: not answered through POST /votes, e.g. Q&A). */
  fields?: readonly (keyof VoteBody)[]
  /** Turns a guest's body into a response and its keys; throws a 4xx ApiFailure naming the field. */
  answer?(body: VoteBody, ctx: AnswerContext): Answer
  /** The live definition, with the acceptance rules the counter layer enforces atomically. */
  define(row: InteractionRow): InteractionDef
  /** The counter keys a stored response contributes to (to rebuild counters from Postgres). */
  keysOf(response: unknown, number: number): string[]
  /** The snapshot's view of the interaction from its counters. */
  view(def: InteractionDef, counts: ReadonlyMap<string, number>, responders: number): Poll
}

/** The settings every kind shares, from the row into the live definition. */
export function commonDef(
  row: InteractionRow,
): Pick<InteractionDef, 'id' | 'open' | 'closed' | 'results' | 'position'> {
  const def: Pick<InteractionDef, 'id' | 'open' | 'closed' | 'results' | 'position'> = {
    id: row.id,
    open: row.state === 'open',
    closed: row.state === 'closed',
  }
  if (row.config.hideResults === true) def.results = row.config.revealed === true ? 'revealed' : 'hidden'
  if (row.position) def.position = row.position
  return def
}

/** The shared part of every view. */
export function commonView(
  def: InteractionDef,
): Pick<Poll, 'id' | 'open' | 'closed' | 'hideResults' | 'revealed' | 'position'> {
  const view: Pick<Poll, 'id' | 'open' | 'closed' | 'hideResults' | 'revealed' | 'position'> = {
    id: def.id,
    open: def.open,
    closed: def.closed,
  }
  if (def.results) {
    view.hideResults = true
    view.revealed = def.results === 'revealed'
  }
  if (def.position) view.position = def.position
  return view
}

/** A view without its results: what the public sees of a poll whose results are hidden. */
export function withoutResults(view: Poll): Poll {
  const out: Poll = { ...view, options: view.options.map((o) => ({ ...o, votes: 0 })) }
  if (out.rating) out.rating = { ...out.rating, average: null }
  if (out.words) out.words = []
  if (out.answers) out.answers = []
  return out
}
