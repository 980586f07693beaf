/**
 * The floor: a bare `Bun.serve` SSE broadcaster with nothing of Glowband in it. It
 * holds the same kind of subscribers on the same paths, counts check-ins, votes and
 * messages in plain variables, and every TICK_MS serialises one small JSON delta of the
 * same shape as Glowband's (seq, checkins, the poll with its counts, new danmaku) once
 * and enqueues those same bytes to every subscriber's stream.
 *
 *   PORT=4000 TICK_MS=150 bun scripts/bench/targets/bare-broadcaster.ts
 *
 * BARE_STREAM=direct uses Bun's direct ReadableStream (controller.write + flush)
 * instead of a default ReadableStream with enqueue; both are measured in
 * docs/benchmarks.md.
 */
const port = Number(process.env.PORT ?? 4000)
const tickMs = Number(process.env.TICK_MS ?? 150)
const mode = process.env.BARE_STREAM === 'direct' ? 'direct' : 'enqueue'
const encoder = new TextEncoder()

interface Sub {
  write(frame: Uint8Array): boolean
  close(): void
}

const subs = new Set<Sub>()
let seq = 0
let checkins = 0
let dirty = false
const poll = {
  id: 1,
  question: 'Which song should close the night?',
  open: true,
  closed: false,
  options: [
    { id: 1, label: 'Neon Lights', votes: 0 },
    { id: 2, label: 'Golden Hour', votes: 0 },
    { id: 3, label: 'Midnight City', votes: 0 },
  ],
}
let fresh: { id: number; text: string; number: number }[] = []
let danmaku: { id: number; text: string; number: number }[] = []
let messageId = 0
let pollChanged = false
let checkinsChanged = false

const frame = (id: number, event: string, json: string) =>
  encoder.encode(`id: ${id}\nevent: ${event}\ndata: ${json}\n\n`)
const snapshot = () =>
  JSON.stringify({ v: 1, seq, status: 'live', message: '', checkins, polls: [poll], danmaku, raffles: [], show: null })

setInterval(() => {
  if (!dirty) return
  dirty = false
  seq++
  const delta: Record<string, unknown> = { seq }
  if (checkinsChanged) delta.checkins = checkins
  if (pollChanged) delta.polls = [poll]
  if (fresh.length) {
    delta.danmaku = fresh.slice(-30)
    danmaku = danmaku.concat(fresh).slice(-30)
  }
  fresh = []
  pollChanged = checkinsChanged = false
  const bytes = frame(seq, 'delta', JSON.stringify(delta))
  for (const s of subs) if (!s.write(bytes)) subs.delete(s)
}, tickMs)

const heartbeat = encoder.encode(':\n\n')
setInterval(() => {
  for (const s of subs) s.write(heartbeat)
}, 15_000)

const sseHeaders = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform' }

function stream(): Response {
  const first = [encoder.encode('retry: 3000\n\n'), frame(seq, 'snapshot', snapshot())]
  let sub: Sub
  if (mode === 'direct') {
    return new Response(
      new ReadableStream({
        type: 'direct',
        async pull(ctrl: { write(b: Uint8Array): number; flush(): void }) {
          for (const f of first) ctrl.write(f)
          ctrl.flush()
          let done!: () => void
          const ended = new Promise<void>((r) => (done = r))
          sub = {
            write(b) {
              try {
                ctrl.write(b)
                ctrl.flush()
                return true
              } catch {
                done()
                return false
              }
            },
            close: () => done(),
          }
          subs.add(sub)
          await ended
        },
        cancel() {
          subs.delete(sub)
        },
      } as unknown as UnderlyingDefaultSource),
      { headers: sseHeaders },
    )
  }
  return new Response(
    new ReadableStream<Uint8Array>(
      {
        start(ctrl) {
          for (const f of first) ctrl.enqueue(f)
          sub = {
            write(b) {
              if ((ctrl.desiredSize ?? 0) <= 0) return true // skip a slow one, like Glowband
              try {
                ctrl.enqueue(b)
                return true
              } catch {
                return false
              }
            },
            close: () => ctrl.close(),
          }
          subs.add(sub)
        },
        cancel() {
          subs.delete(sub)
        },
      },
      { highWaterMark: 256 * 1024, size: (c) => c?.byteLength ?? 0 },
    ),
    { headers: sseHeaders },
  )
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })

Bun.serve({
  port,
  hostname: '127.0.0.1',
  reusePort: true,
  idleTimeout: 40,
  async fetch(req) {
    const path = new URL(req.url).pathname
    if (req.method === 'GET' && path === '/api/events/demo/stream') return stream()
    if (req.method === 'POST' && path === '/api/events/demo/votes') {
      const b = (await req.json()) as { optionId: number }
      const o = poll.options.find((o) => o.id === b.optionId)
      if (!o) return json({ error: 'unknown_option' }, 422)
      o.votes++
      pollChanged = dirty = true
      return json({ status: 'accepted', duplicate: false }, 202)
    }
    if (req.method === 'POST' && path === '/api/events/demo/checkin') {
      await req.json()
      const number = ++checkins
      checkinsChanged = dirty = true
      return json({ number }, 200, { 'set-cookie': `gb_g1=g.1.${number}; Path=/; HttpOnly` })
    }
    if (req.method === 'POST' && path === '/api/events/demo/messages') {
      const b = (await req.json()) as { text: string }
      fresh.push({ id: ++messageId, text: String(b.text).slice(0, 200), number: 0 })
      dirty = true
      return json({ status: 'accepted', id: messageId, held: false, duplicate: false }, 202)
    }
    if (path === '/api/events/demo/snapshot') return new Response(`{"type":"snapshot","snapshot":${snapshot()}}`)
    if (path === '/healthz') return json({ ok: true, subscribers: subs.size, mode })
    return json({ error: 'not_found' }, 404)
  },
})
console.error(`bare broadcaster (${mode}) on 127.0.0.1:${port}, tick ${tickMs} ms`)
