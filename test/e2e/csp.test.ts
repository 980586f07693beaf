/**
 * The pages still work under the Content-Security-Policy: each page of the built client
 * (home, guest after the QR check-in, big screen, signed-in admin console, API docs)
 * renders in headless Chromium with no policy violation and no page error.
 *
 * Needs the built client (`npm test` builds it; otherwise run `npm run build:client`).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { clientDist } from '../../server/pages/routes.ts'
import { seedEvent, startTestServer, type TestServer } from '../support/backends.ts'
import { chromiumAvailable, DEEP_HELPERS, type DeepWindow, launchBrowser, PHONE } from '../support/browser.ts'

const run = chromiumAvailable()

describe.skipIf(!run)('pages under the Content-Security-Policy', () => {
  let server: TestServer
  let browser: Browser
  let base: string
  let slug: string
  let secret: string
  let code: string

  beforeAll(async () => {
    if (!existsSync(join(clientDist, 'guest.html'))) throw new Error('build the client first: npm run build:client')
    server = await startTestServer('embedded')
    await server.app.modules
    const seeded = await seedEvent(server, { wristbands: 2 })
    slug = seeded.event.slug
    secret = seeded.hostSecret
    code = seeded.wristbands[0].code
    const poll = await server.rt.polls.createPoll(seeded.event, { question: 'Which song?', options: ['A', 'B'] })
    await server.rt.polls.setPollState(seeded.event, poll.id, 'open')
    server.app.listen({ port: 0, hostname: '127.0.0.1' })
    base = `http://127.0.0.1:${server.app.server!.port}`
    browser = await launchBrowser()
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    server?.app.server?.stop(true)
    await server?.stop()
  })

  const pages = (): [string, string, string[]][] => [
    ['home', '/', ['gb-home']],
    ['guest (QR check-in)', `/w/${code}`, ['gb-guest-app']],
    ['screen', `/e/${slug}/screen`, ['gb-screen-app']],
    ['admin', `/e/${slug}/admin#key=${secret}`, ['gb-admin-app']],
    ['api docs', '/docs/api', ['main']],
  ]

  test('every page renders with no policy violation and no page error', async () => {
    for (const [name, path, root] of pages()) {
      const ctx = await browser.newContext({ viewport: PHONE })
      const page = await ctx.newPage()
      const problems: string[] = []
      page.on('pageerror', (err) => problems.push(`page error: ${err.message}`))
      page.on('response', (r) => {
        if (r.status() >= 400) problems.push(`${r.status()} ${new URL(r.url()).pathname}`)
      })
      page.on('console', (m) => {
        // Failed loads are caught above, except the browser's own /favicon.ico (screen and admin have none).
        if (m.text().startsWith('Failed to load resource')) return
        if (m.type() === 'error' || /Content Security Policy|Permissions-Policy/i.test(m.text()))
          problems.push(`console ${m.type()}: ${m.text()}`)
      })
      await page.addInitScript(`${DEEP_HELPERS}
          window.__violations = []
          document.addEventListener('securitypolicyviolation', (e) =>
            window.__violations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '')))`)
      const res = await page.goto(`${base}${path}`)
      expect(res?.headers()['content-security-policy']).toBeTruthy()
      // Rendered: the root element exists and (for the apps) its shadow root has content.
      await page.waitForFunction(
        (sel) => {
          const el = (window as unknown as DeepWindow).__deep(sel)
          return !!el && (el.shadowRoot ? el.shadowRoot.childElementCount > 0 : el.childElementCount > 0)
        },
        root,
        { timeout: 15_000 },
      )
      // The admin link signs in (a fetch) and then drops the key from the address bar.
      if (name === 'admin') await page.waitForFunction(() => !location.hash.includes('key='), null, { timeout: 15_000 })
      await Bun.sleep(1000) // streams open, styles apply, late components render
      const violations = await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)
      expect({ name, violations, problems }).toEqual({ name, violations: [], problems: [] })
      await ctx.close()
    }
  }, 90_000)
})
