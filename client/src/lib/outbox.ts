/**
 * The action outbox: a guest's votes and messages, kept in localStorage until the
 * server has either accepted or refused each one, so nothing a guest did is lost to a
 * dead signal, a reload or a server restart.
 *
 * - Each action gets its `actionId` when it is made; every retry sends the same id, so
 *   the server applies it once however often it arrives (DESIGN.md, failure contract).
 * - Actions are sent in the order they were made, one at a time.
 * - A network failure, a 502-504 (a backend or proxy is down) or a 429 keeps the action
 *   and retries it: after `Retry-After` when the server gives one, else with capped,
 *   jittered exponential backoff (a room of phones must not retry in step).
 * - A 500 is a bug on the server, not an outage: it is retried `INTERNAL_ERROR_TRIES`
 *   times in case it was a one-off, then refused with the server's error id, instead of
 *   being retried for the rest of the night.
 * - Any other 4xx is final: the action is dropped and kept, with the server's reason, in
 *   `refused` until the guest dismisses it.
 * - A 401 (the guest's check-in cookie is gone) pauses the outbox without dropping
 *   anything; `resume()` after checking in again sends what is waiting.
 * - A vote waiting to be sent is replaced by a newer vote in the same poll: only the
 *   guest's last choice matters, and sending both would count for nothing.
 *
 * The queue is stored per event and wristband, so it survives a reload and never mixes
 * two wristbands used on one phone.
 */
import type { z } from 'zod'
import type { ApiError, messageBodySchema, voteBodySchema } from '../../../protocol/index.ts'

/** What the phone sends; the outbox adds the actionId itself. */
export type VoteBody = Omit<z.input<typeof voteBodySchema>, 'actionId'>
export type MessageBody = Omit<z.input<typeof messageBodySchema>, 'actionId'>
export type ActionKind = 'vote' | 'message'
export type BodyOf<K extends ActionKind> = K extends 'vote' ? VoteBody : MessageBody

export interface QueuedAction<K extends ActionKind = ActionKind> {
  kind: K
  actionId: string
  body: BodyOf<K>
  /** What the UI shows for it, e.g. the option's label. */
  label: string
  createdAt: number
  attempts: number
  /** How many of those attempts met a 500. */
  internalErrors?: number
  /** Not before this time (epoch ms). */
  nextAt: number
}

export interface RefusedAction {
  action: QueuedAction
  status: number
  error: ApiError
  at: number
}

/** Why the head of the queue is waiting, for the UI. */
export type WaitReason = 'offline' | 'unavailable' | 'rate_limited' | 'unauthorized'

export interface OutboxOptions {
  /** Base of the guest API, e.g. `/api/events/demo`. */
  baseUrl: string
  /** localStorage key; one per event and wristband (see `outboxKey`). */
  storageKey: string
  onChange?: (outbox: Outbox) => void
  /** The server accepted an action (also for a duplicate: it was accepted before). */
  onAccepted?: (action: QueuedAction, body: unknown) => void
  /** The server refused an action for good. */
  onRefused?: (refused: RefusedAction) => void
  /** The check-in is gone (401): the outbox pauses until `resume()`. */
  onUnauthorized?: () => void
  /** For tests. */
  fetch?: (url: string, init: RequestInit) => Promise<Response>
  storage?: Pick<Storage, 'getItem' | 'setItem'> | null
  now?: () => number
  /** Longest wait between two retries (ms). */
  maxBackoffMs?: number
  /** How long one request may take before it counts as a network failure (ms). */
  requestTimeoutMs?: number
}

/** How many refused actions are kept for the guest to read. */
const REFUSED_KEPT = 10

/** The localStorage key of one wristband's outbox in one event. */
export const outboxKey = (slug: string, number: number) => `gb-outbox:v1:${slug}:${number}`

/**
 * A random action id: 16 bytes from the CSPRNG as base64url (22 characters of
 * [A-Za-z0-9_-], inside the server's 8-64). getRandomValues works on plain http too,
 * unlike crypto.randomUUID, and venue Wi-Fi pages are often served without TLS.
 * @example newActionId() // 'Vq3h0f4y2Qm8xK1nZc7R-w'
 */
export function newActionId(): string {
  const bytes = new Uint8Array(16)
  crypto.getRandomValues(bytes)
  let s = ''
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i])
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** Statuses after which the same request may succeed later. */
const retryable = (status: number) => status === 0 || status === 408 || status === 429 || status >= 502
/** How many times an action that met a 500 is sent in all before it is refused. */
export const INTERNAL_ERROR_TRIES = 3

/**
 * @example
 * const outbox = new Outbox({ baseUrl: '/api/events/demo', storageKey: outboxKey('demo', 17) })
 * outbox.start()
 * outbox.add('vote', { pollId: 1, optionId: 2 }, 'Golden Hour')
 */
export class Outbox {
  pending: QueuedAction[] = []
  refused: RefusedAction[] = []
  /** The action on the wire right now, if any. */
  inFlight: string | null = null
  /** Why the head of the queue is waiting, if it is. */
  waitReason: WaitReason | null = null
  /** When the next attempt is due (epoch ms), while waiting. */
  retryAt: number | null = null
  private timer: ReturnType<typeof setTimeout> | null = null
  private running = false
  private paused = false
  private opts: Required<Omit<OutboxOptions, 'storage'>> & { storage: OutboxOptions['storage'] }

  constructor(opts: OutboxOptions) {
    let storage: OutboxOptions['storage'] = null
    try {
      storage = opts.storage === undefined ? globalThis.localStorage : opts.storage
    } catch {
      // Storage can throw on access (blocked cookies); the outbox then lives in memory.
    }
    this.opts = {
      onChange: () => {},
      onAccepted: () => {},
      onRefused: () => {},
      onUnauthorized: () => {},
      fetch: (url, init) => fetch(url, init),
      now: () => Date.now(),
      maxBackoffMs: 15_000,
      requestTimeoutMs: 15_000,
      ...opts,
      storage,
    }
    this.load()
    // A fresh page load is a fresh try: whatever waited goes out now, not after an old backoff.
    const now = this.opts.now()
    for (const a of this.pending) a.nextAt = Math.min(a.nextAt, now)
  }

  /** The localStorage key this outbox lives under. */
  get storageKey(): string {
    return this.opts.storageKey
  }

  /** Starts sending (and listens for the browser coming back online). */
  start() {
    if (this.running) return
    this.running = true
    addEventListener('online', this.onOnline)
    addEventListener('storage', this.onStorage)
    this.pump()
  }

  stop() {
    this.running = false
    removeEventListener('online', this.onOnline)
    removeEventListener('storage', this.onStorage)
    this.clearTimer()
  }

  /** Queues an action and sends it as soon as everything before it is done. */
  add<K extends ActionKind>(kind: K, body: BodyOf<K>, label = ''): QueuedAction<K> {
    const now = this.opts.now()
    const action: QueuedAction<K> = {
      kind,
      actionId: newActionId(),
      body,
      label,
      createdAt: now,
      attempts: 0,
      nextAt: now,
    }
    if (kind === 'vote') {
      const pollId = (body as VoteBody).pollId
      this.pending = this.pending.filter(
        (a) => a.actionId === this.inFlight || a.kind !== 'vote' || (a.body as VoteBody).pollId !== pollId,
      )
    }
    this.pending = this.pending.concat(action)
    this.save()
    this.changed()
    this.pump()
    return action
  }

  /**
   * Something suggests the server is reachable again (the live stream reconnected):
   * retry now instead of waiting out the backoff. A rate limit is still honoured.
   */
  kick() {
    if (this.waitReason !== 'offline' && this.waitReason !== 'unavailable') return
    const head = this.pending[0]
    if (head && !this.inFlight) head.nextAt = this.opts.now()
    this.pump()
  }

  /** After a fresh check-in: send what waited for it. */
  resume() {
    this.paused = false
    if (this.waitReason === 'unauthorized') this.waitReason = null
    this.changed()
    this.pump()
  }

  /** Forgets a refused action once the guest has read why. */
  dismiss(actionId: string) {
    this.refused = this.refused.filter((r) => r.action.actionId !== actionId)
    this.save()
    this.changed()
  }

  /** The vote for a poll that is waiting to be sent, if any. */
  pendingVote(pollId: number): QueuedAction<'vote'> | undefined {
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const a = this.pending[i]
      if (a.kind === 'vote' && (a.body as VoteBody).pollId === pollId) return a as QueuedAction<'vote'>
    }
    return undefined
  }

  private onOnline = () => {
    const head = this.pending[0]
    if (head && !this.inFlight && this.waitReason === 'offline') head.nextAt = this.opts.now()
    this.pump()
  }

  /** Another tab of the same page changed the queue: take its view (ids keep repeats harmless). */
  private onStorage = (e: StorageEvent) => {
    if (e.key !== this.opts.storageKey) return
    this.load()
    this.changed()
    this.pump()
  }

  private load() {
    try {
      const raw = this.opts.storage?.getItem(this.opts.storageKey)
      if (!raw) return
      const data = JSON.parse(raw) as { pending?: QueuedAction[]; refused?: RefusedAction[] }
      const valid = (a: QueuedAction) =>
        a && typeof a.actionId === 'string' && (a.kind === 'vote' || a.kind === 'message') && a.body
      const inFlight = this.pending.find((a) => a.actionId === this.inFlight)
      this.pending = (data.pending ?? []).filter(valid)
      // Keep the one on the wire at the head, so its answer still has somewhere to land.
      if (inFlight && !this.pending.some((a) => a.actionId === inFlight.actionId))
        this.pending = [inFlight, ...this.pending]
      this.refused = (data.refused ?? []).filter((r) => r && valid(r.action)).slice(-REFUSED_KEPT)
    } catch {
      // A damaged entry must not break the page; it is overwritten on the next save.
    }
  }

  private save() {
    try {
      this.opts.storage?.setItem(this.opts.storageKey, JSON.stringify({ pending: this.pending, refused: this.refused }))
    } catch {
      // Full or blocked storage: the queue still works for as long as the page is open.
    }
  }

  private changed() {
    this.opts.onChange(this)
  }

  private clearTimer() {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  private pump() {
    if (!this.running || this.paused || this.inFlight) return
    this.clearTimer()
    const head = this.pending[0]
    if (!head) {
      if (this.waitReason || this.retryAt) {
        this.waitReason = this.retryAt = null
        this.changed()
      }
      return
    }
    const wait = head.nextAt - this.opts.now()
    if (wait > 0) {
      this.timer = setTimeout(() => this.pump(), wait)
      return
    }
    void this.send(head)
  }

  private async send(action: QueuedAction) {
    this.inFlight = action.actionId
    this.retryAt = null
    action.attempts++
    this.save()
    this.changed()
    const { status, body, retryAfter } = await this.post(action)
    this.inFlight = null
    // The action may have left the queue meanwhile (another tab finished it).
    const still = this.pending.some((a) => a.actionId === action.actionId)
    if (status >= 200 && status < 300) {
      this.pending = this.pending.filter((a) => a.actionId !== action.actionId)
      this.waitReason = null
      this.save()
      this.opts.onAccepted(action, body)
    } else if (status === 401) {
      this.paused = true
      this.waitReason = 'unauthorized'
      this.opts.onUnauthorized()
    } else if (retryable(status) || (status === 500 && this.internalRetry(action))) {
      this.waitReason = status === 0 ? 'offline' : status === 429 ? 'rate_limited' : 'unavailable'
      action.nextAt = this.opts.now() + this.delay(action.attempts, retryAfter)
      this.retryAt = action.nextAt
      this.save()
    } else if (still) {
      const error = isApiError(body) ? body : { error: `http_${status}`, message: `the server answered ${status}` }
      const refused: RefusedAction = { action, status, error, at: this.opts.now() }
      this.pending = this.pending.filter((a) => a.actionId !== action.actionId)
      this.refused = this.refused.concat(refused).slice(-REFUSED_KEPT)
      this.waitReason = null
      this.save()
      this.opts.onRefused(refused)
    }
    this.changed()
    this.pump()
  }

  /** Whether an action that met a 500 gets another try (counted apart from outages). */
  private internalRetry(action: QueuedAction): boolean {
    action.internalErrors = (action.internalErrors ?? 0) + 1
    return action.internalErrors < INTERNAL_ERROR_TRIES
  }

  /** Retry-After when the server gave one, else 1, 2, 4 ... s up to the cap; jittered either way. */
  private delay(attempts: number, retryAfterSeconds: number | null) {
    const jitter = 0.8 + Math.random() * 0.4
    if (retryAfterSeconds !== null) return Math.min(retryAfterSeconds * 1000, 5 * 60_000) * jitter
    return Math.min(this.opts.maxBackoffMs, 1000 * 2 ** Math.min(attempts - 1, 10)) * jitter
  }

  private async post(action: QueuedAction): Promise<{ status: number; body: unknown; retryAfter: number | null }> {
    const url = `${this.opts.baseUrl}/${action.kind === 'vote' ? 'votes' : 'messages'}`
    const controller = new AbortController()
    const timeout = setTimeout(() => controller.abort(), this.opts.requestTimeoutMs)
    try {
      const res = await this.opts.fetch(url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...action.body, actionId: action.actionId }),
        signal: controller.signal,
      })
      const body = await res.json().catch(() => null)
      const ra = Number(res.headers.get('retry-after'))
      return { status: res.status, body, retryAfter: Number.isFinite(ra) && ra > 0 ? ra : null }
    } catch {
      return { status: 0, body: null, retryAfter: null }
    } finally {
      clearTimeout(timeout)
    }
  }
}

const isApiError = (x: unknown): x is ApiError =>
  !!x && typeof (x as ApiError).error === 'string' && typeof (x as ApiError).message === 'string'
