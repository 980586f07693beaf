/**
 * The host's raffle panel driving a verifiable draw in headless Chromium against an
 * in-process embedded server: a tiered raffle made in the form shows its live eligible
 * count; "Start the drum roll" shows the frozen list's hash and the seed commitment; a
 * draw during the roll is refused with the reason; after it the winners show by prize,
 * a winner marked absent is replaced with the same prize, and a claim code from the
 * winner's phone is accepted. Screenshot: test-output/screenshots/raffle-admin-*.png.
 *
 * Needs the built client (`npm run build:client`).
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import type { Browser, Page } from 'playwright-core'
import type { RaffleProof } from '../../protocol/raffle-proof.ts'
import { verifyProof } from '../../protocol/raffle-proof.ts'
import { checkIn, seedEvent, startTestServer, type TestServer } from '../support/backends.ts'
import { chromiumAvailable, FULL_HD, launchBrowser, screenshot } from '../support/browser.ts'

setDefaultTimeout(60_000)
const run = chromiumAvailable()

describe.skipIf(!run)('the raffle panel', () => {
  let server: TestServer
  let browser: Browser
  let page: Page
  let base: string
  let seeded: Awaited<ReturnType<typeof seedEvent>>
  const cookies = new Map<number, string>()

  beforeAll(async () => {
    server = await startTestServer('embedded')
    server.app.listen({ port: 0, hostname: '127.0.0.1' })
    base = `http://127.0.0.1:${server.app.server!.port}`
    seeded = await seedEvent(server, { wristbands: 10 })
    for (const w of seeded.wristbands.slice(0, 6))
      cookies.set(w.number, await checkIn(server, seeded.event.slug, w.code))
    browser = await launchBrowser()
    page = await (await browser.newContext({ viewport: FULL_HD })).newPage()
    await page.goto(`${base}/e/${seeded.event.slug}/admin#key=${seeded.hostSecret}`)
    await page.getByRole('tab', { name: /Raffles/ }).click()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  test('tiers, drum roll, refused early draw, draw, no-show, claim', async () => {
    const slug = seeded.event.slug
    const panel = page.locator('gb-raffle-panel')
    await panel.getByLabel('Prize').fill('Gala')
    await panel.getByLabel('Tiers (optional)').fill('1 Trip, 2 Mug')
    await panel.getByRole('button', { name: 'Create raffle' }).click()
    const card = panel.locator('article', { hasText: 'Gala' })
    await card.locator('[data-eligible="6"]').waitFor({ timeout: 5000 })
    const raffleId = Number(await card.getAttribute('data-raffle'))

    await card.getByRole('button', { name: /Start the drum roll/ }).click()
    const committed = card.locator('[data-committed]')
    await committed.waitFor({ timeout: 5000 })
    const proof = async () =>
      (await (await server.fetch(`/api/events/${slug}/raffles/${raffleId}/proof`)).json()) as RaffleProof
    const before = await proof()
    expect(await committed.innerText()).toContain(before.listHash!.slice(0, 16))
    expect(await committed.innerText()).toContain(before.commitment!.slice(0, 16))

    await card.getByRole('button', { name: /Draw 3 winners/ }).click()
    await card.locator('[data-error="drum_roll"]').waitFor({ timeout: 3000 })
    expect(await card.locator('[data-error="drum_roll"]').innerText()).toContain('drum roll is still on')
    await screenshot(page, 'raffle-admin-drum-roll')

    await Bun.sleep(Math.max(0, before.closesAt! + 350 - Date.now()))
    await card.getByRole('button', { name: /Draw 3 winners/ }).click()
    await card.locator('.winner').nth(2).waitFor({ timeout: 5000 })
    const drawn = await proof()
    const trip = drawn.winners.find((w) => w.tier === 1)!.number
    await card.locator('dl.tiers').waitFor({ timeout: 3000 })
    expect(await card.locator('dl.tiers').innerText()).toContain(`#${trip}`)

    await card.getByLabel('Winner not here').fill(`#${trip}`)
    await card.getByRole('button', { name: /Mark absent/ }).click()
    const replaced = card.locator('[data-feedback^="absent-"]')
    await replaced.waitFor({ timeout: 3000 })
    expect(await replaced.innerText()).toContain(`#${trip} marked absent`)
    expect(await replaced.innerText()).toContain('the Trip instead')
    const after = await proof()
    expect(verifyProof(after).ok).toBe(true)
    const newTrip = after.winners.find((w) => w.tier === 1)!.number
    expect(newTrip).not.toBe(trip)

    // The replacement's phone has the claim code; the host types it in.
    const wins = await (
      await server.fetch(`/api/events/${slug}/raffles/wins`, { headers: { cookie: cookies.get(newTrip)! } })
    ).json()
    const code = wins.find((w: { raffleId: number }) => w.raffleId === raffleId).claimCode
    await card.getByLabel('Claim code').fill(code.toLowerCase())
    await card.getByRole('button', { name: /Check and mark claimed/ }).click()
    const claimed = card.locator('[data-feedback^="claim-"]')
    await claimed.waitFor({ timeout: 3000 })
    expect(await claimed.innerText()).toContain(`Valid: #${newTrip} collects the Trip`)
    await card.locator(`text=Absent (replaced): #${trip}`).waitFor({ timeout: 3000 })
    await card.scrollIntoViewIfNeeded()
    await screenshot(page, 'raffle-admin-drawn')
  })
})
