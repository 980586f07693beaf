/**
 * Languages: every page in a zh-CN and an en-US browser (visible strings, `<html lang>`, dates
 * and numbers), the guest's own switch (remembered on the phone), and the host's per-event fix,
 * which wins over the browser and hides the switch. Guest and host text stays as written.
 * Screenshots of each page in both languages, phone (390x844) and laptop (1280x720), go to
 * /tmp/shots-i18n/. One browser for the file. Needs the built client (`npm run build:client`).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import zh from '../../client/src/locales/zh-CN.ts'
import { until } from '../support/backends.ts'
import { chromiumAvailable, launchBrowser, PHONE } from '../support/browser.ts'
import { sourceStrings } from '../support/locale-strings.ts'
import { type Demo, openState, type PageState, startDemo } from './page-states.ts'

const SHOTS = '/tmp/shots-i18n'
const LAPTOP = { width: 1280, height: 720 }
const run = chromiumAvailable()

test('every string the pages show has its zh-CN translation, with the same placeholders', () => {
  const strings = sourceStrings()
  expect(strings.size).toBeGreaterThan(250)
  const missing = [...strings.keys()].filter((en) => !(en in zh))
  expect(missing).toEqual([])
  const holes = (s: string) => [...s.matchAll(/\$\{(\d+)\}/g)].map((m) => m[1]).sort()
  const wrong = Object.entries(zh).filter(([en, tr]) => holes(en).join() !== holes(tr).join())
  expect(wrong).toEqual([])
  // No leftovers: a translation whose English is gone is dead weight in the chunk.
  expect(Object.keys(zh).filter((en) => !strings.has(en))).toEqual([])
})

/** What each page must say in each language (a string from its first screen). */
const EXPECT: Record<PageState, { en: string; zh: string }> = {
  home: { en: 'Your wristband is your ticket to the show.', zh: '你的手环就是你的入场券。' },
  'guest-checkin': { en: 'Join in', zh: '加入' },
  'guest-poll': { en: 'Live poll', zh: '实时投票' },
  'guest-qa': { en: 'Ask a question', zh: '提个问题' },
  screen: { en: 'Scan to join', zh: '扫码加入' },
  'admin-signed-out': { en: 'Sign in to run the show', zh: '登录以主持活动' },
  'admin-polls': { en: 'New poll', zh: '新建投票' },
  'admin-moderation': { en: 'Message rules', zh: '消息规则' },
  'admin-qa': { en: 'Who may write', zh: '谁可以发言' },
  'admin-raffles': { en: 'New raffle', zh: '新建抽奖' },
  'admin-show': { en: 'Your cue sheet', zh: '你的灯光表' },
  'admin-wristbands': { en: 'Exports and pages', zh: '导出与页面' },
  verify: { en: 'Glowband raffle check', zh: 'Glowband 抽奖核验' },
}

/** Waits (up to 5 s) for a page to say something: a language chunk and a re-render take a moment. */
const says = (page: Page, text: string) => until(async () => (await textOf(page)).includes(text), 5000, 100)

/** The page's text, through open shadow roots (the pages are Lit components), styles left out. */
const textOf = (page: Page) =>
  page.evaluate(() => {
    const out: string[] = []
    const visit = (root: Node) => {
      for (const n of Array.from(root.childNodes)) {
        if (n.nodeType === Node.TEXT_NODE) out.push(n.textContent ?? '')
        else if (n instanceof Element && n.tagName !== 'STYLE' && n.tagName !== 'SCRIPT') {
          if (n.shadowRoot) visit(n.shadowRoot)
          visit(n)
        }
      }
    }
    visit(document.body)
    return out.join(' ').replace(/\s+/g, ' ')
  })

describe.skipIf(!run)('languages on every page', () => {
  let browser: Browser
  let demo: Demo

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    demo = await startDemo()
    browser = await launchBrowser()
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await demo?.server.stop()
  }, 20_000)

  for (const [locale, lang, key] of [
    ['en-US', 'en', 'en'],
    ['zh-CN', 'zh-CN', 'zh'],
  ] as const) {
    test(`a ${locale} browser: each page in its language, html lang=${lang}, host and guest text as written`, async () => {
      for (const [state, want] of Object.entries(EXPECT) as [PageState, (typeof EXPECT)[PageState]][]) {
        const viewport = state === 'screen' || state.startsWith('admin') ? LAPTOP : PHONE
        const { context, page } = await openState(browser, demo, state, { locale, viewport })
        try {
          expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang)
          const text = await textOf(page)
          expect(text).toContain(want[key])
          // The other language's string is not there.
          expect(text).not.toContain(want[key === 'en' ? 'zh' : 'en'])
          if (state === 'guest-poll' || state === 'screen') {
            expect(text).toContain('Which encore? 返场曲选哪首？')
            expect(text).toContain('夜曲')
          }
          for (const v of [PHONE, LAPTOP]) {
            await page.setViewportSize(v)
            await Bun.sleep(250)
            await page.screenshot({ path: join(SHOTS, `${state}-${lang}-${v.width}x${v.height}.png`) })
          }
        } finally {
          await context.close()
        }
      }
    }, 90_000)
  }

  test('dates and numbers follow the language: 12-hour clock in en-US, 24-hour in zh-CN', async () => {
    const times: Record<string, string> = {}
    for (const locale of ['en-US', 'zh-CN']) {
      const { context, page } = await openState(browser, demo, 'admin-polls', { locale, viewport: LAPTOP })
      try {
        times[locale] = await page.locator('gb-overview-panel li.checkin .num').nth(1).innerText()
      } finally {
        await context.close()
      }
    }
    expect(times['en-US']).toMatch(/[AP]M/)
    expect(times['zh-CN']).not.toMatch(/[AP]M/)
    expect(times['zh-CN']).toMatch(/^\d{2}:\d{2}:\d{2}$/)
  }, 30_000)

  test("the pause presets speak the host page's language: a zh-CN host's are in Chinese", async () => {
    for (const [locale, emergency] of [
      ['en-US', 'Emergency: please stay where you are'],
      ['zh-CN', '紧急情况：请留在原地'],
    ]) {
      const { context, page } = await openState(browser, demo, 'admin-polls', { locale, viewport: LAPTOP })
      try {
        await page.locator('gb-status-panel button[aria-haspopup="dialog"]').first().click()
        const preset = page.locator('gb-status-panel [role="dialog"] .preset.emergency small')
        expect(await preset.innerText()).toBe(`“${emergency}”`)
        await page.keyboard.press('Escape')
        await page.locator('gb-status-panel [role="dialog"]').waitFor({ state: 'detached' })
      } finally {
        await context.close()
      }
    }
  }, 30_000)

  test('the guest switches language on the phone, without a reload, and the phone remembers it', async () => {
    const { context, page } = await openState(browser, demo, 'guest-poll', { locale: 'en-US', viewport: PHONE })
    try {
      expect(await textOf(page)).toContain('Live poll')
      const navigations: string[] = []
      page.on('framenavigated', (f) => navigations.push(f.url()))
      await page.locator('gb-guest-app gb-language-switch select').selectOption('zh-CN')
      await page.waitForFunction(() => document.documentElement.lang === 'zh-CN')
      await page.locator('gb-poll-card', { hasText: '实时投票' }).waitFor({ timeout: 3000 })
      expect(navigations).toEqual([])
      expect(await textOf(page)).not.toContain('Live poll')
      await page.reload()
      await page.locator('gb-poll-card', { hasText: '实时投票' }).waitFor({ timeout: 5000 })
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN')
      await page.locator('gb-guest-app gb-language-switch select').selectOption('en')
      await page.locator('gb-poll-card', { hasText: 'Live poll' }).waitFor({ timeout: 3000 })
    } finally {
      await context.close()
    }
  }, 30_000)

  test('the host fixes the language from the admin page: it wins over the browser and hides the switch', async () => {
    const admin = await openState(browser, demo, 'admin-polls', { locale: 'en-US', viewport: LAPTOP })
    try {
      await admin.page.locator('gb-language-setting #event-language').selectOption('zh-CN')
      await admin.page.locator('gb-language-setting .fb').waitFor({ timeout: 5000 })
      // The host page keeps the host's own language.
      expect(await admin.page.evaluate(() => document.documentElement.lang)).toBe('en')
      const guest = await openState(browser, demo, 'guest-poll', { locale: 'en-US', viewport: PHONE })
      const screen = await openState(browser, demo, 'screen', { locale: 'en-US', viewport: LAPTOP })
      try {
        await says(guest.page, '实时投票')
        expect(await guest.page.evaluate(() => document.documentElement.lang)).toBe('zh-CN')
        expect(await guest.page.locator('gb-language-switch').count()).toBe(0)
        await says(screen.page, '扫码加入')
        expect(await screen.page.evaluate(() => document.documentElement.lang)).toBe('zh-CN')
      } finally {
        await guest.context.close()
        await screen.context.close()
      }
      // And the other way: a fixed English wins over a Chinese browser and its stored pick.
      await demo.setLanguage('en')
      const zhGuest = await openState(browser, demo, 'guest-poll', { locale: 'zh-CN', viewport: PHONE })
      try {
        await says(zhGuest.page, 'Live poll')
        expect(await zhGuest.page.evaluate(() => document.documentElement.lang)).toBe('en')
        expect(await zhGuest.page.locator('gb-language-switch').count()).toBe(0)
      } finally {
        await zhGuest.context.close()
      }
      await admin.page.reload()
      await admin.page.locator('gb-language-setting #event-language').waitFor()
      expect(await admin.page.locator('gb-language-setting #event-language').inputValue()).toBe('en')
    } finally {
      await demo.setLanguage('auto')
      await admin.context.close()
    }
  }, 60_000)

  test('a language that is not a locale is refused with a 422 naming the field', async () => {
    const res = await demo.server.fetch(`/api/admin/events/${demo.slug}/settings`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${demo.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ language: 'Klingon please' }),
    })
    expect(res.status).toBe(422)
    const body = (await res.json()) as { error: string; fields?: Record<string, string> }
    expect(Object.keys(body.fields ?? {})).toContain('language')
  })
})
