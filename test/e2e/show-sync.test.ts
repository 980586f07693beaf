/**
 * One clock for the room, in real browsers: two headless Chromium phones, one with its
 * clock 3 s fast and one 2 s slow, reach the server through a proxy that delays every
 * chunk 40-240 ms each way. The host starts a light show 5 s ahead; each phone records
 * (in true time, not its own skewed clock) the moment it paints each cue. They must fire
 * every cue within 50 ms of each other and of the server's time. Then a third phone
 * (also 3 s fast) joins mid-show and must show the cue of the moment, not an earlier or
 * later one. The figures are printed for docs/benchmarks.md ("Two phones, one show").
 *
 * Needs the built client (`npm test` builds it; otherwise run `npm run build:client`).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { Show } from '../../protocol/index.ts'
import { until } from '../support/backends.ts'
import { chromiumAvailable, launchBrowser, PHONE } from '../support/browser.ts'
import { type ServerProcess, startServerProcess } from '../support/process.ts'
import { CuttableProxy } from '../support/proxy.ts'

const SLUG = 'demo'
const run = chromiumAvailable()
/** Each way, per chunk. */
const DELAY = { min: 40, max: 240 }
const BOUND_MS = 50
const STEP_MS = 1500
const COLOURS = ['#ff0040', '#00c8ff', '#ffcc00', '#34c759', '#bf5af2', '#ff6a00', '#ffffff']
const SHEET = {
  name: 'sync e2e',
  cues: COLOURS.map((color, i) => ({ at: i * STEP_MS, color, effect: 'solid' as const })),
}

/**
 * Runs in the page before anything else: the phone's wall clock is `skew` ms off (Date,
 * Date.now, performance.timeOrigin; performance.now() measures from the page's start, so
 * it is unaffected), and every change of the show colour on <gb-guest-app> is recorded
 * with the true time it happened.
 */
function phoneInit(skew: number) {
  const RealDate = Date
  const realNow = RealDate.now.bind(RealDate)
  class SkewedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(realNow() + skew)
      else super(...(args as [number]))
    }
    static now() {
      return realNow() + skew
    }
  }
  ;(window as unknown as { Date: DateConstructor }).Date = SkewedDate as unknown as DateConstructor
  const origin = performance.timeOrigin + skew
  Object.defineProperty(performance, 'timeOrigin', { get: () => origin })
  const fires: { color: string; at: number }[] = []
  ;(window as unknown as { __fires: typeof fires }).__fires = fires
  const watch = () => {
    const app = document.querySelector('gb-guest-app') as HTMLElement | null
    if (!app) return void setTimeout(watch, 10)
    let last = ''
    new MutationObserver(() => {
      const color = app.style.getPropertyValue('--gb-show-color').trim()
      if (color !== last) {
        last = color
        if (color) fires.push({ color, at: realNow() })
      }
    }).observe(app, { attributes: true, attributeFilter: ['style'] })
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', watch)
  else watch()
}

type Fire = { color: string; at: number }

describe.skipIf(!run)('two phones with wrong clocks, through a slow network, fire the same cue together', () => {
  let dataDir = ''
  let server: ServerProcess
  let proxy: CuttableProxy
  let browser: Browser
  let secret = ''
  let wristbands: { number: number; code: string }[] = []
  const contexts: BrowserContext[] = []

  const host = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}/api/admin/events/${SLUG}${path}`, {
      method,
      headers: { authorization: `Bearer ${secret}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    })
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
    return res.json()
  }

  const phone = async (skew: number, code: string): Promise<Page> => {
    const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true })
    contexts.push(context)
    await context.addInitScript(phoneInit, skew)
    const page = await context.newPage()
    page.on('pageerror', (err) => console.error('page error:', err.message))
    await page.goto(`http://127.0.0.1:${proxy.port}/w/${code}`)
    await page.locator('[data-testid="number"]').waitFor({ timeout: 20_000 })
    return page
  }
  const firesOf = (page: Page) => page.evaluate(() => (window as unknown as { __fires: Fire[] }).__fires)
  const clockOf = (page: Page) =>
    page.evaluate(() => {
      const app = document.querySelector('gb-guest-app') as unknown as {
        lights?: { clock: { offset: number; uncertaintyMs: number; rtt: number } }
      }
      const c = app.lights?.clock
      return c ? { offset: c.offset, uncertaintyMs: c.uncertaintyMs, rtt: c.rtt } : null
    })

  beforeAll(async () => {
    if (!existsSync(join(import.meta.dir, '../../dist/client/guest.html')))
      throw new Error('the client is not built: run "npm run build:client" (npm test does)')
    dataDir = mkdtempSync(join(tmpdir(), 'gb-sync-e2e-'))
    server = await startServerProcess(
      { TICK_MS: '50', FLUSH_MS: '20', LOG_LEVEL: 'error', DATA_DIR: dataDir },
      { args: ['--demo'] },
    )
    const secretFile = join(dataDir, `${SLUG}.host-secret`)
    await until(() => existsSync(secretFile) && readFileSync(secretFile, 'utf8').length > 0, 20_000, 50)
    secret = (JSON.parse(readFileSync(secretFile, 'utf8')) as { secret: string }).secret
    wristbands = ((await host('POST', '/wristbands', { count: 3, label: 'sync' })) as { wristbands: typeof wristbands })
      .wristbands
    proxy = new CuttableProxy(server.port, {
      delayMs: () => DELAY.min + (DELAY.max - DELAY.min) * Math.random(),
    }).start()
    browser = await launchBrowser()
  }, 60_000)

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {})
    await browser?.close()
    proxy?.stop()
    await server?.stop()
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  }, 20_000)

  test('3 s fast and 2 s slow, 40-240 ms each way: every cue within 50 ms of each other and of the server; a late joiner shows the cue of the moment', async () => {
    const [fast, slow] = await Promise.all([phone(3000, wristbands[0].code), phone(-2000, wristbands[1].code)])
    const { hash } = (await host('POST', '/cue-sheets', SHEET)) as { hash: string }
    // The host starts the show a few seconds ahead, as the admin panel does.
    const show = (await host('PUT', '/show', { cueSheet: hash, startInMs: 5000 })) as Show
    const end = show.startAt + (SHEET.cues.length - 1) * STEP_MS

    // Mid-show, between cues 2 and 3, a third phone (3 s fast) joins.
    const joinAt = show.startAt + 2 * STEP_MS + STEP_MS / 3
    await Bun.sleep(Math.max(0, joinAt - Date.now()))
    const joined = Date.now()
    const late = await phone(3000, wristbands[2].code)
    await until(async () => (await firesOf(late)).length > 0, 8000, 20)
    const lateFirst = (await firesOf(late))[0]

    await Bun.sleep(Math.max(0, end + 500 - Date.now()))
    const [a, b, c] = await Promise.all([firesOf(fast), firesOf(slow), firesOf(late)])
    const clocks = await Promise.all([clockOf(fast), clockOf(slow), clockOf(late)])
    await host('DELETE', '/show')

    const rows = SHEET.cues.map((cue, i) => {
      const due = show.startAt + cue.at
      const fa = a.find((f) => f.color === cue.color)
      const fb = b.find((f) => f.color === cue.color)
      const fc = c.find((f) => f.color === cue.color)
      return {
        cue: i,
        fast: fa ? Math.round(fa.at - due) : null,
        slow: fb ? Math.round(fb.at - due) : null,
        apart: fa && fb ? Math.round(Math.abs(fa.at - fb.at)) : null,
        late: fc ? Math.round(fc.at - due) : null,
      }
    })
    console.log(
      `show sync (ms off the server's time, + is late): ${JSON.stringify(rows)}\n` +
        `clocks at the end (offset, uncertainty, best rtt): ${JSON.stringify(clocks)}\n` +
        `late joiner: joined ${joined - show.startAt} ms into the show, first painted ${lateFirst.color} ` +
        `${Math.round(lateFirst.at - joined)} ms after it started loading`,
    )

    // Each phone showed every cue exactly once, in order.
    expect(a.map((f) => f.color)).toEqual(COLOURS)
    expect(b.map((f) => f.color)).toEqual(COLOURS)
    for (const r of rows) {
      expect(Math.abs(r.fast!)).toBeLessThanOrEqual(BOUND_MS)
      expect(Math.abs(r.slow!)).toBeLessThanOrEqual(BOUND_MS)
      expect(r.apart!).toBeLessThanOrEqual(BOUND_MS)
    }
    // The late joiner's first colour is the cue that was playing when it painted: no earlier
    // cue (its clock is 3 s fast, it must not run ahead either), then the rest on time.
    // Within the same bound as the others: a first paint 1 ms before a cue is due is that cue.
    const playing = SHEET.cues.filter((cue) => show.startAt + cue.at <= lateFirst.at + BOUND_MS).pop()!
    expect(lateFirst.color).toBe(playing.color)
    expect(playing.at).toBeGreaterThanOrEqual(2 * STEP_MS)
    expect(c.map((f) => f.color)).toEqual(COLOURS.slice(COLOURS.indexOf(playing.color)))
  }, 60_000)
})
