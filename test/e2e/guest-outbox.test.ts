/**
 * The guest page's action outbox (client/src/lib/outbox.ts) without a browser: a fake
 * server and an in-memory localStorage. Order, retries with the same actionId,
 * Retry-After, final refusals, a pause on 401, vote replacement and surviving a reload.
 */
import { describe, expect, test } from 'bun:test'
import { INTERNAL_ERROR_TRIES, newActionId, Outbox, type OutboxOptions } from '../../client/src/lib/outbox.ts'

class MemoryStorage {
  data = new Map<string, string>()
  getItem = (k: string) => this.data.get(k) ?? null
  setItem = (k: string, v: string) => void this.data.set(k, v)
}

type Call = { url: string; body: { actionId: string; text?: string; pollId?: number; optionId?: number } }
type Answer = { status: number; body?: unknown; headers?: Record<string, string> } | 'network'

/** A scripted server: answers calls in order from `answers`, then 202 for everything. */
function fakeServer(answers: Answer[] = []) {
  const calls: Call[] = []
  const fetch = async (url: string, init: RequestInit) => {
    calls.push({ url, body: JSON.parse(String(init.body)) })
    const a = answers.shift() ?? { status: 202, body: { status: 'accepted', duplicate: false } }
    if (a === 'network') throw new TypeError('Failed to fetch')
    return new Response(JSON.stringify(a.body ?? {}), { status: a.status, headers: a.headers })
  }
  return { calls, fetch }
}

function outbox(opts: Partial<OutboxOptions> & Pick<OutboxOptions, 'fetch' | 'storage'>) {
  const events: string[] = []
  const box = new Outbox({
    baseUrl: '/api/events/demo',
    storageKey: 'gb-outbox:v1:demo:7',
    maxBackoffMs: 40,
    onAccepted: (a) => events.push(`accepted ${a.actionId}`),
    onRefused: (r) => events.push(`refused ${r.error.error}`),
    onUnauthorized: () => events.push('unauthorized'),
    ...opts,
  })
  return { box, events }
}

const settle = async (box: Outbox, ms = 2000) => {
  const deadline = Date.now() + ms
  while ((box.pending.length || box.inFlight) && Date.now() < deadline) await Bun.sleep(5)
}

describe('outbox', () => {
  test('action ids are 8-64 characters of [A-Za-z0-9_-] and never repeat', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newActionId()))
    expect(ids.size).toBe(1000)
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{8,64}$/)
  })

  test('sends in order, one at a time, each with its own id', async () => {
    const server = fakeServer()
    const { box } = outbox({ fetch: server.fetch, storage: new MemoryStorage() })
    box.start()
    box.add('message', { text: 'one' })
    box.add('vote', { pollId: 1, optionId: 2 })
    box.add('message', { text: 'two' })
    expect(box.inFlight).not.toBeNull()
    await settle(box)
    expect(server.calls.map((c) => c.url)).toEqual([
      '/api/events/demo/messages',
      '/api/events/demo/votes',
      '/api/events/demo/messages',
    ])
    expect(server.calls.map((c) => c.body.text ?? c.body.optionId)).toEqual(['one', 2, 'two'])
    expect(new Set(server.calls.map((c) => c.body.actionId)).size).toBe(3)
    box.stop()
  })

  test('retries network failures and 503s with the same actionId until accepted', async () => {
    const server = fakeServer(['network', { status: 503, headers: { 'retry-after': '0' } }, 'network'])
    const { box, events } = outbox({ fetch: server.fetch, storage: new MemoryStorage() })
    box.start()
    const action = box.add('message', { text: 'hello' })
    await settle(box)
    expect(server.calls.length).toBe(4)
    expect(server.calls.every((c) => c.body.actionId === action.actionId)).toBe(true)
    expect(events).toEqual([`accepted ${action.actionId}`])
    expect(box.pending).toEqual([])
    box.stop()
  })

  test('a 500 (a server bug) is tried a few times, then refused with its error id, not retried all night', async () => {
    const bug = {
      status: 500,
      body: { error: 'internal', message: 'unexpected server error (error id e1)', errorId: 'e1' },
    }
    const server = fakeServer(Array.from({ length: 10 }, () => bug))
    const { box, events } = outbox({ fetch: server.fetch, storage: new MemoryStorage() })
    box.start()
    box.add('message', { text: 'hello' })
    const next = box.add('message', { text: 'next' })
    await settle(box, 3000)
    expect(server.calls.slice(0, INTERNAL_ERROR_TRIES).every((c) => c.body.text === 'hello')).toBe(true)
    expect(events[0]).toBe('refused internal')
    expect(box.refused[0].error.message).toContain('e1')
    // The queue goes on: the next action is not stuck behind the broken one.
    expect(server.calls[INTERNAL_ERROR_TRIES].body.actionId).toBe(next.actionId)
    box.stop()
  })

  test('a 502 or 504 from a proxy is an outage: retried until accepted', async () => {
    const server = fakeServer([{ status: 502 }, { status: 504 }, { status: 502 }, { status: 504 }])
    const { box, events } = outbox({ fetch: server.fetch, storage: new MemoryStorage() })
    box.start()
    const action = box.add('message', { text: 'hello' })
    await settle(box, 3000)
    expect(server.calls.length).toBe(5)
    expect(events).toEqual([`accepted ${action.actionId}`])
    box.stop()
  })

  test('honours Retry-After on a 429', async () => {
    const server = fakeServer([
      { status: 429, body: { error: 'rate_limited', message: 'slow down' }, headers: { 'retry-after': '1' } },
    ])
    const { box } = outbox({ fetch: server.fetch, storage: new MemoryStorage() })
    box.start()
    box.add('message', { text: 'again' })
    await Bun.sleep(100)
    expect(box.waitReason).toBe('rate_limited')
    expect(server.calls.length).toBe(1)
    // The live stream coming back does not jump a rate limit.
    box.kick()
    await Bun.sleep(50)
    expect(server.calls.length).toBe(1)
    await settle(box, 3000)
    expect(server.calls.length).toBe(2)
    box.stop()
  })

  test('drops an action the server refuses for good and keeps the reason until dismissed', async () => {
    const storage = new MemoryStorage()
    const server = fakeServer([
      { status: 422, body: { error: 'blocked_word', message: 'no', fields: { text: 'contains a blocked word' } } },
    ])
    const { box, events } = outbox({ fetch: server.fetch, storage })
    box.start()
    const bad = box.add('message', { text: 'bad words' })
    box.add('message', { text: 'fine' })
    await settle(box)
    expect(events[0]).toBe('refused blocked_word')
    expect(server.calls.length).toBe(2)
    expect(box.refused.map((r) => r.action.actionId)).toEqual([bad.actionId])
    expect(box.refused[0].error.fields).toEqual({ text: 'contains a blocked word' })
    box.dismiss(bad.actionId)
    expect(box.refused).toEqual([])
    expect(JSON.parse(storage.getItem('gb-outbox:v1:demo:7')!).refused).toEqual([])
    box.stop()
  })

  test('a 401 pauses without dropping anything; resume() sends it', async () => {
    const server = fakeServer([{ status: 401, body: { error: 'unauthorized', message: 'check in first' } }])
    const { box, events } = outbox({ fetch: server.fetch, storage: new MemoryStorage() })
    box.start()
    const action = box.add('vote', { pollId: 3, optionId: 9 })
    await Bun.sleep(50)
    expect(events).toEqual(['unauthorized'])
    expect(box.waitReason).toBe('unauthorized')
    expect(box.pending.length).toBe(1)
    box.resume()
    await settle(box)
    expect(server.calls.map((c) => c.body.actionId)).toEqual([action.actionId, action.actionId])
    box.stop()
  })

  test('a newer vote in the same poll replaces one still waiting; other polls are kept', async () => {
    const server = fakeServer(['network'])
    const { box } = outbox({ fetch: server.fetch, storage: new MemoryStorage(), maxBackoffMs: 200 })
    box.start()
    box.add('vote', { pollId: 1, optionId: 10 }) // goes out at once and fails
    await Bun.sleep(20)
    box.add('vote', { pollId: 2, optionId: 20 })
    box.add('vote', { pollId: 1, optionId: 11 })
    expect(box.pending.map((a) => a.body)).toEqual([
      { pollId: 2, optionId: 20 },
      { pollId: 1, optionId: 11 },
    ])
    expect(box.pendingVote(1)?.body).toEqual({ pollId: 1, optionId: 11 })
    await settle(box)
    expect(server.calls.map((c) => c.body.optionId)).toEqual([10, 20, 11])
    box.stop()
  })

  test('what waits survives a reload (a new outbox on the same storage) and goes out with the same ids', async () => {
    const storage = new MemoryStorage()
    const offline = fakeServer(['network', 'network', 'network', 'network'])
    const first = outbox({ fetch: offline.fetch, storage, maxBackoffMs: 10_000 })
    first.box.start()
    const a = first.box.add('message', { text: 'kept 1' })
    const b = first.box.add('vote', { pollId: 4, optionId: 8 })
    await Bun.sleep(30)
    first.box.stop() // the page goes away

    const online = fakeServer()
    const second = outbox({ fetch: online.fetch, storage })
    expect(second.box.pending.map((x) => x.actionId)).toEqual([a.actionId, b.actionId])
    second.box.start()
    await settle(second.box)
    expect(online.calls.map((c) => c.body.actionId)).toEqual([a.actionId, b.actionId])
    expect(JSON.parse(storage.getItem('gb-outbox:v1:demo:7')!).pending).toEqual([])
  })

  test('kick() retries at once after a network failure instead of waiting out the backoff', async () => {
    const server = fakeServer(['network'])
    const { box } = outbox({ fetch: server.fetch, storage: new MemoryStorage(), maxBackoffMs: 60_000 })
    box.start()
    box.add('message', { text: 'now' })
    await Bun.sleep(30)
    expect(box.waitReason).toBe('offline')
    expect(box.retryAt).not.toBeNull()
    box.kick()
    await settle(box, 500)
    expect(server.calls.length).toBe(2)
    expect(box.waitReason).toBeNull()
    box.stop()
  })
})
