/**
 * What the counter-layer suites share: the layer under test, fixtures (an event with
 * wristbands and four choice polls) and small readers. memory.test.ts and redis.test.ts
 * run every suite (counters, queue, log, leases) against their backend.
 */
import type { Poll } from '../../protocol/index.ts'
import { emptySnapshot } from '../../protocol/index.ts'
import { choice, choiceAnswer } from '../../server/interactions/kinds/choice.ts'
import type {
  EventSeed,
  InteractionDef,
  LiveCounters,
  LiveRead,
  ResponseInput,
  WristbandEntry,
} from '../../server/live/counters/types.ts'
import type { LiveLayer } from '../../server/live/index.ts'
import type { QueueItem } from '../../server/live/queue/types.ts'
import type { RedisClient } from '../../server/live/redis-support.ts'
import { viewsOf } from '../../server/pipeline/ticker.ts'
import type { TickerState } from '../../server/pipeline/ticker-state.ts'

export interface LayerUnderTest {
  live: LiveLayer
  /** Removes whatever the layer wrote and closes it. */
  cleanup: () => Promise<void>
  /**
   * Where the backend can tell: what it holds for one event, by key, with each key's length
   * (entries) and memory use in bytes. Only lasting keys: actionId and rate-window keys
   * expire by themselves. The Redis backend reports; the memory one does not.
   */
  footprint?: (eventId: number) => Promise<Footprint>
}

export type Footprint = Record<string, { length: number; bytes: number }>

/** What footprintOf needs of a Redis: the key list and a client for each key (one Redis, or a Cluster's node). */
export interface FootprintSource {
  keysOf(prefix: string): Promise<string[]>
  clientOf(key: string): Promise<RedisClient>
}

/** Lasting keys of one event (not the expiring actionId and rate-window ones), with length and bytes. */
export async function footprintOf(source: FootprintSource, prefix: string, eventId: number): Promise<Footprint> {
  const base = `${prefix}:{e${eventId}}:`
  const out: Footprint = {}
  for (const key of await source.keysOf(base.slice(0, -1))) {
    const name = key.slice(base.length)
    if (/^(a|rr|rm):/.test(name)) continue
    const redis = await source.clientOf(key)
    const type = await redis.type(key)
    const length =
      type === 'hash'
        ? await redis.hlen(key)
        : type === 'zset'
          ? await redis.zcard(key)
          : type === 'set'
            ? await redis.scard(key)
            : type === 'list'
              ? await redis.llen(key)
              : type === 'stream'
                ? await redis.xlen(key)
                : 1
    const bytes = Number(await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'))
    out[name] = { length, bytes }
  }
  return out
}

/** What `make` is given; `messagesKept` (the message history) defaults to MESSAGES_KEPT. */
export interface LayerOptions {
  retention: number
  messagesKept?: number
}

export type MakeLayer = (opts: LayerOptions) => Promise<LayerUnderTest>

/** Every layer of the suites is made with this log retention. */
export const SUITE_RETENTION = 5

export const E = 7
export const E2 = 8
export const T0 = 1_700_000_000_000
export const LIMIT = { count: 1000, windowMs: 60_000 }

export const hash = (n: number) => `hash-${n}`
export const band = (number: number, revoked = false): WristbandEntry => ({ number, codeHash: hash(number), revoked })
export const bands = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => band(from + i))

const defaultOptions = (id: number) => [
  { id: id * 10 + 1, label: 'Red' },
  { id: id * 10 + 2, label: 'Green' },
  { id: id * 10 + 3, label: 'Blue' },
]

/** A choice poll with options id*10+1..3 (Red, Green, Blue), open unless told otherwise. */
export const poll = (
  id: number,
  over: { open?: boolean; closed?: boolean; question?: string; options?: { id: number; label: string }[] } = {},
): InteractionDef =>
  choice.define({
    id,
    kind: 'choice',
    question: over.question ?? `Question ${id}?`,
    state: over.closed ? 'closed' : (over.open ?? true) ? 'open' : 'draft',
    config: {},
    options: over.options ?? defaultOptions(id),
  })

/** Wristbands 1-19 active, 20 revoked; poll 1 open, 2 closed, 3 draft, 4 open. */
export const baseSeed = (over: Partial<EventSeed> = {}): EventSeed => ({
  status: 'live',
  message: '',
  wristbands: [...bands(1, 19), band(20, true)],
  checkins: [],
  interactions: [poll(1), poll(2, { open: false, closed: true }), poll(3, { open: false }), poll(4)],
  responses: [],
  messages: [],
  raffles: [],
  show: null,
  maxMessageId: 0,
  maxRev: 0,
  ...over,
})

/** A stored choice response, as a seed carries it. */
export const seededVote = (pollId: number, number: number, optionId: number) => {
  const answer = choiceAnswer([optionId])
  return { interactionId: pollId, number, slot: '', response: answer.response!, keys: answer.keys }
}

let actions = 0
const run = Math.random().toString(36).slice(2, 8)
export const aid = () => `act-${run}-${++actions}`

/** A single-choice vote as the response primitive takes it. */
export const vote = (
  number: number,
  pollId: number,
  optionId: number,
  over: { actionId?: string; now?: number; limit?: typeof LIMIT } = {},
): ResponseInput => ({
  number,
  interactionId: pollId,
  kind: 'choice',
  slot: '',
  ...choiceAnswer([optionId]),
  actionId: over.actionId ?? aid(),
  now: over.now ?? T0,
  limit: over.limit ?? LIMIT,
})

/** The option a single-choice response or queue item names. */
export const chosen = (r: { response: string | null }) =>
  r.response ? (JSON.parse(r.response) as { optionIds: number[] }).optionIds[0] : 0

/** The queue item of a single-choice vote. */
export const voteItem = (pollId: number, number: number, optionId: number, rev: number, at: number): QueueItem => ({
  t: 'response',
  interactionId: pollId,
  number,
  slot: '',
  response: JSON.stringify({ optionIds: [optionId] }),
  rev,
  at,
})

export const msg = (
  number: number,
  text: string,
  over: { held?: boolean; actionId?: string; now?: number; limit?: typeof LIMIT } = {},
) => ({
  number,
  text,
  held: over.held ?? false,
  actionId: over.actionId ?? aid(),
  now: over.now ?? T0,
  limit: over.limit ?? LIMIT,
})

export const tickerState = (seq: number, feedCursor = seq * 10): TickerState => ({
  snapshot: { ...emptySnapshot(), seq, checkins: seq },
  admin: { held: [], recentCheckins: [] },
  feedCursor,
})

export { viewsOf }

/** Each option's votes of one poll, as the snapshot shows them. */
export const optionVotes = (live: LiveRead, pollId: number) =>
  viewsOf(live)
    .find((p: Poll) => p.id === pollId)
    ?.options.map((o) => o.votes)

/** One wristband's single-choice votes: pollId -> optionId. */
export async function votesOf(counters: LiveCounters, eventId: number, number: number) {
  const out: Record<string, number> = {}
  for (const r of await counters.responsesOf(eventId, number)) out[r.interactionId] = chosen(r)
  return out
}

/** Claims and acknowledges everything queued; returns the items in queue order. */
export async function drainQueue(live: LiveLayer, eventId = E): Promise<QueueItem[]> {
  const entries = await live.queue.read(eventId, 'drainer', 100_000, 60_000)
  await live.queue.ack(
    eventId,
    entries.map((e) => e.id),
  )
  return entries.map((e) => e.item)
}

/** The ticker state stored with the log's last entry. */
export const logState = async (live: LiveLayer, eventId: number) => {
  const json = await live.log.state(eventId)
  return json ? (JSON.parse(json) as TickerState) : null
}
