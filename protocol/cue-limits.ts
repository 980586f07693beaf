/**
 * The photosensitivity limit on a cue sheet as written: at most three flashes a second
 * (WCAG 2.3.1), that is at most six changes of the light within any one second. The
 * server refuses a sheet that asks for more (422 at upload, naming the cue), and the
 * admin panel says so before the upload. Phones and the screen cap what they show anyway
 * (client/src/lib/cues.ts snaps every change to a 1/6 s grid), so this check is about the
 * sheet meaning what it will look like.
 *
 * What counts as a change: every moment the light (colour, effect, gradient and
 * particles, or dark) differs from the moment before: a cue starting, a cue's `durationMs` running out, and each
 * on/off of a `flash` (a 3 Hz square wave from its cue's start: six changes a second by
 * itself, so a flash leaves no room for another change within a second of it). Any two
 * different looks count, whatever their brightness: the sheet cannot say how bright a
 * CSS colour is on a phone. `pulse` breathes smoothly and counts only where it starts
 * and ends. A cue's `fadeMs` glides into its look but still counts where it starts (a short
 * fade is a switch), a turning gradient and drifting particles count where they start and
 * end, and `text` alone changes no light, so it does not count.
 */
import type { Cue, CueSheet } from './index.ts'

export const MAX_FLASHES_PER_SECOND = 3
/** A flash is two changes (on, off). */
export const MAX_CHANGES_PER_SECOND = 2 * MAX_FLASHES_PER_SECOND
/** One on or off of the `flash` effect. */
export const FLASH_STEP_MS = 1000 / MAX_CHANGES_PER_SECOND

export interface FlashViolation {
  /** Index of the cue in `sheet.cues` whose change breaks the limit. */
  cue: number
  /** When that change happens (ms after the show's start). */
  at: number
  /** The second it falls in starts here (the first of the changes counted). */
  from: number
  /** A sentence for the host. */
  message: string
}

interface Change {
  at: number
  cue: number
}

/** Changes closer than this to a full second apart still fit (the flash step is not a whole number of ms). */
const SLACK_MS = 0.5

/** The first place a sheet breaks the limit, or null when it keeps to it. */
export function findFlashViolation(sheet: CueSheet): FlashViolation | null {
  const changes = lightChanges(sheet)
  for (let i = 0; i + MAX_CHANGES_PER_SECOND < changes.length; i++) {
    const first = changes[i]
    const over = changes[i + MAX_CHANGES_PER_SECOND]
    if (over.at - first.at < 1000 - SLACK_MS) {
      const c = sheet.cues[over.cue]
      const at = Math.round(over.at)
      const what = c.effect === 'flash' && at !== c.at ? `its flashing at ${at} ms` : `it, at ${at} ms,`
      return {
        cue: over.cue,
        at: over.at,
        from: first.at,
        message:
          `cues[${over.cue}] (at ${c.at} ms, ${c.color} ${c.effect ?? 'solid'}): ${what} makes ` +
          `${MAX_CHANGES_PER_SECOND + 1} light changes within one second (from ${Math.round(first.at)} ms); ` +
          `at most ${MAX_FLASHES_PER_SECOND} flashes (${MAX_CHANGES_PER_SECOND} changes) a second are allowed ` +
          '(photosensitivity). Space the cues out, or use pulse.',
      }
    }
  }
  return null
}

/** What a cue does to the light: two cues with the same key look the same (text aside). */
export function lightKey(c: Cue): string {
  const g = c.gradient ? `${c.gradient.colors.join(',')}@${c.gradient.angle ?? ''}/${c.gradient.turnMs ?? ''}` : ''
  const p = c.particles ? `${c.particles.count ?? ''}/${c.particles.color ?? ''}/${c.particles.direction ?? ''}` : ''
  return `${c.color}|${c.effect ?? 'solid'}|${g}|${p}`
}

/** Every change of the light the sheet asks for, in time order, with the cue that makes it. */
export function lightChanges(sheet: CueSheet): Change[] {
  // The cue that wins at each start time: among cues at the same time, the later one in the sheet.
  const winners = new Map<number, number>()
  sheet.cues.forEach((c, i) => {
    winners.set(c.at, i)
  })
  const starts = [...winners.keys()].sort((a, b) => a - b)
  // Segments of one cue each, then runs of the same look without a gap.
  type Run = { start: number; end: number; key: string; effect: string; cues: { from: number; cue: number }[] }
  const runs: Run[] = []
  starts.forEach((start, k) => {
    const cue = winners.get(start)!
    const c = sheet.cues[cue]
    const next = k + 1 < starts.length ? starts[k + 1] : Number.POSITIVE_INFINITY
    const end = Math.min(next, c.durationMs === undefined ? Number.POSITIVE_INFINITY : start + c.durationMs)
    if (end <= start) return
    const effect = c.effect ?? 'solid'
    const last = runs[runs.length - 1]
    const key = lightKey(c)
    if (last && last.end === start && last.key === key) {
      last.end = end
      last.cues.push({ from: start, cue })
    } else runs.push({ start, end, key, effect, cues: [{ from: start, cue }] })
  })
  const changes: Change[] = []
  const cueAt = (run: Run, t: number) => {
    let cue = run.cues[0].cue
    for (const s of run.cues) if (s.from <= t) cue = s.cue
    return cue
  }
  runs.forEach((run, k) => {
    changes.push({ at: run.start, cue: run.cues[0].cue })
    if (run.effect === 'flash') {
      // A steady 3 Hz wave keeps to the limit by itself; only its first and last second can
      // meet other changes, so those are the toggles that matter (and a flash may last for ever).
      const steps = (run.end - run.start) / FLASH_STEP_MS
      const head = Math.min(Math.ceil(steps) - 1, MAX_CHANGES_PER_SECOND + 1)
      for (let s = 1; s <= head; s++) {
        const at = run.start + s * FLASH_STEP_MS
        changes.push({ at, cue: cueAt(run, at) })
      }
      if (Number.isFinite(steps)) {
        for (let s = Math.max(head + 1, Math.ceil(steps) - MAX_CHANGES_PER_SECOND - 1); s < steps; s++) {
          const at = run.start + s * FLASH_STEP_MS
          changes.push({ at, cue: cueAt(run, at) })
        }
      }
    }
    const next = runs[k + 1]
    // The light goes dark when a cue's duration runs out before the next cue.
    if (Number.isFinite(run.end) && (!next || next.start > run.end))
      changes.push({ at: run.end, cue: run.cues[run.cues.length - 1].cue })
  })
  return changes.sort((a, b) => a.at - b.at)
}
