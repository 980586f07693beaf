/** ServerClock around the estimator: it samples /time, and a failing /time keeps the last estimate. */
import { afterEach, expect, test } from 'bun:test'
import { ServerClock } from './clock.ts'

const realFetch = globalThis.fetch
afterEach(() => {
  globalThis.fetch = realFetch
})

test('takes up the estimate from /time, and keeps it while /time fails', async () => {
  let up = true
  globalThis.fetch = (async () => {
    if (!up) throw new TypeError('network down')
    return new Response(JSON.stringify({ serverTime: Date.now() + 4000, status: 'live', message: '' }))
  }) as unknown as typeof fetch
  const clock = new ServerClock('/time')
  await clock.sync(3)
  expect(clock.synced).toBe(true)
  expect(Math.abs(clock.offset - 4000)).toBeLessThan(50)
  expect(clock.uncertaintyMs).toBeLessThan(50)
  const before = clock.offset
  up = false
  await clock.sync(3)
  expect(clock.offset).toBe(before)
  expect(Math.abs(clock.now() - (Date.now() + 4000))).toBeLessThan(50)
})

test('a 5xx answer is no sample', async () => {
  globalThis.fetch = (async () => new Response('oops', { status: 503 })) as unknown as typeof fetch
  const clock = new ServerClock('/time')
  await clock.sync(2)
  expect(clock.synced).toBe(false)
  expect(clock.uncertaintyMs).toBe(Number.POSITIVE_INFINITY)
})

test('samples again at once when the network comes back or the tab becomes visible', async () => {
  let calls = 0
  globalThis.fetch = (async () => {
    calls++
    return new Response(JSON.stringify({ serverTime: Date.now(), status: 'live', message: '' }))
  }) as unknown as typeof fetch
  const page = new EventTarget() as EventTarget & { visibilityState: string }
  page.visibilityState = 'visible'
  const g = globalThis as unknown as { window?: EventTarget; document?: EventTarget }
  const saved = { window: g.window, document: g.document }
  g.window = new EventTarget()
  g.document = page
  const clock = new ServerClock('/time', { burst: 2, spread: 0, resyncMs: 3_600_000, resyncBurst: 3 })
  try {
    clock.start(3_600_000)
    await Bun.sleep(50)
    expect(calls).toBe(2)
    g.window.dispatchEvent(new Event('online'))
    await Bun.sleep(50)
    expect(calls).toBe(5)
    // Within 10 s of the last wake-up another one is ignored (a flapping network must not flood /time).
    page.dispatchEvent(new Event('visibilitychange'))
    await Bun.sleep(50)
    expect(calls).toBe(5)
  } finally {
    clock.stop()
    g.window = saved.window
    g.document = saved.document
  }
})
