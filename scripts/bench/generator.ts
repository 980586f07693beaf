/**
 * A subscriber load-generator process: holds thousands of SSE subscribers over raw
 * sockets (Bun.connect, bound to its own loopback source address so that the ephemeral
 * ports of one address never run out), checks for every subscriber that the sequence
 * numbers it received are consecutive, and records the receive time of every frame for
 * a sample of subscribers. It is driven by the orchestrator over IPC (see GenCommand).
 *
 * Cheap on purpose: the bytes are read as latin1 (one char per byte), HTTP chunked
 * framing is undone by hand, and only the `event:` line and the `"seq":` number of each
 * frame are looked at. The JSON is never parsed here.
 */
import type { Socket } from 'bun'
import { now } from './clock.ts'

export interface GenConfig {
  index: number
  host: string
  port: number
  path: string
  /** Source address of every connection, 127.0.0.x. */
  localAddress: string
  /** Subscribers whose every frame time is recorded, spread evenly over the `expected` ones. */
  sample: number
  /** How many subscribers this generator will open in all. */
  expected: number
  /** Every subscriber closes itself after this many ms no matter what (a safety net). */
  maxLifetimeMs: number
}

export type GenCommand =
  | { type: 'open'; count: number; ratePerSec: number }
  | { type: 'close'; ratePerSec: number }
  | { type: 'counters' }
  | { type: 'finish' }

export interface GenCounters {
  t: number
  /** Sockets that got a 200 and are still open. */
  held: number
  opened: number
  failed: number
  /** Closed by the server (not by us). */
  lost: number
  frames: number
  deltas: number
  bytes: number
}

export interface SubscriberRecord {
  first: number
  last: number
  deltas: number
  gaps: number
  missing: number
  dups: number
  /** Snapshots received after the first frame: the server skipped this subscriber. */
  resyncs: number
}

export interface GenResult {
  index: number
  counters: GenCounters
  subscribers: SubscriberRecord[]
  /** For the sampled subscribers: flat [seq, receiveTime, seq, receiveTime, ...]. */
  samples: number[][]
  errors: string[]
}

interface Sub {
  sock: Socket<Sub> | null
  state: 0 | 1 | 2 // 0 headers, 1 body, 2 closed
  chunked: boolean
  /** Chunked decoding: bytes left in the current chunk, or -1 while reading a size line. */
  left: number
  raw: string
  sse: string
  rec: SubscriberRecord
  times: number[] | null
  closing: boolean
}

const counters: GenCounters = { t: 0, held: 0, opened: 0, failed: 0, lost: 0, frames: 0, deltas: 0, bytes: 0 }
const subs: Sub[] = []
const errors: string[] = []
let config: GenConfig
let stride = 1
let sampled = 0

const note = (e: string) => {
  if (errors.length < 20) errors.push(e)
}

function frame(sub: Sub, block: string, t: number) {
  counters.frames++
  const c0 = block.charCodeAt(0)
  if (c0 === 58 /* ':' comment */ || (c0 === 114 /* 'r' */ && block.startsWith('retry:'))) return
  let snapshot = false
  const ev = block.indexOf('event: ')
  if (ev >= 0) {
    const kind = block.charCodeAt(ev + 7)
    if (kind === 115 /* snapshot */) snapshot = true
    else if (kind !== 100 /* delta */) return // health and others
  }
  const d = block.indexOf('"seq":')
  if (d < 0) return
  let seq = 0
  for (let i = d + 6; i < block.length; i++) {
    const c = block.charCodeAt(i) - 48
    if (c < 0 || c > 9) break
    seq = seq * 10 + c
  }
  const r = sub.rec
  if (sub.times) sub.times.push(seq, t)
  if (r.last < 0) {
    r.first = seq
    r.last = seq
    if (!snapshot) r.deltas++
    if (!snapshot) counters.deltas++
    return
  }
  if (snapshot) {
    r.resyncs++
    r.last = seq
    return
  }
  counters.deltas++
  r.deltas++
  if (seq === r.last + 1) r.last = seq
  else if (seq <= r.last) r.dups++
  else {
    r.gaps++
    r.missing += seq - r.last - 1
    r.last = seq
  }
}

function sseData(sub: Sub, text: string, t: number) {
  const buf = sub.sse.length ? sub.sse + text : text
  let start = 0
  for (;;) {
    const end = buf.indexOf('\n\n', start)
    if (end < 0) break
    if (end > start) frame(sub, buf.slice(start, end), t)
    start = end + 2
  }
  sub.sse = start === 0 ? buf : buf.slice(start)
}

function body(sub: Sub, text: string, t: number) {
  if (!sub.chunked) return sseData(sub, text, t)
  const buf = sub.raw.length ? sub.raw + text : text
  let i = 0
  let out = ''
  while (i < buf.length) {
    if (sub.left > 0) {
      const take = Math.min(sub.left, buf.length - i)
      out += buf.slice(i, i + take)
      i += take
      sub.left -= take
      if (sub.left === 0) sub.left = -2 // expect CRLF after the chunk
      continue
    }
    if (sub.left === -2) {
      if (buf.length - i < 2) break
      i += 2
      sub.left = -1
      continue
    }
    const eol = buf.indexOf('\r\n', i)
    if (eol < 0) break
    const size = parseInt(buf.slice(i, eol), 16)
    i = eol + 2
    if (size === 0) {
      sub.left = -1
      continue
    }
    sub.left = size
  }
  sub.raw = i < buf.length ? buf.slice(i) : ''
  if (out) sseData(sub, out, t)
}

const request = () =>
  `GET ${config.path} HTTP/1.1\r\nHost: ${config.host}:${config.port}\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n`

function closed(sub: Sub, why: string) {
  if (sub.state === 2) return
  const wasHeld = sub.state === 1
  sub.state = 2
  sub.sock = null
  if (wasHeld) counters.held--
  if (!sub.closing) {
    if (wasHeld) counters.lost++
    else counters.failed++
    note(why)
  }
}

async function openOne() {
  const sub: Sub = {
    sock: null,
    state: 0,
    chunked: false,
    left: -1,
    raw: '',
    sse: '',
    rec: { first: -1, last: -1, deltas: 0, gaps: 0, missing: 0, dups: 0, resyncs: 0 },
    times: null,
    closing: false,
  }
  // Every stride-th subscriber records its delivery times, up to config.sample of them.
  if (sampled < config.sample && subs.length % stride === 0) {
    sampled++
    sub.times = []
  }
  subs.push(sub)
  try {
    sub.sock = await Bun.connect<Sub>({
      hostname: config.host,
      port: config.port,
      // Bun.connect binds the source address like node:net's localAddress.
      ...({ localAddress: config.localAddress } as object),
      data: sub,
      socket: {
        open(s) {
          s.write(request())
        },
        data(s, chunk) {
          const t = now()
          const sub = s.data
          counters.bytes += chunk.byteLength
          let text = chunk.toString('latin1')
          if (sub.state === 0) {
            sub.raw += text
            const end = sub.raw.indexOf('\r\n\r\n')
            if (end < 0) return
            const head = sub.raw.slice(0, end)
            text = sub.raw.slice(end + 4)
            sub.raw = ''
            if (!head.startsWith('HTTP/1.1 200')) {
              note(`status: ${head.split('\r\n')[0]}`)
              sub.closing = true
              counters.failed++
              sub.state = 2
              s.end()
              return
            }
            sub.chunked = /\r\ntransfer-encoding:\s*chunked/i.test(head)
            sub.state = 1
            counters.held++
            counters.opened++
          }
          if (text) body(sub, text, t)
        },
        close(s) {
          closed(s.data, 'closed by server')
        },
        error(s, err) {
          closed(s.data, `socket error: ${err}`)
        },
        end(s) {
          s.end()
        },
      },
    })
  } catch (err) {
    sub.state = 2
    counters.failed++
    note(`connect: ${err}`)
  }
}

/** Opens `count` subscribers spread evenly over `count / rate` seconds. */
async function openMany(count: number, ratePerSec: number) {
  const start = performance.now()
  const pending: Promise<void>[] = []
  for (let i = 0; i < count; i++) {
    const due = (i / ratePerSec) * 1000
    const wait = due - (performance.now() - start)
    if (wait > 1) await Bun.sleep(wait)
    pending.push(openOne())
    if (pending.length >= 200) await Promise.all(pending.splice(0))
  }
  await Promise.all(pending)
}

async function closeAll(ratePerSec: number) {
  const open = subs.filter((s) => s.state !== 2)
  const start = performance.now()
  for (let i = 0; i < open.length; i++) {
    const due = (i / ratePerSec) * 1000
    const wait = due - (performance.now() - start)
    if (wait > 1) await Bun.sleep(wait)
    const s = open[i]
    s.closing = true
    if (s.state === 1) counters.held--
    s.state = 2
    s.sock?.end()
    s.sock = null
  }
}

function snapshotCounters(): GenCounters {
  return { ...counters, t: now() }
}

function finish() {
  const result: GenResult = {
    index: config.index,
    counters: snapshotCounters(),
    subscribers: subs.map((s) => s.rec),
    samples: subs.filter((s) => s.times).map((s) => s.times!),
    errors,
  }
  for (const s of subs) {
    s.closing = true
    s.sock?.end()
  }
  process.send!({ type: 'result', result })
  setTimeout(() => process.exit(0), 200)
}

if (import.meta.main) {
  config = JSON.parse(process.argv[2]) as GenConfig
  // Every stride-th subscriber in opening order, so the sample is not just the oldest (which the server serves first).
  stride = Math.max(1, Math.floor(config.expected / Math.max(1, config.sample)))
  // Safety net: never outlive the benchmark.
  setTimeout(() => {
    console.error(`generator ${config.index}: lifetime over, exiting`)
    process.exit(3)
  }, config.maxLifetimeMs).unref()
  setInterval(() => process.send!({ type: 'counters', counters: snapshotCounters() }), 250)
  process.on('message', (m: GenCommand) => {
    if (m.type === 'open') void openMany(m.count, m.ratePerSec).then(() => process.send!({ type: 'opened' }))
    else if (m.type === 'close') void closeAll(m.ratePerSec).then(() => process.send!({ type: 'closed' }))
    else if (m.type === 'counters') process.send!({ type: 'now', counters: snapshotCounters() })
    else if (m.type === 'finish') finish()
  })
  process.on('disconnect', () => process.exit(0))
  process.send!({ type: 'ready' })
}
