/**
 * The ticker: for each live event, exactly one instance in the deployment (the holder
 * of the `ticker:<eventId>` lease) reads the live counters every tick, diffs them
 * against the last snapshot and appends at most one delta to the event's delta log.
 * Each append is fenced by the lease and by the sequence number, so a ticker that lost
 * its lease can never write, and the sequence has no gap and no repeat across takeovers.
 */

import {
  type AdminView,
  byPosition,
  DANMAKU_KEPT,
  type Delta,
  type Poll,
  QUESTIONS_KEPT,
  type Snapshot,
} from '../../protocol/index.ts'
import { withoutResults } from '../interactions/kind.ts'
import { QA_KIND } from '../interactions/kinds/qa.ts'
import { QUIZ_KIND, quizView } from '../interactions/kinds/quiz.ts'
import { kindOf } from '../interactions/registry.ts'
import type { Logger } from '../lib/logger.ts'
import type { LiveRead } from '../live/counters/types.ts'
import type { EngagementRead } from '../live/engagement/types.ts'
import type { LiveLayer } from '../live/index.ts'
import { ADMIN_LIST_KEPT } from '../live/limits.ts'
import { newEpoch } from '../live/log/types.ts'
import { newHistory, parseTickerState, type TickerState } from './ticker-state.ts'

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** Danmaku ids the ticker keeps watching for a hide: a screen flies one for about 10 s. */
const RECENT_WATCHED = 300

/** The ids a hide must still reach: the snapshot's and those published lately. */
export const watchedIds = (state: TickerState): number[] => [
  ...new Set([...(state.recent ?? []), ...state.snapshot.danmaku.map((d) => d.id)]),
]

/** Each interaction's full view, made by its kind from its counters, in the host's order. */
export const viewsOf = (live: LiveRead): Poll[] =>
  live.interactions
    .filter((i) => i.def.kind !== QA_KIND && i.def.kind !== QUIZ_KIND)
    .map((i) => kindOf(i.def.kind).view(i.def, i.counts, i.responders))
    .sort(byPosition)

/**
 * The public views (a poll whose results are hidden shows none) and, for the host stream,
 * the full views of those hidden ones.
 */
export function publicViews(live: LiveRead): { polls: Poll[]; results: Poll[] } {
  const polls: Poll[] = []
  const results: Poll[] = []
  for (const view of viewsOf(live)) {
    if (view.hideResults && !view.revealed) {
      polls.push(withoutResults(view))
      results.push(view)
    } else polls.push(view)
  }
  return { polls, results }
}

/** The event's Q&A board, if it has one yet. */
export const boardOf = (live: LiveRead): number | null =>
  live.interactions.find((i) => i.def.kind === QA_KIND)?.def.id ?? null

/**
 * Compares what the counters say now with the last state. Returns the delta (null when
 * nothing changed) and the state after it. Pure, so it is easy to test.
 */
export function diffLive(
  prev: TickerState,
  live: LiveRead,
  extra?: EngagementRead,
  now = Date.now(),
): { delta: Delta | null; next: TickerState } {
  const s = prev.snapshot
  const { polls, results } = publicViews(live)
  const liveAdmin: AdminView = results.length ? { ...live.admin, results } : live.admin
  const delta: Delta = { seq: s.seq + 1 }
  let changed = false
  const mark = <K extends keyof Delta>(key: K, value: Delta[K]) => {
    delta[key] = value
    changed = true
  }
  if (live.status !== s.status) mark('status', live.status)
  if (live.message !== s.message) mark('message', live.message)
  if (live.checkins !== s.checkins) mark('checkins', live.checkins)

  const before = new Map(s.polls.map((p) => [p.id, p]))
  const changedPolls = polls.filter((p) => !same(before.get(p.id), p))
  if (changedPolls.length) mark('polls', changedPolls)
  const liveIds = new Set(polls.map((p) => p.id))
  const removedPolls = s.polls.filter((p) => !liveIds.has(p.id)).map((p) => p.id)
  if (removedPolls.length) mark('removedPolls', removedPolls)

  const hidden = new Set(live.hidden)
  const watched = watchedIds(prev)
  const removedDanmaku = watched.filter((id) => hidden.has(id))
  if (removedDanmaku.length) mark('removedDanmaku', removedDanmaku)
  // A burst bigger than a snapshot holds is sampled down to the newest: the screen could not show more.
  const fresh = live.feed.filter((d) => !hidden.has(d.id)).slice(-DANMAKU_KEPT)
  if (fresh.length) mark('danmaku', fresh)

  const rafflesBefore = new Map(s.raffles.map((r) => [r.id, r]))
  const changedRaffles = live.raffles.filter((r) => !same(rafflesBefore.get(r.id), r))
  if (changedRaffles.length) mark('raffles', changedRaffles)
  if (!same(live.show, s.show)) mark('show', live.show)
  if (!same(live.screen, s.screen)) mark('screen', live.screen)
  const quiz = quizView(live.interactions, now)
  if (!same(quiz, s.quiz ?? null)) mark('quiz', quiz)
  const admin: AdminView = extra ? { ...liveAdmin, heldQuestions: extra.held } : liveAdmin
  if (!same(admin, prev.admin)) mark('admin', admin)

  const questionsBefore = s.questions ?? []
  const questions = extra?.questions ?? questionsBefore
  if (extra) {
    const byId = new Map(questionsBefore.map((q) => [q.id, q]))
    const changedQuestions = questions.filter((q) => !same(byId.get(q.id), q))
    if (changedQuestions.length) mark('questions', changedQuestions)
    const ids = new Set(questions.map((q) => q.id))
    const removedQuestions = questionsBefore.filter((q) => !ids.has(q.id)).map((q) => q.id)
    if (removedQuestions.length) mark('removedQuestions', removedQuestions)
    if (Object.keys(extra.reactions).length) mark('reactions', extra.reactions)
  }

  const recent = watched
    .filter((id) => !hidden.has(id))
    .concat(fresh.map((d) => d.id))
    .slice(-RECENT_WATCHED)
  if (!changed) return { delta: null, next: { ...prev, feedCursor: live.feedCursor } }
  const danmaku = s.danmaku
    .filter((d) => !hidden.has(d.id))
    .concat(fresh)
    .slice(-DANMAKU_KEPT)
  const snapshot: Snapshot = {
    ...s,
    seq: delta.seq,
    status: live.status,
    message: live.message,
    checkins: live.checkins,
    polls,
    danmaku,
    raffles: live.raffles,
    show: live.show,
    questions,
    screen: live.screen,
  }
  // Absent until an event has had a quiz, so snapshots without one stay as they were.
  if (quiz || s.quiz !== undefined) snapshot.quiz = quiz
  return { delta, next: { snapshot, admin, feedCursor: live.feedCursor, recent } }
}

export interface TickerStats {
  ticks: number
  deltas: number
  owned: Set<number>
}

/**
 * Quiet ticks in a row (nothing changed, nothing woke the event meanwhile) after which an
 * event's ticker goes to sleep and gives its lease up; about a second at the default tick.
 */
const QUIET_TICKS = 7

/**
 * Runs the ticker for every event that has work; only the lease holder writes.
 *
 * It wakes on work, not on a timer: a change to an event's live state (server/live/wakes.ts)
 * wakes its event, which is then ticked every tick until `QUIET_TICKS` ticks in a row
 * found nothing new, and nothing woke it while they ran; then it sleeps and gives up
 * its lease, and with no event awake the loop's timer stops. An event with no activity
 * costs nothing per tick.
 *
 * Across instances: an instance that took a change wakes its own ticker. If another
 * instance holds the lease, that one is awake and its next tick reads the change from the
 * shared counters; the woken one keeps asking for the lease every tick (it does not
 * count as quiet) until it holds it and finds nothing new. A holder going to sleep gives
 * the lease up at once, so a change taken elsewhere just before waits at most a tick more.
 * Both modes run so. A sleeping ticker keeps no state: the history it made is in the log
 * with the state after each delta, and whoever wakes first goes on from there. When Redis
 * came back behind what the clients saw (its AOF lost the last second), the log says so
 * (`sameStore`), and the history goes on from a fresh epoch: clients get a snapshot rather
 * than deltas under sequence numbers they already saw (test/faults/redis-lost-second.test.ts,
 * test/faults/ticker-and-redis-lost.test.ts). A holder that stays awake through the outage
 * goes on from its own state (`ahead`), which is the newest: the lease kept anyone else out.
 * An instance that dies between taking a change and ticking it would leave it unread
 * until the next change; so in cluster mode each instance pokes the events it has
 * subscribers for once a second (`poke`: one tick), and whoever holds the lease, or
 * takes it once the dead one's has expired, reads it.
 */
export class Tickers {
  readonly stats: TickerStats = { ticks: 0, deltas: 0, owned: new Set() }
  private states = new Map<number, TickerState>()
  /** Events whose log came back behind this ticker's state: the next append goes on from ours. */
  private ahead = new Set<number>()
  /** Events whose last tick failed (Redis away): the log is looked at again before going on. */
  private failed = new Set<number>()
  private events = new Set<number>()
  /** Awake events, with their quiet ticks in a row. */
  private awake = new Map<number, number>()
  /** How many times each awake event was woken (a wake during a tick keeps it awake). */
  private wakes = new Map<number, number>()
  private timer: ReturnType<typeof setInterval> | null = null
  private running = false
  private inFlight = false

  constructor(
    private live: LiveLayer,
    private log: Logger,
    private opts: { owner: string; tickMs: number; leaseMs: number },
  ) {}

  /**
   * The open events. One that leaves is forgotten and its lease given up once it is quiet.
   */
  setEvents(ids: Iterable<number>) {
    const next = new Set(ids)
    for (const id of this.events) if (!next.has(id) && !this.awake.has(id)) this.forget(id)
    this.events = next
  }

  /** Events awake now (for tests and metrics). */
  get awakeCount() {
    return this.awake.size
  }

  /** Something in this event's live state may have changed: tick it until it is quiet. */
  wake(eventId: number) {
    this.wakes.set(eventId, (this.wakes.get(eventId) ?? 0) + 1)
    this.awake.set(eventId, 0)
    this.arm()
  }

  /**
   * One tick soon for an event that was not woken (it sleeps again after one quiet tick):
   * the slow look cluster mode keeps at events with subscribers, in case the instance that
   * took a change died before its ticker read it.
   */
  poke(eventId: number) {
    if (this.awake.has(eventId)) return
    this.awake.set(eventId, QUIET_TICKS - 1)
    this.arm()
  }

  private forget(eventId: number) {
    this.states.delete(eventId)
    this.awake.delete(eventId)
    this.wakes.delete(eventId)
    if (this.stats.owned.delete(eventId)) {
      void this.live.leases.release(`ticker:${eventId}`, this.opts.owner).catch(() => {})
    }
  }

  start() {
    this.running = true
    this.arm()
  }

  /** Starts the loop's timer if an event is awake; the first tick runs at once. */
  private arm() {
    if (!this.running || this.timer || !this.awake.size) return
    this.timer = setInterval(() => this.loop(), this.opts.tickMs)
    this.loop()
  }

  private loop() {
    // A slow tick (Redis hiccup) must not pile up ticks behind it.
    if (this.inFlight) return
    if (!this.awake.size) {
      if (this.timer) clearInterval(this.timer)
      this.timer = null
      return
    }
    this.inFlight = true
    this.tickAll().finally(() => (this.inFlight = false))
  }

  /** One tick of every awake event. */
  async tickAll() {
    await Promise.all([...this.awake.keys()].map((id) => this.tickAwake(id)))
  }

  /** Ticks an awake event and puts it to sleep once it has been quiet long enough. */
  private async tickAwake(eventId: number) {
    const woken = this.wakes.get(eventId)
    const quiet = (await this.tick(eventId)) && this.wakes.get(eventId) === woken
    if (!this.awake.has(eventId)) return
    const ticks = quiet ? (this.awake.get(eventId) ?? 0) + 1 : 0
    if (ticks < QUIET_TICKS) {
      this.awake.set(eventId, ticks)
      return
    }
    this.awake.delete(eventId)
    this.wakes.delete(eventId)
    // The state goes too: once the lease is given up, another instance may take the history
    // further, and a state kept here could only be older. On waking, the ticker goes on from
    // the log's, or from a fresh epoch if its Redis restarted since (see tick).
    this.states.delete(eventId)
    this.ahead.delete(eventId)
    this.failed.delete(eventId)
    if (this.stats.owned.delete(eventId))
      await this.live.leases.release(`ticker:${eventId}`, this.opts.owner).catch(() => {})
    if (!this.events.has(eventId)) this.forget(eventId)
  }

  /**
   * One tick of one event. Exposed for tests. True when it was quiet: this instance holds
   * the lease and found nothing new.
   */
  async tick(eventId: number): Promise<boolean> {
    this.stats.ticks++
    const { owner, leaseMs } = this.opts
    try {
      if (!(await this.live.leases.acquire(`ticker:${eventId}`, owner, leaseMs))) {
        if (this.stats.owned.delete(eventId)) this.log.info('ticker lease lost', { eventId })
        this.states.delete(eventId)
        return false
      }
      if (!this.stats.owned.has(eventId)) {
        this.stats.owned.add(eventId)
        this.log.info('ticker lease taken', { eventId, owner })
      }
      let state = this.states.get(eventId)
      if (state && this.failed.has(eventId)) {
        // Back after a failure: the log may have lost everything (a new history at a fresh
        // epoch), come back behind us (ours goes on), or gone further (someone else's).
        const logged = parseTickerState(await this.live.log.state(eventId))
        if (!logged) state = undefined
        else if (logged.snapshot.seq < state.snapshot.seq) this.ahead.add(eventId)
        else if (logged.snapshot.seq > state.snapshot.seq) state = logged
        if (state) this.states.set(eventId, state)
        else this.states.delete(eventId)
      }
      this.failed.delete(eventId)
      if (!state) {
        // No state of our own: go on from the log's, or with none there, a new history at a
        // fresh epoch. A log its Redis restarted under may have lost entries clients saw
        // (Redis and this ticker gone at once): its content goes on (the live state is diffed
        // against it), numbered from a fresh epoch, above any sequence number it held.
        const logged = parseTickerState(await this.live.log.state(eventId))
        if (logged && !(await this.live.log.sameStore(eventId))) {
          this.ahead.add(eventId)
          this.log.warn('delta log written before its Redis restarted; its history goes on from a new epoch', {
            eventId,
          })
          logged.snapshot.seq = newEpoch()
        }
        state = logged ?? newHistory()
        this.states.set(eventId, state)
      }
      const askHidden = watchedIds(state)
      const read = await this.live.counters.readLive(eventId, state.feedCursor, askHidden)
      const extra = await this.live.engagement.read(eventId, boardOf(read), QUESTIONS_KEPT, ADMIN_LIST_KEPT)
      // The event may have been forgotten while the read was under way.
      if (!this.awake.has(eventId)) return false
      const { delta, next } = diffLive(state, read, extra)
      if (!delta) {
        this.states.set(eventId, next)
        return true
      }
      const ahead = this.ahead.has(eventId)
      const ok = await this.live.log.append(
        eventId,
        owner,
        delta.seq,
        JSON.stringify(delta),
        JSON.stringify(next),
        ahead,
      )
      if (ok) {
        this.states.set(eventId, next)
        this.ahead.delete(eventId)
        this.stats.deltas++
        if (ahead) this.log.warn('delta log came back behind the ticker; its history goes on', { eventId })
        return false
      }
      this.ahead.delete(eventId)
      // The log went back behind what this ticker appended (its Redis lost its last writes):
      // the clients saw our history, so it goes on from our state, not from the log's
      // older one under sequence numbers they already had.
      const logged = parseTickerState(await this.live.log.state(eventId))
      if (!ahead && logged && logged.snapshot.seq < state.snapshot.seq) this.ahead.add(eventId)
      // Lost the lease or someone else appended: start again from the log's state.
      else this.states.delete(eventId)
      return false
    } catch (err) {
      // The state is kept through an outage (Redis down): it is the history the clients
      // saw, and the log may come back behind it. If an append did go through unanswered,
      // the next one is refused and the state is read again from the log.
      this.failed.add(eventId)
      this.log.debug('tick failed', { eventId, error: String(err) })
      return false
    }
  }

  async stop() {
    this.running = false
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    for (const eventId of this.stats.owned) {
      await this.live.leases.release(`ticker:${eventId}`, this.opts.owner).catch(() => {})
    }
    this.stats.owned.clear()
  }
}
