/**
 * The quiz in a real browser against a real server process (embedded, the demo event):
 * three phones play a three-question quiz the host runs from the admin page's Quiz tab; one
 * phone reloads mid-quiz and keeps its score and its locked-in answer; the big screen counts
 * down, reveals and shows the leaderboard. Screenshots go to test-output/screenshots/quiz-*.png
 * (phones at 390x844, screen at 1280x720 and 1920x1080, admin at 1280x720).
 *
 * Needs the built client (`npm run build:client`).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { Snapshot } from '../../protocol/index.ts'
import type { Quiz, ScoreResult } from '../../protocol/quiz-api.ts'
import { until } from '../support/backends.ts'
import { chromiumAvailable, FULL_HD, launchBrowser, PHONE, screenshot as save } from '../support/browser.ts'
import { type ServerProcess, startServerProcess } from '../support/process.ts'

const SLUG = 'demo'
const HD = { width: 1280, height: 720 }
const SECONDS = 5
const run = chromiumAvailable()

describe.skipIf(!run)('the quiz in the browser', () => {
  let dataDir = ''
  let server: ServerProcess
  let browser: Browser
  let secret = ''
  let wristbands: { number: number; code: string }[] = []
  const url = (path: string) => `${server.url}${path}`
  const host = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(url(`/api/admin/events/${SLUG}${path}`), {
      method,
      headers: { authorization: `Bearer ${secret}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    })
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
    return res.json()
  }
  const snapshot = async (): Promise<Snapshot> =>
    ((await (await fetch(url(`/api/events/${SLUG}/snapshot`))).json()) as { snapshot: Snapshot }).snapshot
  const scoreOf = async (ctx: BrowserContext): Promise<ScoreResult> => {
    const cs = await ctx.cookies(server.url)
    const res = await fetch(url(`/api/events/${SLUG}/score`), {
      headers: { cookie: cs.map((c) => `${c.name}=${c.value}`).join('; ') },
    })
    return (await res.json()) as ScoreResult
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'gb-quiz-e2e-'))
    server = await startServerProcess(
      { TICK_MS: '50', FLUSH_MS: '20', LOG_LEVEL: 'error', DATA_DIR: dataDir },
      { args: ['--demo'] },
    )
    const secretFile = join(dataDir, `${SLUG}.host-secret`)
    await until(() => existsSync(secretFile) && readFileSync(secretFile, 'utf8').length > 0, 20_000, 50)
    secret = (JSON.parse(readFileSync(secretFile, 'utf8')) as { secret: string }).secret
    wristbands = (
      (await host('POST', '/wristbands', { count: 3, label: 'quiz-e2e' })) as { wristbands: typeof wristbands }
    ).wristbands
    // The demo poll is open: close it so the screen gives the stage to the quiz.
    for (const p of (await snapshot()).polls.filter((x) => x.open)) await host('POST', `/polls/${p.id}/close`)
    browser = await launchBrowser()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  test('three phones play three questions; one reloads and keeps its score; screen and host follow', async () => {
    const errors: string[] = []
    const phones: { ctx: BrowserContext; page: Page }[] = []
    for (const w of wristbands) {
      const ctx = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true })
      const page = await ctx.newPage()
      page.on('pageerror', (err) => errors.push(err.message))
      await page.goto(url(`/w/${w.code}`))
      await page.waitForSelector('[data-testid="number"]', { timeout: 10_000 })
      phones.push({ ctx, page })
    }
    const screenCtx = await browser.newContext({ viewport: HD })
    const screen = await screenCtx.newPage()
    screen.on('pageerror', (err) => errors.push(err.message))
    await screen.goto(url(`/e/${SLUG}/screen`))
    const adminCtx = await browser.newContext({ viewport: HD })
    const admin = await adminCtx.newPage()
    admin.on('pageerror', (err) => errors.push(err.message))
    await admin.goto(url(`/e/${SLUG}/admin#key=${secret}`))
    await admin.locator('button[role="tab"]#tab-quiz').click()
    // The builder, filled in (the quiz itself is made through the API, the same call it makes).
    await admin.locator('gb-quiz-panel input[name="title"]').fill('Pub quiz')
    await admin.locator('gb-quiz-panel input[name="question"]').fill('Which planet is the largest?')
    await admin.locator('gb-quiz-panel input[name="option"]').nth(0).fill('Jupiter')
    await admin.locator('gb-quiz-panel input[name="option"]').nth(1).fill('Mars')
    await Bun.sleep(300)
    await save(admin, 'quiz-admin-builder-1280x720')

    const quiz = (await host('POST', '/quizzes', {
      title: 'Pub quiz',
      questions: [
        {
          question: 'Which planet is the largest?',
          options: ['Jupiter', 'Mars', 'Venus', 'Mercury'],
          correct: [0],
          seconds: SECONDS,
        },
        {
          question: 'Which of these are mammals?',
          options: ['Whale', 'Shark', 'Bat'],
          correct: [0, 2],
          seconds: SECONDS,
        },
        { question: 'How many sides has a hexagon?', options: ['5', '6', '8'], correct: [1], seconds: SECONDS },
      ],
    })) as Quiz
    await admin.reload()
    await admin.locator('button[role="tab"]#tab-quiz').click()
    const nextButton = admin.locator(`gb-quiz-panel [data-quiz="${quiz.id}"] [data-testid="quiz-next"]`)

    // Per question, which option each phone taps (index), and which phone reloads after answering.
    const plan = [
      { taps: [0, 1, 0], reload: -1 },
      { taps: [2, 0, 1], reload: 1 },
      { taps: [1, 1, 0], reload: -1 },
    ]
    for (const [qi, step] of plan.entries()) {
      await nextButton.click()
      const question = quiz.questions[qi]
      for (const { page } of phones) {
        await page.waitForSelector(`gb-quiz-card [data-option="${question.options[0].id}"]:not([disabled])`, {
          timeout: 5000,
        })
      }
      await screen.waitForSelector(`gb-quiz-view [data-option="${question.options[0].id}"]`, { timeout: 5000 })
      for (const [pi, tap] of step.taps.entries()) {
        await phones[pi].page.locator(`gb-quiz-card [data-option="${question.options[tap].id}"]`).click()
        await phones[pi].page.waitForSelector(`gb-quiz-card [data-option="${question.options[tap].id}"][data-mine]`)
      }
      if (qi === 0) {
        await Bun.sleep(300)
        await save(phones[0].page, 'quiz-phone-question')
        await save(screen, 'quiz-screen-question-1280x720')
        await screen.setViewportSize(FULL_HD)
        await Bun.sleep(300)
        await save(screen, 'quiz-screen-question-1920x1080')
        await screen.setViewportSize(HD)
        await save(admin, 'quiz-admin-running-1280x720')
      }
      if (step.reload >= 0) {
        // A reload mid-question: the answer stays locked in and the score stays.
        const { page, ctx } = phones[step.reload]
        const before = await scoreOf(ctx)
        await page.reload()
        await page.waitForSelector(
          `gb-quiz-card [data-option="${question.options[step.taps[step.reload]].id}"][data-mine]`,
          { timeout: 5000 },
        )
        await until(
          async () =>
            (await page.locator('gb-quiz-card [data-testid="quiz-score"]').textContent()) === String(before.score),
          5000,
        )
      }
      // The deadline passes: the reveal, then the scores on the phones, the leaderboard on the screen.
      await until(
        async () => (await snapshot()).quiz?.leaderboard && (await snapshot()).quiz?.questionId === question.id,
        12_000,
      )
      for (const { page, ctx } of phones) {
        const mine = await scoreOf(ctx)
        expect(mine.scoredQuestionId).toBe(question.id)
        await until(
          async () =>
            (await page.locator('gb-quiz-card [data-testid="quiz-score"]').textContent()) === String(mine.score) &&
            (await page.locator('gb-quiz-card [data-testid="quiz-rank"]').textContent()) === String(mine.rank),
          5000,
        )
      }
      if (qi === 0) {
        await screen.waitForSelector('gb-quiz-view[data-stage="reveal"]', { timeout: 3000 })
        await Bun.sleep(300)
        await save(screen, 'quiz-screen-reveal-1280x720')
        await save(phones[0].page, 'quiz-phone-reveal')
        await save(phones[1].page, 'quiz-phone-reveal-wrong')
      }
      await screen.waitForSelector('gb-quiz-view[data-stage="leaderboard"]', { timeout: 10_000 })
      if (qi === 0) await save(screen, 'quiz-screen-leaderboard-1280x720')
    }

    // Final standings: what each phone shows is the server's, and the screen's board agrees.
    const finals = await Promise.all(phones.map(({ ctx }) => scoreOf(ctx)))
    const board = (await snapshot()).quiz!.leaderboard!
    expect(board.map((r) => r.number)).toEqual(
      wristbands
        .map((w, i) => ({ number: w.number, score: finals[i].score }))
        .sort((a, b) => b.score - a.score || a.number - b.number)
        .map((r) => r.number),
    )
    expect(board.map((r) => r.score)).toEqual([...finals.map((f) => f.score)].sort((a, b) => b - a))
    // Phone 0 answered right three times, phone 1 twice, phone 2 once: phone 0 leads.
    expect(finals[0].rank).toBe(1)
    const texts = await screen.locator('gb-quiz-view .board li').allTextContents()
    expect(texts.length).toBe(3)
    await save(phones[1].page, 'quiz-phone-final')
    await screen.setViewportSize(FULL_HD)
    await Bun.sleep(300)
    await save(screen, 'quiz-screen-leaderboard-1920x1080')
    await save(admin, 'quiz-admin-final-1280x720')
    expect(errors).toEqual([])
    for (const { ctx } of phones) await ctx.close()
    await screenCtx.close()
    await adminCtx.close()
  }, 120_000)
})
