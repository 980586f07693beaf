/**
 * A raffle from the winner's phone, in headless Chromium against an in-process embedded
 * server: during the drum roll the phone shows a tap button and its tap goes into the
 * draw (it is in the proof); after the draw it shows the prize and a claim code the host
 * accepts once; a winner marked absent loses the win on the phone. Screenshots:
 * test-output/screenshots/raffle-phone-*.png.
 *
 * Needs the built client (`npm run build:client`).
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import type { Browser, Page } from 'playwright-core'
import type { RaffleProof } from '../../protocol/raffle-proof.ts'
import { verifyProof } from '../../protocol/raffle-proof.ts'
import { seedEvent, startTestServer, type TestServer } from '../support/backends.ts'
import { chromiumAvailable, launchBrowser, PHONE, screenshot } from '../support/browser.ts'

setDefaultTimeout(60_000)
const run = chromiumAvailable()

describe.skipIf(!run)("a raffle on the winner's phone", () => {
  let server: TestServer
  let browser: Browser
  let phone: Page
  let base: string
  let slug: string
  let phoneNumber: number
  let seeded: Awaited<ReturnType<typeof seedEvent>>
  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await server.fetch(`/api/admin/events/${slug}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${seeded.hostSecret}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return { status: res.status, body: await res.json() }
  }

  beforeAll(async () => {
    server = await startTestServer('embedded')
    server.app.listen({ port: 0, hostname: '127.0.0.1' })
    base = `http://127.0.0.1:${server.app.server!.port}`
    seeded = await seedEvent(server, { wristbands: 5 })
    slug = seeded.event.slug
    browser = await launchBrowser()
    const context = await browser.newContext({ viewport: PHONE })
    phone = await context.newPage()
    await phone.goto(`${base}/w/${seeded.wristbands[0].code}`)
    phoneNumber = seeded.wristbands[0].number
    await phone.locator('[data-testid="number"]').waitFor({ timeout: 10_000 })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  test('the phone taps during the drum roll; its tap is in the proof', async () => {
    const raffle = (
      await admin('POST', '/raffles', { name: 'Encore draw', prizes: [{ name: 'Backstage pass', count: 1 }] })
    ).body
    const committed = await admin('POST', `/raffles/${raffle.id}/commit`, { rollMs: 5000 })
    expect(committed.status).toBe(200)
    const tap = phone.locator('gb-raffle-card [data-testid="tap"]')
    await tap.waitFor({ timeout: 3000 })
    expect(await tap.innerText()).toContain('Tap to roll')
    await screenshot(phone, 'raffle-phone-drum-roll')
    await tap.click()
    await phone.locator('gb-raffle-card [data-testid="tap"]', { hasText: 'Your tap is in the draw' }).waitFor({
      timeout: 3000,
    })
    await Bun.sleep(Math.max(0, committed.body.closesAt + 350 - Date.now()))
    const drawn = await admin('POST', `/raffles/${raffle.id}/draw`)
    expect(drawn.body.winners).toEqual([phoneNumber])
    const proof = (await (await server.fetch(`/api/events/${slug}/raffles/${raffle.id}/proof`)).json()) as RaffleProof
    expect(proof.taps!.map((t) => t.number)).toEqual([phoneNumber])
    const stored = await phone.evaluate((key) => localStorage.getItem(key), `gb-tap:${slug}:${raffle.id}`)
    expect(proof.taps![0].nonce).toBe(stored!)
    expect(verifyProof(proof).ok).toBe(true)

    // The win, the prize and the claim code on the phone.
    const won = phone.locator(`gb-raffle-card [data-testid="won"][data-raffle-id="${raffle.id}"]`)
    await won.waitFor({ timeout: 3000 })
    expect(await won.innerText()).toContain('Backstage pass')
    const code = phone.locator('gb-raffle-card [data-testid="claim-code"]')
    await code.waitFor({ timeout: 3000 })
    const shown = await code.innerText()
    expect(shown).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}$/)
    await phone.evaluate(() => window.scrollTo(0, 0))
    await screenshot(phone, 'raffle-phone-won')
    // The host types the code as read out, dash and all.
    const claim = await admin('POST', `/raffles/${raffle.id}/claims`, { code: shown })
    expect(claim).toMatchObject({ status: 200, body: { number: phoneNumber, prize: 'Backstage pass' } })
  })

  test('a tiered draw with a no-show: the absent winner loses the win on the phone', async () => {
    // The phone and one more guest are checked in; both win a tier.
    const other = seeded.wristbands[1]
    await server.fetch(`/api/events/${slug}/checkin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: other.code }),
    })
    const raffle = (
      await admin('POST', '/raffles', {
        name: 'Door prizes',
        prizes: [
          { name: 'Bike', count: 1 },
          { name: 'Mug', count: 1 },
        ],
        rules: { excludePreviousWinners: false },
      })
    ).body
    const drawn = await admin('POST', `/raffles/${raffle.id}/draw`)
    expect([...drawn.body.winners].sort()).toEqual([phoneNumber, other.number].sort())
    const won = phone.locator(`gb-raffle-card [data-testid="won"][data-raffle-id="${raffle.id}"]`)
    await won.waitFor({ timeout: 3000 })
    const prize = drawn.body.prizes.find((p: { winners: number[] }) => p.winners.includes(phoneNumber)).name
    expect(await won.innerText()).toContain(prize)
    expect(await won.innerText()).toContain('Door prizes')
    const absent = await admin('POST', `/raffles/${raffle.id}/winners/${phoneNumber}/no-show`)
    expect(absent.status).toBe(200)
    // Nobody is left on the list to replace them: the prize stays open, the no-show stays on record.
    expect(absent.body.replacement).toBeNull()
    await won.waitFor({ state: 'detached', timeout: 3000 })
    const proof = (await (await server.fetch(`/api/events/${slug}/raffles/${raffle.id}/proof`)).json()) as RaffleProof
    expect(proof.picks.find((p) => p.number === phoneNumber)!.outcome).toBe('no_show')
    expect(verifyProof(proof).ok).toBe(true)
    await phone.evaluate(() => window.scrollTo(0, 0))
    await screenshot(phone, 'raffle-phone-no-show')
  })
})
