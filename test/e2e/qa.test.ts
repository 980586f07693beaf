/**
 * Q&A and reactions in a real browser against a real server process (embedded, the demo
 * event): a phone asks on its Q&A tab and upvotes another question; the big screen shows
 * the board (pinned first, then by upvotes) and floats reactions; the host's Q&A tab
 * approves held questions in bulk. Screenshots at 390x844 (phone) and 1280x720 (screen,
 * admin) go to test-output/screenshots/qa-*.png.
 *
 * Needs the built client (`npm run build:client`).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import type { Me, Snapshot } from '../../protocol/index.ts'
import { until } from '../support/backends.ts'
import { chromiumAvailable, launchBrowser, PHONE, screenshot as save } from '../support/browser.ts'
import { type ServerProcess, startServerProcess } from '../support/process.ts'

const SLUG = 'demo'
const HD = { width: 1280, height: 720 }
const screenshot = async (page: Page, name: string) => {
  await Bun.sleep(600)
  return save(page, name)
}
const run = chromiumAvailable()

describe.skipIf(!run)('Q&A and reactions in the browser', () => {
  let dataDir = ''
  let server: ServerProcess
  let browser: Browser
  let secret = ''
  let wristbands: { number: number; code: string }[] = []
  const cookies: string[] = []
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
  const guest = async (i: number, path: string, body: unknown) => {
    const res = await fetch(url(`/api/events/${SLUG}${path}`), {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: cookies[i] },
      body: JSON.stringify(body),
    })
    if (res.status !== 202) throw new Error(`${path}: ${res.status} ${await res.text()}`)
    return res.json()
  }
  const snapshot = async (): Promise<Snapshot> =>
    ((await (await fetch(url(`/api/events/${SLUG}/snapshot`))).json()) as { snapshot: Snapshot }).snapshot

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'gb-qa-e2e-'))
    server = await startServerProcess(
      { TICK_MS: '50', FLUSH_MS: '20', LOG_LEVEL: 'error', DATA_DIR: dataDir },
      { args: ['--demo'] },
    )
    const secretFile = join(dataDir, `${SLUG}.host-secret`)
    await until(() => existsSync(secretFile) && readFileSync(secretFile, 'utf8').length > 0, 20_000, 50)
    secret = (JSON.parse(readFileSync(secretFile, 'utf8')) as { secret: string }).secret
    wristbands = (
      (await host('POST', '/wristbands', { count: 6, label: 'qa-e2e' })) as { wristbands: typeof wristbands }
    ).wristbands
    for (const w of wristbands.slice(1)) {
      const res = await fetch(url(`/api/events/${SLUG}/checkin`), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: w.code }),
      })
      cookies.push(res.headers.get('set-cookie')!.split(';')[0])
    }
    // The demo poll is open: close it so the screen shows the board.
    const snap = await snapshot()
    for (const p of snap.polls.filter((x) => x.open)) await host('POST', `/polls/${p.id}/close`)
    browser = await launchBrowser()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  test('a phone asks and upvotes; the screen shows the board and reactions; the host approves in bulk', async () => {
    const a = await guest(0, '/questions', { text: 'Will the slides be shared after the talk?' })
    const b = await guest(1, '/questions', {
      text: 'How does the light show stay in sync across thousands of phones when the venue Wi-Fi is as bad as it usually is at these events?',
    })
    await guest(2, '/questions', { text: 'Is there a vegetarian option at the food stalls?' })
    for (const i of [2, 3]) await guest(i, `/questions/${b.id}/upvote`, {})
    await guest(3, `/questions/${a.id}/upvote`, {})

    const phoneCtx = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true })
    const phone = await phoneCtx.newPage()
    const errors: string[] = []
    phone.on('pageerror', (err) => errors.push(err.message))
    await phone.goto(url(`/w/${wristbands[0].code}`))
    await phone.locator('nav.tabs button', { hasText: 'Q&A' }).click()
    await phone.waitForSelector('gb-qa-box [data-question]', { timeout: 10_000 })
    await phone.locator('gb-qa-box textarea').fill('Can we get the recording?')
    await phone.locator('gb-qa-box button[type="submit"]').click()
    await phone.waitForSelector('gb-qa-box [data-mine]', { timeout: 5000 })
    await phone.locator(`gb-qa-box [data-question="${a.id}"] button.up`).click()
    const phoneNumber = wristbands[0].number
    const me = await until(async () => {
      const cs = await phoneCtx.cookies(server.url)
      const res = await fetch(url(`/api/events/${SLUG}/me`), {
        headers: { cookie: cs.map((c) => `${c.name}=${c.value}`).join('; ') },
      })
      const body = (await res.json()) as Me
      return body.upvoted.includes(a.id) && body.questions.length === 1 ? body : null
    })
    expect(me!.number).toBe(phoneNumber)
    await phone.waitForSelector(`gb-qa-box [data-question="${a.id}"] button.up[aria-pressed="true"]`)
    await until(async () => (await snapshot()).questions.find((q) => q.id === a.id)?.votes === 2)
    await screenshot(phone, 'qa-phone')

    const screenCtx = await browser.newContext({ viewport: HD })
    const screen = await screenCtx.newPage()
    screen.on('pageerror', (err) => errors.push(err.message))
    await screen.goto(url(`/e/${SLUG}/screen`))
    await screen.waitForSelector('gb-qa-list [data-question]', { timeout: 10_000 })
    const order = await screen
      .locator('gb-qa-list [data-question]')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-question'))))
    // Two upvotes each: the newer (b) first.
    expect(order.slice(0, 2)).toEqual([b.id, a.id])
    // Pin the newest: it goes first on the screen within a couple of seconds.
    const newest = Math.max(...(await snapshot()).questions.map((q) => q.id))
    await host('POST', `/questions/${newest}`, { pinned: true })
    await screen.waitForSelector(`gb-qa-list li.pinned[data-question="${newest}"]`, { timeout: 2000 })
    for (let i = 0; i < 5; i++) for (const emoji of ['👏', '🎉', '❤️']) await guest(i % 5, '/reactions', { emoji })
    await screen.waitForSelector('gb-reaction-bubbles span', { timeout: 2000, state: 'attached' })
    await Bun.sleep(300)
    await save(screen, 'qa-screen-1280x720')

    // Pre-moderation: two held questions, approved from the host's Q&A tab at once.
    await host('PATCH', '/settings', { premoderate: true })
    await Bun.sleep(2100) // the event cache refreshes within 2 s
    const h1 = await guest(3, '/questions', { text: 'Held question one' })
    const h2 = await guest(4, '/questions', { text: 'Held question two' })
    expect(h1.held && h2.held).toBe(true)
    const adminCtx = await browser.newContext({ viewport: HD })
    const admin = await adminCtx.newPage()
    admin.on('pageerror', (err) => errors.push(err.message))
    await admin.goto(url(`/e/${SLUG}/admin#key=${secret}`))
    await admin.locator('button[role="tab"]#tab-qa').click()
    await admin.waitForSelector('gb-qa-panel [data-held-question]', { timeout: 10_000 })
    expect(await admin.locator('gb-qa-panel [data-held-question]').count()).toBe(2)
    await save(admin, 'qa-admin-1280x720')
    await admin.locator('gb-qa-panel button', { hasText: 'Approve all' }).click()
    await admin.waitForSelector('gb-qa-panel [data-held-question]', { state: 'detached', timeout: 3000 })
    await screen.waitForSelector(`gb-qa-list [data-question]`, { timeout: 2000 })
    await until(async () => (await snapshot()).questions.some((q) => q.id === h2.id))
    expect(errors).toEqual([])
    await phoneCtx.close()
    await screenCtx.close()
    await adminCtx.close()
  }, 90_000)
})
