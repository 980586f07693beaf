/**
 * The host's cue panel on the admin page (1280x720), in headless Chromium against a real
 * server process with the demo event: upload a sheet (and see the server's 422 naming the
 * cue when it refuses one), preview it on the page with the phones' own player, start it at
 * a chosen time a few seconds ahead, and stop it; each step checked against the public API.
 * Screenshots go to /tmp/gb-shots/admin-*.png.
 *
 * Needs the built client (`bun run build:client`).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
import { EFFECTS_EXAMPLE } from '../../client/src/admin/show-panel/example-sheet.ts'
import type { Snapshot } from '../../protocol/index.ts'
import { until } from '../support/backends.ts'
import { chromiumAvailable, launchBrowser } from '../support/browser.ts'
import { ROOT, type ServerProcess, startServerProcess } from '../support/process.ts'

const SLUG = 'demo'
const SHOTS = '/tmp/gb-shots'
const ADMIN = { width: 1280, height: 720 }
const run = chromiumAvailable()

/** Over the flash limit: white/black every 100 ms, the seventh change is cues[7]. */
const STROBE = {
  name: 'strobe',
  cues: [
    { at: 0, color: '#000000', effect: 'solid' },
    ...Array.from({ length: 10 }, (_, i) => ({ at: 1000 + i * 100, color: i % 2 ? '#000' : '#fff' })),
  ],
}

describe.skipIf(!run)("the host's cue panel", () => {
  let dataDir = ''
  let server: ServerProcess
  let browser: Browser
  let page: Page
  let panel: Locator
  let secret = ''
  const pageErrors: string[] = []

  const snapshot = async (): Promise<Snapshot> =>
    ((await (await fetch(`${server.url}/api/events/${SLUG}/snapshot`)).json()) as { snapshot: Snapshot }).snapshot
  const stage = () =>
    panel.locator('[data-testid="cue-preview"]').evaluate((el) => {
      const v = (n: string) => (el as HTMLElement).style.getPropertyValue(n).trim()
      return {
        color: v('--gb-show-color'),
        image: v('--gb-show-image'),
        opacity: Number(v('--gb-show-opacity') || 0),
        particles: el.querySelectorAll('.show-particles i').length,
        text: el.querySelector('[data-cue-text]')?.textContent ?? '',
      }
    })
  const shot = async (name: string) => {
    await page.evaluate(() => document.fonts.ready)
    await page.screenshot({ path: join(SHOTS, `${name}.png`) })
  }

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist/client/admin.html')))
      throw new Error('build the client first: bun run build:client')
    mkdirSync(SHOTS, { recursive: true })
    dataDir = mkdtempSync(join(tmpdir(), 'gb-show-panel-'))
    server = await startServerProcess(
      { TICK_MS: '50', FLUSH_MS: '20', LOG_LEVEL: 'error', DATA_DIR: dataDir },
      { args: ['--demo'] },
    )
    const secretFile = join(dataDir, `${SLUG}.host-secret`)
    await until(() => existsSync(secretFile) && readFileSync(secretFile, 'utf8').length > 0, 20_000, 50)
    secret = (JSON.parse(readFileSync(secretFile, 'utf8')) as { secret: string }).secret
    browser = await launchBrowser()
    const context = await browser.newContext({ viewport: ADMIN })
    page = await context.newPage()
    page.on('pageerror', (err) => pageErrors.push(String(err)))
    await page.goto(`${server.url}/e/${SLUG}/admin#key=${secret}`)
    await page.getByRole('tab', { name: /Light show/ }).click()
    panel = page.locator('gb-show-panel')
    await panel.getByRole('button', { name: 'Paste the effects example' }).click()
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
    expect(pageErrors).toEqual([])
  }, 20_000)

  test('upload: a sheet the server refuses shows its 422 naming the cue; then a good one is stored', async () => {
    // The panel checks the flash limit itself before sending, so only a server with other
    // rules can refuse what it sends: stand one in by sending the strobe instead (the answer is the real server's).
    await page.route('**/api/admin/events/*/cue-sheets', async (route) => {
      const response = await route.fetch({ postData: JSON.stringify(STROBE) })
      await route.fulfill({ response })
    })
    await panel.getByRole('button', { name: '⤒ Upload', exact: true }).click()
    const refused = panel.locator('[data-feedback="upload"]')
    await refused.waitFor({ timeout: 3000 })
    expect(await refused.getAttribute('data-error')).toBe('flash_limit')
    const said = await refused.innerText()
    expect(said).toContain('more than 3 times a second')
    expect(said).toContain('cues.7')
    expect(said).toContain('cues[7] (at 1600 ms, #fff solid)')
    await shot('admin-upload-refused')
    await page.unroute('**/api/admin/events/*/cue-sheets')

    await panel.getByRole('button', { name: '⤒ Upload', exact: true }).click()
    const done = panel.locator('[data-feedback="upload"]')
    await until(async () => (await done.innerText()).startsWith('✓'), 3000, 20)
    const url = (await done.innerText()).match(/\/cues\/[0-9a-f]{20}\.json/)![0]
    const stored = await fetch(`${server.url}${url}`)
    expect(stored.status).toBe(200)
    expect(await stored.json()).toEqual(EFFECTS_EXAMPLE)
    // Stored: the start button no longer uploads, and nothing is playing yet.
    await panel.getByRole('button', { name: '▶ Start', exact: true }).waitFor({ timeout: 1000 })
    expect((await snapshot()).show).toBeNull()
  }, 30_000)

  test('preview: the sheet plays on the admin page, as a phone shows it, without starting the show', async () => {
    await panel.getByRole('button', { name: '▶ Preview' }).click()
    await until(async () => (await stage()).color === '#0a5cff', 2000, 20)
    expect((await stage()).text).toBe('Get ready')
    expect(await panel.locator('[data-preview-status]').innerText()).toContain('cue 1 of 5')
    // Cue 2 at 4 s: the turning gradient, 14 particles, its text.
    await until(async () => (await stage()).color === '#ff2d9a', 6000, 50)
    await Bun.sleep(1500)
    const second = await stage()
    expect(second.image).toMatch(/^linear-gradient\(/)
    expect(second.particles).toBe(14)
    expect(second.text).toBe('Hands up!')
    expect(second.opacity).toBe(1)
    expect(await panel.locator('[data-preview-status]').innerText()).toContain('cue 2 of 5')
    await shot('admin-preview')
    expect((await snapshot()).show).toBeNull()
    await panel.getByRole('button', { name: '■ Stop preview' }).click()
    await until(async () => (await stage()).color === '', 1000, 20)
  }, 30_000)

  test('start at a chosen time ahead (10 s), every phone gets that start, then stop', async () => {
    await panel.getByLabel('Start in').selectOption('10000')
    const clicked = Date.now()
    await panel.getByRole('button', { name: '▶ Start', exact: true }).click()
    await until(async () => (await snapshot()).show !== null, 3000, 20)
    const show = (await snapshot()).show!
    const ahead = show.startAt - clicked
    console.log(`started ${ahead} ms after the click (asked: 10 s ahead)`)
    expect(ahead).toBeGreaterThan(9000)
    expect(ahead).toBeLessThan(10_600)
    expect(show.cueSheet).toMatch(/^\/cues\/[0-9a-f]{20}\.json$/)
    await page.waitForSelector('gb-show-panel [data-show-start]', { timeout: 2000 })
    await until(async () => /Starts in \d+ s/.test(await panel.locator('.now [role="status"]').innerText()), 2000, 50)
    await page.evaluate(() => window.scrollTo(0, 0))
    await shot('admin-show-starting')
    await panel.getByRole('button', { name: 'Stop show' }).click()
    await until(async () => (await snapshot()).show === null, 3000, 20)
    await panel.getByRole('button', { name: 'Start example show' }).waitFor({ timeout: 2000 })
  }, 30_000)
})
