/**
 * The guest phone page in a real browser (Debian's headless Chromium, phone viewport)
 * against a real server process in embedded mode with the demo event: scan, vote,
 * change the vote, send danmaku, survive the server going away for 10 s, refuse to run
 * a message's markup, catch a typed typo before any request, show a raffle win and the
 * host's pause. Screenshots of each state go to test-output/screenshots/guest-*.png.
 *
 * Needs the built client (`npm test` builds it; otherwise run `npm run build:client`).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'bun'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { Me, Poll, Snapshot } from '../../protocol/index.ts'
import { formatCode } from '../../server/host/wristbands/codes.ts'
import { until } from '../support/backends.ts'
import { chromiumAvailable, launchBrowser, PHONE, screenshot as save } from '../support/browser.ts'
import { type ServerProcess, startServerProcess } from '../support/process.ts'

const SLUG = 'demo'
/** Lets bars and fade-ins finish (they run 0.3-0.5 s) so a screenshot shows the settled state. */
const screenshot = async (page: Page, name: string) => {
  await Bun.sleep(600)
  return save(page, name)
}
const ENV = { TICK_MS: '50', FLUSH_MS: '20', LOG_LEVEL: 'error' }
const run = chromiumAvailable()
const DIST = join(import.meta.dir, '../../dist/client')

// 48 kB: the page loads 37.8 kB since the schemas (zod) load only with what needs them; the
// budget keeps that from creeping back.
test('the guest page loads under 48 kB of gzipped JavaScript', () => {
  const page = join(DIST, 'guest.html')
  if (!existsSync(page)) throw new Error('the client is not built: run "npm run build:client" (npm test does)')
  // Every script the page loads up front: its entry and the chunks it preloads.
  const scripts = [...readFileSync(page, 'utf8').matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1])
  expect(scripts.length).toBeGreaterThan(0)
  const sizes = scripts.map((s) => gzipSync(readFileSync(join(DIST, s)), { level: 9 }).length)
  const total = sizes.reduce((a, b) => a + b, 0)
  console.log(
    `guest page JS: ${scripts.map((s, i) => `${s} ${(sizes[i] / 1024).toFixed(1)} kB`).join(', ')}; total ${(total / 1024).toFixed(1)} kB gz`,
  )
  expect(total).toBeLessThan(48 * 1024)
})

/** Sets the text size to 200% and lists every element that sticks out of the viewport. */
async function overflowAt200(page: Page) {
  await page.evaluate(() => {
    document.documentElement.style.fontSize = '200%'
  })
  await Bun.sleep(200)
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth
    const wide: string[] = []
    const visit = (root: Document | ShadowRoot) => {
      for (const el of Array.from(root.querySelectorAll('*'))) {
        const r = el.getBoundingClientRect()
        if (r.width && (r.right > width + 1 || r.left < -1) && !el.classList.contains('sr-only')) {
          wide.push(
            `${el.tagName.toLowerCase()}.${el.getAttribute('class') ?? ''} ${Math.round(r.left)}..${Math.round(r.right)}`,
          )
        }
        if (el.shadowRoot) visit(el.shadowRoot)
      }
    }
    visit(document)
    return { scroll: document.documentElement.scrollWidth, width, wide }
  })
}

describe.skipIf(!run)('guest phone page', () => {
  let dataDir = ''
  let server: ServerProcess
  let browser: Browser
  let secret = ''
  let wristbands: { number: number; code: string }[] = []
  /** The phone that scans in test 1 and keeps going through the later tests. */
  let phone: Page
  let phoneContext: BrowserContext
  let phoneNumber = 0

  const url = (path: string) => `${server.url}${path}`
  const host = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(url(`/api/admin/events/${SLUG}${path}`), {
      method,
      headers: { authorization: `Bearer ${secret}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    })
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
    return res.json()
  }
  const snapshot = async (): Promise<Snapshot> => {
    const res = await fetch(url(`/api/events/${SLUG}/snapshot`))
    const body = (await res.json()) as { type: string; snapshot: Snapshot }
    return body.snapshot
  }
  /** Checks a wristband in without a browser and returns its cookie header. */
  const apiCheckin = async (code: string) => {
    const res = await fetch(url(`/api/events/${SLUG}/checkin`), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    })
    if (res.status !== 200) throw new Error(`check-in: ${res.status} ${await res.text()}`)
    return res.headers.get('set-cookie')!.split(';')[0]
  }
  const meOf = async (context: BrowserContext): Promise<Me> => {
    const cookies = await context.cookies(server.url)
    const header = cookies.map((c) => `${c.name}=${c.value}`).join('; ')
    const res = await fetch(url(`/api/events/${SLUG}/me`), { headers: { cookie: header } })
    return (await res.json()) as Me
  }
  const newPhone = async (opts: { reducedMotion?: 'reduce' } = {}) => {
    const context = await browser.newContext({
      viewport: PHONE,
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      ...opts,
    })
    const page = await context.newPage()
    page.on('pageerror', (err) => console.error('page error:', err.message))
    return { context, page }
  }
  /** The option button of a poll on the page (Playwright's CSS pierces open shadow roots). */
  const option = (page: Page, pollId: number, optionId: number) =>
    page.locator(`[data-poll-id="${pollId}"] button[data-option-id="${optionId}"]`)
  const votesShown = (page: Page, pollId: number, optionId: number) =>
    option(page, pollId, optionId).getAttribute('data-votes').then(Number)
  const startServer = (port?: number) => startServerProcess({ ...ENV, DATA_DIR: dataDir }, { args: ['--demo'], port })

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'gb-guest-e2e-'))
    server = await startServer()
    // /healthz answers before --demo has made the event: wait for its secret file.
    const secretFile = join(dataDir, `${SLUG}.host-secret`)
    await until(() => existsSync(secretFile) && readFileSync(secretFile, 'utf8').length > 0, 20_000, 50)
    secret = (JSON.parse(readFileSync(secretFile, 'utf8')) as { secret: string }).secret
    wristbands = ((await host('POST', '/wristbands', { count: 6, label: 'e2e' })) as { wristbands: typeof wristbands })
      .wristbands
    browser = await launchBrowser()
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  }, 20_000)

  test('scan -> checked in -> vote -> the bar moves -> change the vote -> a message reaches the stream', async () => {
    ;({ context: phoneContext, page: phone } = await newPhone())
    const band = wristbands[0]
    phoneNumber = band.number
    await phone.goto(url(`/w/${band.code}`))
    expect(new URL(phone.url()).pathname).toBe(`/e/${SLUG}`)
    await expect(phone.locator('[data-testid="number"]').textContent()).resolves.toContain(`#${band.number}`)

    const poll = (await snapshot()).polls.find((p) => p.open)!
    const [a, b, c] = poll.options
    const card = phone.locator(`[data-poll-id="${poll.id}"]`)
    await card.waitFor()
    await phone.locator('gb-connection-pill [data-state="live"]').waitFor()
    await screenshot(phone, 'guest-poll-open')

    await option(phone, poll.id, a.id).click()
    await until(async () => (await votesShown(phone, poll.id, a.id)) === 1, 5000, 50)
    expect(await option(phone, poll.id, a.id).getAttribute('aria-pressed')).toBe('true')
    expect(await option(phone, poll.id, a.id).getAttribute('data-percent')).toBe('100')

    // Another guest votes elsewhere: the bars on this phone move with the stream alone.
    const other = await apiCheckin(wristbands[1].code)
    const res = await fetch(url(`/api/events/${SLUG}/votes`), {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: other },
      body: JSON.stringify({ pollId: poll.id, optionId: b.id, actionId: 'e2e-other-vote-1' }),
    })
    expect(res.status).toBe(202)
    await until(async () => (await votesShown(phone, poll.id, b.id)) === 1, 3000, 50)
    expect(await option(phone, poll.id, a.id).getAttribute('data-percent')).toBe('50')
    await screenshot(phone, 'guest-poll-voted')

    // Change the vote: one tap; the count leaves A and lands on C.
    await option(phone, poll.id, c.id).click()
    await until(
      async () => (await votesShown(phone, poll.id, c.id)) === 1 && (await votesShown(phone, poll.id, a.id)) === 0,
      5000,
      50,
    )
    expect(await option(phone, poll.id, c.id).getAttribute('aria-pressed')).toBe('true')
    expect(await option(phone, poll.id, a.id).getAttribute('aria-pressed')).toBe('false')
    expect((await meOf(phoneContext)).votes[String(poll.id)]).toBe(c.id)

    const text = `Hello from row 12 ${Date.now() % 10000}`
    await phone.locator('gb-danmaku-box input').fill(text)
    await phone.locator('gb-danmaku-box button[type="submit"]').click()
    await until(
      async () => (await snapshot()).danmaku.some((d) => d.text === text && d.number === band.number),
      5000,
      50,
    )
    await phone.locator('gb-danmaku-feed li', { hasText: text }).waitFor({ timeout: 3000 })
    await phone.locator('gb-danmaku-box .notice.ok').waitFor({ timeout: 3000 })
    await screenshot(phone, 'guest-message-sent')
  }, 30_000)

  test('the server goes away for 10 s: what the guest did meanwhile is sent once it is back, once each', async () => {
    const created = (await host('POST', '/polls', {
      question: 'Encore?',
      options: ['Yes, one more!', 'We need sleep'],
    })) as { id: number; options: { id: number }[] }
    await host('POST', `/polls/${created.id}/open`)
    const yes = created.options[0].id
    await option(phone, created.id, yes).waitFor({ timeout: 3000 })

    const port = server.port
    const stoppedAt = Date.now()
    await server.stop('SIGTERM')

    // Every attempt at an action must carry the action's one id, so the server applies it once.
    const attempts = new Map<string, Set<string>>()
    const onRequest = (r: import('playwright-core').Request) => {
      if (r.method() !== 'POST' || !/\/(votes|messages)$/.test(r.url())) return
      const body = JSON.parse(r.postData() ?? '{}') as { text?: string; optionId?: number; actionId: string }
      const key = body.text ?? `vote:${body.optionId}`
      attempts.set(key, (attempts.get(key) ?? new Set()).add(body.actionId))
    }
    phone.on('request', onRequest)

    const stamp = Date.now() % 100000
    // The second one also checks that the pending list shows markup as text.
    const texts = [`offline one ${stamp}`, `<b>offline</b> two ${stamp}`]
    await option(phone, created.id, yes).click()
    for (const text of texts) {
      await phone.locator('gb-danmaku-box input').fill(text)
      await phone.locator('gb-danmaku-box input').press('Enter')
    }
    const pending = phone.locator('[data-testid="pending"] li')
    await until(async () => (await pending.count()) === 3, 5000, 50)
    await phone.locator('[data-testid="pending"] li[data-kind="vote"]').waitFor()
    expect(await phone.locator('[data-testid="pending"] li', { hasText: '<b>offline</b>' }).count()).toBe(1)
    expect(await phone.locator('[data-testid="pending"] b').count()).toBe(0)
    expect(await option(phone, created.id, yes).getAttribute('aria-pressed')).toBe('true')
    expect(await option(phone, created.id, yes).textContent()).toContain('waiting to send')
    await phone.locator('gb-connection-pill [data-state="reconnecting"]').waitFor({ timeout: 8000 })
    await screenshot(phone, 'guest-reconnecting')
    await phone.locator('[data-testid="pending"]').scrollIntoViewIfNeeded()
    await screenshot(phone, 'guest-pending')
    await phone.evaluate(() => window.scrollTo(0, 0))

    await Bun.sleep(Math.max(0, 10_000 - (Date.now() - stoppedAt)))
    server = await startServer(port)

    // The outbox sends everything; the list empties and the page is live again.
    await until(async () => (await snapshot()).danmaku.filter((d) => texts.includes(d.text)).length === 2, 25_000, 200)
    await phone.locator('[data-testid="pending"]').waitFor({ state: 'detached', timeout: 10_000 })
    await Bun.sleep(500)
    const snap = await snapshot()
    for (const text of texts) expect(snap.danmaku.filter((d) => d.text === text).length).toBe(1)
    const after = snap.polls.find((p) => p.id === created.id) as Poll
    expect(after.options.find((o) => o.id === yes)!.votes).toBe(1)
    expect((await meOf(phoneContext)).votes[String(created.id)]).toBe(yes)
    await until(async () => (await votesShown(phone, created.id, yes)) === 1, 20_000, 100)
    await screenshot(phone, 'guest-back-online')
    phone.off('request', onRequest)
    for (const key of [...texts, `vote:${yes}`]) expect(attempts.get(key)?.size).toBe(1)
  }, 60_000)

  test('a message with HTML and script in it shows as text and never runs', async () => {
    const evil = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>`
    await phone.locator('gb-danmaku-box input').fill(evil)
    await phone.locator('gb-danmaku-box input').press('Enter')
    await until(async () => (await snapshot()).danmaku.some((d) => d.text === evil), 5000, 50)
    const item = phone.locator('gb-danmaku-feed li', { hasText: 'window.__pwned=2' })
    await item.waitFor({ timeout: 3000 })
    expect(await item.locator('.text').textContent()).toBe(evil)
    expect(await phone.locator('gb-danmaku-feed img, gb-danmaku-feed script').count()).toBe(0)
    await Bun.sleep(300)
    expect(await phone.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined()
    await screenshot(phone, 'guest-xss-as-text')
  }, 30_000)

  test('a typed code with a typo is caught on the phone, before any request', async () => {
    const { context, page } = await newPhone()
    // A phone that never checked in does not ask who it is (a 401 in its console).
    const consoleErrors: string[] = []
    const askedMe: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text())
    })
    page.on('request', (r) => {
      if (r.url().endsWith('/me')) askedMe.push(r.url())
    })
    await page.goto(url(`/e/${SLUG}`))
    const form = page.locator('gb-checkin-form')
    await form.locator('input').waitFor()
    expect(consoleErrors).toEqual([])
    expect(askedMe).toEqual([])
    const sent: string[] = []
    page.on('request', (r) => {
      if (r.method() !== 'GET' || r.url().includes('/w/')) sent.push(`${r.method()} ${r.url()}`)
    })
    const code = wristbands[2].code
    // One wrong symbol (not a look-alike): the check character catches it.
    const wrong = code.slice(0, 5) + (code[5] === 'X' ? 'Y' : 'X') + code.slice(6)
    await form.locator('input').fill(formatCode(wrong))
    await form.locator('button[type="submit"]').click()
    await form.locator('.problem').waitFor()
    expect(await form.locator('.problem').textContent()).toContain('typo')
    expect(await form.locator('input').getAttribute('aria-invalid')).toBe('true')
    await screenshot(page, 'guest-checkin-typo')
    const overflow = await overflowAt200(page)
    expect(overflow.wide).toEqual([])
    await page.evaluate(() => {
      document.documentElement.style.fontSize = ''
    })
    await form.locator('input').fill('7K3M 0Q9T')
    await form.locator('button[type="submit"]').click()
    expect(await form.locator('.problem').textContent()).toContain('4 characters are missing')
    expect(sent).toEqual([])

    // Forgiving: lower case, spaces and look-alikes (0 -> o, 1 -> l) still check in.
    const sloppy = formatCode(code).toLowerCase().replace(/0/g, 'o').replace(/1/g, 'l').replace(/-/g, ' ')
    await form.locator('input').fill(sloppy)
    await form.locator('button[type="submit"]').click()
    await page.locator('[data-testid="number"]').waitFor({ timeout: 5000 })
    expect(await page.locator('[data-testid="number"]').textContent()).toContain(`#${wristbands[2].number}`)
    expect(sent.some((s) => s.startsWith('POST') && s.endsWith('/checkin'))).toBe(true)
    // Checked in, a reload with nothing remembered (storage cleared) still knows the phone.
    await page.evaluate(() => localStorage.clear())
    await page.reload()
    await page.locator('[data-testid="number"]').waitFor({ timeout: 5000 })
    expect(await page.locator('[data-testid="number"]').textContent()).toContain(`#${wristbands[2].number}`)
    await context.close()
  }, 30_000)

  test('the home page takes a typed code to the event, checked in', async () => {
    const { context, page } = await newPhone()
    await page.goto(url('/?checkin=unknown_code'))
    await page.locator('gb-home .scan-error').waitFor()
    await screenshot(page, 'guest-home')
    const overflow = await overflowAt200(page)
    expect(overflow.wide).toEqual([])
    expect(overflow.scroll).toBeLessThanOrEqual(overflow.width)
    await page.evaluate(() => {
      document.documentElement.style.fontSize = ''
    })
    const code = wristbands[3].code
    await page.locator('gb-checkin-form input').fill(formatCode(code).toLowerCase())
    await page.locator('gb-checkin-form button[type="submit"]').click()
    await page.waitForURL(`**/e/${SLUG}`)
    await page.locator('[data-testid="number"]').waitFor({ timeout: 5000 })
    expect(await page.locator('[data-testid="number"]').textContent()).toContain(`#${wristbands[3].number}`)
    await context.close()
  }, 30_000)

  test('a raffle draw shows a big "you won" on the winner\'s phone', async () => {
    const raffle = (await host('POST', '/raffles', { name: 'Tour T-shirt', winners: 1000 })) as { id: number }
    const drawn = (await host('POST', `/raffles/${raffle.id}/draw`)) as { winners: number[] }
    expect(drawn.winners).toContain(phoneNumber)
    const won = phone.locator('[data-testid="won"]')
    await won.waitFor({ timeout: 3000 })
    expect(await won.textContent()).toContain('You won')
    expect(await won.textContent()).toContain('Tour T-shirt')
    await phone.evaluate(() => window.scrollTo(0, 0))
    await screenshot(phone, 'guest-won')
  }, 30_000)

  test('a rate limit (429) says how long to wait, not that the connection failed', async () => {
    const route = `**/api/events/${SLUG}/messages`
    let refusedOnce = false
    await phone.route(route, async (r) => {
      if (refusedOnce) return r.continue()
      refusedOnce = true
      await r.fulfill({
        status: 429,
        headers: { 'retry-after': '3', 'content-type': 'application/json' },
        body: JSON.stringify({ error: 'rate_limited', message: 'too many messages from this wristband; wait 3 s' }),
      })
    })
    const text = `slow down ${Date.now() % 100000}`
    await phone.locator('gb-danmaku-box input').fill(text)
    await phone.locator('gb-danmaku-box input').press('Enter')
    const why = phone.locator('[data-testid="pending"] .why')
    await why.waitFor({ timeout: 3000 })
    for (const note of [await why.textContent(), await phone.locator('gb-danmaku-box .notice').textContent()]) {
      expect(note).toMatch(/wait [2-4] s/)
      expect(note).not.toContain('connection')
    }
    await phone.locator('[data-testid="pending"]').scrollIntoViewIfNeeded()
    await screenshot(phone, 'guest-rate-limited')
    await phone.evaluate(() => window.scrollTo(0, 0))
    // Sent by itself once the wait is over.
    await phone.locator('[data-testid="pending"]').waitFor({ state: 'detached', timeout: 10_000 })
    await phone.unroute(route)
    await until(async () => (await snapshot()).danmaku.some((d) => d.text === text), 5000, 100)
  }, 30_000)

  test('the host pauses the event: the banner is on the phone within 2 s', async () => {
    const t0 = Date.now()
    await host('PUT', '/status', { status: 'paused', message: 'Short break: back in 10 minutes' })
    const banner = phone.locator('gb-status-banner [data-status="paused"]')
    await banner.waitFor({ timeout: 2000 })
    expect(Date.now() - t0).toBeLessThan(2000)
    expect(await banner.textContent()).toContain('Short break: back in 10 minutes')
    // Connected, but nothing is live: the pill says paused, not a green "Live".
    const pill = phone.locator('gb-connection-pill .pill')
    await phone.locator('gb-connection-pill [data-status="paused"]').waitFor({ timeout: 2000 })
    expect(await pill.textContent()).toContain('Paused')
    expect(await pill.textContent()).not.toMatch(/\bLive\b/)
    // The server would refuse them (409): the page takes no vote or message meanwhile, and says why.
    const options = phone.locator('gb-poll-card .option')
    expect(await options.count()).toBeGreaterThan(0)
    for (const option of await options.all()) expect(await option.isDisabled()).toBe(true)
    expect(await phone.locator('gb-poll-card .foot').first().textContent()).toContain('on hold')
    expect(await phone.locator('gb-danmaku-box input').isDisabled()).toBe(true)
    expect(await phone.locator('gb-danmaku-box .hint').textContent()).toContain('on hold')
    await phone.evaluate(() => window.scrollTo(0, 0))
    await screenshot(phone, 'guest-paused')
    await host('PUT', '/status', { status: 'ended', message: '' })
    await phone.locator('gb-connection-pill [data-status="ended"]').waitFor({ timeout: 2000 })
    expect(await pill.textContent()).toContain('Ended')
    expect(await pill.textContent()).not.toMatch(/\bLive\b/)
    await host('PUT', '/status', { status: 'live', message: '' })
    await phone.locator('gb-status-banner [data-status]').waitFor({ state: 'detached', timeout: 2000 })
    expect(await pill.textContent()).toContain('Live')
    await phone.locator('gb-danmaku-box input:not([disabled])').waitFor({ timeout: 2000 })
    expect(await options.first().isDisabled()).toBe(false)
  }, 30_000)

  test('the light show: the phone takes the cue colour at the cue time, flashes at most 3 times a second', async () => {
    const { context: calmContext, page: calm } = await newPhone({ reducedMotion: 'reduce' })
    await calm.goto(url(`/w/${wristbands[4].code}`))
    await calm.locator('[data-testid="number"]').waitFor()
    const sheet = {
      name: 'e2e',
      cues: [
        { at: 0, color: '#ff2d75', effect: 'solid' },
        { at: 1500, color: '#22d3ee', effect: 'flash' },
      ],
    }
    const { hash } = (await host('POST', '/cue-sheets', sheet)) as { hash: string }
    // What the page paints behind everything: the controller's output, before any CSS fade.
    const look = (page: Page) =>
      page.evaluate(() => {
        const app = document.querySelector('gb-guest-app')!
        const style = getComputedStyle(app)
        const layer = app.shadowRoot!.querySelector('.show-color')
        return {
          color: layer ? getComputedStyle(layer).backgroundColor : 'none',
          opacity: Number(style.getPropertyValue('--gb-show-opacity') || 0),
        }
      })
    await host('PUT', '/show', { cueSheet: hash, startInMs: 1000 })
    const t0 = Date.now()
    await until(async () => (await look(phone)).color === 'rgb(255, 45, 117)', 5000, 20)
    // Not before the start time (the clocks here agree; allow for the round trip).
    expect(Date.now() - t0).toBeGreaterThan(700)
    expect((await look(phone)).opacity).toBe(1)
    await until(async () => (await look(calm)).color === 'rgb(255, 45, 117)', 2000, 20)
    await phone.evaluate(() => window.scrollTo(0, 0))
    await screenshot(phone, 'guest-light-show')

    await until(async () => (await look(phone)).color === 'rgb(34, 211, 238)', 3000, 20)
    const samples: number[] = []
    const calmSamples: number[] = []
    const started = Date.now()
    while (Date.now() - started < 1500) {
      const [a, b] = await Promise.all([look(phone), look(calm)])
      samples.push(a.opacity)
      calmSamples.push(b.opacity)
      await Bun.sleep(15)
    }
    const changes = samples.filter((v, i) => i > 0 && v !== samples[i - 1]).length
    expect(changes).toBeGreaterThanOrEqual(2) // it does flash...
    expect(changes).toBeLessThanOrEqual(10) // ...but never more than 3 flashes (6 changes) a second
    // prefers-reduced-motion: a steady colour, no flashing at all.
    expect(new Set(calmSamples).size).toBe(1)
    expect(calmSamples[0]).toBeGreaterThan(0)

    // A tap brings the page back for the rest of this show.
    await phone.locator('gb-guest-app .show').click()
    await phone.locator('gb-guest-app .show').waitFor({ state: 'detached', timeout: 1000 })
    await phone.locator('gb-danmaku-box input').waitFor()

    await host('DELETE', '/show')
    await until(async () => (await look(phone)).opacity === 0, 3000, 20)
    await calmContext.close()
  }, 30_000)

  test('nothing overflows at 200% text size', async () => {
    const overflow = await overflowAt200(phone)
    expect(overflow.wide).toEqual([])
    expect(overflow.scroll).toBeLessThanOrEqual(overflow.width)
    await screenshot(phone, 'guest-zoom-200')
    await phone.evaluate(() => window.scrollTo(0, document.body.scrollHeight))
    await screenshot(phone, 'guest-zoom-200-bottom')
    await phone.evaluate(() => {
      document.documentElement.style.fontSize = ''
    })
    await phoneContext.close()
  }, 30_000)
})
