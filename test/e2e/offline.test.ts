/**
 * The guest page without a network, in headless Chromium (one launch): after a first
 * visit, the service worker (client/src/sw/sw.js) opens the page with no network at all,
 * from its shell and the last snapshot it kept, in a new tab (so nothing comes from the
 * first tab's sessionStorage); a vote made offline waits in the outbox, does not reach
 * the server, and is accepted once the phone is back online. Needs the client built.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, BrowserContext } from 'playwright-core'
import type { Me } from '../../protocol/index.ts'
import { until } from '../support/backends.ts'
import { chromiumAvailable, launchBrowser, PHONE } from '../support/browser.ts'
import { type ServerProcess, startServerProcess } from '../support/process.ts'
import { demoHost } from '../support/spike.ts'

const SLUG = 'demo'
const run = chromiumAvailable()

describe('the guest page offline', () => {
  let server: ServerProcess
  let browser: Browser
  let dataDir = ''
  let host: Record<string, string>
  const url = (path: string) => `${server.url}${path}`
  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(url(`/api/admin/events/${SLUG}${path}`), {
      method,
      headers: host,
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
    return res.json()
  }
  const meOf = async (context: BrowserContext): Promise<Me> => {
    const cookies = await context.cookies(server.url)
    const res = await fetch(url(`/api/events/${SLUG}/me`), {
      headers: { cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; ') },
    })
    return (await res.json()) as Me
  }

  beforeAll(async () => {
    if (!run) return
    dataDir = mkdtempSync(join(tmpdir(), 'gb-offline-e2e-'))
    server = await startServerProcess(
      { TICK_MS: '50', FLUSH_MS: '20', LOG_LEVEL: 'error', DATA_DIR: dataDir },
      {
        args: ['--demo'],
      },
    )
    host = await demoHost(dataDir)
    browser = await launchBrowser()
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  }, 20_000)

  test.skipIf(!run)(
    'after a first visit the page opens offline, and a vote made offline is accepted once back online',
    async () => {
      const { wristbands } = (await admin('POST', '/wristbands', { count: 1, label: 'offline' })) as {
        wristbands: { code: string; number: number }[]
      }
      const poll = (await admin('POST', '/polls', {
        question: 'Offline or online?',
        options: ['Offline', 'Online'],
      })) as {
        id: number
        options: { id: number }[]
      }
      await admin('POST', `/polls/${poll.id}/open`)
      const choice = poll.options[0].id

      const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true })
      const first = await context.newPage()
      first.on('pageerror', (err) => console.error('page error:', err.message))
      await first.goto(url(`/w/${wristbands[0].code}`))
      expect(new URL(first.url()).pathname).toBe(`/e/${SLUG}`)
      await first.locator(`[data-poll-id="${poll.id}"]`).waitFor()
      // The worker is installed, controls the page, and has kept the shell and the event's state.
      await first.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 15_000 })
      await first.waitForFunction(
        async (slug) =>
          !!(await caches.match(`/api/events/${slug}/snapshot`)) && !!(await caches.match('/e/__shell__')),
        SLUG,
        { timeout: 15_000, polling: 200 },
      )
      await first.close()

      await context.setOffline(true)
      const offline = await context.newPage()
      offline.on('pageerror', (err) => console.error('page error:', err.message))
      const opened = await offline.goto(url(`/e/${SLUG}`))
      expect(opened?.ok()).toBe(true)
      expect(opened?.fromServiceWorker()).toBe(true)
      // Truly offline: a request the worker does not answer fails.
      expect(
        await offline.evaluate(() =>
          fetch('/time').then(
            () => 'reached',
            () => 'failed',
          ),
        ),
      ).toBe('failed')
      expect(await offline.locator('[data-testid="number"]').textContent()).toContain(`#${wristbands[0].number}`)
      const button = offline.locator(`[data-poll-id="${poll.id}"] button[data-option-id="${choice}"]`)
      await button.waitFor({ timeout: 30_000 })
      await button.click()
      await Bun.sleep(500)
      expect((await meOf(context)).votes[String(poll.id)]).toBeUndefined()

      await context.setOffline(false)
      await until(async () => (await meOf(context)).votes[String(poll.id)] === choice, 20_000, 100)
      await until(async () => (await button.getAttribute('aria-pressed')) === 'true', 10_000, 100)
      await context.close()
    },
    90_000,
  )
})
