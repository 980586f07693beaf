/**
 * Guest actions: check-in, votes, danmaku, and a guest's own state. Each action is
 * validated here, then done in one atomic step by the counter layer; a backend that
 * is down turns into a 503 the phone retries with the same actionId.
 */
import { randomBytes } from 'node:crypto'
import { and, eq } from 'drizzle-orm'
import { rafflePicks, raffles, raffleWinners } from '../../db/schema.ts'
import { cleanGuestText, findBlockedWord, visibleLength } from '../../protocol/guest-text.ts'
import { type Me, QUESTION_MAX_CHARS, type VoteBody } from '../../protocol/index.ts'
import type { Database } from '../database/connect.ts'
import type { EventDirectory, EventRecord } from '../events/directory.ts'
import { prizesOf } from '../host/raffles/model.ts'
import { hashCode, parseCode } from '../host/wristbands/codes.ts'
import { isDependencyDown } from '../http/dependency-errors.ts'
import { ApiFailure, badRequest, tooMany, unavailable } from '../http/errors.ts'
import { QA_KIND, upvoteAnswer } from '../interactions/kinds/qa.ts'
import { kindOfAnswer } from '../interactions/registry.ts'
import { addressKey, FailureLimit } from '../lib/rate-limit.ts'
import { withTimeout } from '../lib/timeout.ts'
import type { LiveCounters, MessageResult, ResponseError } from '../live/counters/types.ts'
import type { LiveEngagement } from '../live/engagement/types.ts'
import type { SharedBuckets } from '../live/limits.ts'

/** Failed check-ins one address may make: a burst, then two a second (120 a minute). */
export const FAILED_CHECKINS = { burst: 60, perSecond: 2 }

/** Responses (including changed ones) one wristband may give per window. */
const RESPONSE_LIMIT = { count: 30, windowMs: 10_000 }

/** Refusals of a vote by the counter layer, as the public interface names them. */
const voteErrors: Record<ResponseError, ApiFailure> = {
  unknown_interaction: new ApiFailure(404, 'unknown_poll', 'there is no such poll in this event', {
    pollId: 'unknown poll',
  }),
  wrong_kind: new ApiFailure(422, 'wrong_kind', 'this poll takes another kind of answer', {
    pollId: 'not a choice poll',
  }),
  not_open: new ApiFailure(409, 'poll_not_open', 'this poll is not open for votes', { pollId: 'poll is not open' }),
  closed: new ApiFailure(409, 'poll_not_open', 'this poll is not open for votes', { pollId: 'poll is not open' }),
  unknown_key: new ApiFailure(422, 'unknown_option', 'that option is not part of this poll', {
    optionId: 'not an option of this poll',
  }),
  too_many_keys: new ApiFailure(422, 'too_many_options', 'this poll takes fewer options', {
    optionIds: 'more options than this poll allows',
  }),
  already_answered: new ApiFailure(409, 'already_answered', 'this wristband has answered already'),
  revoked: new ApiFailure(403, 'wristband_revoked', 'this wristband no longer works; ask the staff for help'),
  rate_limited: new ApiFailure(
    429,
    'rate_limited',
    'too many votes from this wristband; wait a few seconds',
    undefined,
    {
      'retry-after': '10',
    },
  ),
}

/** A refusal named for the field the answer came in (a rating's value, a word cloud's words...). */
function voteError(error: ResponseError, kind: string, field: string): ApiFailure {
  if (error === 'wrong_kind') {
    return new ApiFailure(422, 'wrong_kind', `this poll does not take \`${field}\`: it is not a ${kind} poll`, {
      [field]: `not a ${kind} poll`,
    })
  }
  if (error === 'unknown_key' && field === 'value') {
    return new ApiFailure(422, 'value_off_scale', "that value is not on this poll's scale", {
      value: "not on this poll's scale",
    })
  }
  if (error === 'too_many_keys' && field === 'words') {
    return new ApiFailure(422, 'too_many_words', 'this word cloud takes fewer words', { words: 'too many words' })
  }
  return voteErrors[error]
}

/** Poll kinds whose answers are text the guest writes (moderated like danmaku). */
const WRITTEN_KINDS = new Set(['words', 'text'])

/** Reactions one wristband may send per second: a fast thumb, not a script. */
export const REACTION_LIMIT = { count: 10, windowMs: 1000 }

const unknownQuestion = new ApiFailure(404, 'unknown_question', 'there is no such question on the board', {
  id: 'unknown question',
})

export const newActionId = () => randomBytes(12).toString('base64url')

/**
 * A paused event (the host's emergency stop) or an ended one takes no votes or messages:
 * nothing new flies across the screen while the room is told to stop.
 */
function refuseUnlessLive(event: EventRecord) {
  if (event.status === 'paused') {
    throw new ApiFailure(
      409,
      'event_paused',
      event.message || 'the host has paused the event; try again when it resumes',
    )
  }
  if (event.status === 'ended') throw new ApiFailure(409, 'event_ended', 'this event has ended')
}

export class GuestService {
  /**
   * Failed check-ins per client address (IPv6 per /64), across every instance; generous,
   * since a venue puts hundreds of phones behind one.
   */
  readonly failedCheckins: FailureLimit

  constructor(
    private db: Database,
    private counters: LiveCounters,
    private directory: EventDirectory,
    shared: SharedBuckets | null = null,
    private engagementStore: LiveEngagement | null = null,
  ) {
    this.failedCheckins = new FailureLimit('checkin', FAILED_CHECKINS, shared)
  }

  /** Q&A, bans, slow mode and reactions (the runtime always gives it; a bare service has none). */
  private get engagement(): LiveEngagement {
    if (!this.engagementStore) throw new Error('this guest service has no engagement store')
    return this.engagementStore
  }

  /**
   * What every guest write passes first: a banned wristband is refused (the ban is on the
   * number, so a new cookie or another phone changes nothing) and slow mode spaces writes.
   */
  private async gate(event: EventRecord, number: number, actionId: string) {
    const slowMs = (event.settings.slowModeSeconds ?? 0) * 1000
    const gate = await this.live(() => this.engagement.writeGate(event.id, number, actionId, slowMs, Date.now()))
    if (gate.ok) return
    if (gate.error === 'banned') {
      throw new ApiFailure(403, 'banned', 'the host has stopped this wristband from writing')
    }
    const seconds = Math.max(1, Math.ceil(gate.waitMs / 1000))
    throw new ApiFailure(
      429,
      'slow_mode',
      `slow mode: one message every ${event.settings.slowModeSeconds} seconds; wait ${seconds} s`,
      undefined,
      { 'retry-after': String(seconds) },
    )
  }

  /** Checks text a guest writes for the screen: not empty, not too long, no blocked word. */
  private cleanText(event: EventRecord, raw: string, max: number, what: string) {
    const text = cleanGuestText(raw)
    if (!text) throw badRequest(`empty_${what}`, 'write something first', { text: 'empty' })
    const length = visibleLength(text)
    if (length > max) {
      throw badRequest(`${what}_too_long`, `at most ${max} characters`, {
        text: `${length} characters, at most ${max}`,
      })
    }
    if (findBlockedWord(text, event.settings.blockedWords)) {
      throw badRequest('blocked_word', `this ${what} contains a word the host does not allow`, {
        text: 'contains a blocked word',
      })
    }
    return text
  }

  /** A question for the Q&A board: held for the host when pre-moderation is on. */
  async ask(event: EventRecord, number: number, body: { text: string; actionId?: string }) {
    refuseUnlessLive(event)
    const text = this.cleanText(event, body.text, QUESTION_MAX_CHARS, 'question')
    const actionId = body.actionId ?? newActionId()
    const active = await this.act(
      event.id,
      () => this.counters.isActive(event.id, number),
      (r) => !r,
    )
    if (!active) throw voteErrors.revoked
    await this.gate(event, number, actionId)
    const s = event.settings
    const result = await this.live(() =>
      this.engagement.ask(event.id, {
        number,
        text,
        held: s.premoderate,
        actionId,
        now: Date.now(),
        limit: { count: s.messagesPerWindow, windowMs: s.messageWindowSeconds * 1000 },
      }),
    )
    if (!result.ok) {
      throw tooMany(
        `at most ${s.messagesPerWindow} questions every ${s.messageWindowSeconds} seconds; try again shortly`,
        s.messageWindowSeconds,
      )
    }
    return { status: 'accepted' as const, id: result.id, held: result.held, duplicate: result.duplicate }
  }

  /**
   * Upvotes a question (`up`) or takes the upvote back: wristband W's response to the
   * event's Q&A board, slot and key the question id. Only visible questions take upvotes;
   * a second upvote (or taking back one never given) is a 409, unless it repeats the
   * actionId of the one that was accepted.
   */
  async upvote(event: EventRecord, number: number, questionId: number, up: boolean, actionId = newActionId()) {
    refuseUnlessLive(event)
    await this.live(() => this.directory.ensureLoaded(event.id))
    const q = await this.live(() => this.engagement.question(event.id, questionId))
    if (q?.state !== 'visible') throw unknownQuestion
    const board = await this.live(() => this.directory.qaBoard(event.id))
    const already = await this.live(() => this.engagement.upvoted(event.id, board, number, questionId))
    const answer = upvoteAnswer(questionId, up)
    const result = await this.act(
      event.id,
      () =>
        this.counters.respond(event.id, {
          number,
          interactionId: board,
          kind: QA_KIND,
          ...answer,
          actionId,
          now: Date.now(),
          limit: RESPONSE_LIMIT,
        }),
      (r) => !r.ok && r.error !== 'rate_limited',
    )
    if (!result.ok) {
      if (result.error === 'revoked' || result.error === 'rate_limited') throw voteErrors[result.error]
      throw unknownQuestion
    }
    if (already === up && !result.duplicate) {
      throw up
        ? new ApiFailure(409, 'already_upvoted', 'this wristband has upvoted this question already', {
            id: 'already upvoted',
          })
        : new ApiFailure(409, 'not_upvoted', 'this wristband has not upvoted this question', { id: 'not upvoted' })
    }
    return { status: 'accepted' as const, duplicate: result.duplicate, upvoted: up }
  }

  /** A reaction: counted for the next tick, never written to Postgres. */
  async react(event: EventRecord, number: number, emoji: string) {
    refuseUnlessLive(event)
    const ok = await this.live(() => this.engagement.react(event.id, number, emoji, REACTION_LIMIT, Date.now()))
    if (!ok) throw tooMany('too many reactions from this wristband; slow down a little', 1)
    return { status: 'accepted' as const }
  }

  /** Runs a counter-layer call, turning a backend failure into a retryable 503 (a bug stays a 500). */
  private async live<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (err) {
      if (err instanceof ApiFailure || !isDependencyDown(err)) throw err
      throw unavailable('live state is unavailable right now; your action is kept and retried')
    }
  }

  /**
   * Looks a code up under a failure charge taken before the lookup's await (consulting
   * the limit before the await and charging after let a burst of parallel guesses all be
   * looked up). A right code, or a backend failure (a 503 the phone retries), gives the
   * charge back; only a wrong code keeps it. Throws 429 once the address's failures are spent.
   */
  private async charged<T>(client: string, lookup: () => Promise<T | null>): Promise<T | null> {
    const charge = await this.failedCheckins.reserve(addressKey(client))
    if (!charge) throw tooMany('too many wrong codes from this network; wait a minute and try again', 30)
    let found: T | null
    try {
      found = await lookup()
    } catch (err) {
      charge.refund()
      throw err
    }
    if (found === null) charge.keep()
    else charge.refund()
    return found
  }

  /**
   * Checks in a typed or scanned code for one event; returns the wristband's public number.
   * A typo is caught by the check character without a lookup and spends nothing: only
   * lookups of well-formed codes that turn out wrong count against the address.
   */
  async checkin(event: EventRecord, rawCode: string, client: string): Promise<number> {
    const parsed = parseCode(rawCode)
    if (!parsed.ok) {
      const why = {
        length: 'a code has 12 characters',
        symbol: 'a code uses only letters and digits',
        check: 'this code has a typo; check each character',
      }[parsed.reason]
      throw badRequest('invalid_code', why, { code: why })
    }
    const number = await this.charged(client, () => this.checkinHash(event.id, hashCode(parsed.code)))
    if (number === null) {
      // Unknown and revoked get the same answer, so a response tells nothing about a code.
      throw new ApiFailure(404, 'unknown_code', 'this code does not open this event', { code: 'not recognised' })
    }
    return number
  }

  /**
   * Runs an action against the counter layer. A refusal that could come from live state
   * having vanished (Redis restarted empty) is believed only once the event is loaded:
   * otherwise a phone would drop an action that should have been kept.
   */
  private async act<T>(eventId: number, fn: () => Promise<T>, refused: (r: T) => boolean): Promise<T> {
    return this.live(async () => {
      await this.directory.ensureLoaded(eventId)
      const result = await fn()
      if (!refused(result) || (await this.counters.isLoaded(eventId))) return result
      await this.directory.ensureLoaded(eventId, true)
      return fn()
    })
  }

  private async checkinHash(eventId: number, codeHash: string): Promise<number | null> {
    const r = await this.act(
      eventId,
      () => this.counters.checkin(eventId, codeHash, Date.now()),
      (r) => !r.ok,
    )
    return r.ok ? r.number : null
  }

  /**
   * The QR target carries only the code: find the open event it belongs to. There are
   * few open events at a time, so trying each beats a global code index.
   */
  async checkinAnyEvent(rawCode: string, client: string): Promise<{ event: EventRecord; number: number }> {
    const parsed = parseCode(rawCode)
    if (!parsed.ok) throw new ApiFailure(404, 'unknown_code', 'this wristband code is not recognised')
    const hash = hashCode(parsed.code)
    const found = await this.charged(client, async () => {
      for (const event of await this.directory.openCached()) {
        const number = await this.checkinHash(event.id, hash)
        if (number !== null) return { event, number }
      }
      return null
    })
    if (!found) throw new ApiFailure(404, 'unknown_code', 'this wristband code is not recognised')
    return found
  }

  /**
   * A guest's answer to a poll of any kind: the field it came in names the kind, whose
   * module turns it into a response and its counter keys; the counter layer takes it in
   * one atomic step (replacing the guest's earlier answer while the poll is open).
   */
  async vote(event: EventRecord, number: number, body: VoteBody) {
    refuseUnlessLive(event)
    const actionId = body.actionId ?? newActionId()
    const { kind, field } = kindOfAnswer(body)
    // Words and open answers are text a guest writes for the screen: bans and slow mode apply.
    if (WRITTEN_KINDS.has(kind.name)) await this.gate(event, number, actionId)
    const now = Date.now()
    const answer = kind.answer(body, {
      number,
      now,
      settings: event.settings,
      blockedWord: (text) => findBlockedWord(text, event.settings.blockedWords),
    })
    const result = await this.act(
      event.id,
      () =>
        this.counters.respond(event.id, {
          number,
          interactionId: body.pollId,
          kind: kind.name,
          slot: '',
          ...answer,
          actionId,
          now,
          limit: RESPONSE_LIMIT,
        }),
      (r) => !r.ok && r.error !== 'rate_limited',
    )
    if (!result.ok) throw voteError(result.error, kind.name, field)
    return { status: 'accepted' as const, duplicate: result.duplicate }
  }

  async message(event: EventRecord, number: number, body: { text: string; actionId?: string }) {
    refuseUnlessLive(event)
    const s = event.settings
    // What the screen shows is the guest's text without what renders deceptively; the
    // filter compares a normalised form of it (protocol/guest-text.ts).
    const text = cleanGuestText(body.text)
    if (!text) throw badRequest('empty_message', 'write something first', { text: 'empty' })
    const length = visibleLength(text)
    if (length > s.maxMessageLength) {
      throw badRequest('message_too_long', `messages are at most ${s.maxMessageLength} characters`, {
        text: `${length} characters, at most ${s.maxMessageLength}`,
      })
    }
    const blocked = findBlockedWord(text, s.blockedWords)
    if (blocked) {
      throw badRequest('blocked_word', 'this message contains a word the host does not allow', {
        text: 'contains a blocked word',
      })
    }
    const actionId = body.actionId ?? newActionId()
    await this.gate(event, number, actionId)
    const result: MessageResult = await this.act(
      event.id,
      () =>
        this.counters.message(event.id, {
          number,
          text,
          held: s.premoderate,
          actionId,
          now: Date.now(),
          limit: { count: s.messagesPerWindow, windowMs: s.messageWindowSeconds * 1000 },
        }),
      (r) => !r.ok && r.error === 'revoked',
    )
    if (!result.ok) {
      if (result.error === 'revoked') throw voteErrors.revoked
      throw tooMany(
        `at most ${s.messagesPerWindow} messages every ${s.messageWindowSeconds} seconds; try again shortly`,
        s.messageWindowSeconds,
      )
    }
    return { status: 'accepted' as const, id: result.id, held: result.held, duplicate: result.duplicate }
  }

  /** The guest's own state: number, current votes, raffle wins. */
  async me(event: EventRecord, number: number): Promise<Me> {
    const active = await this.act(
      event.id,
      () => this.counters.isActive(event.id, number),
      (r) => !r,
    )
    if (!active) throw voteErrors.revoked
    const votes: Me['votes'] = {}
    const choices: Me['choices'] = {}
    const answers: NonNullable<Me['answers']> = {}
    const upvoted: number[] = []
    for (const r of await this.live(() => this.counters.responsesOf(event.id, number))) {
      const response = JSON.parse(r.response) as {
        optionIds?: number[]
        questionId?: number
        value?: number
        words?: string[]
        text?: string
        state?: string
      }
      if (r.slot && typeof response.questionId === 'number') upvoted.push(response.questionId)
      if (r.slot) continue
      const ids = response.optionIds
      if (ids?.length) {
        choices[r.interactionId] = ids
        votes[r.interactionId] = ids[0]
      } else if (response.value !== undefined) answers[r.interactionId] = { value: response.value }
      else if (response.words) answers[r.interactionId] = { words: response.words }
      else if (response.text !== undefined && response.state !== 'hidden') {
        answers[r.interactionId] = { text: response.text, held: response.state === 'held' }
      }
    }
    // Wins also reach the phone through the stream; a slow database must not hold this page.
    const wins: Me['wins'] = await withTimeout(
      this.db
        .select({ raffle: raffles, tier: raffleWinners.tier, claimedAt: rafflePicks.claimedAt })
        .from(raffleWinners)
        .innerJoin(raffles, eq(raffles.id, raffleWinners.raffleId))
        .leftJoin(
          rafflePicks,
          and(eq(rafflePicks.raffleId, raffleWinners.raffleId), eq(rafflePicks.number, raffleWinners.number)),
        )
        .where(and(eq(raffles.eventId, event.id), eq(raffleWinners.number, number)))
        .then((rows) =>
          rows.map(({ raffle, tier, claimedAt }) => ({
            raffleId: raffle.id,
            name: raffle.name,
            tier,
            prize: prizesOf(raffle).find((p) => p.tier === tier)?.name ?? raffle.name,
            claimed: claimedAt !== null && claimedAt !== undefined,
          })),
        ),
      1000,
      [],
    )
    const questions = (await this.live(() => this.engagement.questionsOf(event.id, number))).map((q) => ({
      id: q.id,
      text: q.text,
      state: q.state,
      pinned: q.pinned,
      answered: q.answered,
    }))
    // Only a wristband that answered a poll of another kind than choice has `answers`.
    return {
      number,
      votes,
      choices,
      ...(Object.keys(answers).length ? { answers } : {}),
      wins,
      questions,
      upvoted: upvoted.sort((a, b) => a - b),
    }
  }
}
