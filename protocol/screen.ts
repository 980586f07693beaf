/**
 * What the big screen shows, as the host directs it: a view on the stage (`auto` keeps
 * "whatever opened last") and, over it, the winners panel of a drawn raffle until the host
 * dismisses it. The panel reveals the prize tiers lowest first (the grand prize last) and
 * pages through long lists by itself. The timing is a pure function of the state and the
 * server clock, so every screen (and the host page) agrees on what is up.
 */
import { z } from 'zod'

export const screenViews = ['auto', 'poll', 'qa', 'raffle', 'join', 'idle', 'quiz'] as const
export type ScreenView = (typeof screenViews)[number]
/** The views that take an `id` (the poll or the raffle shown; absent: the latest). */
export const screenViewsWithId: readonly ScreenView[] = ['poll', 'raffle']

/** How the prize tiers come up: all at once, one per host step, or one after another by themselves. */
export const winnersReveals = ['all', 'step', 'auto'] as const
export type WinnersReveal = (typeof winnersReveals)[number]

export const PAGE_MS_DEFAULT = 6000
/** In `auto`, a tier stays at least this long (longer if its pages need it). */
export const TIER_MIN_MS = 8000
/** A tier with at most this many winners is shown big, on one page. */
export const BIG_TIER_MAX = 12
/** Winners on one page of a longer tier: 8 columns of 6, readable from the back at 720p. */
export const WINNERS_PER_PAGE = 48
/** The drum lands on the first winners in about this long; a panel the draw brings up starts after it. */
export const DRAW_LANDING_MS = 8000

const idSchema = z
  .number()
  .int()
  .positive()
  .max(2 ** 31 - 1)

export const winnersPanelSchema = z.object({
  raffleId: idSchema,
  reveal: z.enum(winnersReveals),
  /** With `step`: how many tiers are up, lowest first (1: only the lowest prize). */
  step: z.number().int().min(1),
  /** How long each page of a long list stays, ms. */
  pageMs: z.number().int().min(1000).max(60_000),
  /** Server epoch ms when the panel (or its last step) went up: pages and the auto pace count from it. */
  at: z.number(),
})
export type WinnersPanel = z.infer<typeof winnersPanelSchema>

export const screenStateSchema = z.object({
  view: z.enum(screenViews),
  /** The poll (view `poll`) or raffle (view `raffle`) shown; absent: the latest. */
  id: idSchema.optional(),
  /** The winners panel over the view, until the host dismisses it (null: none). */
  winners: winnersPanelSchema.nullable(),
  /** Server epoch ms of the host's last change (0: never set). */
  at: z.number(),
  /**
   * Server epoch ms of the host's last change to what `GET /api/events/:slug` says (the
   * look, the language, the settings): the screen and the phones read it again when it moves.
   */
  infoAt: z.number().optional(),
})
export type ScreenState = z.infer<typeof screenStateSchema>

export const defaultScreenState = (): ScreenState => ({ view: 'auto', winners: null, at: 0 })

/** `PUT /api/admin/events/:slug/screen`: what the stage shows (the winners panel stays as it is). */
export const screenBodySchema = z.object({ view: z.enum(screenViews), id: idSchema.optional() })
export type ScreenBody = z.infer<typeof screenBodySchema>

/** `PUT /api/admin/events/:slug/screen/winners`: bring up (or step) the winners panel of a drawn raffle. */
export const winnersBodySchema = z.object({
  raffleId: idSchema,
  reveal: z.enum(winnersReveals).default('all'),
  /** With `step`: how many tiers are up (default 1, the lowest prize). */
  step: z.number().int().min(1).max(100).default(1),
  pageSeconds: z
    .number()
    .min(1)
    .max(60)
    .default(PAGE_MS_DEFAULT / 1000),
})
export type WinnersBody = z.infer<typeof winnersBodySchema>

/** A raffle as the panel needs it (structurally a protocol `Raffle`). */
interface RaffleTiers {
  name: string
  winners: number[]
  prizes?: { tier: number; name: string; winners: number[] }[]
}

export interface WinnersPage {
  tier: number
  /** The prize's name. */
  name: string
  /** Every winner of the tier, and the ones on this page. */
  count: number
  numbers: number[]
  page: number
  pages: number
  /** Shown big (a short tier, on one page). */
  big: boolean
}

/** The tiers with winners, lowest prize first (the grand prize last). */
export function revealOrder(raffle: RaffleTiers): { tier: number; name: string; winners: number[] }[] {
  const tiers = raffle.prizes?.length ? raffle.prizes : [{ tier: 1, name: raffle.name, winners: raffle.winners }]
  return tiers.filter((t) => t.winners.length > 0).sort((a, b) => b.tier - a.tier)
}

/** A tier cut into pages: one big page when short, WINNERS_PER_PAGE a page when long. */
export function tierPages(t: { tier: number; name: string; winners: number[] }): WinnersPage[] {
  const big = t.winners.length <= BIG_TIER_MAX
  const size = big ? BIG_TIER_MAX : WINNERS_PER_PAGE
  const pages = Math.max(1, Math.ceil(t.winners.length / size))
  return Array.from({ length: pages }, (_, page) => ({
    tier: t.tier,
    name: t.name,
    count: t.winners.length,
    numbers: t.winners.slice(page * size, (page + 1) * size),
    page,
    pages,
    big,
  }))
}

/** How long `auto` keeps a tier up before the next one. */
export const tierDwellMs = (pages: number, pageMs: number) => Math.max(TIER_MIN_MS, pages * pageMs)

export interface PanelView {
  /** Tiers revealed so far, lowest first; the last one is the tier on show. */
  revealed: { tier: number; name: string; count: number }[]
  /** Tiers still to come. */
  hidden: number
  /** The page on show now (null when the raffle has no winners). */
  page: WinnersPage | null
  /** Which of the pages cycling now this is, and how many there are. */
  index: number
  of: number
  /** Server ms when the page on show changes (or the next tier comes up). */
  nextAt: number
}

/**
 * What the winners panel shows at server time `now`. With `all`, the pages of every tier
 * go round, lowest prize first; with `step` and `auto`, the newest tier's pages go round
 * under the tiers already revealed.
 * @example panelAt(raffle, { raffleId: 1, reveal: 'all', step: 1, pageMs: 6000, at: 0 }, 13_000).index // 2
 */
export function panelAt(raffle: RaffleTiers, panel: WinnersPanel, now: number): PanelView {
  const tiers = revealOrder(raffle).map((t) => ({ ...t, pages: tierPages(t) }))
  const elapsed = Math.max(0, now - panel.at)
  let shown = tiers.length
  let since = panel.at
  if (panel.reveal === 'step') shown = Math.min(tiers.length, panel.step)
  if (panel.reveal === 'auto') {
    shown = 1
    let start = panel.at
    for (let i = 0; i < tiers.length - 1; i++) {
      const end = start + tierDwellMs(tiers[i].pages.length, panel.pageMs)
      if (now < end) break
      start = end
      shown = i + 2
    }
    since = start
  }
  const up = tiers.slice(0, shown)
  const cycling = panel.reveal === 'all' ? up.flatMap((t) => t.pages) : (up.at(-1)?.pages ?? [])
  const revealed = up.map((t) => ({ tier: t.tier, name: t.name, count: t.winners.length }))
  if (!cycling.length) return { revealed, hidden: 0, page: null, index: 0, of: 0, nextAt: Number.POSITIVE_INFINITY }
  const inTier = Math.max(0, panel.reveal === 'auto' ? now - since : elapsed)
  const turn = Math.floor(inTier / panel.pageMs)
  const index = turn % cycling.length
  let nextAt = since + (turn + 1) * panel.pageMs
  if (cycling.length === 1) nextAt = Number.POSITIVE_INFINITY
  if (panel.reveal === 'auto' && shown < tiers.length) {
    const tierEnd = since + tierDwellMs(cycling.length, panel.pageMs)
    nextAt = Math.min(nextAt, tierEnd)
  }
  return { revealed, hidden: tiers.length - shown, page: cycling[index], index, of: cycling.length, nextAt }
}
