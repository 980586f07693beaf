/**
 * Every poll kind in headless Chromium against a real server process: a phone (390x844)
 * answers a rating, a word cloud and an open-text poll; the screen (1280x720) shows each
 * kind's own view within 2 s (histogram and average, a word cloud whose words keep their
 * places between ticks, answer cards), and results hidden by the host stay off the screen
 * until revealed. Screenshots land in test-output/screenshots/kinds-*.png.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { BrowserContext, Page } from 'playwright-core'
import { chromiumAvailable, DEEP_HELPERS, PHONE, screenshot } from '../support/browser.ts'
import { type DeepWindow, ScreenHarness, SLUG } from './screen-harness.ts'

const HD = { width: 1280, height: 720 }

describe('poll kinds on the phone and the screen', () => {
  const skip = !chromiumAvailable()
  const h = new ScreenHarness()
  let screen: Page
  let phone: Page
  let phoneContext: BrowserContext

  beforeAll(async () => {
    if (skip) return
    await h.start({ guests: 30 })
    await h.host('POST', `/polls/${h.poll.id}/close`)
    const context = await h.browser.newContext({ viewport: HD })
    await context.addInitScript(DEEP_HELPERS)
    screen = await context.newPage()
    screen.on('pageerror', (err) => console.error('[screen page error]', err))
    await screen.goto(`${h.server.url}/e/${SLUG}/screen`)
    const band = await h.host('POST', '/wristbands', { count: 1, label: 'phone' })
    phoneContext = await h.browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true })
    phone = await phoneContext.newPage()
    phone.on('pageerror', (err) => console.error('[phone page error]', err))
    await phone.goto(`${h.server.url}/w/${band.wristbands[0].code}`)
  }, 60_000)
  afterAll(async () => {
    if (!skip) await h.stop()
  }, 30_000)

  const open = async (body: Record<string, unknown>) => {
    const poll = await h.host('POST', '/polls', body)
    await h.host('POST', `/polls/${poll.id}/open`)
    return poll as { id: number }
  }
  const close = (id: number) => h.host('POST', `/polls/${id}/close`)
  const answer = async (i: number, body: Record<string, unknown>) => {
    const res = await h.guest(h.guests[i], '/votes', body)
    if (res.status !== 202) throw new Error(`answer: ${res.status} ${await res.text()}`)
  }
  /**
   * Waits until the element at `path` (through shadow roots) passes `check`: 'true' (it is
   * there), "el.dataset.<key> === '<value>'" or 'el.children.length === <n>'. Parsed here:
   * the page's CSP allows no eval.
   */
  const onScreen = (path: string[], check: string, timeout = 2000) => {
    const data = /^el\.dataset\.(\w+) === '(.*)'$/.exec(check)
    const children = /^el\.children\.length === (\d+)$/.exec(check)
    const want = data
      ? { key: data[1], value: data[2], n: -1 }
      : children
        ? { key: '', value: '', n: Number(children[1]) }
        : { key: '', value: '', n: -1 }
    return screen.waitForFunction(
      ([p, w]) => {
        const el = (window as unknown as DeepWindow).__deep(p as string[])
        const { key, value, n } = w as { key: string; value: string; n: number }
        if (!el) return false
        if (key) return el.dataset[key] === value
        if (n >= 0) return el.children.length === n
        return true
      },
      [path, want] as const,
      { timeout, polling: 'raf' },
    )
  }

  test.skipIf(skip)(
    'rating: the phone rates, the screen shows the histogram and the live average',
    async () => {
      const poll = await open({ kind: 'rating', question: 'How was the opening act?', scale: { min: 1, max: 5 } })
      for (const [i, value] of [5, 4, 4, 3, 5, 5, 2].entries()) await answer(i, { pollId: poll.id, value })
      await onScreen(['gb-screen-app', 'gb-kind-view', '.avg'], "el.dataset.average === '4'", 5000)
      // The phone's answer moves the average on the screen within 2 s.
      const button = phone.locator(`[data-poll-id="${poll.id}"] button[data-value="1"]`)
      await button.waitFor({ timeout: 5000 })
      const t0 = performance.now()
      await button.click()
      await onScreen(['gb-screen-app', 'gb-kind-view', '.avg'], "el.dataset.average === '3.63'")
      console.log(`rating: phone -> screen ${Math.round(performance.now() - t0)} ms`)
      await phone.locator(`[data-poll-id="${poll.id}"] .avg`).waitFor({ timeout: 3000 })
      await screenshot(phone, 'kinds-rating-phone')
      await screenshot(screen, 'kinds-rating-screen')
      await close(poll.id)
    },
    30_000,
  )

  test.skipIf(skip)(
    'words: the cloud grows and its words keep their places between ticks',
    async () => {
      const poll = await open({ kind: 'words', question: 'One word for tonight?' })
      const words = ['neon', 'loud', 'golden', 'sweaty', 'electric', 'magic', 'late', 'friends', '快乐', 'bass']
      for (let i = 0; i < 20; i++) await answer(i, { pollId: poll.id, words: [words[i % 10], words[(i * 3) % 10]] })
      // Every answer is on the screen before the layout is taken.
      await onScreen(['gb-screen-app', 'gb-kind-view', '.body'], "el.dataset.responses === '20'", 5000)
      const places = () =>
        screen.evaluate(() =>
          Object.fromEntries(
            (window as unknown as DeepWindow)
              .__deepAll(['gb-screen-app', 'gb-kind-view', 'text'])
              .map((t) => [t.dataset.word, `${t.getAttribute('x')},${t.getAttribute('y')}`]),
          ),
        )
      await Bun.sleep(300)
      const before = await places()
      // The phone adds words: new ones appear, the old ones stay where they were.
      const inputs = phone.locator(`[data-poll-id="${poll.id}"] input`)
      await inputs.first().waitFor({ timeout: 5000 })
      await inputs.nth(0).fill('Sparkly!')
      await inputs.nth(1).fill('ＮＥＯＮ')
      await phone.locator(`[data-poll-id="${poll.id}"] button[type="submit"]`).click()
      await onScreen(['gb-screen-app', 'gb-kind-view', 'text[data-word="sparkly"]'], 'true')
      await onScreen(['gb-screen-app', 'gb-kind-view', '.body'], "el.dataset.responses === '21'")
      await Bun.sleep(300)
      const after = await places()
      const moved = Object.entries(before).filter(([word, at]) => after[word] !== at)
      if (moved.length) console.log('moved', JSON.stringify({ before, after }))
      for (const [word, at] of Object.entries(before)) expect(after[word]).toBe(at)
      await phone.locator(`[data-poll-id="${poll.id}"] .chips`).first().waitFor({ timeout: 3000 })
      await screenshot(phone, 'kinds-words-phone')
      await screenshot(screen, 'kinds-words-screen')
      await close(poll.id)
    },
    30_000,
  )

  test.skipIf(skip)(
    'text: answers arrive as cards; results hidden until the host reveals them',
    async () => {
      const poll = await open({ kind: 'text', question: 'What should the encore be? Tell us why.' })
      const texts = [
        'Midnight City, obviously',
        'Something we can all sing along to — with the lights down and phones up',
        '再来一首!',
        'The slow one from the second set',
      ]
      for (const [i, text] of texts.entries()) await answer(i, { pollId: poll.id, text })
      const box = phone.locator(`[data-poll-id="${poll.id}"] textarea`)
      await box.waitFor({ timeout: 5000 })
      await box.fill('Play the first song again, but louder')
      await phone.locator(`[data-poll-id="${poll.id}"] button[type="submit"]`).click()
      await onScreen(['gb-screen-app', 'gb-kind-view', '.cards'], 'el.children.length === 5', 5000)
      await phone.locator(`[data-poll-id="${poll.id}"] .mine`).waitFor({ timeout: 3000 })
      await screenshot(phone, 'kinds-text-phone')
      await screenshot(screen, 'kinds-text-screen')
      await close(poll.id)

      const secret = await open({
        question: 'Who wins the dance-off?',
        options: ['Team Red', 'Team Blue'],
        hideResults: true,
      })
      const ids = (secret as unknown as { options: { id: number }[] }).options.map((o) => o.id)
      for (let i = 0; i < 6; i++) await answer(i, { pollId: secret.id, optionId: ids[i % 3 ? 0 : 1] })
      await onScreen(['gb-screen-app', 'gb-kind-view', '[data-hidden]'], 'true', 5000)
      await onScreen(['gb-screen-app', 'gb-kind-view', '.body'], "el.dataset.responses === '6'")
      await Bun.sleep(300)
      expect(
        await screen.evaluate(() => (window as unknown as DeepWindow).__deep(['gb-screen-app', 'gb-poll-bars'])),
      ).toBe(null)
      await screenshot(screen, 'kinds-hidden-screen')
      await close(secret.id)
      await h.host('POST', `/polls/${secret.id}/reveal`)
      await onScreen(
        ['gb-screen-app', 'gb-poll-bars', `li[data-option="${ids[0]}"]`],
        "el.dataset.votes === '4'",
        2000,
      ).catch(async (err) => {
        await screenshot(screen, 'kinds-revealed-failed')
        throw err
      })
      await screenshot(screen, 'kinds-revealed-screen')
    },
    30_000,
  )

  test.skipIf(skip)(
    'admin: the form makes a poll of any kind; each card shows its kind, its results and its actions',
    async () => {
      const context = await h.browser.newContext({ viewport: HD })
      const admin = await context.newPage()
      admin.on('pageerror', (err) => console.error('[admin page error]', err))
      await admin.goto(`${h.server.url}/e/${SLUG}/admin#key=${h.secret}`)
      const form = admin.locator('gb-poll-manager form')
      await form.waitFor({ timeout: 5000 })
      await form.locator('select[name="kind"]').selectOption('rating')
      await form.locator('select[name="scale"]').selectOption('0-10')
      await form.locator('input[name="question"]').fill('Would you recommend tonight to a friend?')
      await form.locator('input[name="hideResults"]').check()
      await form.getByRole('button', { name: /Create/ }).click()
      const made = await (async () => {
        for (let i = 0; i < 50; i++) {
          const snap = await h.host('GET', '/snapshot')
          const p = snap.snapshot.polls.find((x: { question: string }) => x.question.startsWith('Would you recommend'))
          if (p?.open) return p
          await Bun.sleep(100)
        }
        throw new Error('the rating made in the form never opened')
      })()
      expect(made).toMatchObject({ kind: 'rating', hideResults: true, revealed: false, rating: { min: 0, max: 10 } })
      for (let i = 0; i < 5; i++) await answer(i, { pollId: made.id, value: 6 + i })
      // The host sees the hidden results live; the card offers Reveal.
      const card = admin.locator(`gb-poll-manager article[data-poll="${made.id}"]`)
      await card.getByText('Average 8').waitFor({ timeout: 3000 })
      await card.getByRole('button', { name: 'Reveal results' }).waitFor()
      await screenshot(admin, 'kinds-admin')
      await card.getByRole('button', { name: 'Reveal results' }).click()
      await onScreen(['gb-screen-app', 'gb-kind-view', '.avg'], "el.dataset.average === '8'", 3000)
      await context.close()
    },
    30_000,
  )

  test.skipIf(skip)(
    'every kind at 720p, 1080p and 4K: nothing overflows the screen, no question or answer is cut',
    async () => {
      for (const p of (await h.host('GET', '/snapshot')).snapshot.polls) if (p.open) await close(p.id)
      const sizes = [
        ['720p', { width: 1280, height: 720 }],
        ['1080p', { width: 1920, height: 1080 }],
        ['4k', { width: 3840, height: 2160 }],
      ] as const
      const pages: Page[] = []
      for (const [, viewport] of sizes) {
        const context = await h.browser.newContext({ viewport })
        await context.addInitScript(DEEP_HELPERS)
        const page = await context.newPage()
        await page.goto(`${h.server.url}/e/${SLUG}/screen`)
        pages.push(page)
      }
      const long = 'When the lights go down for the very last song of the night, which one should the band play for us?'
      const kinds: [string, Record<string, unknown>, (id: number) => Promise<void>][] = [
        [
          'choice',
          {
            question: long,
            maxChoices: 2,
            options: [
              'The slow one from the second album, with the whole room singing along',
              'Midnight City',
              '再来一首我们最喜欢的歌',
              'Something nobody has heard yet',
            ],
          },
          async (id) => {
            const poll = (await h.host('GET', '/snapshot')).snapshot.polls.find((p: { id: number }) => p.id === id)
            for (let i = 0; i < 8; i++) await answer(i, { pollId: id, optionIds: [poll.options[i % 4].id] })
          },
        ],
        [
          'choice-12',
          {
            question: 'Twelve songs, one encore: which?',
            options: Array.from({ length: 12 }, (_, i) =>
              i % 3 === 0
                ? `Song ${i + 1}: the long one from the live album, with the choir and the horns`
                : `Song ${i + 1}`,
            ),
          },
          async (id) => {
            let poll: { options: { id: number }[] } | undefined
            for (let t = 0; !poll && t < 50; t++, await Bun.sleep(100))
              poll = (await h.host('GET', '/snapshot')).snapshot.polls.find((p: { id: number }) => p.id === id)
            for (let i = 0; i < 8; i++) await answer(i, { pollId: id, optionId: poll!.options[i % 12]!.id })
          },
        ],
        [
          'rating',
          { kind: 'rating', question: long, scale: { min: 0, max: 10 } },
          async (id) => {
            for (let i = 0; i < 8; i++) await answer(i, { pollId: id, value: i + 2 })
          },
        ],
        [
          'words',
          { kind: 'words', question: long },
          async (id) => {
            const words = [
              'unforgettable',
              'electric',
              '快乐',
              'loud',
              'supercalifragilistic',
              'neon',
              'sweaty',
              'home',
            ]
            for (let i = 0; i < 8; i++) await answer(i, { pollId: id, words: [words[i]!, words[(i + 1) % 8]!] })
          },
        ],
        [
          'text',
          { kind: 'text', question: long },
          async (id) => {
            for (let i = 0; i < 6; i++)
              await answer(i, {
                pollId: id,
                text:
                  i % 2
                    ? '太棒了!今晚的灯光和音乐都是一流的,明年我们还会再来 🎉'
                    : `A long answer that wraps onto lines #${i}: ${'x'.repeat(20)}`,
              })
          },
        ],
      ]
      for (const [kind, body, fill] of kinds) {
        const poll = await open(body)
        await fill(poll.id)
        for (const [i, page] of pages.entries()) {
          const path = kind.startsWith('choice')
            ? [
                'gb-screen-app',
                'gb-poll-bars',
                `li[data-option="${(poll as unknown as { options: { id: number }[] }).options[0]!.id}"]`,
              ]
            : ['gb-screen-app', 'gb-kind-view', `.body[data-kind="${kind}"]`]
          await page.waitForFunction((p) => !!(window as unknown as DeepWindow).__deep(p), path, { timeout: 5000 })
          await Bun.sleep(1200)
          const problems = await page.evaluate(() => {
            const app = document.querySelector('gb-screen-app')!
            const out: string[] = []
            if (app.scrollHeight > innerHeight + 1 || app.scrollWidth > innerWidth + 1) out.push('the page overflows')
            // Every text box of the poll views: clipped horizontally means cut.
            for (const host of ['gb-kind-view', 'gb-poll-bars']) {
              const view = app.shadowRoot?.querySelector(host)
              for (const el of view?.shadowRoot?.querySelectorAll<HTMLElement>('h2, .label, .answer, li span') ?? []) {
                const clipped = el.scrollWidth > el.clientWidth + 2 || el.scrollHeight > el.clientHeight + 2
                if (clipped && getComputedStyle(el).overflow !== 'visible')
                  out.push(`cut: ${el.className || el.tagName} "${el.textContent?.slice(0, 30)}"`)
              }
              // Every option inside its card, none overlapping the next (12 options at 720p), every
              // part of a row inside the row, labels at least 12 px.
              const card = view?.getBoundingClientRect()
              const rows = [...(view?.shadowRoot?.querySelectorAll<HTMLElement>('li') ?? [])]
              for (const [n, li] of rows.entries()) {
                const r = li.getBoundingClientRect()
                const what = `"${li.textContent?.trim().slice(0, 30)}"`
                if (card && (r.top < card.top - 1 || r.bottom > card.bottom + 1)) out.push(`outside the card: ${what}`)
                const next = rows[n + 1]?.getBoundingClientRect()
                if (next && next.left < r.right && r.bottom > next.top + 1) out.push(`overlaps the next row: ${what}`)
                for (const part of li.querySelectorAll<HTMLElement>('.label, .pct, .track')) {
                  const p = part.getBoundingClientRect()
                  if (p.top < r.top - 1 || p.bottom > r.bottom + 1) out.push(`${part.className} sticks out of ${what}`)
                }
                const label = li.querySelector<HTMLElement>('.label')
                if (label && Number.parseFloat(getComputedStyle(label).fontSize) < 12)
                  out.push(`too small to read: ${what}`)
              }
            }
            return out
          })
          await screenshot(page, `kinds-${kind}-${sizes[i]![0]}`)
          expect({ kind, size: sizes[i]![0], problems }).toEqual({ kind, size: sizes[i]![0], problems: [] })
        }
        await close(poll.id)
      }
      for (const page of pages) await page.context().close()
    },
    60_000,
  )

  test.skipIf(skip)(
    'admin: a draft is edited in place, polls move in the order, held answers are shown or hidden',
    async () => {
      const context = await h.browser.newContext({ viewport: HD })
      const admin = await context.newPage()
      admin.on('pageerror', (err) => console.error('[admin page error]', err))
      await admin.goto(`${h.server.url}/e/${SLUG}/admin#key=${h.secret}`)
      const draft = await h.host('POST', '/polls', { question: 'Which song nxet?', options: ['Intro', 'Outro'] })
      const card = admin.locator(`gb-poll-manager article[data-poll="${draft.id}"]`)
      await card.waitFor({ timeout: 5000 })
      // Edit: the typo and a third option, saved as the same draft.
      await card.locator('gb-poll-tools button[data-edit]').click()
      const form = card.locator('gb-poll-tools form[data-edit-form]')
      await form.locator('input[name="question"]').fill('Which song next?')
      await form.locator('textarea[name="options"]').fill('Intro\nOutro\nEncore')
      await form.getByRole('button', { name: 'Save draft' }).click()
      await card.getByText('Which song next?').waitFor({ timeout: 3000 })
      const edited = (await h.host('GET', '/snapshot')).snapshot.polls.find((p: { id: number }) => p.id === draft.id)
      expect(edited.options.map((o: { label: string }) => o.label)).toEqual(['Intro', 'Outro', 'Encore'])
      expect(edited.open).toBe(false)

      // Move: the draft goes one up in the host's order.
      const orderOf = async () =>
        (await h.host('GET', '/snapshot')).snapshot.polls.map((p: { id: number }) => p.id) as number[]
      const before = await orderOf()
      const at = before.indexOf(draft.id)
      expect(at).toBeGreaterThan(0)
      await card.locator('gb-poll-tools button[data-move="up"]').click()
      const moved = await (async () => {
        for (let i = 0; i < 40; i++) {
          const now = await orderOf()
          if (now.indexOf(draft.id) === at - 1) return now
          await Bun.sleep(100)
        }
        throw new Error(`the draft never moved up: ${JSON.stringify(before)}`)
      })()
      expect(moved[at]).toBe(before[at - 1])

      // Held answers: with pre-moderation on, an open answer waits; the host shows one and hides the other.
      for (const p of (await h.host('GET', '/snapshot')).snapshot.polls) if (p.open) await close(p.id)
      await h.host('PATCH', '/settings', { premoderate: true })
      const text = await open({ kind: 'text', question: 'Shout-outs?' })
      await answer(20, { pollId: text.id, text: 'Happy birthday Mia!' })
      await answer(21, { pollId: text.id, text: 'Something the host would rather not show' })
      const textCard = admin.locator(`gb-poll-manager article[data-poll="${text.id}"]`)
      await textCard.locator('gb-poll-tools button[data-held-load]').click()
      const held = textCard.locator('gb-poll-tools ul[data-held] li')
      await held.nth(1).waitFor({ timeout: 3000 })
      await screenshot(admin, 'kinds-admin-held')
      await textCard.locator('gb-poll-tools li', { hasText: 'Mia' }).locator('button[data-approve]').click()
      await textCard.locator('gb-poll-tools li', { hasText: 'rather not' }).locator('button[data-hide]').click()
      await textCard.locator('gb-poll-tools [data-held-empty]').waitFor({ timeout: 3000 })
      const wanted = { 'Happy birthday Mia!': 'visible', 'Something the host would rather not show': 'hidden' }
      const statesNow = async () =>
        Object.fromEntries(
          ((await h.host('GET', `/polls/${text.id}/answers`)) as { text: string; state: string }[]).map((a) => [
            a.text,
            a.state,
          ]),
        )
      // The list empties as the taps go out; the second one may still be on its way.
      let states = await statesNow()
      for (let i = 0; i < 30 && JSON.stringify(states) !== JSON.stringify(wanted); i++) {
        await Bun.sleep(100)
        states = await statesNow()
      }
      expect(states).toEqual(wanted)
      await onScreen(['gb-screen-app', 'gb-kind-view', '.cards'], 'el.children.length === 1', 3000)
      await h.host('PATCH', '/settings', { premoderate: false })
      await close(text.id)
      await context.close()
    },
    30_000,
  )
})
