/**
 * Quizzes: the host builds one (its questions are interactions of kind `quiz`), starts the
 * questions one by one (each waits for the host: that is the pause between questions), and
 * guests answer through the counter layer's response step, once, before the deadline.
 *
 * Scores and ranks are computed once per question end for everyone (one sort), on each
 * instance that is asked, from the live responses (which Postgres rebuilds after a
 * restart), and kept until the next question ends; `/me` is then a map lookup. The instance
 * that started the question computes them QUIZ_SCORE_GRACE_MS after the deadline and puts
 * the leaderboard in the question's definition, so the ticker shows it on every screen.
 */
import { randomBytes } from 'node:crypto'
import { and, asc, eq, inArray, ne } from 'drizzle-orm'
import { auditLog, nicknames, pollOptions, polls, quizzes } from '../../db/schema.ts'
import { cleanGuestText, findBlockedWord, visibleLength } from '../../protocol/guest-text.ts'
import { type LeaderRow, NICKNAME_MAX_CHARS, QUIZ_SCORE_GRACE_MS } from '../../protocol/index.ts'
import type { AnswerBody, CreateQuiz, Quiz, ScoreResult } from '../../protocol/quiz-api.ts'
import type { Database } from '../database/connect.ts'
import type { EventDirectory, EventRecord } from '../events/directory.ts'
import { audit } from '../host/audit.ts'
import { isDependencyDown } from '../http/dependency-errors.ts'
import { ApiFailure, badRequest, conflict, notFound, unavailable } from '../http/errors.ts'
import {
  QUIZ_KIND,
  type QuizQuestionConfig,
  type QuizResponse,
  quizAnswer,
  quiz as quizKind,
} from '../interactions/kinds/quiz.ts'
import type { Logger } from '../lib/logger.ts'
import { withTimeout } from '../lib/timeout.ts'
import type { LiveCounters, ResponseError } from '../live/counters/types.ts'
import { type ScoredQuestion, type Standings, scoreQuestion, standings } from './score.ts'

/** Answers one wristband may give per window (one per question; retries are deduped by actionId). */
const ANSWER_LIMIT = { count: 30, windowMs: 10_000 }
/** How long the list of started questions is trusted on an instance (another may have started one). */
const STARTED_TTL_MS = 250
/** How long an instance trusts its copy of the event's nicknames (a change made here applies at once). */
const NICKNAMES_TTL_MS = 5000

interface QuestionRow {
  id: number
  question: string
  state: 'draft' | 'open' | 'closed'
  config: QuizQuestionConfig
}

interface Scored {
  /** The last question these standings include. */
  through: number
  standings: Standings
}

const answerErrors: Partial<Record<ResponseError, ApiFailure>> = {
  not_open: new ApiFailure(409, 'question_not_open', 'this question has not started', {
    questionId: 'not started yet',
  }),
  closed: new ApiFailure(409, 'question_closed', 'time is up for this question', {
    questionId: 'the deadline has passed',
  }),
  unknown_key: new ApiFailure(422, 'unknown_option', 'that option is not part of this question', {
    optionId: 'not an option of this question',
  }),
  too_many_keys: new ApiFailure(422, 'unknown_option', 'one option per answer', { optionId: 'one option' }),
  already_answered: new ApiFailure(409, 'already_answered', 'this wristband has answered this question already', {
    questionId: 'answered already',
  }),
  revoked: new ApiFailure(403, 'wristband_revoked', 'this wristband no longer works; ask the staff for help'),
  rate_limited: new ApiFailure(
    429,
    'rate_limited',
    'too many answers from this wristband; wait a few seconds',
    undefined,
    {
      'retry-after': '10',
    },
  ),
}

const unknownQuestion = new ApiFailure(404, 'unknown_question', 'there is no such question in this quiz', {
  questionId: 'not a question of this quiz',
})

export class QuizService {
  /** questionId -> quizId: never changes, so every instance may keep it. */
  private quizOf = new Map<number, number>()
  private started = new Map<number, { at: number; rows: Promise<QuestionRow[]> }>()
  /** Points per question, once its answers are final (deadline + grace). */
  private questionScores = new Map<number, Map<number, number>>()
  private scored = new Map<number, Scored>()
  private inFlight = new Map<number, Promise<Scored | null>>()
  private nicknames = new Map<number, { at: number; names: Promise<Map<number, string>> }>()
  private timers = new Set<ReturnType<typeof setTimeout>>()

  constructor(
    private db: Database,
    private counters: LiveCounters,
    private directory: EventDirectory,
    private log: Logger,
  ) {}

  // ---- host ----

  async create(event: EventRecord, input: CreateQuiz): Promise<Quiz> {
    const quizId = await this.db.transaction(async (tx) => {
      const [row] = await tx.insert(quizzes).values({ eventId: event.id, title: input.title }).returning()
      for (const [index, q] of input.questions.entries()) {
        const config: QuizQuestionConfig = {
          quizId: row.id,
          title: input.title,
          index,
          total: input.questions.length,
          correct: [],
          seconds: q.seconds,
          points: q.points,
        }
        const [poll] = await tx
          .insert(polls)
          .values({ eventId: event.id, kind: QUIZ_KIND, question: q.question, config: { ...config } })
          .returning({ id: polls.id })
        const options = await tx
          .insert(pollOptions)
          .values(q.options.map((label, position) => ({ pollId: poll.id, label, position })))
          .returning({ id: pollOptions.id })
        config.correct = q.correct.map((i) => options[i].id).sort((a, b) => a - b)
        await tx
          .update(polls)
          .set({ config: { ...config } })
          .where(eq(polls.id, poll.id))
      }
      await tx.insert(auditLog).values({ eventId: event.id, action: 'quiz.create', detail: { quizId: row.id } })
      return row.id
    })
    const quiz = await this.get(event, quizId)
    for (const q of quiz.questions) await this.publish(event.id, q.id)
    return quiz
  }

  async list(event: EventRecord): Promise<Quiz[]> {
    const rows = await this.db
      .select({ id: quizzes.id })
      .from(quizzes)
      .where(eq(quizzes.eventId, event.id))
      .orderBy(asc(quizzes.id))
    return Promise.all(rows.map((r) => this.get(event, r.id)))
  }

  async get(event: EventRecord, quizId: number): Promise<Quiz> {
    const [row] = await this.db
      .select()
      .from(quizzes)
      .where(and(eq(quizzes.id, quizId), eq(quizzes.eventId, event.id)))
    if (!row) throw notFound('quiz')
    const questions = await this.questionRows(event.id, quizId)
    const options = questions.length
      ? await this.db
          .select({ id: pollOptions.id, label: pollOptions.label, pollId: pollOptions.pollId })
          .from(pollOptions)
          .where(
            inArray(
              pollOptions.pollId,
              questions.map((q) => q.id),
            ),
          )
          .orderBy(asc(pollOptions.position))
      : []
    let current = -1
    for (const q of questions) if (q.state !== 'draft') current = Math.max(current, q.config.index)
    return {
      id: row.id,
      title: row.title,
      current,
      questions: questions.map((q) => ({
        id: q.id,
        question: q.question,
        options: options.filter((o) => o.pollId === q.id).map((o) => ({ id: o.id, label: o.label })),
        correct: q.config.correct,
        seconds: q.config.seconds,
        points: q.config.points,
        endsAt: q.config.endsAt ?? null,
      })),
    }
  }

  private async questionRows(eventId: number, quizId: number): Promise<QuestionRow[]> {
    const rows = (await this.db
      .select({ id: polls.id, question: polls.question, state: polls.state, config: polls.config })
      .from(polls)
      .where(and(eq(polls.eventId, eventId), eq(polls.kind, QUIZ_KIND)))
      .orderBy(asc(polls.id))) as unknown as QuestionRow[]
    return rows.filter((r) => r.config.quizId === quizId).sort((a, b) => a.config.index - b.config.index)
  }

  /** Puts a question's live definition in the counter layer from its row. */
  private async publish(eventId: number, questionId: number) {
    const [row] = await this.db.select().from(polls).where(eq(polls.id, questionId))
    const options = await this.db
      .select({ id: pollOptions.id, label: pollOptions.label })
      .from(pollOptions)
      .where(eq(pollOptions.pollId, questionId))
      .orderBy(asc(pollOptions.position))
    await this.counters.putInteraction(
      eventId,
      quizKind.define({
        id: row.id,
        kind: row.kind,
        question: row.question,
        state: row.state,
        config: row.config,
        options,
      }),
    )
  }

  /**
   * Starts the next question: it takes answers until `endsAt` = now + seconds. Refused
   * while a question of the quiz is still running, and after the last one.
   */
  async next(event: EventRecord, quizId: number): Promise<Quiz> {
    await this.get(event, quizId)
    const questions = await this.questionRows(event.id, quizId)
    const now = Date.now()
    const started = questions.filter((q) => q.state !== 'draft')
    const running = started.find((q) => q.config.endsAt !== undefined && now < q.config.endsAt)
    if (running) throw conflict('question_running', 'the current question is still running; wait for its deadline')
    const next = questions.find((q) => q.state === 'draft')
    if (!next) throw conflict('quiz_finished', 'every question of this quiz has been asked')
    for (const q of started) {
      if (q.state === 'open') {
        await this.db.update(polls).set({ state: 'closed' }).where(eq(polls.id, q.id))
        await this.publish(event.id, q.id)
      }
    }
    const endsAt = now + next.config.seconds * 1000
    await this.db
      .update(polls)
      .set({ state: 'open', config: { ...next.config, endsAt } })
      .where(eq(polls.id, next.id))
    await audit(this.db, event.id, 'quiz.next', { quizId, questionId: next.id, endsAt })
    await this.publish(event.id, next.id)
    this.started.delete(event.id)
    const timer = setTimeout(
      () => {
        this.timers.delete(timer)
        this.refresh(event.id).catch((err) => this.log.warn('quiz scoring failed', { error: String(err) }))
      },
      endsAt + QUIZ_SCORE_GRACE_MS - Date.now(),
    )
    timer.unref?.()
    this.timers.add(timer)
    return this.get(event, quizId)
  }

  /** The host takes a nickname off (the leaderboard shows the number again). */
  async resetNickname(event: EventRecord, number: number) {
    await this.db.delete(nicknames).where(and(eq(nicknames.eventId, event.id), eq(nicknames.number, number)))
    await audit(this.db, event.id, 'quiz.nickname.reset', { number })
    await this.renamed(event.id, number)
    return { nickname: null }
  }

  /** A nickname changed: the leaderboard on the screens is written again if it shows this wristband. */
  private async renamed(eventId: number, number: number) {
    this.nicknames.delete(eventId)
    const scored = await this.live(() => this.refresh(eventId))
    if (scored?.standings.top.some((r) => r.number === number)) await this.live(() => this.refresh(eventId, true))
  }

  // ---- guests ----

  /** A guest's answer: one per wristband per question, before the deadline by this server's clock. */
  async answer(event: EventRecord, number: number, body: AnswerBody) {
    if (event.status !== 'live') {
      throw new ApiFailure(409, `event_${event.status}`, event.message || `the event is ${event.status}`)
    }
    const quizId = await this.live(() => this.quizIdOf(event.id, body.questionId))
    if (quizId !== body.quizId) throw unknownQuestion
    const actionId = body.actionId ?? randomBytes(12).toString('base64url')
    const now = Date.now()
    const respond = () =>
      this.counters.respond(event.id, {
        number,
        interactionId: body.questionId,
        kind: QUIZ_KIND,
        slot: '',
        ...quizAnswer(body.optionId, now),
        actionId,
        now,
        limit: ANSWER_LIMIT,
      })
    const result = await this.live(async () => {
      await this.directory.ensureLoaded(event.id)
      const r = await respond()
      if (r.ok || r.error === 'rate_limited' || (await this.counters.isLoaded(event.id))) return r
      await this.directory.ensureLoaded(event.id, true)
      return respond()
    })
    if (!result.ok) throw answerErrors[result.error] ?? unknownQuestion
    return { status: 'accepted' as const, duplicate: result.duplicate, at: now }
  }

  async setNickname(event: EventRecord, number: number, raw: string) {
    const nickname = cleanGuestText(raw)
    if (!nickname) {
      await this.db.delete(nicknames).where(and(eq(nicknames.eventId, event.id), eq(nicknames.number, number)))
      await this.renamed(event.id, number)
      return { nickname: null }
    }
    const length = visibleLength(nickname)
    if (length > NICKNAME_MAX_CHARS) {
      throw badRequest('nickname_too_long', `at most ${NICKNAME_MAX_CHARS} characters`, {
        nickname: `${length} characters, at most ${NICKNAME_MAX_CHARS}`,
      })
    }
    if (findBlockedWord(nickname, event.settings.blockedWords)) {
      throw badRequest('blocked_word', 'this nickname contains a word the host does not allow', {
        nickname: 'contains a blocked word',
      })
    }
    await this.db
      .insert(nicknames)
      .values({ eventId: event.id, number, nickname })
      .onConflictDoUpdate({ target: [nicknames.eventId, nicknames.number], set: { nickname, at: new Date() } })
    await this.renamed(event.id, number)
    return { nickname }
  }

  /** `/me`'s quiz part: score and rank after the last scored question of the quiz started last (a lookup). */
  async standing(event: EventRecord, number: number): Promise<{ score?: number; rank?: number | null }> {
    const scored = await this.live(() => this.refresh(event.id))
    if (!scored) return {}
    return { score: scored.standings.scores.get(number) ?? 0, rank: scored.standings.ranks.get(number) ?? null }
  }

  /**
   * `GET .../score`: the standing plus this wristband's answers and nickname, so a phone
   * that reloads (or a second phone) shows the current question as answered at once.
   */
  async score(event: EventRecord, number: number): Promise<ScoreResult> {
    const scored = await this.live(() => this.refresh(event.id))
    const rows = await this.live(() => this.startedRows(event.id))
    const quizId = latestQuiz(rows)
    const ids = new Set(rows.filter((r) => r.config.quizId === quizId).map((r) => r.id))
    const answers: Record<string, number> = {}
    if (ids.size) {
      for (const r of await this.live(() => this.counters.responsesOf(event.id, number))) {
        if (ids.has(r.interactionId)) answers[r.interactionId] = (JSON.parse(r.response) as QuizResponse).optionId
      }
    }
    const names = await withTimeout(this.nicknamesOf(event.id), 1000, new Map<number, string>())
    const s = scored?.standings
    return {
      score: s?.scores.get(number) ?? 0,
      rank: s?.ranks.get(number) ?? null,
      players: s?.scores.size ?? 0,
      quizId,
      scoredQuestionId: scored?.through ?? null,
      answers,
      nickname: names.get(number) ?? null,
    }
  }

  /** The event's nicknames, read at most every NICKNAMES_TTL_MS (and at once after a change here). */
  private nicknamesOf(eventId: number): Promise<Map<number, string>> {
    const hit = this.nicknames.get(eventId)
    if (hit && Date.now() - hit.at < NICKNAMES_TTL_MS) return hit.names
    const names = this.db
      .select({ number: nicknames.number, nickname: nicknames.nickname })
      .from(nicknames)
      .where(eq(nicknames.eventId, eventId))
      .then((rows) => new Map(rows.map((r) => [r.number, r.nickname])))
    names.catch(() => this.nicknames.delete(eventId))
    this.nicknames.set(eventId, { at: Date.now(), names })
    return names
  }

  // ---- scoring ----

  private async quizIdOf(eventId: number, questionId: number): Promise<number | null> {
    const known = this.quizOf.get(questionId)
    if (known !== undefined) return known
    const [row] = await this.db
      .select({ config: polls.config, kind: polls.kind })
      .from(polls)
      .where(and(eq(polls.id, questionId), eq(polls.eventId, eventId)))
    if (!row || row.kind !== QUIZ_KIND) return null
    const quizId = (row.config as unknown as QuizQuestionConfig).quizId
    this.quizOf.set(questionId, quizId)
    return quizId
  }

  /** The event's started quiz questions, re-read at most every STARTED_TTL_MS. */
  private startedRows(eventId: number): Promise<QuestionRow[]> {
    const hit = this.started.get(eventId)
    if (hit && Date.now() - hit.at < STARTED_TTL_MS) return hit.rows
    const rows = this.db
      .select({ id: polls.id, question: polls.question, state: polls.state, config: polls.config })
      .from(polls)
      .where(and(eq(polls.eventId, eventId), eq(polls.kind, QUIZ_KIND), ne(polls.state, 'draft')))
      .then((r) => r as unknown as QuestionRow[])
    rows.catch(() => this.started.delete(eventId))
    this.started.set(eventId, { at: Date.now(), rows })
    return rows
  }

  /**
   * The standings of the quiz started last, through its last question whose deadline (and
   * grace) has passed: computed once per question end (one in flight per event), then
   * cached. Publishes the leaderboard into that question when it lacks it (or `force`).
   */
  refresh(eventId: number, force = false): Promise<Scored | null> {
    const running = this.inFlight.get(eventId)
    if (running && !force) return running
    const p = this.compute(eventId, force).finally(() => {
      if (this.inFlight.get(eventId) === p) this.inFlight.delete(eventId)
    })
    this.inFlight.set(eventId, p)
    return p
  }

  private async compute(eventId: number, force: boolean): Promise<Scored | null> {
    if (force) this.started.delete(eventId)
    const rows = await this.startedRows(eventId)
    const quizId = latestQuiz(rows)
    if (quizId === null) return null
    const now = Date.now()
    const ended = rows
      .filter((r) => r.config.quizId === quizId && r.config.endsAt! + QUIZ_SCORE_GRACE_MS <= now)
      .sort((a, b) => a.config.index - b.config.index)
    if (!ended.length) return null
    const last = ended[ended.length - 1]
    const cached = this.scored.get(quizId)
    if (cached && cached.through === last.id && !force) return cached
    const perQuestion: Map<number, number>[] = []
    for (const q of ended) {
      let scores = this.questionScores.get(q.id)
      if (!scores) {
        const question: ScoredQuestion = { id: q.id, ...q.config, endsAt: q.config.endsAt! }
        scores = scoreQuestion(question, await this.counters.responsesTo(eventId, q.id))
        this.questionScores.set(q.id, scores)
      }
      perQuestion.push(scores)
    }
    const result: Scored = { through: last.id, standings: standings(perQuestion) }
    this.scored.set(quizId, result)
    if (force || !last.config.leaderboard) await this.publishLeaderboard(eventId, last, result.standings)
    return result
  }

  private async publishLeaderboard(eventId: number, q: QuestionRow, s: Standings) {
    const numbers = s.top.map((r) => r.number)
    const names = numbers.length
      ? await this.db
          .select({ number: nicknames.number, nickname: nicknames.nickname })
          .from(nicknames)
          .where(and(eq(nicknames.eventId, eventId), inArray(nicknames.number, numbers)))
      : []
    const byNumber = new Map(names.map((n) => [n.number, n.nickname]))
    const leaderboard: LeaderRow[] = s.top.map((r) => {
      const nickname = byNumber.get(r.number)
      return nickname ? { ...r, nickname } : r
    })
    const config: QuizQuestionConfig = { ...q.config, leaderboard, players: s.scores.size }
    await this.db
      .update(polls)
      .set({ config: { ...config } })
      .where(eq(polls.id, q.id))
    await this.publish(eventId, q.id)
    this.started.delete(eventId)
  }

  /** Runs a counter-layer call, turning a backend failure into a retryable 503 (a bug stays a 500). */
  private async live<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (err) {
      if (err instanceof ApiFailure || !isDependencyDown(err)) throw err
      throw unavailable('live state is unavailable right now; try again')
    }
  }

  stop() {
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
  }
}

/** The quiz whose question started last, if any. */
function latestQuiz(rows: QuestionRow[]): number | null {
  let best: QuestionRow | null = null
  for (const r of rows) if (r.config.endsAt !== undefined && (!best || r.config.endsAt > best.config.endsAt!)) best = r
  return best?.config.quizId ?? null
}
