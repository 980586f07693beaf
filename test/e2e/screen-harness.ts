/**
 * What the big-screen browser tests share: a real server process with the demo event,
 * checked-in guests (their cookies), host and guest calls, and headless Chromium with
 * precise memory info and an exposed `gc()` (for heap measurements).
 */
import { afterAll, beforeAll } from 'bun:test'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Browser, chromium, type Page } from 'playwright-core'
import type { DeepWindow } from '../support/browser.ts'
import { CHROMIUM, chromiumAvailable, DEEP_HELPERS, FULL_HD } from '../support/browser.ts'

export type { DeepWindow }

import { ROOT, type ServerProcess, startServerProcess } from '../support/process.ts'

export const SLUG = 'demo'

export interface Poll {
  id: number
  options: { id: number; label: string }[]
}

export class ScreenHarness {
  server!: ServerProcess
  browser!: Browser
  dataDir = mkdtempSync(join(tmpdir(), 'gb-screen-'))
  secret = ''
  joinUrl = ''
  /** The poll votes go to (tests may open another one). */
  poll!: Poll
  /** Cookie headers of checked-in guests. */
  guests: string[] = []
  /** The 1080p screen a suite from `screenSuite` watches. */
  screen!: Page
  private killedOnPurpose = false
  private readonly env = { DATA_DIR: this.dataDir, TICK_MS: '50', FLUSH_MS: '20' }

  /** Starts the server and the browser and checks in `guests` wristbands. */
  async start(opts: { guests: number }) {
    if (!existsSync(join(ROOT, 'dist/client/screen.html')))
      throw new Error('build the client first: npm run build:client')
    this.server = await startServerProcess(this.env, { args: ['--demo'] })
    this.secret = JSON.parse(readFileSync(join(this.dataDir, `${SLUG}.host-secret`), 'utf8')).secret
    this.joinUrl = (await (await fetch(`${this.server.url}/api/events/${SLUG}`)).json()).joinUrl
    const batch = await this.host('POST', '/wristbands', { count: opts.guests, label: 'screen-test' })
    const codes = (batch.wristbands as { code: string }[]).map((w) => w.code)
    for (let i = 0; i < codes.length; i += 20) {
      const cookies = await Promise.all(
        codes.slice(i, i + 20).map(async (code) => {
          const res = await fetch(`${this.server.url}/api/events/${SLUG}/checkin`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ code }),
          })
          if (res.status !== 200) throw new Error(`check-in: ${res.status} ${await res.text()}`)
          return res.headers.get('set-cookie')!.split(';')[0]
        }),
      )
      this.guests.push(...cookies)
    }
    // The ticker publishes the demo poll within a tick or two of the start.
    for (let i = 0; i < 100 && !this.poll; i++) {
      const snap = (await (await fetch(`${this.server.url}/api/events/${SLUG}/snapshot`)).json()).snapshot
      this.poll = snap.polls.find((p: { open: boolean }) => p.open)
      if (!this.poll) await Bun.sleep(50)
    }
    if (!this.poll) throw new Error('the demo poll never showed in the snapshot')
    // Room for the load test: up to 1,000 messages a minute per wristband.
    await this.host('PATCH', '/settings', { messagesPerWindow: 1000, messageWindowSeconds: 60 })
    this.browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-quic',
        '--no-first-run',
        '--disable-component-update',
        '--disable-sync',
        '--enable-precise-memory-info',
        '--js-flags=--expose-gc',
      ],
    })
    return this
  }

  async stop() {
    if (this.server && this.server.proc.exitCode !== null && !this.killedOnPurpose) {
      console.error(`the server died during the tests:\n${this.server.logs().slice(-4000)}`)
    }
    await this.browser?.close()
    await this.server?.stop()
    rmSync(this.dataDir, { recursive: true, force: true })
  }

  /** Kills the server (the screen's connection drops). */
  async kill() {
    this.killedOnPurpose = true
    await this.server.stop('SIGKILL')
  }

  /** Starts the server again on the same port with the same data. */
  async restart() {
    this.server = await startServerProcess(this.env, { args: ['--demo'], port: this.server.port })
    this.killedOnPurpose = false
  }

  /** A host call with the host secret; throws on an error status. */
  async host(method: string, path: string, body?: unknown) {
    const res = await fetch(`${this.server.url}/api/admin/events/${SLUG}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.secret}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const json = await res.json().catch(() => null)
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`)
    return json
  }

  guest(cookie: string, path: string, body: unknown) {
    return fetch(`${this.server.url}/api/events/${SLUG}${path}`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  }

  /** Sends a danmaku; returns its id. */
  async send(cookie: string, text: string): Promise<number> {
    const res = await this.guest(cookie, '/messages', { text })
    const body = await res.json()
    if (res.status !== 202) throw new Error(`message: ${res.status} ${JSON.stringify(body)}`)
    return body.id
  }

  async vote(cookie: string, optionId: number) {
    const res = await this.guest(cookie, '/votes', { pollId: this.poll.id, optionId })
    if (res.status !== 202) throw new Error(`vote: ${res.status} ${await res.text()}`)
  }

  /** Opens the screen in a fresh context and waits until the poll is drawn and the fonts are in. */
  async openScreen(viewport = FULL_HD, deviceScaleFactor = 1): Promise<Page> {
    const context = await this.browser.newContext({ viewport, deviceScaleFactor })
    await context.addInitScript(DEEP_HELPERS)
    const page = await context.newPage()
    page.on('pageerror', (err) => console.error('[screen page error]', err))
    await page.goto(`${this.server.url}/e/${SLUG}/screen`)
    await page.waitForFunction(
      () => !!(window as unknown as DeepWindow).__deep(['gb-screen-app', 'gb-poll-bars', 'li']),
    )
    await page.evaluate(() => document.fonts.ready)
    return page
  }
}

/**
 * The setup every big-screen suite shares, registered in the calling describe: the
 * server with `guests` checked in and one 1080p screen open (`h.screen`), stopped
 * afterwards. Without Chromium `skip` is true and nothing starts.
 */
export function screenSuite(opts: { guests: number }) {
  const skip = !chromiumAvailable()
  const h = new ScreenHarness()
  beforeAll(async () => {
    if (skip) return
    await h.start(opts)
    h.screen = await h.openScreen()
  }, 60_000)
  afterAll(async () => {
    if (!skip) await h.stop()
  }, 30_000)
  return { h, skip }
}

/** The vote count an option's row on the screen shows. */
export const votesShown = (page: Page, optionId: number) =>
  page.evaluate(
    (id) =>
      Number(
        (window as unknown as DeepWindow).__deep(['gb-screen-app', 'gb-poll-bars', `li[data-option="${id}"]`])?.dataset
          .votes,
      ),
    optionId,
  )
