/**
 * The nastiest way for a page to go stale: its SSE connection stays open but nothing
 * comes through any more (a NAT or venue Wi-Fi dropping it silently; the server's
 * heartbeats are SSE comments, which EventSource never surfaces). The big screen and
 * the phone must each notice on their own and catch up; the screen says its live feed
 * lagged.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import {
  chromiumAvailable,
  DEEP_HELPERS,
  type DeepWindow,
  FULL_HD,
  launchBrowser,
  PHONE,
  screenshot,
} from '../support/browser.ts'
import { type ServerProcess, startServerProcess } from '../support/process.ts'
import { CuttableProxy } from '../support/proxy.ts'

/** Whether the screen's bar for `option` shows `n` votes (runs in the page). */
const countIs = ({ option, n }: { option: number; n: number }) =>
  Number(
    (window as unknown as DeepWindow).__deep(['gb-screen-app', 'gb-poll-bars', `li[data-option="${option}"]`])?.dataset
      .votes,
  ) === n

describe('a page whose stream dies silently', () => {
  const skip = !chromiumAvailable()
  let server: ServerProcess
  let proxy: CuttableProxy
  let browser: Browser
  let page: Page
  let dataDir: string

  beforeAll(async () => {
    if (skip) return
    dataDir = mkdtempSync(join(tmpdir(), 'gb-screen-stall-'))
    server = await startServerProcess({ DATA_DIR: dataDir, TICK_MS: '50', FLUSH_MS: '20' }, { args: ['--demo'] })
    proxy = new CuttableProxy(server.port).start()
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: FULL_HD })
    await page.addInitScript(DEEP_HELPERS)
  }, 60_000)

  afterAll(async () => {
    if (skip) return
    await browser?.close()
    proxy?.stop()
    await server?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }, 30_000)

  test.skipIf(skip)(
    'the big screen notices, catches up and says the live feed is lagging',
    async () => {
      const { sampleCode } = JSON.parse(readFileSync(join(dataDir, 'demo.host-secret'), 'utf8'))
      await page.goto(`http://127.0.0.1:${proxy.port}/e/demo/screen`)
      // Functions, not strings: the pages' CSP forbids eval, which a polled string predicate needs.
      await page.waitForFunction(
        () => !!(window as unknown as DeepWindow).__deep(['gb-screen-app', 'gb-poll-bars', 'li']),
      )

      // Only the event stream goes quiet: the snapshot the screen falls back to still answers.
      proxy.freeze((head) => /^GET [^ ]*\/stream/.test(head))
      const checkin = await fetch(`${server.url}/api/events/demo/checkin`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: sampleCode }),
      })
      const cookie = checkin.headers.get('set-cookie')!.split(';')[0]
      const poll = (await (await fetch(`${server.url}/api/events/demo/snapshot`)).json()).snapshot.polls[0]
      const vote = (option: number) =>
        fetch(`${server.url}/api/events/demo/votes`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/json' },
          body: JSON.stringify({ pollId: poll.id, optionId: poll.options[option].id }),
        })
      /** The count the screen shows for an option, as an expression for the page. */
      const shown = (option: number) =>
        `Number(window.__deep(['gb-screen-app', 'gb-poll-bars', 'li[data-option="${poll.options[option].id}"]'])?.dataset.votes)`
      expect((await vote(0)).status).toBe(202)
      const votes = shown(0)
      // Frozen: the screen's SSE connection is open, and says nothing.
      await Bun.sleep(2000)
      expect(await page.evaluate(votes)).toBe(0)

      // Within the quiet-check interval the screen asks the snapshot endpoint, sees it is behind, catches up.
      const t0 = performance.now()
      await page.waitForFunction(countIs, { option: poll.options[0].id, n: 1 }, { timeout: 20_000 })
      console.log(`silent stall caught up after ${Math.round(performance.now() - t0 + 2000)} ms`)
      const badge = await page.evaluate(
        `window.__deep(['gb-screen-app', 'gb-connection-badge', '.badge'])?.textContent`,
      )
      expect(String(badge)).toContain('delayed')
      await screenshot(page, 'screen-stalled-caught-up')

      // It also replaced the dead connection: the next change arrives through the stream again, in well under the check interval.
      expect((await vote(1)).status).toBe(202)
      await page.waitForFunction(countIs, { option: poll.options[1].id, n: 1 }, { timeout: 3000 })
    },
    45_000,
  )

  test.skipIf(skip)(
    'a phone notices, catches up, and hears the next change through a new connection',
    async () => {
      const { secret } = JSON.parse(readFileSync(join(dataDir, 'demo.host-secret'), 'utf8'))
      const host = (method: string, path: string, body: unknown) =>
        fetch(`${server.url}/api/admin/events/demo${path}`, {
          method,
          headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      const { wristbands } = await (await host('POST', '/wristbands', { count: 1, label: 'stall' })).json()
      const phone = await browser.newPage({ viewport: PHONE, isMobile: true, hasTouch: true })
      await phone.goto(`http://127.0.0.1:${proxy.port}/w/${wristbands[0].code}`)
      await phone.locator('[data-testid="number"]').waitFor()

      proxy.freeze((head) => /^GET [^ ]*\/stream/.test(head))
      expect((await host('PUT', '/status', { status: 'paused', message: 'Back in five' })).status).toBe(200)
      const banner = phone.locator('gb-status-banner [data-status="paused"]')
      await Bun.sleep(2000)
      expect(await banner.count()).toBe(0)

      const t0 = performance.now()
      await banner.waitFor({ timeout: 20_000 })
      console.log(`phone: silent stall caught up after ${Math.round(performance.now() - t0 + 2000)} ms`)
      expect(await banner.textContent()).toContain('Back in five')
      await screenshot(phone, 'guest-stalled-caught-up')

      // The next change comes through the stream again, in well under the check interval.
      expect((await host('PUT', '/status', { status: 'live', message: '' })).status).toBe(200)
      await banner.waitFor({ state: 'detached', timeout: 3000 })
      await phone.close()
    },
    45_000,
  )
})
