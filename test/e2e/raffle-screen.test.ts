/**
 * The big screen during a verifiable draw, in headless Chromium against an in-process
 * embedded server: the commit brings up the drum roll with the frozen list's hash and the
 * seed commitment; the drum only ever shows numbers on the frozen list; the draw lands on
 * the winners. Screenshots: test-output/screenshots/raffle-screen-*.png.
 *
 * Needs the built client (`npm run build:client`).
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import type { Browser, Page } from 'playwright-core'
import type { RaffleProof } from '../../protocol/raffle-proof.ts'
import { checkIn, seedEvent, startTestServer, type TestServer } from '../support/backends.ts'
import {
  chromiumAvailable,
  DEEP_HELPERS,
  type DeepWindow,
  FULL_HD,
  launchBrowser,
  screenshot,
} from '../support/browser.ts'

setDefaultTimeout(60_000)
const run = chromiumAvailable()

describe.skipIf(!run)('the screen during a verifiable draw', () => {
  let server: TestServer
  let browser: Browser
  let screen: Page
  let seeded: Awaited<ReturnType<typeof seedEvent>>
  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await server.fetch(`/api/admin/events/${seeded.event.slug}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${seeded.hostSecret}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return { status: res.status, body: await res.json() }
  }
  const reels = () =>
    screen.evaluate(() =>
      (window as unknown as DeepWindow)
        .__deepAll(['gb-screen-app', 'gb-raffle-draw', '.reel'])
        .map((el) => Number(el.textContent!.replace('#', '').trim())),
    )
  const phase = () =>
    screen.evaluate(
      () =>
        (window as unknown as DeepWindow).__deep(['gb-screen-app', 'gb-raffle-draw', '[data-phase]'])?.dataset.phase ??
        null,
    )

  beforeAll(async () => {
    server = await startTestServer('embedded')
    server.app.listen({ port: 0, hostname: '127.0.0.1' })
    // Numbers 1-200; only every 7th checks in, so a drum showing 1..N would soon be caught.
    seeded = await seedEvent(server, { wristbands: 200 })
    for (const w of seeded.wristbands.filter((w) => w.number % 7 === 0))
      await checkIn(server, seeded.event.slug, w.code)
    browser = await launchBrowser()
    screen = await (await browser.newContext({ viewport: FULL_HD })).newPage()
    await screen.addInitScript(DEEP_HELPERS)
    await screen.goto(`http://127.0.0.1:${server.app.server!.port}/e/${seeded.event.slug}/screen`)
    await screen.waitForFunction(() => !!(window as unknown as DeepWindow).__deep(['gb-screen-app', '.checkins']))
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  test('commit -> drum roll with the commitment, numbers only from the list -> the winners', async () => {
    const raffle = (await admin('POST', '/raffles', { name: 'Lucky seven', prizes: [{ name: 'Cake', count: 3 }] })).body
    const committed = await admin('POST', `/raffles/${raffle.id}/commit`, { rollMs: 4000 })
    expect(committed.status).toBe(200)
    const proof = (await (
      await server.fetch(`/api/events/${seeded.event.slug}/raffles/${raffle.id}/proof`)
    ).json()) as RaffleProof
    const list = new Set(proof.list)
    await screen.waitForFunction(
      () => !!(window as unknown as DeepWindow).__deep(['gb-screen-app', 'gb-raffle-draw', '[data-phase="drumroll"]']),
      undefined,
      { timeout: 3000 },
    )
    const line = await screen.evaluate(
      () => (window as unknown as DeepWindow).__deep(['gb-screen-app', 'gb-raffle-draw', '.proof'])?.dataset ?? null,
    )
    expect(line).toMatchObject({ listHash: proof.listHash, commitment: proof.commitment })
    // Once the list has arrived, every number the drum shows is on it.
    await Bun.sleep(500)
    const seen = new Set<number>()
    for (let i = 0; i < 20; i++) {
      for (const n of await reels()) seen.add(n)
      await Bun.sleep(80)
    }
    expect(seen.size).toBeGreaterThan(3)
    for (const n of seen) expect(list.has(n)).toBe(true)
    await screenshot(screen, 'raffle-screen-drumroll')

    await Bun.sleep(Math.max(0, committed.body.closesAt + 350 - Date.now()))
    const drawn = (await admin('POST', `/raffles/${raffle.id}/draw`)).body
    await screen.waitForFunction(
      () => !!(window as unknown as DeepWindow).__deep(['gb-screen-app', 'gb-raffle-draw', '[data-phase="rolling"]']),
      undefined,
      { timeout: 3000 },
    )
    for (let i = 0; i < 10; i++) {
      for (const n of await reels()) expect(list.has(n)).toBe(true)
      await Bun.sleep(100)
    }
    await screen.waitForFunction(
      () => !!(window as unknown as DeepWindow).__deep(['gb-screen-app', 'gb-raffle-draw', '[data-phase="winners"]']),
      undefined,
      { timeout: 12_000 },
    )
    expect(await phase()).toBe('winners')
    const shown = await screen.evaluate(() =>
      (window as unknown as DeepWindow)
        .__deepAll(['gb-screen-app', 'gb-raffle-draw', '.winner'])
        .map((el) => Number(el.dataset.number)),
    )
    expect(shown).toEqual(drawn.winners)
    await Bun.sleep(700)
    await screenshot(screen, 'raffle-screen-winners')
  })
})
