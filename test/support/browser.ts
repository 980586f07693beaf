/**
 * Headless Chromium from Debian, driven by playwright-core (never a downloaded browser).
 * Without /usr/bin/chromium the browser tests are skipped loudly, except under CI=true.
 */
import { existsSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { type Browser, chromium, type Page } from 'playwright-core'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const SCREENSHOT_DIR = resolve(import.meta.dir, '../../test-output/screenshots')

export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true
  if (process.env.CI) throw new Error(`Chromium is required under CI but ${CHROMIUM} does not exist`)
  console.warn(`\n!!! SKIPPING browser tests: no Chromium at ${CHROMIUM} (apt-get install chromium) !!!\n`)
  return false
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
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
    ],
  })
}

/** Walks open shadow roots: __deep(['gb-screen-app', 'gb-poll-bars', 'li']) finds an li inside both. */
export const DEEP_HELPERS = `
  window.__deepAll = (path) => {
    let roots = [document]
    for (let i = 0; i < path.length; i++) {
      const found = roots.flatMap((r) => [...r.querySelectorAll(path[i])])
      if (i === path.length - 1) return found
      roots = found.map((el) => el.shadowRoot).filter(Boolean)
    }
    return []
  }
  window.__deep = (path) => window.__deepAll(path)[0] ?? null
`

/** The page's window with the helpers above (use inside page.evaluate / waitForFunction). */
export type DeepWindow = Window & {
  __deep: (path: string[]) => HTMLElement | null
  __deepAll: (path: string[]) => HTMLElement[]
}

export const PHONE = { width: 390, height: 844 }
export const FULL_HD = { width: 1920, height: 1080 }

/** Saves a screenshot under test-output/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  const path = join(SCREENSHOT_DIR, `${name}.png`)
  await page.screenshot({ path })
  return path
}
