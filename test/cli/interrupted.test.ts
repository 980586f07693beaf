/**
 * A run killed outright (SIGKILL: no handler runs) leaves nothing half-written: the
 * database holds all of the batch or none of it, and the output folder is there complete
 * or not at all. What a killed run leaves in its hidden staging folder is removed by the
 * next run that writes beside it.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { cliOk, embeddedEnv, freshDataDir, listBatches, readCsv, startCli, tempDir } from './cli-helpers.ts'

const work = tempDir('cli-killed')
const env = embeddedEnv(join(work, 'data'), { PUBLIC_URL: 'https://gala.example.com' })
const outDir = join(work, 'out')

/** Starts a batch and kills it as soon as its progress on stderr shows `marker`. */
async function killWhen(marker: string, args: string[], signal: 'SIGKILL' | 'SIGINT' = 'SIGKILL') {
  const proc = startCli(['wristbands', '--event', 'gala', ...args], env)
  const reader = proc.stderr.getReader()
  const decoder = new TextDecoder()
  let seen = ''
  while (!seen.includes(marker)) {
    const { done, value } = await reader.read()
    if (done) throw new Error(`the run ended before "${marker}":\n${seen}`)
    seen += decoder.decode(value)
  }
  proc.kill(signal)
  const code = await proc.exited
  while (true) {
    const { done, value } = await reader.read()
    if (done) break
    seen += decoder.decode(value)
  }
  return { stderr: seen, code }
}

const batches = () => listBatches(env)
const visible = () => readdirSync(outDir).filter((n) => !n.startsWith('.'))
const hidden = () => readdirSync(outDir).filter((n) => n.startsWith('.'))

describe('an interrupted wristbands run', () => {
  beforeAll(async () => {
    await freshDataDir(work)
    await cliOk(['event', 'create', '--name', 'Gala', '--slug', 'gala'], env)
  }, 120_000)
  afterAll(() => rmSync(work, { recursive: true, force: true }))

  test('killed while writing the database: none of the batch is saved and no files appear', async () => {
    await killWhen('database: ', ['--count', '60000', '--batch', 'killed-in-db', '--out', join(outDir, 'killed-in-db')])
    expect(visible()).toEqual([])
    expect(await batches()).toEqual([])
    // The database is sound: the next batch starts at number 1.
    await cliOk(
      ['wristbands', '--event', 'gala', '--count', '5', '--batch', 'after', '--out', join(outDir, 'after')],
      env,
    )
    expect(readCsv(join(outDir, 'after', 'wristbands.csv')).rows.map((w) => w.number)).toEqual([1, 2, 3, 4, 5])
    expect(hidden()).toEqual([])
  }, 120_000)

  test('killed while writing the files: the whole batch is saved, no files appear, and export writes them', async () => {
    // The sheets take a fraction of a second; the PNGs after them take seconds, so the kill
    // surely lands while files are still being written.
    const { stderr } = await killWhen('png: ', [
      '--count',
      '2200',
      '--png',
      '--batch',
      'killed-in-files',
      '--out',
      join(outDir, 'killed-in-files'),
    ])
    expect(stderr).toContain('database: 100% (2,200 of 2,200)')
    expect(visible()).toEqual(['after'])
    expect(hidden()).toHaveLength(1)
    expect(await batches()).toMatchObject([
      { label: 'after', count: 5 },
      { label: 'killed-in-files', count: 2200 },
    ])

    await cliOk(
      ['wristbands', 'export', '--event', 'gala', '--batch', 'killed-in-files', '--out', join(outDir, 'reprint')],
      env,
    )
    const rows = readCsv(join(outDir, 'reprint', 'wristbands.csv')).rows
    expect(rows.map((w) => w.number)).toEqual(Array.from({ length: 2200 }, (_, i) => i + 6))
    expect(readdirSync(join(outDir, 'reprint')).sort()).toEqual([
      'sheet-001.html',
      'sheet-002.html',
      'sheet-003.html',
      'wristbands.csv',
    ])
    expect(existsSync(join(outDir, 'killed-in-files'))).toBe(false)
    expect(hidden()).toEqual([])
  }, 180_000)

  test('Ctrl-C while writing the files: it cleans up and says how to write the files', async () => {
    const { stderr, code } = await killWhen(
      'png: ',
      ['--count', '6000', '--png', '--batch', 'ctrl-c', '--out', join(outDir, 'ctrl-c')],
      'SIGINT',
    )
    expect(code).toBe(130)
    expect(stderr).toContain('interrupted: the batch "ctrl-c" is saved, but its files were not written.')
    expect(stderr).toContain('glowband wristbands export --event gala --batch ctrl-c')
    expect(existsSync(join(outDir, 'ctrl-c'))).toBe(false)
    expect(hidden()).toEqual([])
  }, 120_000)
})
