/**
 * The action driver process: check-ins, votes and danmaku at scheduled rates (open
 * loop: a request goes out when it is due, whether or not earlier ones have answered),
 * over a pool of keep-alive connections from its own loopback address. It records the
 * time of every accepted vote's 202, which is where delivery latency starts.
 *
 * For nchan, which has no application, the driver is the application: it counts the
 * same actions itself at the same schedule and publishes one delta per tick, so nchan
 * is measured on fan-out alone.
 */
import { readFileSync } from 'node:fs'
import { now } from './clock.ts'
import { RawPool } from './http.ts'

export interface DriverInit {
  kind: 'glowband' | 'bare' | 'nchan'
  host: string
  port: number
  localAddress: string
  connections: number
  slug: string
  pollId: number
  optionIds: number[]
  optionLabels: string[]
  question: string
  /** Wristband codes, one guest each (Glowband); any strings elsewhere. */
  codes: string[]
  tickMs: number
  maxLifetimeMs: number
}

export type DriverCommand =
  | { type: 'checkin'; from: number; to: number; ratePerSec: number }
  | { type: 'votes'; from: number; to: number; ratePerSec: number; messages: MessageBursts }
  | { type: 'trickle'; from: number; count: number; intervalMs: number }
  | { type: 'finish' }

export interface MessageBursts {
  /** Guests [from, from + perBurst * atMs.length) send one message each. */
  from: number
  perBurst: number
  atMs: number[]
  durationMs: number
}

export interface PhaseResult {
  name: string
  start: number
  end: number
  sent: number
  accepted: number
  /** Responses by status code ("error" for a failed connection). */
  statuses: Record<string, number>
  /** Accepted votes: flat [time of the 202, option index, ...]. */
  votes: number[]
  /** Request-to-response times of accepted actions (ms), all of them. */
  acceptMs: number[]
  messagesSent: number
  messagesAccepted: number
}

let init: DriverInit
let pool: RawPool
const cookies: string[] = []
/** Which guests' check-ins were accepted (votes and messages only come from those). */
let checkedIn: Uint8Array

// nchan mode: the driver keeps the live state and publishes a delta per tick.
const local = {
  seq: 0,
  checkins: 0,
  votes: [] as number[],
  fresh: [] as { id: number; text: string; number: number }[],
  dirty: false,
  pollChanged: false,
  checkinsChanged: false,
  messageId: 0,
}

const optionFor = (i: number) => {
  // A poll that is not a tie: 50 % / 30 % / 20 % over three options (more options: round robin).
  const n = init.optionIds.length
  if (n !== 3) return i % n
  const r = i % 10
  return r < 5 ? 0 : r < 8 ? 1 : 2
}

const JSON_HEADERS = { 'Content-Type': 'application/json' }

function newPhase(name: string): PhaseResult {
  return {
    name,
    start: now(),
    end: 0,
    sent: 0,
    accepted: 0,
    statuses: {},
    votes: [],
    acceptMs: [],
    messagesSent: 0,
    messagesAccepted: 0,
  }
}

const count = (p: PhaseResult, key: string) => (p.statuses[key] = (p.statuses[key] ?? 0) + 1)

async function checkinOne(p: PhaseResult, i: number) {
  p.sent++
  const t0 = now()
  if (init.kind === 'nchan') {
    local.checkins++
    local.checkinsChanged = local.dirty = true
    checkedIn[i] = 1
    p.accepted++
    count(p, 'local')
    return
  }
  try {
    const r = await pool.request(
      'POST',
      `/api/events/${init.slug}/checkin`,
      JSON_HEADERS,
      JSON.stringify({ code: init.codes[i] }),
    )
    count(p, String(r.status))
    if (r.status === 200) {
      const m = /\r\nset-cookie: ([^;\r]+)/i.exec(r.head)
      if (m) {
        cookies[i] = m[1]
        checkedIn[i] = 1
        p.accepted++
        p.acceptMs.push(now() - t0)
      }
    }
  } catch {
    count(p, 'error')
  }
}

async function voteOne(p: PhaseResult, i: number) {
  if (!checkedIn[i]) return
  p.sent++
  const option = optionFor(i)
  const t0 = now()
  if (init.kind === 'nchan') {
    local.votes[option]++
    local.pollChanged = local.dirty = true
    p.accepted++
    p.votes.push(t0, option)
    count(p, 'local')
    return
  }
  try {
    const body = JSON.stringify({
      pollId: init.pollId,
      optionId: init.optionIds[option],
      actionId: `bench-v-${i}-${init.pollId}`,
    })
    const r = await pool.request(
      'POST',
      `/api/events/${init.slug}/votes`,
      { ...JSON_HEADERS, Cookie: cookies[i] },
      body,
    )
    const t = now()
    count(p, String(r.status))
    if (r.status === 202 && !r.body.includes('"duplicate":true')) {
      p.accepted++
      p.votes.push(t, option)
      p.acceptMs.push(t - t0)
    }
  } catch {
    count(p, 'error')
  }
}

const TEXTS = [
  'what a night!',
  'ENCORE 🎉',
  'neon lights all the way',
  'hello from the back row',
  'golden hour pls',
  '🔥🔥🔥',
]

async function messageOne(p: PhaseResult, i: number) {
  if (!checkedIn[i]) return
  p.messagesSent++
  const text = `${TEXTS[i % TEXTS.length]} #${i}`
  if (init.kind === 'nchan') {
    local.fresh.push({ id: ++local.messageId, text, number: i + 1 })
    local.dirty = true
    p.messagesAccepted++
    return
  }
  try {
    const body = JSON.stringify({ text, actionId: `bench-m-${i}` })
    const r = await pool.request(
      'POST',
      `/api/events/${init.slug}/messages`,
      { ...JSON_HEADERS, Cookie: cookies[i] },
      body,
    )
    count(p, `msg ${r.status}`)
    if (r.status === 202 && !r.body.includes('"duplicate":true')) p.messagesAccepted++
  } catch {
    count(p, 'msg error')
  }
}

/** Calls `fn(i)` for i in [from, to) at `ratePerSec`, without waiting for answers; then waits for all. */
async function schedule(
  from: number,
  to: number,
  ratePerSec: number,
  fn: (i: number) => Promise<void>,
  startAt = performance.now(),
) {
  const pending: Promise<void>[] = []
  for (let i = from; i < to; i++) {
    const due = ((i - from) / ratePerSec) * 1000
    const wait = startAt + due - performance.now()
    if (wait >= 1) await Bun.sleep(wait)
    pending.push(fn(i))
  }
  await Promise.all(pending)
}

async function run(cmd: DriverCommand): Promise<PhaseResult> {
  if (cmd.type === 'checkin') {
    const p = newPhase('checkin')
    await schedule(cmd.from, cmd.to, cmd.ratePerSec, (i) => checkinOne(p, i))
    p.end = now()
    return p
  }
  if (cmd.type === 'votes') {
    const p = newPhase('votes')
    const start = performance.now()
    const m = cmd.messages
    const bursts = m.atMs.map((at, b) => {
      const from = m.from + b * m.perBurst
      return schedule(from, from + m.perBurst, (m.perBurst / m.durationMs) * 1000, (i) => messageOne(p, i), start + at)
    })
    await Promise.all([schedule(cmd.from, cmd.to, cmd.ratePerSec, (i) => voteOne(p, i), start), ...bursts])
    p.end = now()
    return p
  }
  if (cmd.type !== 'trickle') throw new Error(`unknown command ${cmd.type}`)
  // trickle: one vote per interval, so that each tick carries one small vote delta
  const p = newPhase('trickle')
  await schedule(cmd.from, cmd.from + cmd.count, 1000 / cmd.intervalMs, (i) => voteOne(p, i))
  p.end = now()
  return p
}

function deltaJson(seq: number): string {
  const d: Record<string, unknown> = { seq }
  if (local.checkinsChanged) d.checkins = local.checkins
  if (local.pollChanged) d.polls = [pollJson()]
  if (local.fresh.length) d.danmaku = local.fresh.slice(-30)
  return JSON.stringify(d)
}

const pollJson = () => ({
  id: init.pollId,
  question: init.question,
  open: true,
  closed: false,
  options: init.optionIds.map((id, k) => ({ id, label: init.optionLabels[k], votes: local.votes[k] })),
})

async function publish(json: string) {
  try {
    const r = await pool.request('POST', `/pub/${init.slug}`, { 'Content-Type': 'application/json' }, json)
    if (r.status >= 300) console.error(`nchan publish answered ${r.status}`)
  } catch (err) {
    console.error(`nchan publish failed: ${err}`)
  }
}

if (import.meta.main) {
  // The init is a file: thousands of wristband codes do not fit in one argv string.
  init = JSON.parse(readFileSync(process.argv[2], 'utf8')) as DriverInit
  setTimeout(() => {
    console.error('driver: lifetime over, exiting')
    process.exit(3)
  }, init.maxLifetimeMs).unref()
  pool = new RawPool(init.host, init.port, init.localAddress, init.connections)
  checkedIn = new Uint8Array(init.codes.length)
  if (init.kind === 'nchan') {
    local.votes = init.optionIds.map(() => 0)
    // The first message plays the part of the snapshot a new subscriber gets first.
    await publish(
      JSON.stringify({
        v: 1,
        seq: 0,
        status: 'live',
        message: '',
        checkins: 0,
        polls: [pollJson()],
        danmaku: [],
        raffles: [],
        show: null,
      }),
    )
    let publishing = false
    setInterval(() => {
      if (!local.dirty || publishing) return
      publishing = true
      const json = deltaJson(++local.seq)
      local.dirty = local.pollChanged = local.checkinsChanged = false
      local.fresh = []
      void publish(json).finally(() => (publishing = false))
    }, init.tickMs)
  }
  process.on('message', (cmd: DriverCommand) => {
    if (cmd.type === 'finish') {
      pool.close()
      process.send!({ type: 'bye' })
      setTimeout(() => process.exit(0), 100)
      return
    }
    void run(cmd).then((result) => process.send!({ type: 'phase', result }))
  })
  process.on('disconnect', () => process.exit(0))
  process.send!({ type: 'ready' })
}
