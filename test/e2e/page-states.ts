/**
 * Every page of the product in each state worth checking, for the language and accessibility
 * tests: one in-process server (embedded) listening on a port, one event with a poll open, a
 * drawn raffle and a few messages, and a function that opens any page state in a browser
 * context with a given locale and viewport. Needs the built client (`npm run build:client`).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { checkIn, json, seedEvent, startTestServer, type TestServer, until } from '../support/backends.ts'
import { DEEP_HELPERS } from '../support/browser.ts'

export const ADMIN_TABS = ['polls', 'moderation', 'qa', 'raffles', 'show', 'wristbands'] as const
export type PageState =
  | 'home'
  | 'guest-checkin'
  | 'guest-poll'
  | 'guest-qa'
  | 'screen'
  | 'admin-signed-out'
  | `admin-${(typeof ADMIN_TABS)[number]}`
  | 'verify'
export const PAGE_STATES: PageState[] = [
  'home',
  'guest-checkin',
  'guest-poll',
  'guest-qa',
  'screen',
  'admin-signed-out',
  ...ADMIN_TABS.map((t) => `admin-${t}` as const),
  'verify',
]

export interface Demo {
  server: TestServer
  base: string
  slug: string
  secret: string
  wristbands: { number: number; code: string }[]
  raffleId: number
  pollId: number
  /** A host call; throws unless it succeeds. */
  host(method: string, path: string, body?: unknown): Promise<unknown>
  /** Sets the event's language ('auto', 'en', 'zh-CN'). */
  setLanguage(language: string): Promise<void>
}

export async function startDemo(): Promise<Demo> {
  const server = await startTestServer('embedded')
  server.app.listen({ port: 0, hostname: '127.0.0.1' })
  const base = `http://127.0.0.1:${server.app.server!.port}`
  const seeded = await seedEvent(server, { wristbands: 12 })
  const slug = seeded.event.slug
  const auth = { authorization: `Bearer ${seeded.hostSecret}` }
  const host = async (method: string, path: string, body?: unknown) => {
    const res = await server.fetch(`/api/admin/events/${slug}${path}`, {
      method,
      headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
    return res.json()
  }
  // Guest text and host text are shown as written, whatever the page's language.
  const poll = (await host('POST', '/polls', {
    question: 'Which encore? 返场曲选哪首？',
    options: ['Yellow', '夜曲', 'Bohemian Rhapsody'],
  })) as { id: number; options: { id: number }[] }
  await host('POST', `/polls/${poll.id}/open`)
  const cookies: string[] = []
  for (const w of seeded.wristbands.slice(0, 5)) cookies.push(await checkIn(server, slug, w.code))
  for (const [i, cookie] of cookies.entries()) {
    await server.fetch(
      `/api/events/${slug}/votes`,
      json({ pollId: poll.id, optionId: poll.options[i % 3].id, actionId: `demo-vote-${i}` }, { cookie }),
    )
  }
  await server.fetch(
    `/api/events/${slug}/messages`,
    json({ text: '太棒了！🎉', actionId: 'demo-m-1' }, { cookie: cookies[0] }),
  )
  await server.fetch(
    `/api/events/${slug}/messages`,
    json({ text: 'Best night ever', actionId: 'demo-m-2' }, { cookie: cookies[1] }),
  )
  await server.fetch(
    `/api/events/${slug}/questions`,
    json({ text: '下一场在哪里？', actionId: 'demo-q-1' }, { cookie: cookies[2] }),
  )
  const raffle = (await host('POST', '/raffles', { name: 'Door prize', winners: 1 })) as { id: number }
  // Drawn two minutes ago: the screen shows it in its sidebar, not as the full-screen winners panel.
  await server.rt.raffles.drawRaffle(seeded.event, raffle.id, Date.now() - 120_000)
  // The ticker turns the votes into the snapshot within a few ticks.
  await until(async () => {
    const snap = (await (await server.fetch(`/api/events/${slug}/snapshot`)).json()) as {
      snapshot: { danmaku: unknown[]; raffles: { winners: number[] }[] }
    }
    return snap.snapshot.danmaku.length >= 2 && snap.snapshot.raffles[0]?.winners.length === 1
  }, 10_000)
  return {
    server,
    base,
    slug,
    secret: seeded.hostSecret,
    // The first five are checked in already; the pages check in with the rest.
    wristbands: seeded.wristbands.slice(5),
    raffleId: raffle.id,
    pollId: poll.id,
    host,
    setLanguage: async (language) => {
      await host('PATCH', '/settings', { language })
    },
  }
}

export interface Opened {
  context: BrowserContext
  page: Page
}

export interface OpenOptions {
  locale: string
  viewport: { width: number; height: number }
  reducedMotion?: 'reduce' | 'no-preference'
}

let nextBand = 0

/** Opens one page state in a fresh context (its own cookies and storage) and waits for it to settle. */
export async function openState(browser: Browser, demo: Demo, state: PageState, opts: OpenOptions): Promise<Opened> {
  const phone = opts.viewport.width < 500
  const context = await browser.newContext({
    locale: opts.locale,
    viewport: opts.viewport,
    reducedMotion: opts.reducedMotion ?? 'no-preference',
    ...(phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
  })
  await context.addInitScript(DEEP_HELPERS)
  const page = await context.newPage()
  page.on('pageerror', (err) => console.error(`page error (${state}):`, err.message))
  const { base, slug } = demo
  switch (state) {
    case 'home':
      await page.goto(`${base}/`)
      await page.locator('gb-home gb-checkin-form input').waitFor()
      break
    case 'guest-checkin':
      await page.goto(`${base}/e/${slug}`)
      await page.locator('gb-checkin-form input').waitFor()
      break
    case 'guest-poll':
    case 'guest-qa': {
      const band = demo.wristbands[nextBand++ % demo.wristbands.length]
      await page.goto(`${base}/w/${band.code}`)
      await page.locator(`[data-poll-id="${demo.pollId}"]`).waitFor()
      // Voted: the results show.
      await page.locator(`[data-poll-id="${demo.pollId}"] button[data-option-id]`).nth(1).click()
      await page.locator(`[data-poll-id="${demo.pollId}"] .bar`).first().waitFor()
      if (state === 'guest-qa') {
        await page.locator('gb-guest-app nav.tabs button').nth(1).click()
        await page.locator('gb-qa-box textarea').waitFor()
      }
      break
    }
    case 'screen':
      await page.goto(`${base}/e/${slug}/screen`)
      await page.locator('gb-screen-app gb-join-qr svg').waitFor()
      break
    case 'admin-signed-out':
      await page.goto(`${base}/e/${slug}/admin`)
      await page.locator('gb-sign-in #secret').waitFor()
      break
    case 'verify':
      await page.goto(`${base}/e/${slug}/raffles/${demo.raffleId}/verify`)
      await page.locator('gb-raffle-verify [data-verdict]').waitFor({ timeout: 8000 })
      break
    default: {
      const tab = state.slice('admin-'.length)
      await page.goto(`${base}/e/${slug}/admin#key=${demo.secret}`)
      await page.locator('gb-admin-console [data-connection="live"]').waitFor({ timeout: 8000 })
      const button = page.locator(`gb-admin-console #tab-${tab}`)
      if (await button.isVisible()) await button.click()
      await page.locator(`gb-admin-console #panel-${tab}:not([hidden]), gb-admin-console aside.side`).first().waitFor()
    }
  }
  // Fade-ins and bars run 0.3-0.5 s; a locale chunk loads in a blink.
  await Bun.sleep(600)
  return { context, page }
}
