/**
 * The light show on phones and the big screen, in headless Chromium against a real server
 * process with the demo event:
 * - the richer cues (a turning gradient, drifting particles, big text, a fade that glides)
 *   on a phone and on the screen, and what `prefers-reduced-motion` gets instead (no
 *   particles, a still gradient, no flashing, gentle fades);
 * - the screen kept awake while the show runs (Screen Wake Lock), taken again when the phone
 *   comes back to the page, let go when the show ends or stops;
 * - a guest who taps away from the show gets back in with one button;
 * - a phone that reloads, or wakes after sleeping (page hidden, script stopped), paints the
 *   cue of the moment, with its clock 3 s fast.
 * Screenshots (390x844 phone, 1280x720 screen) go to /tmp/gb-shots/.
 *
 * Needs the built client (`bun run build:client`).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { CueSheet, Show } from '../../protocol/index.ts'
import { until } from '../support/backends.ts'
import { chromiumAvailable, launchBrowser, PHONE } from '../support/browser.ts'
import { ROOT, type ServerProcess, startServerProcess } from '../support/process.ts'

const SLUG = 'demo'
const SHOTS = '/tmp/gb-shots'
const run = chromiumAvailable()

const PINK = '#ff2d75'
const SKY = '#00c8ff'
const RICH: CueSheet = {
  name: 'rich e2e',
  cues: [
    {
      at: 0,
      color: PINK,
      effect: 'solid',
      gradient: { colors: [PINK, '#6e3bff', '#00b7ff'], angle: 160, turnMs: 6000 },
      particles: { count: 10 },
      text: 'Hands up!',
    },
    { at: 3000, color: SKY, effect: 'solid', fadeMs: 1500, text: 'Wave' },
    { at: 6000, color: '#ffffff', effect: 'flash', durationMs: 2000 },
  ],
}

/** What the controller painted on <gb-guest-app>: its custom properties and the overlay it rendered. */
type Look = {
  color: string
  opacity: number
  image: string
  fromOpacity: number
  particles: number
  particlesShown: boolean
  text: string
  overlay: boolean
  back: boolean
}
const lookOf = (page: Page): Promise<Look> =>
  page.evaluate(() => {
    const app = document.querySelector('gb-guest-app') as HTMLElement
    const root = app.shadowRoot!
    const v = (n: string) => app.style.getPropertyValue(n).trim()
    // Particles and text render in <gb-cue-overlay>, loaded with the player.
    const layer = root.querySelector('gb-cue-overlay')?.shadowRoot ?? root
    const dots = layer.querySelector('.show-particles')
    return {
      color: v('--gb-show-color'),
      opacity: Number(v('--gb-show-opacity') || 0),
      image: v('--gb-show-image'),
      fromOpacity: Number(v('--gb-show-from-opacity') || 0),
      particles: layer.querySelectorAll('.show-particles i').length,
      particlesShown: !!dots && getComputedStyle(dots).display !== 'none',
      text: layer.querySelector('[data-cue-text]')?.textContent ?? '',
      overlay: !!root.querySelector('.show'),
      back: !!root.querySelector('[data-testid="back-to-show"]'),
    }
  })

/**
 * Runs in the page first: a fake Screen Wake Lock that logs requests and releases, and a
 * switch that "hides" the page the way a phone locking or switching apps does (the
 * browser then drops the lock, as real ones do).
 */
function fakeWakeLock() {
  type Entry = { op: 'request' | 'release'; id: number; at: number }
  const log: Entry[] = []
  let n = 0
  let hidden = false
  let current: (EventTarget & { released: boolean; release(): Promise<void> }) | null = null
  const w = window as unknown as { __wake: Entry[]; __hide: (h: boolean) => void }
  w.__wake = log
  const wakeLock = {
    request: async (type: string) => {
      if (type !== 'screen' || hidden) throw new DOMException('not visible', 'NotAllowedError')
      const id = ++n
      const s = Object.assign(new EventTarget(), {
        released: false,
        type,
        release: async () => {
          if (s.released) return
          s.released = true
          log.push({ op: 'release', id, at: Date.now() })
          s.dispatchEvent(new Event('release'))
        },
      })
      log.push({ op: 'request', id, at: Date.now() })
      current = s
      return s
    },
  }
  Object.defineProperty(navigator, 'wakeLock', { value: wakeLock, configurable: true })
  Object.defineProperty(document, 'visibilityState', { get: () => (hidden ? 'hidden' : 'visible'), configurable: true })
  Object.defineProperty(document, 'hidden', { get: () => hidden, configurable: true })
  w.__hide = (h: boolean) => {
    hidden = h
    if (h && current && !current.released) void current.release()
    document.dispatchEvent(new Event('visibilitychange'))
  }
}

/** Runs in the page first: its wall clock `skew` ms off, and every show colour it paints logged with the true time. */
function skewAndRecord(skew: number) {
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
  ;(window as unknown as { __fires: typeof fires; __realNow: () => number }).__fires = fires
  ;(window as unknown as { __realNow: () => number }).__realNow = realNow
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

describe.skipIf(!run)('the light show on phones and the screen', () => {
  let dataDir = ''
  let server: ServerProcess
  let browser: Browser
  let secret = ''
  let wristbands: { number: number; code: string }[] = []
  let used = 0
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
  const startShow = async (sheet: CueSheet, startInMs: number): Promise<Show> => {
    const { hash } = (await host('POST', '/cue-sheets', sheet)) as { hash: string }
    return (await host('PUT', '/show', { cueSheet: hash, startInMs })) as Show
  }
  const phone = async (
    opts: { reducedMotion?: 'reduce'; init?: [() => void] | [(skew: number) => void, number] } = {},
  ) => {
    const context = await browser.newContext({
      viewport: PHONE,
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      reducedMotion: opts.reducedMotion,
    })
    contexts.push(context)
    if (opts.init) await context.addInitScript(opts.init[0] as (arg: number) => void, opts.init[1] as number)
    const page = await context.newPage()
    page.on('pageerror', (err) => console.error('page error:', err.message))
    await page.goto(`${server.url}/w/${wristbands[used++].code}`)
    await page.locator('[data-testid="number"]').waitFor({ timeout: 20_000 })
    return { context, page }
  }
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) })
  const sleepUntil = (at: number) => Bun.sleep(Math.max(0, at - Date.now()))

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist/client/guest.html')))
      throw new Error('build the client first: bun run build:client')
    mkdirSync(SHOTS, { recursive: true })
    dataDir = mkdtempSync(join(tmpdir(), 'gb-lights-e2e-'))
    server = await startServerProcess(
      { TICK_MS: '50', FLUSH_MS: '20', LOG_LEVEL: 'error', DATA_DIR: dataDir },
      { args: ['--demo'] },
    )
    const secretFile = join(dataDir, `${SLUG}.host-secret`)
    await until(() => existsSync(secretFile) && readFileSync(secretFile, 'utf8').length > 0, 20_000, 50)
    secret = (JSON.parse(readFileSync(secretFile, 'utf8')) as { secret: string }).secret
    wristbands = (
      (await host('POST', '/wristbands', { count: 10, label: 'lights' })) as { wristbands: typeof wristbands }
    ).wristbands
    browser = await launchBrowser()
  }, 60_000)

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {})
    await browser?.close()
    await server?.stop()
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  }, 20_000)

  test('a phone plays the rich cues: a turning gradient, drifting particles, big text, then a fade that glides', async () => {
    const { page } = await phone()
    const show = await startShow(RICH, 1500)
    await sleepUntil(show.startAt + 400)
    await until(async () => (await lookOf(page)).color === PINK, 3000, 20)
    const first = await lookOf(page)
    expect(first.opacity).toBe(1)
    expect(first.image).toMatch(/^linear-gradient\([\d.]+deg, #ff2d75, #6e3bff, #00b7ff\)$/)
    expect(first.particles).toBe(10)
    expect(first.particlesShown).toBe(true)
    expect(first.text).toBe('Hands up!')
    await Bun.sleep(500)
    const later = await lookOf(page)
    // It turns (30 degrees a second), the same on every phone: the angle is a function of the server time.
    expect(later.image).not.toBe(first.image)
    await page.waitForTimeout(300)
    await shot(page, 'phone-rich-gradient-particles-text')

    // The fade: from pink to sky over 1.5 s, in many small steps, never a switch.
    await sleepUntil(show.startAt + 2950)
    const fade: { opacity: number; from: number; color: string }[] = []
    while (Date.now() < show.startAt + 4700) {
      const l = await lookOf(page)
      fade.push({ opacity: l.opacity, from: l.fromOpacity, color: l.color })
      await Bun.sleep(30)
    }
    const gliding = fade.filter((f) => f.color === SKY && f.opacity > 0.02 && f.opacity < 0.98)
    console.log(
      `fade samples (opacity of the new cue, of the old beneath): ${fade
        .filter((f) => f.color === SKY)
        .map((f) => `${f.opacity.toFixed(2)}/${f.from.toFixed(2)}`)
        .join(' ')}`,
    )
    expect(gliding.length).toBeGreaterThanOrEqual(10)
    for (let i = 1; i < gliding.length; i++) expect(gliding[i].opacity).toBeGreaterThanOrEqual(gliding[i - 1].opacity)
    // The old look is beneath while it glides, and gone once it landed.
    expect(gliding.every((f) => f.from > 0)).toBe(true)
    const landed = await lookOf(page)
    expect(landed).toMatchObject({ color: SKY, opacity: 1, fromOpacity: 0, particles: 0, text: 'Wave', image: 'none' })
    await host('DELETE', '/show')
    await until(async () => !(await lookOf(page)).overlay, 3000, 20)
  }, 40_000)

  test('prefers-reduced-motion: no particles, a still gradient, no flashing, and colours fade gently', async () => {
    const { page } = await phone({ reducedMotion: 'reduce' })
    const show = await startShow(RICH, 1500)
    await sleepUntil(show.startAt + 400)
    await until(async () => (await lookOf(page)).color === PINK, 3000, 20)
    const first = await lookOf(page)
    expect(first.particles).toBe(0)
    expect(first.text).toBe('Hands up!')
    expect(first.image).toBe('linear-gradient(160deg, #ff2d75, #6e3bff, #00b7ff)')
    const transition = await page.evaluate(() => {
      const layer = document.querySelector('gb-guest-app')!.shadowRoot!.querySelector('.show-color')!
      return getComputedStyle(layer).transitionDuration
    })
    expect(transition).toBe('1.2s, 1.2s')
    await Bun.sleep(800)
    expect((await lookOf(page)).image).toBe(first.image)
    await shot(page, 'phone-reduced-motion')

    // The flash cue: a steady light instead, sampled over a second.
    await sleepUntil(show.startAt + 6300)
    const levels = new Set<number>()
    while (Date.now() < show.startAt + 7500) {
      levels.add((await lookOf(page)).opacity)
      await Bun.sleep(20)
    }
    expect([...levels]).toEqual([0.8])
    await host('DELETE', '/show')
    await until(async () => !(await lookOf(page)).overlay, 3000, 20)
  }, 40_000)

  test('the big screen (1280x720) shows the cue: glow, gradient wash, particles and text', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } })
    contexts.push(context)
    const screen = await context.newPage()
    await screen.goto(`${server.url}/e/${SLUG}/screen`)
    await screen.locator('gb-screen-app').waitFor()
    await Bun.sleep(1500) // the clock's first samples
    const show = await startShow(RICH, 1000)
    await sleepUntil(show.startAt + 300)
    const lights = () =>
      screen.evaluate(() => {
        const app = document.querySelector('gb-screen-app')!
        const el = app.shadowRoot!.querySelector('gb-show-lights') as HTMLElement
        const root = el.shadowRoot!
        return {
          cue: el.dataset.cue ?? '',
          particles: root.querySelectorAll('.show-particles i').length,
          text: root.querySelector('[data-cue-text]')?.textContent ?? '',
          wash: Number((root.querySelector('.wash') as HTMLElement).style.opacity || 0),
        }
      })
    await until(async () => (await lights()).cue === '0', 3000, 20)
    await Bun.sleep(1200)
    const l = await lights()
    expect(l).toMatchObject({ cue: '0', particles: 10, text: 'Hands up!' })
    expect(l.wash).toBeGreaterThan(0)
    await shot(screen, 'screen-rich-cue')
    await host('DELETE', '/show')
    await until(async () => (await lights()).cue === '', 3000, 20)
    expect((await lights()).particles).toBe(0)
  }, 30_000)

  test('the phone keeps its screen awake while the show runs, takes the lock again when it comes back, lets go at the end', async () => {
    const { page } = await phone({ init: [fakeWakeLock] })
    const wakeOf = () =>
      page.evaluate(() => ({
        log: (window as unknown as { __wake: { op: string; id: number }[] }).__wake.map((e) => `${e.op}${e.id}`),
        state: (document.querySelector('gb-guest-app') as unknown as { lights: { wake: string } }).lights.wake,
      }))
    expect((await wakeOf()).log).toEqual([]) // no show, no lock
    const short: CueSheet = {
      name: 'short',
      cues: [
        { at: 0, color: PINK, effect: 'solid' },
        { at: 2000, color: SKY, effect: 'solid', durationMs: 2000 },
      ],
    }
    const show = await startShow(short, 1500)
    await until(async () => (await wakeOf()).state === 'held', 3000, 20)
    expect((await wakeOf()).log).toEqual(['request1'])
    // The phone locks or the guest switches apps: the browser drops the lock...
    await page.evaluate(() => (window as unknown as { __hide: (h: boolean) => void }).__hide(true))
    await until(async () => (await wakeOf()).log.includes('release1'), 1000, 20)
    // ...and back on the page, it is taken again.
    await page.evaluate(() => (window as unknown as { __hide: (h: boolean) => void }).__hide(false))
    await until(async () => (await wakeOf()).state === 'held', 1000, 20)
    expect((await wakeOf()).log).toEqual(['request1', 'release1', 'request2'])
    // The last cue ends 4 s after the start: the screen may sleep again.
    await sleepUntil(show.startAt + 4000)
    await until(async () => (await wakeOf()).log.includes('release2'), 1500, 20)
    expect((await wakeOf()).state).toBe('off')

    // A show stopped by the host lets go too.
    await startShow(RICH, 500)
    await until(async () => (await wakeOf()).state === 'held', 3000, 20)
    await host('DELETE', '/show')
    await until(async () => (await wakeOf()).log.includes('release3'), 3000, 20)

    // And the real API, for the record: headless Chromium may or may not grant it.
    const { page: real } = await phone()
    await startShow(RICH, 500)
    await Bun.sleep(1500)
    const realState = await real.evaluate(
      () => (document.querySelector('gb-guest-app') as unknown as { lights: { wake: string } }).lights.wake,
    )
    console.log(`real Screen Wake Lock in headless Chromium: ${realState}`)
    expect(['held', 'refused']).toContain(realState)
    await host('DELETE', '/show')
  }, 40_000)

  test('a guest who leaves the show view gets back in with one button, while the show runs', async () => {
    const { page } = await phone()
    await startShow(RICH, 300)
    await until(async () => (await lookOf(page)).color === PINK, 4000, 20)
    await page.locator('gb-guest-app .show').click()
    await page.locator('gb-guest-app .show').waitFor({ state: 'detached', timeout: 1000 })
    const back = page.getByRole('button', { name: 'Back to the light show' })
    await back.waitFor({ timeout: 1000 })
    await page.waitForTimeout(300)
    await shot(page, 'phone-back-to-show')
    await back.click()
    await page.locator('gb-guest-app .show').waitFor({ timeout: 1000 })
    const l = await lookOf(page)
    expect(l.overlay).toBe(true)
    expect(l.back).toBe(false)
    expect(l.color).not.toBe('')
    // Out again; when the host stops the show the button goes with it.
    await page.locator('gb-guest-app .show').click()
    await back.waitFor({ timeout: 1000 })
    await host('DELETE', '/show')
    await back.waitFor({ state: 'detached', timeout: 3000 })
  }, 30_000)

  test('a phone 3 s fast that reloads mid-show, or wakes after its script was stopped, paints the cue of the moment', async () => {
    const STEP = 1500
    const colours = ['#ff0040', '#00c8ff', '#ffcc00', '#34c759', '#bf5af2', '#ff6a00', '#ffffff', '#0a5cff']
    const sheet: CueSheet = {
      name: 'steps',
      cues: colours.map((color, i) => ({ at: i * STEP, color, effect: 'solid' as const })),
    }
    const { context, page } = await phone({ init: [skewAndRecord, 3000] })
    const show = await startShow(sheet, 2000)
    const due = (color: string) => show.startAt + colours.indexOf(color) * STEP
    const playingAt = (t: number) =>
      colours[Math.max(0, Math.min(colours.length - 1, Math.floor((t - show.startAt) / STEP)))]
    type Fire = { color: string; at: number }
    const firesOf = () => page.evaluate(() => (window as unknown as { __fires: Fire[] }).__fires)

    // Reload a third of the way into cue 1.
    await sleepUntil(show.startAt + STEP + STEP / 3)
    const reloaded = Date.now()
    await page.reload()
    await until(async () => (await firesOf()).length > 0, 8000, 20)
    const afterReload = (await firesOf())[0]
    const reloadFigures = { color: afterReload.color, msAfterReload: afterReload.at - reloaded }
    expect(afterReload.color).toBe(playingAt(afterReload.at))

    // Sleep: the phone hides the page and stops running its script (timers and all) across two
    // cue changes; then it wakes and the page is visible again.
    await sleepUntil(due(colours[3]) + 300)
    const setHidden = (hidden: boolean) =>
      page.evaluate((h) => {
        Object.defineProperty(document, 'visibilityState', {
          get: () => (h ? 'hidden' : 'visible'),
          configurable: true,
        })
        Object.defineProperty(document, 'hidden', { get: () => h, configurable: true })
        document.dispatchEvent(new Event('visibilitychange'))
      }, hidden)
    const before = (await firesOf()).length
    await setHidden(true)
    const cdp = await context.newCDPSession(page)
    await cdp.send('Debugger.enable')
    await cdp.send('Debugger.pause')
    const frozeAt = Date.now()
    await sleepUntil(due(colours[5]) + 400)
    await cdp.send('Debugger.resume')
    await cdp.send('Debugger.disable')
    const wokeAt = Date.now()
    await setHidden(false)
    await until(async () => (await firesOf()).slice(before).some((f) => f.color === playingAt(f.at)), 3000, 10)
    const afterWake = (await firesOf()).slice(before)
    const woke = afterWake.find((f) => f.color === playingAt(f.at))!
    // What it painted on waking: straight to the cue of the moment, nothing from while it slept.
    expect(afterWake[0].color).toBe(colours[5])
    const wakeFigures = { frozenMs: wokeAt - frozeAt, color: woke.color, msAfterWake: Math.round(woke.at - wokeAt) }
    expect(woke.at - wokeAt).toBeLessThan(1000)

    // Then on time again.
    await sleepUntil(due(colours[6]) + 300)
    const next = (await firesOf()).find((f) => f.color === colours[6])!
    const offNext = Math.round(next.at - due(colours[6]))
    console.log(
      `reload: ${JSON.stringify(reloadFigures)}; wake: ${JSON.stringify(wakeFigures)}; ` +
        `next cue after waking ${offNext} ms off the server's time`,
    )
    expect(Math.abs(offNext)).toBeLessThanOrEqual(50)
    await host('DELETE', '/show')
  }, 40_000)
})
