/** Checks pasted or uploaded cue sheet JSON with the server's own schema, before upload. */
import { findFlashViolation } from '../../../../protocol/cue-limits.ts'
import { type CueSheet, cueSheetSchema } from '../../../../protocol/index.ts'
import { showEndsAt } from '../../lib/cues.ts'
import { msg, str } from '../../lib/i18n.ts'

/** Bigger than any sane sheet (10,000 cues is about 600 kB) and under the server's body limit. */
export const MAX_SHEET_BYTES = 2 * 1024 * 1024

export type SheetCheck =
  | { ok: true; sheet: CueSheet; cues: number; durationMs: number | null; flashes: boolean }
  | { ok: false; errors: string[] }

/**
 * Parses and validates cue sheet JSON; errors name the place that is wrong.
 * @example checkCueSheet('{"name":"x","cues":[{"at":0,"color":"red"}]}') // { ok: true, ... }
 */
export function checkCueSheet(text: string): SheetCheck {
  if (!text.trim()) return { ok: false, errors: [msg('Paste a cue sheet or choose a .json file.')] }
  if (text.length > MAX_SHEET_BYTES)
    return { ok: false, errors: [msg('The file is too big for a cue sheet (over 2 MB).')] }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (err) {
    return { ok: false, errors: [msg(str`This is not valid JSON: ${(err as Error).message}`)] }
  }
  const parsed = cueSheetSchema.safeParse(data)
  if (!parsed.success) {
    const errors = parsed.error.issues.slice(0, 6).map((i) => {
      const where = i.path.length
        ? i.path
            .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
            .join('')
            .replace(/^\./, '')
        : msg('sheet')
      return `${where}: ${i.message}`
    })
    if (parsed.error.issues.length > 6) errors.push(msg(str`…and ${parsed.error.issues.length - 6} more`))
    return { ok: false, errors }
  }
  const sheet = parsed.data
  if (!sheet.cues.length) return { ok: false, errors: [msg('cues: the sheet has no cues')] }
  const flash = findFlashViolation(sheet)
  if (flash) return { ok: false, errors: [flash.message] }
  const end = showEndsAt(sheet, 0)
  return {
    ok: true,
    sheet,
    cues: sheet.cues.length,
    durationMs: Number.isFinite(end) ? end : null,
    flashes: sheet.cues.some((c) => c.effect === 'flash'),
  }
}
