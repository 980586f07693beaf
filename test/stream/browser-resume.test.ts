/**
 * A real EventSource in headless Chromium and a plain HTTP client, both behind a proxy
 * that cuts their connections: after the cut they resume with Last-Event-ID and see
 * every delta exactly once, in order, with no snapshot in between.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Browser } from 'playwright-core'
import { applyDelta, type Delta, type Snapshot } from '../../protocol/index.ts'
import { json, seedEvent, startTestServer, type TestServer, until } from '../support/backends.ts'
import { chromiumAvailable, launchBrowser } from '../support/browser.ts'
import { CuttableProxy } from '../support/proxy.ts'
import { SseReader } from '../support/sse.ts'

describe('resume after a cut connection', () => {
  const skip = !chromiumAvailable()
  let server: TestServer
  let proxy: CuttableProxy
  let browser: Browser
  let seeded: Awaited<ReturnType<typeof seedEvent>>
  let next = 0

  beforeAll(async () => {
    if (skip) return
    server = await startTestServer('embedded')
    server.app.listen({ port: 0, hostname: '127.0.0.1' })
    proxy = new CuttableProxy(server.app.server!.port!).start()
    seeded = await seedEvent(server, { wristbands: 50 })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    if (skip) return
    await browser.close()
    proxy.stop()
    await server.app.stop(true)
    await server.stop()
  })

  const change = async () => {
    const channel = server.rt.hub.channel(seeded.event.id)
    const before = channel.seq
    await server.fetch(`/api/events/${seeded.event.slug}/checkin`, json({ code: seeded.wristbands[next++].code }))
    await until(() => channel.seq > before)
    return channel.seq
  }

  test.skipIf(skip)(
    'EventSource in Chromium and a plain HTTP client resume exactly',
    async () => {
      await change()
      const base = `http://127.0.0.1:${proxy.port}`
      const page = await browser.newPage()
      await page.goto(`${base}/healthz`)
      await page.evaluate((url) => {
        const w = window as unknown as { frames_: { type: string; id: string; data: string }[]; es: EventSource }
        w.frames_ = []
        w.es = new EventSource(url)
        for (const type of ['snapshot', 'delta']) {
          w.es.addEventListener(type, (e) => {
            const m = e as MessageEvent
            w.frames_.push({ type, id: m.lastEventId, data: m.data })
          })
        }
      }, `/api/events/${seeded.event.slug}/stream`)
      const browserFrames = () =>
        page.evaluate(() => (window as unknown as { frames_: { type: string; id: string; data: string }[] }).frames_)

      // The plain client reconnects by hand, as a non-browser client would.
      let plain = await SseReader.open(`${base}/api/events/${seeded.event.slug}/stream`)
      const plainFrames: { event?: string; id?: string; data?: string }[] = [(await plain.nextEvent())!]

      const expectedSeqs: number[] = []
      for (let i = 0; i < 3; i++) expectedSeqs.push(await change())
      await until(async () => (await browserFrames()).length === 4)
      for (let i = 0; i < 3; i++) plainFrames.push((await plain.nextEvent())!)

      // The network drops, and stays down while three more things happen.
      proxy.refuse(true)
      proxy.cutAll()
      const requestsBefore = proxy.requests.length
      for (let i = 0; i < 3; i++) expectedSeqs.push(await change())
      proxy.refuse(false)

      const lastPlain = plainFrames.at(-1)!.id!
      plain = await SseReader.open(`${base}/api/events/${seeded.event.slug}/stream`, { 'last-event-id': lastPlain })
      for (let i = 0; i < 3; i++) plainFrames.push((await plain.nextEvent())!)
      // EventSource waits its retry (2-4 s) and reconnects by itself.
      await until(async () => (await browserFrames()).length === 7, 15_000, 100)
      expectedSeqs.push(await change())
      await until(async () => (await browserFrames()).length === 8)
      plainFrames.push((await plain.nextEvent())!)

      const reconnect = proxy.requests.slice(requestsBefore).find((r) => r.includes('/stream'))!
      expect(reconnect.toLowerCase()).toContain(`last-event-id: ${expectedSeqs[2]}`)

      const truth = (await (await server.fetch(`/api/events/${seeded.event.slug}/snapshot`)).json()).snapshot
      for (const frames of [
        await browserFrames(),
        plainFrames.map((f) => ({ type: f.event!, id: f.id!, data: f.data! })),
      ]) {
        expect(frames.map((f) => f.type)).toEqual(['snapshot', ...Array(7).fill('delta')])
        expect(frames.slice(1).map((f) => Number(f.id))).toEqual(expectedSeqs)
        let s = JSON.parse(frames[0].data) as Snapshot
        for (const f of frames.slice(1)) s = applyDelta(s, JSON.parse(f.data) as Delta)
        expect(s).toEqual(truth)
      }
      await plain.close()
      await page.close()
    },
    60_000,
  )
})
