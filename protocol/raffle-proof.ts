/**
 * The public proof of a raffle (`GET /api/events/:slug/raffles/:id/proof`) and the one
 * function that checks it, shared by the server, `glowband raffle verify` and pages.
 *
 * How picks become prizes (docs/raffles.md, "From picks to prizes"): the prize tiers are
 * laid out as slots in tier order (1 grand, then 3 second, then 100 third...). Picks are
 * taken in order; a pick the server had to pass over (revoked since the list froze, or a
 * winner of an excluded raffle since) is recorded as `skipped` with its reason and fills
 * nothing; every other pick fills the next slot. When the host marks a winner absent, the
 * pick stays on record as `no_show` with the order it was marked in (`noShowSeq`), and its
 * slot is appended to the queue of slots, so the next pick becomes its replacement with
 * the same prize.
 */
import { z } from 'zod'
import {
  ALGORITHM,
  drawKey,
  isCanonicalPool,
  listHash,
  Picker,
  seedCommitment,
  type Tap,
  tapsEntropy,
} from './raffle-draw.ts'

export const PROOF_VERSION = 1

export const prizeTierSchema = z.object({
  tier: z.number().int().min(1),
  name: z.string(),
  count: z.number().int().min(1),
})
export type PrizeTier = z.infer<typeof prizeTierSchema>

export const pickOutcomeSchema = z.enum(['winner', 'no_show', 'skipped'])
export type PickOutcome = z.infer<typeof pickOutcomeSchema>

export const pickSchema = z.object({
  /** 0-based place in the pick stream. */
  position: z.number().int().min(0),
  number: z.number().int(),
  outcome: pickOutcomeSchema,
  /** The prize tier this pick filled; null when skipped. */
  tier: z.number().int().min(1).nullable(),
  /** Why a pick was skipped (`revoked`, `already_won`). */
  reason: z.string().optional(),
  /** For a no-show: 0 for the first winner marked absent, 1 for the next... */
  noShowSeq: z.number().int().min(0).optional(),
})
export type Pick = z.infer<typeof pickSchema>

export const tapSchema = z.object({ number: z.number().int(), nonce: z.string() })

export const raffleStateSchema = z.enum(['open', 'committed', 'drawn'])
export type RaffleState = z.infer<typeof raffleStateSchema>

export const raffleProofSchema = z.object({
  version: z.literal(PROOF_VERSION),
  algorithm: z.literal(ALGORITHM),
  event: z.string(),
  raffle: z.object({ id: z.number().int(), name: z.string() }),
  state: raffleStateSchema,
  rules: z.record(z.string(), z.unknown()),
  prizes: z.array(prizeTierSchema),
  /** The frozen eligible list (ascending public numbers); null before the commit. */
  list: z.array(z.number().int()).nullable(),
  eligible: z.number().int().nullable(),
  listHash: z.string().nullable(),
  /** SHA-256 of the seed, public from the commit on. */
  commitment: z.string().nullable(),
  /** Epoch ms. */
  committedAt: z.number().nullable(),
  /** Taps are taken until this time (epoch ms); the draw cannot happen before it. */
  closesAt: z.number().nullable(),
  /** Revealed by the draw; null before. */
  seed: z.string().nullable(),
  taps: z.array(tapSchema).nullable(),
  entropy: z.string().nullable(),
  drawnAt: z.number().nullable(),
  picks: z.array(pickSchema),
  /** The current winners (picks with outcome `winner`), by position. */
  winners: z.array(
    z.object({ tier: z.number().int(), prize: z.string(), number: z.number().int(), position: z.number().int() }),
  ),
})
export type RaffleProof = z.infer<typeof raffleProofSchema>

/** One slot per prize, in tier order. */
export function prizeSlots(prizes: readonly PrizeTier[]): number[] {
  const sorted = [...prizes].sort((a, b) => a.tier - b.tier)
  return sorted.flatMap((p) => Array.from({ length: p.count }, () => p.tier))
}

/**
 * Takes picks from `picker` to fill `slots` (tiers), passing over numbers `skip` gives a
 * reason for. Used by the draw (all slots) and by a no-show (one slot).
 */
export function fillSlots(
  picker: Picker,
  slots: readonly number[],
  skip: (n: number) => string | null,
): { picks: Pick[]; unfilled: number } {
  const out: Pick[] = []
  let s = 0
  while (s < slots.length) {
    const position = picker.position
    const number = picker.next()
    if (number === null) break
    const reason = skip(number)
    if (reason) out.push({ position, number, outcome: 'skipped', tier: null, reason })
    else out.push({ position, number, outcome: 'winner', tier: slots[s++] })
  }
  return { picks: out, unfilled: slots.length - s }
}

/** A picker advanced past the picks already made, to continue the same stream. */
export function resumePicker(pool: readonly number[], key: Uint8Array, made: number): Picker {
  const picker = new Picker(pool, key)
  for (let i = 0; i < made; i++) picker.next()
  return picker
}

export interface VerifyCheck {
  check: string
  ok: boolean
  detail: string
}

export interface VerifyResult {
  /** True when every check passed: the winners follow from the published inputs. */
  ok: boolean
  checks: VerifyCheck[]
  /** True things a reader should know that do not make the proof wrong. */
  warnings: string[]
  /** The winners as recomputed, by position. */
  winners: { tier: number; number: number; position: number }[]
}

/** Recomputes a proof from its inputs and says whether everything in it matches. */
export function verifyProof(input: unknown): VerifyResult {
  const checks: VerifyCheck[] = []
  const warnings: string[] = []
  const add = (check: string, ok: boolean, detail: string) => checks.push({ check, ok, detail })
  const done = (winners: VerifyResult['winners'] = []): VerifyResult => ({
    ok: checks.length > 0 && checks.every((c) => c.ok),
    checks,
    warnings,
    winners,
  })

  const parsed = raffleProofSchema.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    add('format', false, `not a ${ALGORITHM} proof: ${issue.path.join('.') || '(root)'}: ${issue.message}`)
    return done()
  }
  const p = parsed.data
  if (p.state !== 'drawn' || p.list === null || p.seed === null || p.taps === null) {
    add('drawn', false, `the raffle is ${p.state}, not drawn: there is nothing to recompute yet`)
    if (p.list && p.listHash) add('list hash', listHash(p.list) === p.listHash, 'the published list hash')
    return done()
  }
  const list = p.list
  const canonical = isCanonicalPool(list)
  add('list order', canonical, canonical ? `${list.length} numbers, ascending` : 'the list is not strictly ascending')
  const lh = listHash(list)
  add('list hash', lh === p.listHash, lh === p.listHash ? lh : `the list hashes to ${lh}, the proof says ${p.listHash}`)
  add(
    'eligible count',
    p.eligible === list.length,
    `${list.length} on the list, the proof says ${p.eligible ?? 'nothing'}`,
  )
  const commitment = seedCommitment(p.seed)
  add(
    'seed commitment',
    commitment === p.commitment,
    commitment === p.commitment
      ? 'SHA-256(seed) equals the commitment published before the draw'
      : `SHA-256(seed) is ${commitment}, the commitment was ${p.commitment}`,
  )
  const entropy = tapsEntropy(p.taps as Tap[])
  add(
    'entropy',
    entropy === p.entropy,
    entropy === p.entropy
      ? `${p.taps.length} taps hash to it`
      : `the taps hash to ${entropy}, the proof says ${p.entropy}`,
  )
  if (p.taps.length === 0) warnings.push('no taps: this draw mixes in no audience entropy; it rests on the seed alone')
  const tappers = new Set(p.taps.map((t) => t.number))
  if (tappers.size !== p.taps.length) warnings.push('some wristband tapped more than once')

  // Recompute the pick stream from what was published (the proof's own entropy is not trusted).
  const picker = new Picker(list, drawKey(p.seed, lh, entropy))
  const recomputed: number[] = []
  for (let i = 0; i < p.picks.length; i++) {
    const n = picker.next()
    if (n === null) break
    recomputed.push(n)
  }
  const pickProblems: string[] = []
  p.picks.forEach((pick, i) => {
    if (pick.position !== i) pickProblems.push(`pick ${i} says it is at position ${pick.position}`)
    else if (recomputed[i] === undefined) pickProblems.push(`pick ${i} is beyond the end of the list`)
    else if (recomputed[i] !== pick.number)
      pickProblems.push(`pick ${i} is #${pick.number}, recomputed #${recomputed[i]}`)
  })
  add(
    'picks',
    pickProblems.length === 0,
    pickProblems.length ? pickProblems.slice(0, 5).join('; ') : `${p.picks.length} picks recomputed, all equal`,
  )

  // Replay how picks filled the prize slots.
  const slots = prizeSlots(p.prizes)
  const noShows = p.picks.filter((x) => x.outcome === 'no_show')
  const seqs = noShows.map((x) => x.noShowSeq ?? -1).sort((a, b) => a - b)
  const seqOk = seqs.every((s, i) => s === i)
  const queue = [...slots]
  const bySeq = [...noShows].sort((a, b) => (a.noShowSeq ?? 0) - (b.noShowSeq ?? 0))
  const fillers = p.picks.filter((x) => x.outcome !== 'skipped')
  const initial = Math.min(slots.length, fillers.length)
  const slotProblems: string[] = []
  if (!seqOk) slotProblems.push('no-shows are not numbered 0, 1, 2...')
  for (const ns of bySeq) {
    queue.push(ns.tier ?? 0)
    const at = fillers.indexOf(ns)
    if (at >= initial + (ns.noShowSeq ?? 0)) slotProblems.push(`#${ns.number} was marked absent before it had won`)
  }
  fillers.forEach((x, i) => {
    if (i >= queue.length) slotProblems.push(`#${x.number} fills no prize slot`)
    else if (x.tier !== queue[i]) slotProblems.push(`#${x.number} got tier ${x.tier}, its slot is tier ${queue[i]}`)
  })
  for (const x of p.picks)
    if (x.outcome === 'skipped' && x.tier !== null) slotProblems.push(`skipped #${x.number} holds a tier`)
  if (fillers.length < queue.length && p.picks.length !== list.length)
    slotProblems.push(`${queue.length - fillers.length} prizes are unfilled while the list has numbers left`)
  add(
    'prizes',
    slotProblems.length === 0,
    slotProblems.length
      ? slotProblems.slice(0, 5).join('; ')
      : `${slots.length} prizes in ${p.prizes.length} tiers, ${noShows.length} no-shows replaced in order`,
  )
  const skipped = p.picks.filter((x) => x.outcome === 'skipped')
  if (skipped.length)
    warnings.push(
      `${skipped.length} picks were passed over by the server: ${skipped
        .slice(0, 10)
        .map((x) => `#${x.number} (${x.reason ?? 'no reason'})`)
        .join(', ')}`,
    )

  const winners = p.picks
    .filter((x) => x.outcome === 'winner')
    .map((x) => ({ tier: x.tier ?? 0, number: x.number, position: x.position }))
  const claimed = p.winners.map((w) => `${w.position}:${w.number}:${w.tier}`).join(',')
  const expected = winners.map((w) => `${w.position}:${w.number}:${w.tier}`).join(',')
  add(
    'winners',
    claimed === expected,
    claimed === expected ? `${winners.length} winners` : 'the winners listed are not the winning picks',
  )
  if (p.committedAt !== null && p.drawnAt !== null && p.drawnAt <= p.committedAt)
    warnings.push('committed and drawn at the same moment: nobody could tap in between')
  return done(winners)
}
