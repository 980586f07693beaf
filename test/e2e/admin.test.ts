/**
 * The host page in headless Chromium against a real server process with the demo
 * event: sign-in from the admin link's fragment (and its failure), polls, moderation,
 * pause, raffles, the light show, wristbands and exports, all driven through the UI
 * and checked against the public API; and the CSRF header rule for cookie writes.
 * Screenshots of every main state land in test-output/screenshots/admin-*.png.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { Snapshot } from '../../protocol/index.ts'
import { chromiumAvailable, FULL_HD, launchBrowser, PHONE, screenshot } from '../support/browser.ts'
import { ROOT, type ServerProcess, startServerProcess } from '../support/process.ts'

const SLUG = 'demo'
const EMERGENCY = 'Emergency: please stay where you are'
const LAPTOP = { width: 1366, height: 768 }

describe('the host admin page', () => {
  const skip = !chromiumAvailable()
  let server: ServerProcess
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let dataDir: string
  let secret: string
  const codes: string[] = []
  const guests: string[] = []
  const pageErrors: string[] = []

  const hostCall = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}/api/admin/events/${SLUG}${path}`, {
      method,
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const json = await res.json().catch(() => null)
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`)
    return json
  }
  const guestPost = (cookie: string, path: string, body: unknown) =>
    fetch(`${server.url}/api/events/${SLUG}${path}`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  const checkin = async () => {
    const res = await fetch(`${server.url}/api/events/${SLUG}/checkin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: codes[guests.length] }),
    })
    expect(res.status).toBe(200)
    const cookie = res.headers.get('set-cookie')!.split(';')[0]
    guests.push(cookie)
    return cookie
  }
  const say = async (cookie: string, text: string): Promise<number> => {
    const res = await guestPost(cookie, '/messages', { text })
    const body = await res.json()
    if (res.status !== 202) throw new Error(`message: ${res.status} ${JSON.stringify(body)}`)
    return body.id
  }
  const snapshot = async (): Promise<Snapshot> => {
    const body = await (await fetch(`${server.url}/api/events/${SLUG}/snapshot`)).json()
    if (body.type !== 'snapshot') throw new Error(`expected a snapshot, got ${JSON.stringify(body).slice(0, 200)}`)
    return body.snapshot
  }
  /** Polls `check` until it holds or `ms` pass; returns how long it took. */
  const within = async (ms: number, what: string, check: () => Promise<boolean> | boolean) => {
    const started = Date.now()
    for (;;) {
      if (await check()) return Date.now() - started
      if (Date.now() - started > ms) throw new Error(`not within ${ms} ms: ${what}`)
      await Bun.sleep(25)
    }
  }

  /** Opens the admin page in a fresh browser context (own cookies). */
  const openAdmin = async (viewport = FULL_HD, fragment = `#key=${secret}`) => {
    const ctx = await browser.newContext({ viewport, acceptDownloads: true })
    const p = await ctx.newPage()
    p.on('pageerror', (err) => pageErrors.push(String(err)))
    await p.goto(`${server.url}/e/${SLUG}/admin${fragment}`)
    return { ctx, p }
  }
  const settle = async (p: Page) => {
    await p.evaluate(() => document.fonts.ready)
    await Bun.sleep(250) // let CSS transitions (bars, toasts) finish before a screenshot
  }

  beforeAll(async () => {
    if (skip) return
    if (!existsSync(join(ROOT, 'dist/client/admin.html')))
      throw new Error('build the client first: npm run build:client')
    dataDir = mkdtempSync(join(tmpdir(), 'gb-admin-'))
    server = await startServerProcess({ DATA_DIR: dataDir, TICK_MS: '50', FLUSH_MS: '20' }, { args: ['--demo'] })
    const secretFile = join(dataDir, `${SLUG}.host-secret`)
    await within(15_000, 'the demo event exists', () => existsSync(secretFile))
    secret = JSON.parse(readFileSync(secretFile, 'utf8')).secret
    // Wristbands whose codes we know, for guests driven through the API.
    const batch = await hostCall('POST', '/wristbands', { count: 12, label: 'e2e' })
    codes.push(...batch.wristbands.map((w: { code: string }) => w.code))
    for (let i = 0; i < 9; i++) await checkin()
    browser = await launchBrowser()
  }, 60_000)

  afterAll(async () => {
    if (skip) return
    await browser?.close()
    await server?.stop()
    rmSync(dataDir, { recursive: true, force: true })
    expect(pageErrors).toEqual([])
  }, 20_000)

  test.skipIf(skip)(
    'the admin link signs in, leaves no key in the address bar, and shows check-ins',
    async () => {
      ;({ ctx: context, p: page } = await openAdmin())
      await page.waitForSelector('gb-status-panel [data-status="live"]', { timeout: 10_000 })
      expect(page.url()).toBe(`${server.url}/e/${SLUG}/admin`)
      expect(page.url()).not.toContain(secret)
      // The key went out in a POST body only: nothing the server logged has it.
      expect(server.logs()).not.toContain(secret)
      await page.waitForSelector('gb-overview-panel [data-checkins="9"]', { timeout: 2000 })
      expect(await page.locator('gb-overview-panel li.checkin').count()).toBe(9)
      expect(await page.locator('[data-connection="live"]').count()).toBe(1)
      // A new check-in shows up live.
      await checkin()
      await page.waitForSelector('gb-overview-panel [data-checkins="10"]', { timeout: 2000 })
      const cookies = await context.cookies()
      const host = cookies.find((c) => c.httpOnly && c.sameSite === 'Strict')
      expect(host).toBeDefined()
      await settle(page)
      await screenshot(page, 'admin-overview')
    },
    30_000,
  )

  test.skipIf(skip)(
    'a wrong key shows the sign-in form with an error and no host data',
    async () => {
      const { ctx, p } = await openAdmin(FULL_HD, '#key=not-the-secret')
      await p.waitForSelector('gb-sign-in [role="alert"]', { timeout: 10_000 })
      expect(p.url()).toBe(`${server.url}/e/${SLUG}/admin`)
      expect(await p.locator('gb-sign-in [role="alert"]').innerText()).toContain('not right')
      expect(await p.locator('gb-status-panel, gb-overview-panel, gb-poll-manager').count()).toBe(0)
      const text = await p.locator('gb-admin-app').innerText()
      expect(text).not.toContain('Glowband Demo Night')
      expect(text).not.toContain('Which song')
      await settle(p)
      await screenshot(p, 'admin-sign-in-error')
      // The form itself signs in with the right secret.
      await p.locator('gb-sign-in input#secret').fill(secret)
      await p.locator('gb-sign-in button[type="submit"]').click()
      await p.waitForSelector('gb-status-panel [data-status]', { timeout: 5000 })
      // Sign out: back to the form, and a reload does not slip back in on the cookie.
      await p.getByRole('button', { name: 'Sign out' }).click()
      await p.waitForSelector('gb-sign-in [role="status"]', { timeout: 2000 })
      expect(await p.locator('gb-status-panel').count()).toBe(0)
      await p.reload()
      await p.waitForSelector('gb-sign-in', { timeout: 5000 })
      expect(await p.locator('gb-status-panel').count()).toBe(0)
      // The admin link pasted into this open tab changes only the fragment (no reload): it signs in.
      await p.evaluate((href) => {
        location.href = href
      }, `${server.url}/e/${SLUG}/admin#key=${secret}`)
      await p.waitForSelector('gb-status-panel [data-status]', { timeout: 5000 })
      expect(p.url()).toBe(`${server.url}/e/${SLUG}/admin`)
      await ctx.close()
    },
    30_000,
  )

  test.skipIf(skip)(
    'a poll made in the page gets a guest vote on its bars within 2 s',
    async () => {
      const polls = page.locator('gb-poll-manager')
      await polls.getByLabel('Question').fill('Encore: which one?')
      await polls.getByLabel('Option 1', { exact: true }).fill('Neon Lights')
      await polls.getByLabel('Option 2', { exact: true }).fill('Golden Hour')
      await polls.getByLabel('Option 3', { exact: true }).fill('Midnight City')
      await polls.getByRole('button', { name: 'Save as draft' }).click()
      await page.waitForSelector('gb-poll-manager [data-state="draft"]', { timeout: 2000 })
      const card = page.locator('gb-poll-manager article[data-state="draft"]', { hasText: 'Encore: which one?' })
      const pollId = Number(await card.getAttribute('data-poll'))
      await card.getByRole('button', { name: 'Open poll' }).click()
      await page.waitForSelector(`gb-poll-manager [data-poll="${pollId}"][data-state="open"]`, { timeout: 2000 })

      const poll = (await snapshot()).polls.find((p) => p.id === pollId)!
      expect(poll.options.map((o) => o.label)).toEqual(['Neon Lights', 'Golden Hour', 'Midnight City'])
      const golden = poll.options[1].id
      const started = Date.now()
      expect((await guestPost(guests[0], '/votes', { pollId, optionId: golden })).status).toBe(202)
      await page.waitForSelector(`gb-poll-manager [data-poll="${pollId}"] [data-option="${golden}"][data-votes="1"]`, {
        timeout: 2000,
      })
      expect(Date.now() - started).toBeLessThan(2000)
      for (const [i, option] of [0, 1, 1, 2].entries()) {
        await guestPost(guests[i + 1], '/votes', { pollId, optionId: poll.options[option].id })
      }
      // Votes on the demo's own open poll too, so both polls move.
      const demo = (await snapshot()).polls.find((p) => p.open && p.id !== pollId)!
      for (const [i, option] of [2, 0, 2, 1, 2, 2, 0].entries()) {
        await guestPost(guests[i], '/votes', { pollId: demo.id, optionId: demo.options[option].id })
      }
      await page.waitForSelector(`gb-poll-manager [data-poll="${pollId}"] [data-option="${golden}"][data-votes="3"]`, {
        timeout: 2000,
      })
      await settle(page)
      await screenshot(page, 'admin-polls')

      await page
        .locator(`gb-poll-manager article[data-poll="${pollId}"]`)
        .getByRole('button', { name: 'Close poll' })
        .click()
      await page.waitForSelector(`gb-poll-manager [data-poll="${pollId}"][data-state="closed"]`, { timeout: 2000 })
      expect((await snapshot()).polls.find((p) => p.id === pollId)!.closed).toBe(true)
    },
    30_000,
  )

  test.skipIf(skip)(
    'a guest message shows in moderation; Hide takes it off the public snapshot within 2 s',
    async () => {
      await say(guests[1], 'Best night ever 🎉')
      await say(guests[2], 'Play Golden Hour again!')
      await say(guests[4], 'Greetings from table 7!')
      await say(guests[5], 'That drop was insane 🔥🔥')
      const bad = await say(guests[3], 'buy cheap tickets at spam.example')
      await say(guests[0], 'Hello from the back row 👋')
      const row = page.locator(`gb-moderation-panel li[data-message="${bad}"]`)
      await row.waitFor({ timeout: 2000 })
      await settle(page)
      await screenshot(page, 'admin-moderation')
      await row.getByRole('button', { name: /^Hide/ }).click()
      const took = await within(2000, 'the hidden message leaves the public snapshot', async () =>
        (await snapshot()).danmaku.every((d) => d.id !== bad),
      )
      expect(took).toBeLessThan(2000)
      await row.waitFor({ state: 'detached', timeout: 2000 })

      // Premoderation: switch it on in the page; a new message waits for approval.
      const mod = page.locator('gb-moderation-panel')
      await mod.getByRole('switch').check()
      await mod.getByRole('button', { name: 'Save rules' }).click()
      await page.waitForSelector('gb-moderation-panel [data-feedback="settings"].fb-done', { timeout: 2000 })
      const held = await say(guests[1], 'Can we get a shout-out for table 12?')
      const heldRow = page.locator(`gb-moderation-panel li[data-message="${held}"][data-held="true"]`)
      await heldRow.waitFor({ timeout: 2000 })
      expect((await snapshot()).danmaku.some((d) => d.id === held)).toBe(false)
      await settle(page)
      await screenshot(page, 'admin-moderation-held')
      await heldRow.getByRole('button', { name: /^Approve/ }).click()
      await within(2000, 'the approved message reaches the public snapshot', async () =>
        (await snapshot()).danmaku.some((d) => d.id === held),
      )
      await mod.getByRole('switch').uncheck()
      await mod.getByRole('button', { name: 'Save rules' }).click()
      await page.waitForSelector('gb-moderation-panel [data-feedback="settings"].fb-done', { timeout: 2000 })
    },
    30_000,
  )

  test.skipIf(skip)(
    'the emergency pause goes out in two taps, is echoed, and reaches /time',
    async () => {
      await page.locator('gb-status-panel').getByRole('button', { name: 'Pause…' }).click()
      await page.locator('gb-status-panel [role="dialog"]').waitFor()
      await settle(page)
      await screenshot(page, 'admin-pause-sheet')
      await page
        .locator('gb-status-panel')
        .getByRole('button', { name: /Emergency pause/ })
        .click()
      await page.waitForSelector('gb-status-panel [data-confirmed="paused"]', { timeout: 2000 })
      const time = await (await fetch(`${server.url}/time?event=${SLUG}`)).json()
      expect(time).toMatchObject({ status: 'paused', message: EMERGENCY })
      expect(await page.title()).toContain('PAUSED')
      await settle(page)
      await screenshot(page, 'admin-paused')

      await page.locator('gb-status-panel').getByRole('button', { name: 'Resume live' }).click()
      await page.waitForSelector('gb-status-panel [data-confirmed="live"]', { timeout: 2000 })
      expect(await (await fetch(`${server.url}/time?event=${SLUG}`)).json()).toMatchObject({
        status: 'live',
        message: '',
      })
    },
    30_000,
  )

  test.skipIf(skip)(
    'a raffle drawn in the page shows the same winners as the snapshot; refusals are explained',
    async () => {
      await page.getByRole('tab', { name: /Raffles/ }).click()
      const panel = page.locator('gb-raffle-panel')
      await panel.getByLabel('Prize').fill('Signed T-shirt')
      await panel.getByLabel('Number of winners').fill('2')
      await panel.getByRole('button', { name: 'Create raffle' }).click()
      const card = panel.locator('article[data-drawn="false"]', { hasText: 'Signed T-shirt' })
      await card.waitFor({ timeout: 2000 })
      const raffleId = Number(await card.getAttribute('data-raffle'))
      await card.getByRole('button', { name: /Draw 2 winners/ }).click()
      const drawn = panel.locator(`article[data-raffle="${raffleId}"] .winner`)
      await drawn.first().waitFor({ timeout: 2000 })
      const shown = (await drawn.allInnerTexts()).map((t) => Number(t.replace('#', '')))
      let fromSnapshot: number[] = []
      await within(2000, 'the draw reaches the snapshot', async () => {
        fromSnapshot = (await snapshot()).raffles.find((r) => r.id === raffleId)?.winners ?? []
        return fromSnapshot.length === 2
      })
      expect(shown).toEqual(fromSnapshot)
      await page.waitForSelector(`gb-raffle-panel article[data-raffle="${raffleId}"][data-drawn="true"]`, {
        timeout: 2000,
      })

      // Everyone left wins the next one; after that nobody can win, and the page says why.
      for (const [name, winners] of [
        ['VIP upgrade', '100'],
        ['Backstage pass', '1'],
      ] as const) {
        await panel.getByLabel('Prize').fill(name)
        await panel.getByLabel('Number of winners').fill(winners)
        await panel.getByRole('button', { name: 'Create raffle' }).click()
        const c = panel.locator('article[data-drawn="false"]', { hasText: name })
        await c.waitFor({ timeout: 2000 })
        await c.getByRole('button', { name: /^🎲 Draw/ }).click()
      }
      const refused = panel.locator('article', { hasText: 'Backstage pass' }).locator('[data-error="no_candidates"]')
      await refused.waitFor({ timeout: 2000 })
      expect(await refused.innerText()).toContain('Nobody can win')
      await settle(page)
      await screenshot(page, 'admin-raffles')
    },
    30_000,
  )

  test.skipIf(skip)(
    'the example light show starts in one click, previews its colour, and stops',
    async () => {
      await page.getByRole('tab', { name: /Light show/ }).click()
      const panel = page.locator('gb-show-panel')
      await panel.getByRole('button', { name: 'Start example show' }).click()
      await page.waitForSelector('gb-show-panel [data-show-start]', { timeout: 2000 })
      const show = (await snapshot()).show
      expect(show?.cueSheet).toMatch(/^\/cues\/[0-9a-f]{20}\.json$/)
      // Starts 3 s after the click; then the preview shows the first cue's colour.
      await page.waitForSelector('gb-show-panel [data-preview="#ff3b30"]', { timeout: 6000 })
      // A broken sheet is refused before upload, with the place that is wrong.
      await panel.getByLabel('Cue sheet JSON').fill('{"name":"x","cues":[{"at":-1,"color":"red"}]}')
      expect(await panel.locator('[data-feedback="sheet-check"]').innerText()).toContain('cues[0].at')
      await settle(page)
      await screenshot(page, 'admin-show')
      await panel.getByRole('button', { name: 'Stop show' }).click()
      await within(2000, 'the show stops', async () => (await snapshot()).show === null)
      await panel.getByRole('button', { name: 'Start example show' }).waitFor({ timeout: 2000 })
    },
    30_000,
  )

  test.skipIf(skip)(
    'wristbands: batches listed, revoke by number, attendees CSV downloads with the cookie',
    async () => {
      await page.getByRole('tab', { name: /Wristbands/ }).click()
      const panel = page.locator('gb-wristband-panel')
      await panel.locator('tr[data-batch="e2e"]').waitFor({ timeout: 2000 })
      await panel.getByLabel(/Wristband numbers/).fill('212')
      await panel.getByRole('button', { name: 'Revoke…' }).click()
      await panel.getByRole('button', { name: 'Yes, revoke' }).click()
      await page.waitForSelector('gb-wristband-panel [data-feedback="revoke"].fb-done', { timeout: 2000 })
      await within(
        2000,
        'the batch table counts the revoked wristband',
        async () => (await panel.locator('tr[data-batch="e2e"] td').nth(3).innerText()).trim() === '1',
      )
      // A revoked wristband no longer checks in.
      const res = await fetch(`${server.url}/api/events/${SLUG}/checkin`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: codes[11] }),
      })
      expect(res.status).toBeGreaterThanOrEqual(400)

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        panel.getByRole('button', { name: /Download CSV/ }).click(),
      ])
      expect(download.suggestedFilename()).toBe(`${SLUG}-attendees.csv`)
      const csv = readFileSync((await download.path())!, 'utf8')
      expect(csv.split('\n')[0]).toBe('number,checked_in_at')
      expect(csv.trim().split('\n').length).toBe(1 + 10)
      // The streamed exports: the same check-ins, with their batch, as a spreadsheet reads them.
      const [exported] = await Promise.all([
        page.waitForEvent('download'),
        panel.getByRole('button', { name: /checkins\.csv/ }).click(),
      ])
      expect(exported.suggestedFilename()).toBe(`${SLUG}-checkins.csv`)
      const checkins = readFileSync((await exported.path())!, 'utf8').split('\r\n')
      expect(checkins[0]).toBe('\uFEFFnumber,batch,checked_in_at,revoked_at')
      expect(checkins.slice(1, -1).map((line) => line.split(',')[1])).toEqual(Array(10).fill('e2e'))
      await settle(page)
      await screenshot(page, 'admin-wristbands')
    },
    30_000,
  )

  test.skipIf(skip)(
    'cookie-authenticated writes without the CSRF header are refused',
    async () => {
      const answers = await page.evaluate(async (slug) => {
        const put = (headers: Record<string, string>) =>
          fetch(`/api/admin/events/${slug}/settings`, {
            method: 'PATCH',
            credentials: 'same-origin',
            headers: { 'content-type': 'application/json', ...headers },
            body: JSON.stringify({ maxMessageLength: 80 }),
          }).then(async (r) => ({ status: r.status, body: await r.json() }))
        return { without: await put({}), with: await put({ 'x-glowband-csrf': '1' }) }
      }, SLUG)
      expect(answers.without.status).toBe(403)
      expect(answers.without.body.error).toBe('csrf')
      expect(answers.with.status).toBe(200)
    },
    30_000,
  )

  test.skipIf(skip)(
    'on a 1366x768 laptop moderation is a tab that counts held messages',
    async () => {
      const { ctx, p } = await openAdmin(LAPTOP)
      await p.waitForSelector('gb-overview-panel [data-checkins]', { timeout: 10_000 })
      expect(await p.locator('gb-moderation-panel').isVisible()).toBe(false)
      const feed = await say(guests[2], 'Turn it up! 🔊')
      await p.getByRole('tab', { name: /Moderation/ }).click()
      await p.locator(`gb-moderation-panel li[data-message="${feed}"]`).waitFor({ timeout: 2000 })
      const pause = p.locator('gb-status-panel').getByRole('button', { name: 'Pause…' })
      expect(await pause.isVisible()).toBe(true)
      await settle(p)
      await screenshot(p, 'admin-laptop')
      await ctx.close()
    },
    30_000,
  )

  test.skipIf(skip)(
    'on an 820 px tablet the header and every tab are on screen, none cut off',
    async () => {
      const { ctx, p } = await openAdmin({ width: 820, height: 1180 })
      await p.waitForSelector('gb-overview-panel [data-checkins]', { timeout: 10_000 })
      await settle(p)
      const cut = await p.evaluate(() => {
        const out: string[] = []
        const width = document.documentElement.clientWidth
        const visit = (root: Element | ShadowRoot, clip: DOMRect | null) => {
          for (const el of Array.from(root.children)) {
            const r = el.getBoundingClientRect()
            const name = `${el.tagName.toLowerCase()}.${el.getAttribute('class') ?? ''} "${(el.textContent ?? '').trim().slice(0, 20)}"`
            if (r.width && r.height && !el.classList.contains('sr-only')) {
              if (r.right > width + 1 || r.left < -1) out.push(`${name} ${Math.round(r.left)}..${Math.round(r.right)}`)
              if (clip && (r.right > clip.right + 1 || r.left < clip.left - 1)) out.push(`${name} outside its bar`)
              if (getComputedStyle(el).textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1)
                out.push(`${name} cut with an ellipsis`)
            }
            const inner = el.classList.contains('tabs') ? r : clip
            if (el.shadowRoot) visit(el.shadowRoot, inner)
            visit(el, inner)
          }
        }
        const app = document.querySelector('gb-admin-app')!.shadowRoot!
        const shell = app.querySelector('gb-admin-console')!.shadowRoot!
        for (const part of Array.from(shell.querySelectorAll('header.top, nav.tabs')))
          visit(part, part.classList.contains('tabs') ? part.getBoundingClientRect() : null)
        return { out, scroll: document.documentElement.scrollWidth, width }
      })
      expect(cut.out).toEqual([])
      expect(cut.scroll).toBeLessThanOrEqual(cut.width)
      expect(await p.locator('gb-status-panel').getByRole('button', { name: 'Pause…' }).isVisible()).toBe(true)
      await screenshot(p, 'admin-tablet')
      await ctx.close()
    },
    30_000,
  )

  test.skipIf(skip)(
    'on a phone the pause control stays on screen and takes a custom message',
    async () => {
      const { ctx, p } = await openAdmin(PHONE)
      await p.waitForSelector('gb-overview-panel [data-checkins]', { timeout: 10_000 })
      await p.evaluate(() => window.scrollTo(0, document.body.scrollHeight))
      const pause = p.locator('gb-status-panel').getByRole('button', { name: 'Pause…' })
      expect(await pause.isVisible()).toBe(true)
      const box = (await pause.boundingBox())!
      expect(box.y).toBeGreaterThanOrEqual(0)
      expect(box.y + box.height).toBeLessThanOrEqual(PHONE.height)
      await pause.click()
      await p.locator('gb-status-panel').getByLabel('Your own message').fill('Short pause: the band is tuning')
      await settle(p)
      await screenshot(p, 'admin-phone-pause-sheet')
      await p.locator('gb-status-panel').getByRole('button', { name: 'Pause with this message' }).click()
      await p.waitForSelector('gb-status-panel [data-confirmed="paused"]', { timeout: 2000 })
      expect(await (await fetch(`${server.url}/time?event=${SLUG}`)).json()).toMatchObject({
        status: 'paused',
        message: 'Short pause: the band is tuning',
      })
      await p.evaluate(() => window.scrollTo(0, 0))
      await settle(p)
      await screenshot(p, 'admin-phone')
      await p.locator('gb-status-panel').getByRole('button', { name: 'Resume live' }).click()
      await p.waitForSelector('gb-status-panel [data-confirmed="live"]', { timeout: 2000 })
      await ctx.close()
      await context.close()
    },
    30_000,
  )
})
