/**
 * Embedded mode (PGlite + the in-process queue) killed -9 in the middle of a spike of
 * votes and danmaku, then started again on the same DATA_DIR: every action that got a
 * 202 before the kill is in the database exactly once, and the actions the phones had
 * no answer for, sent again with the same actionId after the restart, are in it exactly
 * once too (none lost, none doubled).
 */
import { afterAll, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { type ServerProcess, startServerProcess } from '../support/process.ts'
import {
  type Answer,
  checkInAll,
  demoHost,
  prepareDemo,
  retryUnanswered,
  sendAll,
  spikeActions,
} from '../support/spike.ts'

const WRISTBANDS = 200
const POLLS = 5
const MESSAGES_EACH = 15 // 200 x (5 + 15) = 4,000 actions
const KILL_AFTER = 1500 // 202s before the kill -9

const dataDir = mkdtempSync(join(tmpdir(), 'gb-embedded-kill-'))
const servers: ServerProcess[] = []
afterAll(async () => {
  for (const s of servers) await s.stop('SIGKILL')
  rmSync(dataDir, { recursive: true, force: true })
})

const start = async () => {
  const server = await startServerProcess(
    // A slow flusher, so that the kill finds plenty acknowledged but not yet in the database.
    { DATA_DIR: dataDir, FLUSH_MS: '400', TICK_MS: '100', LOG_LEVEL: 'warn' },
    { args: ['--demo'], timeoutMs: 60_000, unset: ['DATABASE_URL', 'REDIS_URL'] },
  )
  servers.push(server)
  return server
}

test('kill -9 mid-spike loses and doubles nothing that got a 202', async () => {
  let server = await start()
  const host = await demoHost(dataDir)
  const { wristbands, polls } = await prepareDemo(server.url, host, { wristbands: WRISTBANDS, polls: POLLS })
  const cookies = await checkInAll(server.url, wristbands)
  // The event's settings (message limits) are cached for two seconds per instance.
  await Bun.sleep(2500)
  await fetch(`${server.url}/api/events/demo`)
  await Bun.sleep(200)

  const actions = spikeActions(
    wristbands.map((w) => w.number),
    polls,
    MESSAGES_EACH,
    'k',
  )
  expect(actions.length).toBe(4000)
  const answers = new Map<string, Answer>()
  const started = performance.now()
  let killing: Promise<void> | null = null
  const spike = await sendAll(server.url, cookies, actions, answers, {
    concurrency: 64,
    onAnswer: (acked) => {
      if (acked === KILL_AFTER) {
        spike.stop()
        killing = server.stop('SIGKILL')
      }
    },
  })
  await spike.done
  await killing
  const seconds = (performance.now() - started) / 1000
  const ackedBefore = actions.filter((a) => answers.get(a.key)?.status === 202)
  const unanswered = actions.filter((a) => answers.has(a.key) && answers.get(a.key)?.status !== 202)
  console.log(
    `spike: ${ackedBefore.length} acknowledged in ${seconds.toFixed(1)} s (${Math.round(ackedBefore.length / seconds)}/s) before kill -9; ${unanswered.length} in flight got no answer`,
  )
  const other = [...answers.values()].filter((a) => a.status !== 202 && a.status !== 'error')
  expect(other).toEqual([])
  expect(ackedBefore.length).toBeGreaterThanOrEqual(KILL_AFTER)
  const ackedIds = new Map(ackedBefore.map((a) => [a.key, answers.get(a.key)!.id]))

  // The same DATA_DIR: the queue file is the queue again, and the phones send what had no answer.
  server = await start()
  await retryUnanswered(server.url, cookies, actions, answers)
  // A clean stop drains the queue into the database.
  await server.stop('SIGTERM')

  const db = new PGlite(join(dataDir, 'pglite'))
  try {
    const msgs = (await db.query<{ id: number; text: string }>('select id::int as id, text from messages')).rows
    const votes = (
      await db.query<{ interaction_id: number; number: number; response: { optionIds: number[] } }>(
        'select interaction_id, number, response from responses where response is not null',
      )
    ).rows
    const byText = new Map<string, number[]>()
    for (const m of msgs) byText.set(m.text, [...(byText.get(m.text) ?? []), m.id])
    const voteOf = new Map(votes.map((v) => [`${v.number}-${v.interaction_id}`, v.response.optionIds]))
    const inDb = (a: (typeof actions)[number]) => {
      if (a.path === 'messages') return (byText.get(a.key)?.length ?? 0) > 0
      return voteOf.get(`${a.number}-${a.body.pollId}`)?.[0] === a.body.optionId
    }
    const lost = ackedBefore.filter((a) => !inDb(a))
    const doubled = [...byText.values()].filter((ids) => ids.length > 1)
    const wrongId = ackedBefore.filter(
      (a) =>
        a.path === 'messages' && byText.get(a.key)?.[0] !== undefined && byText.get(a.key)![0] !== ackedIds.get(a.key),
    )
    console.log(
      `after restart: lost ${lost.length} of ${ackedBefore.length} acknowledged before the kill; ${doubled.length} messages doubled; ${wrongId.length} under another id`,
    )
    expect(lost.map((a) => a.key)).toEqual([])
    expect(doubled).toEqual([])
    expect(wrongId.map((a) => a.key)).toEqual([])
    // Everything, including what was sent again after the restart, is there once.
    expect(actions.filter((a) => !inDb(a)).map((a) => a.key)).toEqual([])
    expect(msgs.length).toBe(WRISTBANDS * MESSAGES_EACH)
    expect(votes.length).toBe(WRISTBANDS * POLLS)
  } finally {
    await db.close()
  }
}, 150_000)
