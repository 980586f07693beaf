/**
 * The winners panel's timing (protocol/screen.ts), a pure function every screen and the
 * host page run against the server clock: lowest prize first, pages of 48 that turn every
 * `pageMs`, `auto` moving on once a tier's pages were all shown, `step` clamped to the tiers.
 */
import { describe, expect, test } from 'bun:test'
import {
  panelAt,
  revealOrder,
  TIER_MIN_MS,
  tierPages,
  WINNERS_PER_PAGE,
  type WinnersPanel,
} from '../../protocol/index.ts'

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i)
const raffle = {
  name: 'Gala',
  winners: [1, ...range(10, 3), ...range(100, 100)],
  prizes: [
    { tier: 1, name: 'Trip', winners: [1] },
    { tier: 2, name: 'Headphones', winners: range(10, 3) },
    { tier: 3, name: 'Tote bag', winners: range(100, 100) },
    { tier: 4, name: 'Nobody left', winners: [] },
  ],
}
const panel = (over: Partial<WinnersPanel>): WinnersPanel => ({
  raffleId: 1,
  reveal: 'all',
  step: 1,
  pageMs: 1000,
  at: 10_000,
  ...over,
})

describe('winners panel timing', () => {
  test('tiers come lowest prize first; empty tiers are skipped; long ones are cut into pages', () => {
    expect(revealOrder(raffle).map((t) => t.name)).toEqual(['Tote bag', 'Headphones', 'Trip'])
    const pages = tierPages(revealOrder(raffle)[0])
    expect(pages.map((p) => p.numbers.length)).toEqual([WINNERS_PER_PAGE, WINNERS_PER_PAGE, 4])
    expect(pages.flatMap((p) => p.numbers)).toEqual(range(100, 100))
    expect(tierPages(revealOrder(raffle)[1])).toEqual([
      { tier: 2, name: 'Headphones', count: 3, numbers: range(10, 3), page: 0, pages: 1, big: true },
    ])
    // A raffle without tiers is one tier named after it.
    expect(revealOrder({ name: 'Door prize', winners: [4, 5] })).toEqual([
      { tier: 1, name: 'Door prize', winners: [4, 5] },
    ])
  })

  test('all at once: every page of every tier goes round, and comes back to the first', () => {
    const seen = range(0, 5).map((s) => panelAt(raffle, panel({}), 10_000 + s * 1000 + 10))
    expect(seen.map((v) => [v.page?.tier, v.page?.page])).toEqual([
      [3, 0],
      [3, 1],
      [3, 2],
      [2, 0],
      [1, 0],
    ])
    expect(seen[0]).toMatchObject({ index: 0, of: 5, hidden: 0, nextAt: 11_000 })
    expect(panelAt(raffle, panel({}), 15_010).page).toEqual(seen[0].page)
    // Before its start (a screen's clock a little behind) it shows the first page.
    expect(panelAt(raffle, panel({}), 9_000).index).toBe(0)
  })

  test('step: only the tiers the host revealed, the newest one on show; a step past the last shows the grand prize', () => {
    const one = panelAt(raffle, panel({ reveal: 'step', step: 1 }), 12_500)
    expect(one.revealed.map((t) => t.name)).toEqual(['Tote bag'])
    expect(one).toMatchObject({ hidden: 2, index: 2, of: 3 })
    const two = panelAt(raffle, panel({ reveal: 'step', step: 2 }), 99_000)
    expect(two.page).toMatchObject({ name: 'Headphones', numbers: range(10, 3) })
    expect(two.nextAt).toBe(Number.POSITIVE_INFINITY)
    const all = panelAt(raffle, panel({ reveal: 'step', step: 9 }), 12_000)
    expect(all.page?.numbers).toEqual([1])
    expect(all.revealed.map((t) => t.name)).toEqual(['Tote bag', 'Headphones', 'Trip'])
    expect(all.hidden).toBe(0)
  })

  test('auto: a tier stays until its pages were shown (at least TIER_MIN_MS), then the next comes up', () => {
    const p = panel({ reveal: 'auto', pageMs: 4000 })
    // Tote bag: 3 pages x 4 s = 12 s; Headphones: TIER_MIN_MS; then the grand prize stays.
    const toteEnd = 10_000 + 12_000
    expect(panelAt(raffle, p, 10_000).page).toMatchObject({ name: 'Tote bag', page: 0 })
    expect(panelAt(raffle, p, 18_500).page).toMatchObject({ name: 'Tote bag', page: 2 })
    expect(panelAt(raffle, p, 18_500).nextAt).toBe(toteEnd)
    expect(panelAt(raffle, p, toteEnd).page?.name).toBe('Headphones')
    expect(panelAt(raffle, p, toteEnd + TIER_MIN_MS - 1).page?.name).toBe('Headphones')
    const last = panelAt(raffle, p, toteEnd + TIER_MIN_MS)
    expect(last.page?.name).toBe('Trip')
    expect(last).toMatchObject({ hidden: 0, nextAt: Number.POSITIVE_INFINITY })
    expect(panelAt(raffle, p, 10_000_000).page?.name).toBe('Trip')
  })

  test('a raffle nobody won shows no page', () => {
    expect(panelAt({ name: 'x', winners: [] }, panel({}), 10_000)).toMatchObject({ page: null, of: 0 })
  })
})
