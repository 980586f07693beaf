/**
 * The public raffle check page (`/e/:slug/raffles/:id/verify`) in headless Chromium:
 * before the draw it shows the list hash and the seed commitment and no seed; after the
 * draw it recomputes the winners in the browser and says MATCH; a pasted proof with one
 * tap changed says MISMATCH. Screenshots: test-output/screenshots/verify-*.png.
 *
 * Needs the built client (`npm run build:client`).
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import type { Browser, Page } from 'playwright-core'
import type { RaffleProof } from '../../protocol/raffle-proof.ts'
import { checkIn, json, seedEvent, startTestServer, type TestServer } from '../support/backends.ts'
import { chromiumAvailable, launchBrowser, PHONE, screenshot } from '../support/browser.ts'

setDefaultTimeout(60_000)
const run = chromiumAvailable()

describe.skipIf(!run)('the raffle check page', () => {
  let server: TestServer
  let browser: Browser
  let page: Page
  let base: string
  let slug: string
  let raffleId: number
  let host: Record<string, string>
  let cookies: string[]

  beforeAll(async () => {
    server = await startTestServer('embedded')
    server.app.listen({ port: 0, hostname: '127.0.0.1' })
    base = `http://127.0.0.1:${server.app.server!.port}`
    const seeded = await seedEvent(server, { wristbands: 40 })
    slug = seeded.event.slug
    host = { authorization: `Bearer ${seeded.hostSecret}` }
    cookies = []
    for (const w of seeded.wristbands.slice(0, 30)) cookies.push(await checkIn(server, slug, w.code))
    const raffle = await (
      await server.fetch(
        `/api/admin/events/${slug}/raffles`,
        json(
          {
            name: 'Encore',
            prizes: [
              { name: 'Signed guitar', count: 1 },
              { name: 'Poster', count: 5 },
            ],
          },
          host,
        ),
      )
    ).json()
    raffleId = raffle.id
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: PHONE })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  test('before the draw: the commitment and list hash, never the seed', async () => {
    const seed = 'encore-seed-that-stays-secret'
    await server.fetch(`/api/admin/events/${slug}/raffles/${raffleId}/commit`, json({ seed, rollMs: 6000 }, host))
    const proof = (await (await server.fetch(`/api/events/${slug}/raffles/${raffleId}/proof`)).json()) as RaffleProof
    await page.goto(`${base}/e/${slug}/raffles/${raffleId}/verify`)
    const commitment = page.locator('gb-raffle-verify [data-commitment]')
    await commitment.waitFor({ timeout: 5000 })
    expect(await commitment.innerText()).toBe(proof.commitment!)
    expect(await page.locator('gb-raffle-verify [data-list-hash]').innerText()).toBe(proof.listHash!)
    expect(await page.locator('gb-raffle-verify [data-eligible]').innerText()).toBe('30')
    const shown = await page.locator('gb-raffle-verify main').innerText()
    expect(shown).toMatch(/seed commitment/i)
    expect(shown).not.toContain(seed)
    await page.locator('gb-raffle-verify #lookup').fill(String(proof.list![3]))
    expect(await page.locator('gb-raffle-verify [data-lookup]').innerText()).toContain('is on the frozen list')
    await screenshot(page, 'verify-committed')
    for (const [i, cookie] of cookies.slice(0, 5).entries()) {
      const tap = await server.fetch(
        `/api/events/${slug}/raffles/${raffleId}/taps`,
        json({ nonce: `page-tap-${i}` }, { cookie }),
      )
      expect(tap.status).toBe(202)
    }
  })

  test('after the draw the page recomputes the winners: MATCH', async () => {
    const closesAt = (await (await server.fetch(`/api/events/${slug}/raffles/${raffleId}/proof`)).json()).closesAt
    await Bun.sleep(Math.max(0, closesAt + 350 - Date.now()))
    const drawn = await (
      await server.fetch(`/api/admin/events/${slug}/raffles/${raffleId}/draw`, json({}, host))
    ).json()
    expect(drawn.winners.length).toBe(6)
    // The page looks again by itself every few seconds until the draw.
    const verdict = page.locator('gb-raffle-verify [data-verdict]')
    await verdict.waitFor({ timeout: 8000 })
    expect(await verdict.getAttribute('data-verdict')).toBe('match')
    const text = await page.locator('gb-raffle-verify main').innerText()
    expect(text).toContain(`#${drawn.prizes[0].winners[0]}`)
    expect(text).not.toContain('FAIL')
    await screenshot(page, 'verify-match')
  })

  test('a pasted proof with one tap changed: MISMATCH, naming the check', async () => {
    const proof = (await (await server.fetch(`/api/events/${slug}/raffles/${raffleId}/proof`)).json()) as RaffleProof
    proof.taps![0].nonce = 'forged-tap'
    await page.locator('gb-raffle-verify summary', { hasText: 'Check a proof you saved' }).click()
    await page.locator('gb-raffle-verify textarea').fill(JSON.stringify(proof))
    const verdict = page.locator('gb-raffle-verify [data-verdict="mismatch"]')
    await verdict.waitFor({ timeout: 3000 })
    expect(await page.locator('gb-raffle-verify tr[data-check="entropy"] td.state').innerText()).toBe('FAIL')
    await screenshot(page, 'verify-mismatch')
  })
})
