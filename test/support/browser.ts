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
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  })
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
