/**
 * The host directs the big screen, in headless Chromium against an in-process embedded
 * server: two screens (1280x720 and 1920x1080) follow each of the host's choices within
 * 2 s (a tap in the admin page's Screen tab included); a tiered draw of 304 prizes comes
 * up tier by tier, lowest prize first, and the 300 winners of the big tier are all shown
 * across pages that turn by themselves, readable and inside the screen at both sizes; the
 * host dismisses the panel. Screenshots: /tmp/shots-screen/ and test-output/screenshots/.
 *
 * Needs the built client (`npm run build:client`).
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { copyFileSync, mkdirSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import type { Raffle, ScreenState } from '../../protocol/index.ts'
import { checkIn, seedEvent, startTestServer, type TestServer } from '../support/backends.ts'
import { chromiumAvailable, DEEP_HELPERS, type DeepWindow, launchBrowser, screenshot } from '../support/browser.ts'

setDefaultTimeout(60_000)
const run = chromiumAvailable()
const SHOTS = '/tmp/shots-screen'
const SIZES = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
]

describe.skipIf(!run)('the host directs the big screen', () => {
  let server: TestServer
  let browser: Browser
  let base: string
  let screens: Page[] = []
  let seeded: Awaited<ReturnType<typeof seedEvent>>
  let pollId: number
  const guests: string[] = []
  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await server.fetch(`/api/admin/events/${seeded.event.slug}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${seeded.hostSecret}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const json = await res.json()
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`)
    return json
  }
  /** Screenshots of every screen, named `<name>-<width>`. */
  const shoot = async (name: string) => {
    mkdirSync(SHOTS, { recursive: true })
    for (const page of screens) {
      const file = await screenshot(page, `screen-direction-${name}-${page.viewportSize()!.width}`)
      copyFileSync(file, `${SHOTS}/${name}-${page.viewportSize()!.width}.png`)
    }
  }
  /** What a screen shows: the slide, else the stage card's kind (with its poll or raffle). */
  const shown = (page: Page) =>
    page.evaluate(() => {
      const w = window as unknown as DeepWindow
      const slide = w.__deep(['gb-screen-app', 'gb-screen-slide'])
      if (slide) return slide.dataset.view ?? ''
      const stage = w.__deep(['gb-screen-app', '.frame [data-stage]'])
      const raffle = w.__deep(['gb-screen-app', 'gb-raffle-stage', '[data-raffle]'])?.dataset.raffle
      const poll = stage?.tagName === 'GB-POLL-BARS' ? (stage as unknown as { poll: { id: number } }).poll.id : ''
      return `${stage?.dataset.stage ?? ''}${poll ? `:${poll}` : ''}${raffle ? `:${raffle}` : ''}`
    })
  /** Waits until every screen shows `want`; returns the slowest screen's time since `since`. */
  const follows = async (want: string, since: number) => {
    let worst = 0
    for (const page of screens) {
      for (;;) {
        if ((await shown(page)) === want) break
        if (Date.now() - since > 5000) throw new Error(`screen shows ${await shown(page)}, not ${want}`)
        await Bun.sleep(25)
      }
      worst = Math.max(worst, Date.now() - since)
    }
    return worst
  }
  const panel = (page: Page) =>
    page.evaluate(() => {
      const w = window as unknown as DeepWindow
      const list = w.__deep(['gb-screen-app', 'gb-raffle-draw', '.panel'])
      const numbers = w.__deepAll(['gb-screen-app', 'gb-raffle-draw', '.winner'])
      // Layout boxes (the landing animation scales the numbers for a moment).
      const rects = numbers.map((el) => ({
        left: el.offsetLeft,
        top: el.offsetTop,
        right: el.offsetLeft + el.offsetWidth,
        bottom: el.offsetTop + el.offsetHeight,
      }))
      const box = list?.getBoundingClientRect()
      return {
        phase: w.__deep(['gb-screen-app', 'gb-raffle-draw', '[data-phase]'])?.dataset.phase ?? null,
        tier: Number(list?.dataset.tier ?? 0),
        page: Number(list?.dataset.page ?? -1),
        pages: Number(list?.dataset.pages ?? 0),
        numbers: numbers.map((el) => Number(el.dataset.number)),
        fontPx: numbers.length ? Number.parseFloat(getComputedStyle(numbers[0]).fontSize) : 0,
        inside:
          !!box &&
          box.top >= 0 &&
          box.left >= 0 &&
          box.bottom <= innerHeight &&
          box.right <= innerWidth &&
          rects.every((r) => r.right <= list!.offsetWidth + 1 && r.bottom <= list!.offsetHeight + 1),
        overlapping: rects.some((a, i) =>
          rects.some((b, j) => j > i && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom),
        ),
      }
    })

  beforeAll(async () => {
    server = await startTestServer('embedded')
    server.app.listen({ port: 0, hostname: '127.0.0.1' })
    base = `http://127.0.0.1:${server.app.server!.port}`
    seeded = await seedEvent(server, { wristbands: 320 })
    for (const w of seeded.wristbands) guests.push(await checkIn(server, seeded.event.slug, w.code))
    const poll = await admin('POST', '/polls', {
      question: 'Which song for the encore?',
      options: ['Starlight', 'Rain', 'Home'],
    })
    pollId = poll.id
    await admin('POST', `/polls/${pollId}/open`)
    for (let i = 0; i < 40; i++) {
      await server.fetch(`/api/events/${seeded.event.slug}/votes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: guests[i] },
        body: JSON.stringify({ pollId, optionId: poll.options[i % 3 === 0 ? 0 : i % 3].id }),
      })
    }
    await server.fetch(`/api/events/${seeded.event.slug}/questions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: guests[0] },
      body: JSON.stringify({ text: 'Will the set list be online after the show?' }),
    })
    browser = await launchBrowser()
    screens = []
    for (const viewport of SIZES) {
      const page = await (await browser.newContext({ viewport })).newPage()
      await page.addInitScript(DEEP_HELPERS)
      page.on('pageerror', (err) => console.error('[screen page error]', err))
      await page.goto(`${base}/e/${seeded.event.slug}/screen`)
      await page.waitForFunction(() => !!(window as unknown as DeepWindow).__deep(['gb-screen-app', '.checkins']))
      screens.push(page)
    }
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  test('each view the host chooses is on both screens within 2 s', async () => {
    expect(await follows(`poll:${pollId}`, Date.now())).toBeLessThan(2000)
    const raffle = await admin('POST', '/raffles', {
      name: 'Summer prizes',
      prizes: [
        { name: 'Weekend trip', count: 1 },
        { name: 'Headphones', count: 3 },
        { name: 'Tote bag', count: 300 },
      ],
    })
    const choices: [{ view: string; id?: number }, string][] = [
      [{ view: 'idle' }, 'idle'],
      [{ view: 'join' }, 'join'],
      [{ view: 'qa' }, 'qa'],
      [{ view: 'quiz' }, 'quiz'],
      [{ view: 'raffle', id: raffle.id }, `raffle:${raffle.id}`],
      [{ view: 'poll', id: pollId }, `poll:${pollId}`],
      [{ view: 'auto' }, `poll:${pollId}`],
    ]
    const times: Record<string, number> = {}
    for (const [body, want] of choices) {
      const at = Date.now()
      await admin('PUT', '/screen', body)
      times[body.view] = await follows(want, at)
      expect(times[body.view]).toBeLessThan(2000)
      await Bun.sleep(400)
      await shoot(body.view)
    }
    console.log('host choice -> both screens, ms:', JSON.stringify(times))
  })

  test('300 winners of a tiered draw: lowest prize first, every winner shown across pages; then dismissed', async () => {
    const raffle = ((await admin('GET', '/raffles')) as Raffle[]).find((r) => r.name === 'Summer prizes')!
    const drawn = (await admin('POST', `/raffles/${raffle.id}/draw`)) as Raffle
    const tote = drawn.prizes!.find((p) => p.name === 'Tote bag')!
    expect(tote.winners).toHaveLength(300)
    // The drum lands on the lowest prize's numbers, never the grand prize's.
    await screens[0].waitForFunction(
      () => !!(window as unknown as DeepWindow).__deep(['gb-screen-app', 'gb-raffle-draw', '[data-phase="rolling"]']),
      undefined,
      { timeout: 2000 },
    )
    const grand = drawn.prizes!.find((p) => p.tier === 1)!.winners[0]
    await Bun.sleep(1200)
    await shoot('rolling')
    const landed = await screens[0].waitForFunction(
      () => {
        const reels = (window as unknown as DeepWindow).__deepAll(['gb-screen-app', 'gb-raffle-draw', '.reel'])
        return reels.length && reels.every((r) => r.classList.contains('landed'))
          ? reels.map((r) => Number(r.textContent!.replace('#', '').trim()))
          : null
      },
      undefined,
      { timeout: 10_000, polling: 50 },
    )
    const numbers = (await landed.jsonValue()) as number[]
    expect(numbers).toEqual(tote.winners.slice(0, numbers.length))
    // The host steps through the tiers, pages turning every second.
    await admin('PUT', '/screen/winners', { raffleId: raffle.id, reveal: 'step', step: 1, pageSeconds: 1 })
    for (const page of screens) {
      await page.waitForFunction(
        () =>
          (window as unknown as DeepWindow).__deep(['gb-screen-app', 'gb-raffle-draw', '[data-phase="winners"]'])
            ?.dataset.reveal === 'step',
        undefined,
        { timeout: 12_000 },
      )
    }
    const seen = screens.map(() => new Set<number>())
    const pagesSeen = screens.map(() => new Set<number>())
    const fonts = screens.map(() => 0)
    const started = Date.now()
    while (Date.now() - started < 20_000 && seen.some((s) => s.size < 300)) {
      for (const [i, page] of screens.entries()) {
        const p = await panel(page)
        expect(p.tier).toBe(tote.tier)
        expect(p.pages).toBe(7)
        expect(p.overlapping).toBe(false)
        expect(p.inside).toBe(true)
        expect(p.fontPx).toBeGreaterThanOrEqual(i === 0 ? 20 : 30)
        for (const n of p.numbers) seen[i].add(n)
        pagesSeen[i].add(p.page)
        fonts[i] = p.fontPx
      }
      await Bun.sleep(150)
    }
    for (const s of seen) expect([...s].sort((a, b) => a - b)).toEqual([...tote.winners].sort((a, b) => a - b))
    for (const p of pagesSeen) expect(p.size).toBe(7)
    console.log('300 winners: 7 pages seen on both screens in', Date.now() - started, 'ms; number size px', fonts)
    await shoot('winners-tier3')

    // Next tier: the three headphones, big; then the grand prize.
    await admin('PUT', '/screen/winners', { raffleId: raffle.id, reveal: 'step', step: 2, pageSeconds: 1 })
    const headphones = drawn.prizes!.find((p) => p.name === 'Headphones')!.winners
    for (const page of screens) {
      await page.waitForFunction(
        (n) => (window as unknown as DeepWindow).__deepAll(['gb-screen-app', 'gb-raffle-draw', '.winner']).length === n,
        headphones.length,
        { timeout: 2000 },
      )
      expect((await panel(page)).numbers).toEqual(headphones)
    }
    await Bun.sleep(600)
    await shoot('winners-tier2')
    const at = Date.now()
    await admin('PUT', '/screen/winners', { raffleId: raffle.id, reveal: 'step', step: 3, pageSeconds: 1 })
    for (const page of screens) {
      await page.waitForFunction(
        (n) => {
          const w = window as unknown as DeepWindow
          const all = w.__deepAll(['gb-screen-app', 'gb-raffle-draw', '.winner'])
          return all.length === 1 && Number(all[0].dataset.number) === n
        },
        grand,
        { timeout: 2000 },
      )
    }
    expect(Date.now() - at).toBeLessThan(2000)
    await Bun.sleep(600)
    await shoot('winners-grand')

    // Dismissed by the host: gone from both screens within 2 s, the poll back on the stage.
    const gone = Date.now()
    const state = (await admin('DELETE', '/screen/winners')) as ScreenState
    expect(state.winners).toBeNull()
    for (const page of screens) {
      await page.waitForFunction(
        () => !(window as unknown as DeepWindow).__deep(['gb-screen-app', 'gb-raffle-draw', '[data-phase]']),
        undefined,
        { timeout: 2000 },
      )
    }
    expect(Date.now() - gone).toBeLessThan(2000)
  })

  test("one tap in the admin page's Screen tab puts the join QR up", async () => {
    const ctx = await browser.newContext({ viewport: { width: 820, height: 1180 } })
    const host = await ctx.newPage()
    await host.goto(`${base}/e/${seeded.event.slug}/admin#key=${seeded.hostSecret}`)
    await host.getByRole('tab', { name: /Screen/ }).click()
    await host.waitForSelector('gb-screen-panel [data-now="auto"]', { timeout: 10_000 })
    await host.screenshot({ path: `${SHOTS}/admin-820.png` })
    const at = Date.now()
    await host.locator('gb-screen-panel button[data-view="join"]').click()
    expect(await follows('join', at)).toBeLessThan(2000)
    await host.waitForSelector('gb-screen-panel button[data-view="join"][aria-pressed="true"]', { timeout: 2000 })
    await host.setViewportSize({ width: 390, height: 844 })
    await Bun.sleep(300)
    await host.screenshot({ path: `${SHOTS}/admin-390.png`, fullPage: true })
    await host.locator('gb-screen-panel button[data-view="auto"]').click()
    await follows(`poll:${pollId}`, Date.now())
    await ctx.close()
  })
})
