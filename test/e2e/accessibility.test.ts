/**
 * Accessibility: axe-core (through @axe-core/playwright, in Debian's Chromium) on every page in
 * every state, in English and in Chinese: no serious or critical violation. Then what axe cannot
 * see: the host's pause and end dialogs keep the focus inside and close on Escape; the phone has
 * a live region that announces status changes and results; with prefers-reduced-motion the
 * danmaku stop flying and the phone's animations are off. One browser for the file.
 * Needs the built client (`npm run build:client`).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import AxeBuilder from '@axe-core/playwright'
import type { Browser, Page } from 'playwright-core'
import { until } from '../support/backends.ts'
import { chromiumAvailable, launchBrowser, PHONE } from '../support/browser.ts'
import { type Demo, openState, PAGE_STATES, type PageState, startDemo } from './page-states.ts'

const LAPTOP = { width: 1280, height: 720 }
const run = chromiumAvailable()

/** Serious and critical violations, one line each, with the first few offending nodes. */
async function axeProblems(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => `${n.target.join(' ')} (${n.failureSummary?.split('\n')[1]?.trim() ?? ''})`)
          .join('; ')}`,
    )
}

describe.skipIf(!run)('accessibility', () => {
  let browser: Browser
  let demo: Demo

  beforeAll(async () => {
    demo = await startDemo()
    browser = await launchBrowser()
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await demo?.server.stop()
  }, 20_000)

  for (const locale of ['en-US', 'zh-CN']) {
    test(`axe: no serious or critical violation on any page or state (${locale})`, async () => {
      const found: Record<string, string[]> = {}
      for (const state of PAGE_STATES) {
        const viewport = state === 'screen' || state.startsWith('admin') ? LAPTOP : PHONE
        const { context, page } = await openState(browser, demo, state, { locale, viewport })
        try {
          const problems = await axeProblems(page)
          if (problems.length) found[state] = problems
          if (state === 'admin-polls') {
            // The pause dialog open, too.
            await page.locator('gb-status-panel .btn-pause').click()
            await page.locator('gb-status-panel [role="dialog"]').waitFor()
            const dialog = await axeProblems(page)
            if (dialog.length) found['admin-pause-dialog'] = dialog
          }
        } finally {
          await context.close()
        }
      }
      expect(found).toEqual({})
    }, 180_000)
  }

  test('the paused phone passes axe too, and the phone says status changes, its vote and raffle results out loud', async () => {
    const { context, page } = await openState(browser, demo, 'guest-poll', { locale: 'en-US', viewport: PHONE })
    try {
      const live = page.locator('gb-guest-app [data-testid="announcer"]')
      expect(await live.getAttribute('aria-live')).toBe('polite')
      await demo.host('PUT', '/status', { status: 'paused', message: '' })
      await until(async () => /paused/i.test(await live.innerText()), 5000, 50)
      expect(await axeProblems(page)).toEqual([])
      await demo.host('PUT', '/status', { status: 'live', message: '' })
      await until(async () => /live again/i.test(await live.innerText()), 5000, 50)
      await page.locator(`[data-poll-id="${demo.pollId}"] button[data-option-id]`).first().click()
      await until(async () => /vote/i.test(await live.innerText()), 5000, 50)
      const raffle = (await demo.host('POST', '/raffles', { name: 'Encore prize', winners: 1 })) as { id: number }
      await demo.host('POST', `/raffles/${raffle.id}/draw`, {})
      await until(async () => (await live.innerText()).includes('Encore prize'), 8000, 50)
    } finally {
      await demo.host('PUT', '/status', { status: 'live', message: '' })
      await context.close()
    }
  }, 30_000)

  test('the pause dialog keeps the focus inside and closes on Escape, giving the focus back', async () => {
    const { context, page } = await openState(browser, demo, 'admin-polls', { locale: 'en-US', viewport: LAPTOP })
    try {
      const opener = page.locator('gb-status-panel .btn-pause')
      await opener.click()
      const dialog = page.locator('gb-status-panel [role="dialog"]')
      await dialog.waitFor()
      /** Whether the focused element is inside the dialog (through the shadow roots). */
      const inside = () =>
        page.evaluate(() => {
          let el: Element | null = document.activeElement
          while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement
          return !!el?.closest('[role="dialog"]')
        })
      expect(await inside()).toBe(true)
      // Forwards past the last control and backwards past the first: the focus stays in.
      for (let i = 0; i < 12; i++) {
        await page.keyboard.press('Tab')
        expect(await inside()).toBe(true)
      }
      for (let i = 0; i < 12; i++) {
        await page.keyboard.press('Shift+Tab')
        expect(await inside()).toBe(true)
      }
      await page.keyboard.press('Escape')
      await dialog.waitFor({ state: 'detached' })
      const back = await page.evaluate(() => {
        let el: Element | null = document.activeElement
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement
        return el?.classList.contains('btn-pause') ?? false
      })
      expect(back).toBe(true)
    } finally {
      await context.close()
    }
  }, 30_000)

  test('prefers-reduced-motion: danmaku stand still on the screen, and the phone has no animations', async () => {
    const screen = await openState(browser, demo, 'screen', {
      locale: 'en-US',
      viewport: LAPTOP,
      reducedMotion: 'reduce',
    })
    const phone = await openState(browser, demo, 'guest-poll' as PageState, {
      locale: 'en-US',
      viewport: PHONE,
      reducedMotion: 'reduce',
    })
    try {
      // A new message on a calm screen: shown, but it does not travel.
      await demo.host('PUT', '/status', { status: 'live', message: '' })
      const cookie = await phone.context.cookies(demo.base)
      const status = await phone.page.evaluate(
        async ([slug]) => {
          const res = await fetch(`/api/events/${slug}/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ text: 'calm hello', actionId: 'calm-hello-1' }),
          })
          return res.status
        },
        [demo.slug],
      )
      expect(cookie.length).toBeGreaterThan(0)
      expect(status).toBe(202)
      const spot = () =>
        screen.page.evaluate(() => {
          const w = window as unknown as { __deepAll: (p: string[]) => HTMLElement[] }
          const el = w
            .__deepAll(['gb-screen-app', 'gb-danmaku-layer', '.dm'])
            .find((e) => e.textContent?.includes('calm hello'))
          return el ? Math.round(el.getBoundingClientRect().left) : null
        })
      const first = await until(spot, 5000, 50)
      await Bun.sleep(700)
      expect(await spot()).toBe(first)
      // The phone: every running CSS animation or transition is instant.
      const moving = await phone.page.evaluate(
        () =>
          document
            .getAnimations()
            .filter((a) => a.playState === 'running' && Number(a.effect?.getComputedTiming().duration ?? 0) > 50)
            .length,
      )
      expect(moving).toBe(0)
    } finally {
      await screen.context.close()
      await phone.context.close()
    }
  }, 30_000)
})
