/**
 * The embedded queue's file (DATA_DIR/queue.wal) across a crash: what was answered is
 * queued again on start, and so are its actionIds, so a phone that had no answer and
 * sends the same action again changes nothing.
 */
import { afterAll, expect, test } from 'bun:test'
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openMemoryLive } from '../../server/live/index.ts'

const dir = mkdtempSync(join(tmpdir(), 'gb-queue-file-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const limit = { count: 100, windowMs: 60_000 }
const open = (file: string) => openMemoryLive({ retention: 100, queueFile: file })

test('after a crash, an action sent again with the same actionId is a duplicate, not a second entry', async () => {
  const file = join(dir, 'a.wal')
  const before = await open(file)
  await before.counters.addWristbands(1, [{ codeHash: 'h', number: 7, revoked: false }])
  const first = await before.counters.message(1, {
    number: 7,
    text: 'hello',
    held: false,
    actionId: 'act-1',
    now: Date.now(),
    limit,
  })
  expect(first).toMatchObject({ ok: true, duplicate: false })
  // A crash: the process is gone without closing anything; a torn line follows.
  appendFileSync(file, '["p",1,99,{"t":"mess')

  const after = await open(file)
  await after.counters.addWristbands(1, [{ codeHash: 'h', number: 7, revoked: false }])
  expect(await after.queue.depth(1)).toBe(1)
  const again = await after.counters.message(1, {
    number: 7,
    text: 'hello',
    held: false,
    actionId: 'act-1',
    now: Date.now(),
    limit,
  })
  expect(again).toEqual({ ok: true, id: (first as { id: number }).id, held: false, duplicate: true })
  expect(await after.queue.depth(1)).toBe(1)
  await after.close()
  await before.close()
})
