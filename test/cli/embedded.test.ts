/**
 * The CLI in embedded mode with no server running: it opens DATA_DIR itself. Every call
 * is a real `bun scripts/glowband.ts` process.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseCode } from '../../server/host/wristbands/codes.ts'
import { chromiumAvailable, launchBrowser } from '../support/browser.ts'
import { cli, cliOk, decodeQrPng, embeddedEnv, freshDataDir, listBatches, readCsv, tempDir } from './cli-helpers.ts'

const PUBLIC = 'https://gala.example.com'
const work = tempDir('cli-embedded')
const env = embeddedEnv(join(work, 'data'), { PUBLIC_URL: PUBLIC })
const out = (name: string) => join(work, 'out', name)

const batches = () => listBatches(env)

describe('glowband CLI, embedded mode, no server running', () => {
  let created: { slug: string; hostSecret: string; urls: Record<string, string> }

  beforeAll(async () => {
    await freshDataDir(work)
    created = JSON.parse(
      (await cliOk(['event', 'create', '--name', 'Summer Gala', '--slug', 'gala', '--json'], env)).stdout,
    )
  }, 120_000)
  afterAll(() => rmSync(work, { recursive: true, force: true }))

  test('event create prints the host secret and the three URLs', async () => {
    expect(created.slug).toBe('gala')
    expect(created.hostSecret.length).toBeGreaterThanOrEqual(20)
    expect(created.urls).toEqual({
      guest: `${PUBLIC}/e/gala`,
      screen: `${PUBLIC}/e/gala/screen`,
      admin: `${PUBLIC}/e/gala/admin#key=${created.hostSecret}`,
    })
    const text = await cliOk(['event', 'create', '--name', 'Après-ski Party'], env)
    const secret = text.stdout.match(/Host secret:\s+(\S+)/)?.[1]
    expect(secret).toBeTruthy()
    expect(text.stdout).toContain(`${PUBLIC}/e/apres-ski-party\n`)
    expect(text.stdout).toContain(`${PUBLIC}/e/apres-ski-party/screen\n`)
    expect(text.stdout).toContain(`${PUBLIC}/e/apres-ski-party/admin#key=${secret}\n`)
    const again = await cli(['event', 'create', '--name', 'Other', '--slug', 'gala'], env)
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('"gala" already exists')
  }, 60_000)

  test('a batch: consecutive numbers in the database, a CSV, a sheet, and a PNG and SVG per code', async () => {
    const r = await cliOk(
      ['wristbands', '--event', 'gala', '--count', '25', '--batch', 'door-a', '--png', '--svg', '--out', out('door-a')],
      env,
    )
    expect(r.stdout).toContain('Created 25 wristbands for "Summer Gala" (gala): numbers 1-25, batch door-a.')
    expect(r.stdout).toMatch(/Done in \d+\.\d s \(database \d+\.\d s, files \d+\.\d s\)\./)
    // Progress goes to stderr, as plain lines when it is not a terminal.
    expect(r.stderr).toContain('sheets: 100% (25 of 25)')

    const { header, rows } = readCsv(join(out('door-a'), 'wristbands.csv'))
    expect(header).toBe('number,code,url')
    expect(rows.map((w) => w.number)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1))
    expect(new Set(rows.map((w) => w.code)).size).toBe(25)
    for (const w of rows) {
      expect(parseCode(w.code)).toEqual({ ok: true, code: w.code })
      expect(w.url).toBe(`${PUBLIC}/w/${w.code}`)
    }
    const sheet = readFileSync(join(out('door-a'), 'sheet.html'), 'utf8')
    expect(sheet.match(/class="label"/g)?.length).toBe(25)
    expect(sheet).toContain('@page { size: A4')
    expect(readdirSync(join(out('door-a'), 'svg'))).toHaveLength(25)
    const pngs = readdirSync(join(out('door-a'), 'png')).sort()
    expect(pngs[0]).toBe('01.png')
    expect(pngs).toHaveLength(25)
    for (const w of rows) {
      const png = readFileSync(join(out('door-a'), 'png', `${String(w.number).padStart(2, '0')}.png`))
      expect(decodeQrPng(png)).toBe(w.url)
    }
  }, 60_000)

  test('every QR code on the printed sheet decodes back to its URL', async () => {
    if (!chromiumAvailable()) return
    const { rows } = readCsv(join(out('door-a'), 'wristbands.csv'))
    const browser = await launchBrowser()
    try {
      const page = await browser.newPage({ deviceScaleFactor: 2 })
      await page.goto(`file://${join(out('door-a'), 'sheet.html')}`)
      await page.emulateMedia({ media: 'print' })
      const labels = await page.$$('.label')
      expect(labels).toHaveLength(rows.length)
      for (const [i, label] of labels.entries()) {
        expect(await label.$eval('.number', (e) => e.textContent)).toBe(String(rows[i].number))
        expect(await label.$eval('.code', (e) => e.textContent?.replace(/-/g, ''))).toBe(rows[i].code)
        const svg = await label.$('svg')
        expect(decodeQrPng(await svg!.screenshot())).toBe(rows[i].url)
      }
      // Printed: 21 labels a page, on A4 or (--paper letter) US Letter pages.
      await cliOk(
        [
          'wristbands',
          'export',
          '--event',
          'gala',
          '--batch',
          'door-a',
          '--paper',
          'letter',
          '--out',
          out('door-a-letter'),
        ],
        env,
      )
      for (const [dir, mediaBox] of [
        ['door-a', '0 0 594.95996 841.91998'],
        ['door-a-letter', '0 0 612 792'],
      ]) {
        await page.goto(`file://${join(out(dir), 'sheet.html')}`)
        const pdf = (await page.pdf({ preferCSSPageSize: true, printBackground: true })).toString('latin1')
        const boxes = [...pdf.matchAll(/\/MediaBox\s*\[([^\]]*)\]/g)].map((m) => m[1].trim())
        expect(boxes).toEqual([mediaBox, mediaBox])
      }
      // A Chinese event name prints on every label in a Simplified Chinese face (not dropped,
      // nor drawn with the Japanese forms a Latin-only font list falls back to).
      const name = '春节晚会 Spring Gala'
      await cliOk(['event', 'create', '--name', name, '--slug', 'chun'], env)
      await cliOk(['wristbands', '--event', 'chun', '--count', '2', '--batch', 'door', '--out', out('chun')], env)
      await page.goto(`file://${join(out('chun'), 'sheet.html')}`)
      await page.emulateMedia({ media: 'print' })
      const names = await page.$$eval('.label .event', (els) => els.map((e) => e.textContent))
      expect(names).toEqual([name, name])
      const pdf = (await page.pdf({ preferCSSPageSize: true, printBackground: true })).toString('latin1')
      const fonts = [...pdf.matchAll(/\/FontName \/\w+\+(\S+)/g)].map((m) => m[1])
      expect(fonts.some((f) => /CJKsc|SC\b|HansSC/i.test(f))).toBe(true)
      expect(fonts.some((f) => /CJKjp/i.test(f))).toBe(false)
      await page
        .locator('.label')
        .first()
        .screenshot({ path: join(work, 'cjk-label.png') })
    } finally {
      await browser.close()
    }
  }, 90_000)

  test('the same batch label is refused unless --add, which continues the numbers with new codes', async () => {
    const again = await cli(
      ['wristbands', '--event', 'gala', '--count', '5', '--batch', 'door-a', '--out', out('door-a-again')],
      env,
    )
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('batch "door-a" exists already; pass --add')
    expect(existsSync(out('door-a-again'))).toBe(false)

    await cliOk(
      ['wristbands', '--event', 'gala', '--count', '5', '--batch', 'door-a', '--add', '--out', out('door-a-more')],
      env,
    )
    const more = readCsv(join(out('door-a-more'), 'wristbands.csv')).rows
    expect(more.map((w) => w.number)).toEqual([26, 27, 28, 29, 30])
    const first = readCsv(join(out('door-a'), 'wristbands.csv')).rows
    expect(new Set([...first, ...more].map((w) => w.code)).size).toBe(30)
    expect((await batches())[0]).toMatchObject({ label: 'door-a', firstNumber: 1, count: 30 })
  }, 60_000)

  test('--start-number sets the first number; overlapping numbers are refused', async () => {
    await cliOk(
      [
        'wristbands',
        '--event',
        'gala',
        '--count',
        '3',
        '--batch',
        'vip',
        '--start-number',
        '1000',
        '--out',
        out('vip'),
      ],
      env,
    )
    expect(readCsv(join(out('vip'), 'wristbands.csv')).rows.map((w) => w.number)).toEqual([1000, 1001, 1002])
    const overlap = await cli(
      [
        'wristbands',
        '--event',
        'gala',
        '--count',
        '3',
        '--batch',
        'vip2',
        '--start-number',
        '1002',
        '--out',
        out('vip2'),
      ],
      env,
    )
    expect(overlap.code).toBe(1)
    expect(overlap.stderr).toContain('numbers 1002-1004 overlap')
  }, 60_000)

  test('--dry-run shows what would be made and writes nothing', async () => {
    const r = await cliOk(
      ['wristbands', '--event', 'gala', '--count', '40', '--batch', 'dry', '--dry-run', '--out', out('new/dry')],
      env,
    )
    expect(r.stdout).toContain('Dry run, nothing was written.')
    expect(r.stdout).toContain('create 40 wristbands in batch dry of "Summer Gala" (gala), numbers 1003-1042')
    expect(r.stdout).toContain('sheet.html       2 A4 pages of 21 labels')
    expect(existsSync(out('new'))).toBe(false)
  }, 60_000)

  test('clear errors, and nothing half-written: unknown event, bad counts, an unwritable or occupied DIR', async () => {
    const before = await batches()
    const unknown = await cli(['wristbands', '--event', 'nope', '--count', '5'], env)
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('unknown event "nope"')
    expect(unknown.stderr).toContain('glowband event list')

    for (const count of ['0', '-3', '2.5', '200001']) {
      const bad = await cli(['wristbands', '--event', 'gala', `--count=${count}`, '--batch', 'bad'], env)
      expect(bad.code).toBe(2)
      expect(bad.stderr).toContain('--count must be a whole number from 1 to 200,000')
    }
    const missing = await cli(['wristbands', '--event', 'gala'], env)
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('--count is required')
    const unknownOption = await cli(['wristbands', '--event', 'gala', '--count', '5', '--colour', 'red'], env)
    expect(unknownOption.code).toBe(2)
    expect(unknownOption.stderr).toContain('unknown option --colour')
    const label = await cli(['wristbands', '--event', 'gala', '--count', '5', '--batch', 'door a/1'], env)
    expect(label.code).toBe(2)

    // A file where the folder should go: the database is never touched.
    const file = join(work, 'a-file')
    writeFileSync(file, 'x')
    const unwritable = await cli(
      ['wristbands', '--event', 'gala', '--count', '5', '--batch', 'nowhere', '--out', join(file, 'sheets')],
      env,
    )
    expect(unwritable.code).toBe(1)
    expect(unwritable.stderr).toContain(`cannot write to ${join(file, 'sheets')}`)
    const occupied = await cli(
      ['wristbands', '--event', 'gala', '--count', '5', '--batch', 'occupied', '--out', out('door-a')],
      env,
    )
    expect(occupied.code).toBe(1)
    expect(occupied.stderr).toContain('exists and is not empty')
    expect(await batches()).toEqual(before)
    // No staging folder is left behind either.
    expect(readdirSync(join(work, 'out')).filter((n) => n.startsWith('.'))).toEqual([])

    const noDatabase = await cli(['event', 'list'], embeddedEnv(join(work, 'no-such-dir')))
    expect(noDatabase.code).toBe(1)
    expect(noDatabase.stderr).toContain('there is no Glowband database in')
    const unreachable = await cli(['event', 'list'], {
      ...env,
      DATABASE_URL: 'postgres://glowband@127.0.0.1:9/nothing',
      REDIS_URL: 'redis://127.0.0.1:9',
    })
    expect(unreachable.code).toBe(1)
    expect(unreachable.stderr).toContain('cannot reach the database at postgres://glowband@127.0.0.1:9/nothing')
  }, 90_000)

  test('revoke by code, by number and by batch; export writes a batch again without its revoked wristbands', async () => {
    const rows = readCsv(join(out('door-a'), 'wristbands.csv')).rows
    const typed = rows[0].code.replace(/(.{4})(?=.)/g, '$1-').toLowerCase()
    const byCode = await cliOk(['wristbands', 'revoke', '--event', 'gala', typed], env)
    expect(byCode.stdout).toContain('Revoked 1 wristband of "Summer Gala" (gala): 1.')
    await cliOk(['wristbands', 'revoke', '--event', 'gala', '--number', '2-3'], env)
    const typo = await cli(
      ['wristbands', 'revoke', '--event', 'gala', rows[5].code.slice(0, 11) + (rows[5].code[11] === '0' ? '1' : '0')],
      env,
    )
    expect(typo.code).toBe(2)
    expect(typo.stderr).toContain('typo')
    const unknownCode = await cli(['wristbands', 'revoke', '--event', 'gala', '0000-0000-0000'], env)
    expect(unknownCode.code).toBe(1)
    expect(unknownCode.stderr).toContain('wristband not found')

    await cliOk(['wristbands', 'export', '--event', 'gala', '--batch', 'door-a', '--out', out('door-a-reprint')], env)
    const reprint = readCsv(join(out('door-a-reprint'), 'wristbands.csv')).rows
    expect(reprint.map((w) => w.number)).toEqual(Array.from({ length: 27 }, (_, i) => i + 4))
    expect(reprint.slice(0, 22)).toEqual(rows.slice(3))

    const batch = await cliOk(['wristbands', 'revoke', '--event', 'gala', '--batch', 'vip'], env)
    expect(batch.stdout).toContain('Revoked 3 wristbands of "Summer Gala" (gala): 1000, 1001, 1002.')
    expect(await batches()).toMatchObject([
      { label: 'door-a', count: 30, revoked: 3 },
      { label: 'vip', count: 3, revoked: 3 },
    ])
  }, 90_000)

  test('event list shows every event with its counts', async () => {
    const r = await cliOk(['event', 'list'], env)
    expect(r.stdout).toMatch(/^SLUG\s+NAME\s+STATUS\s+WRISTBANDS\s+CHECKED IN\s+REVOKED$/m)
    expect(r.stdout).toMatch(/^gala\s+Summer Gala\s+live\s+33\s+0\s+6$/m)
    expect(r.stdout).toContain('from the embedded database in')
  }, 30_000)

  test('--help on every command, with examples', async () => {
    for (const command of [
      [],
      ['event', 'create'],
      ['event', 'list'],
      ['wristbands'],
      ['wristbands', 'list'],
      ['wristbands', 'revoke'],
      ['wristbands', 'export'],
    ]) {
      const r = await cli([...command, '--help'], env)
      expect(r.code).toBe(0)
      expect(r.stdout).toContain('Usage: glowband')
      expect(r.stdout).toContain('Examples:')
    }
    const unknown = await cli(['wristband'], env)
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('unknown command "wristband"')
  }, 30_000)

  test('default output folder is ./wristbands/EVENT-BATCH under the current directory', async () => {
    const cwd = tempDir('cli-cwd')
    await cliOk(['wristbands', '--event', 'gala', '--count', '2', '--batch', 'default-dir'], env, cwd)
    expect(statSync(join(cwd, 'wristbands', 'gala-default-dir', 'sheet.html')).isFile()).toBe(true)
    rmSync(cwd, { recursive: true, force: true })
  }, 30_000)
})
