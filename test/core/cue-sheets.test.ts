/**
 * Cue sheets and the photosensitivity limit: a sheet asking for more than three flashes
 * (six changes of the light) within any second is refused at upload with a 422 that names
 * the cue, and nothing is stored; sheets at the limit (a 3 Hz flash, the built-in colour
 * cycle) go through. The counting itself is protocol/cue-limits.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { count } from 'drizzle-orm'
import { EXAMPLE_CUE_SHEET } from '../../client/src/admin/show-panel/example-sheet.ts'
import { showCueSheets } from '../../db/schema.ts'
import { FLASH_STEP_MS, findFlashViolation, lightChanges } from '../../protocol/cue-limits.ts'
import { type CueSheet, cueSheetSchema } from '../../protocol/index.ts'
import { seedEvent, startTestServer, type TestServer } from '../support/backends.ts'

const sheet = (cues: CueSheet['cues']): CueSheet => ({ name: 't', cues })

describe('the flash limit, counted on the sheet as written', () => {
  test('a 3 Hz flash alone is at the limit, and so is the built-in colour cycle', () => {
    expect(findFlashViolation(sheet([{ at: 0, color: 'white', effect: 'flash' }]))).toBeNull()
    expect(findFlashViolation(sheet([{ at: 50, color: 'white', effect: 'flash', durationMs: 600_000 }]))).toBeNull()
    expect(findFlashViolation(EXAMPLE_CUE_SHEET)).toBeNull()
    // Six changes in a second, evenly or not, are fine.
    const six = [0, 100, 200, 300, 400, 500].map((at, i) => ({ at, color: i % 2 ? 'black' : 'white' }))
    expect(findFlashViolation(sheet([...six.map((c) => ({ ...c, effect: 'solid' as const }))]))).toBeNull()
  })

  test('a seventh change within a second is refused, naming the cue that makes it', () => {
    const cues = [0, 100, 200, 300, 400, 500, 600].map((at, i) => ({
      at,
      color: i % 2 ? 'black' : 'white',
      effect: 'solid' as const,
    }))
    const v = findFlashViolation(sheet(cues))!
    expect(v.cue).toBe(6)
    expect(v.at).toBe(600)
    expect(v.from).toBe(0)
    expect(v.message).toContain('cues[6] (at 600 ms, white solid)')
    expect(v.message).toContain('3 flashes')
    // A second later it would be fine.
    expect(findFlashViolation(sheet(cues.map((c, i) => (i === 6 ? { ...c, at: 1000 } : c))))).toBeNull()
  })

  test('a flash leaves no room for another change within a second of it', () => {
    const before = findFlashViolation(
      sheet([
        { at: 0, color: 'red', effect: 'solid' },
        { at: 50, color: 'white', effect: 'flash', durationMs: 2000 },
      ]),
    )!
    expect(before.cue).toBe(1)
    expect(before.message).toContain('its flashing at 883 ms')
    // Where the flash starts is its first "on": after a calm half second, that is within the limit.
    const calm = sheet([
      { at: 0, color: 'red', effect: 'solid' },
      { at: 500, color: 'white', effect: 'flash', durationMs: 2000 },
    ])
    expect(findFlashViolation(calm)).toBeNull()
    const after = findFlashViolation(
      sheet([
        { at: 0, color: 'white', effect: 'flash', durationMs: 2000 },
        { at: 2000, color: 'red', effect: 'solid', durationMs: 100 },
      ]),
    )!
    expect(after.cue).toBe(1)
    // Back to back with a second of calm in between: fine.
    expect(
      findFlashViolation(
        sheet([
          { at: 0, color: 'white', effect: 'flash', durationMs: 2000 },
          { at: 3000, color: 'red', effect: 'flash', durationMs: 2000 },
        ]),
      ),
    ).toBeNull()
  })

  test('what does not change the light does not count: the same look again, a cue replaced at the same time', () => {
    const same = Array.from({ length: 20 }, (_, i) => ({ at: i * 50, color: 'red', effect: 'solid' as const }))
    expect(lightChanges(sheet(same))).toHaveLength(1)
    const replaced = [
      { at: 0, color: 'red', effect: 'solid' as const },
      { at: 0, color: 'blue', effect: 'solid' as const },
    ]
    expect(lightChanges(sheet(replaced))).toEqual([{ at: 0, cue: 1 }])
    // A flash that lasts for ever is counted at its edges only (a sheet may not make the check slow).
    const forever = lightChanges(sheet([{ at: 0, color: 'white', effect: 'flash' }]))
    expect(forever.length).toBeLessThan(10)
    expect(forever[1].at).toBeCloseTo(FLASH_STEP_MS, 6)
  })
})

describe('the richer effects and the limit', () => {
  const base = { effect: 'solid' as const }
  test('a gradient or particles that differ are a change of light; text alone is not', () => {
    const g = (colors: string[]) => ({ colors })
    // Same colour, different gradients: each cue changes the light.
    const gradients = Array.from({ length: 7 }, (_, i) => ({
      ...base,
      at: i * 100,
      color: 'red',
      gradient: g(i % 2 ? ['red', 'blue'] : ['red', 'green']),
    }))
    expect(findFlashViolation(sheet(gradients))?.cue).toBe(6)
    const particles = Array.from({ length: 7 }, (_, i) => ({
      ...base,
      at: i * 100,
      color: 'red',
      ...(i % 2 ? { particles: { count: 5 } } : {}),
    }))
    expect(findFlashViolation(sheet(particles))?.cue).toBe(6)
    const words = Array.from({ length: 20 }, (_, i) => ({ ...base, at: i * 100, color: 'red', text: `word ${i}` }))
    expect(findFlashViolation(sheet(words))).toBeNull()
    expect(lightChanges(sheet(words))).toHaveLength(1)
  })

  test('a fade still counts where it starts: fading does not buy extra changes', () => {
    const fades = Array.from({ length: 7 }, (_, i) => ({
      ...base,
      at: i * 100,
      color: i % 2 ? 'black' : 'white',
      fadeMs: 80,
    }))
    expect(findFlashViolation(sheet(fades))?.cue).toBe(6)
  })

  test('the schema takes the new fields, keeps old sheets as they were, and refuses a colour that is not one', () => {
    const old = { name: 'old', cues: [{ at: 0, color: '#fff', effect: 'pulse', durationMs: 1000 }] }
    expect(cueSheetSchema.parse(old)).toEqual(old as CueSheet)
    const rich = {
      name: 'rich',
      cues: [
        {
          at: 0,
          color: '#f0f',
          fadeMs: 1500,
          gradient: { colors: ['#f0f', 'rgb(0, 80, 255)'], angle: 45, turnMs: 12_000 },
          particles: { count: 12, color: 'white', direction: 'up' },
          text: 'Encore!',
        },
      ],
    }
    expect(cueSheetSchema.safeParse(rich).success).toBe(true)
    const sneaky = {
      name: 'x',
      cues: [{ at: 0, color: 'red', gradient: { colors: ['red', 'url(https://x.test/t.png)'] } }],
    }
    const r = cueSheetSchema.safeParse(sneaky)
    expect(r.success).toBe(false)
    expect(r.error?.issues[0].path).toEqual(['cues', 0, 'gradient', 'colors', 1])
    expect(
      cueSheetSchema.safeParse({ name: 'x', cues: [{ at: 0, color: 'red', particles: { count: 500 } }] }).success,
    ).toBe(false)
  })
})

describe('POST /api/admin/events/:slug/cue-sheets', () => {
  let server: TestServer
  let slug: string
  let secret: string
  const upload = (body: unknown) =>
    server.fetch(`/api/admin/events/${slug}/cue-sheets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })

  beforeAll(async () => {
    server = await startTestServer('embedded')
    const seeded = await seedEvent(server)
    slug = seeded.event.slug
    secret = seeded.hostSecret
  })
  afterAll(() => server?.stop())

  test('a sheet over the flash limit: 422 naming the cue, nothing stored', async () => {
    const strobe = {
      name: 'strobe',
      cues: [
        { at: 0, color: '#000000', effect: 'solid' },
        ...Array.from({ length: 10 }, (_, i) => ({ at: 1000 + i * 100, color: i % 2 ? '#000' : '#fff' })),
      ],
    }
    const res = await upload(strobe)
    expect(res.status).toBe(422)
    const body = (await res.json()) as { error: string; message: string; fields: Record<string, string> }
    expect(body.error).toBe('flash_limit')
    expect(body.message).toContain('cues[7] (at 1600 ms, #fff solid)')
    expect(body.message).toContain('at most 3 flashes')
    expect(Object.keys(body.fields)).toEqual(['cues.7'])
    const [{ n }] = await server.rt.database.db.select({ n: count() }).from(showCueSheets)
    expect(n).toBe(0)
  })

  test('a sheet within the limit is stored and served', async () => {
    const res = await upload({ name: 'ok', cues: [{ at: 0, color: '#fff', effect: 'flash', durationMs: 3000 }] })
    expect(res.status).toBe(201)
    const { url } = (await res.json()) as { url: string }
    expect((await server.fetch(url)).status).toBe(200)
  })
})
