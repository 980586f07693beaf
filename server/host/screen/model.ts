/** Where the screen state is kept in Postgres: a key of the event's settings (no column of its own). */
import { defaultScreenState, type ScreenState, screenStateSchema } from '../../../protocol/index.ts'

/** The settings key; outside the settings schema, so `PATCH .../settings` neither shows nor changes it. */
export const SCREEN_SETTING = 'screen'

/** The screen state stored with an event's settings; `auto` when none (or an unreadable one) is. */
export function storedScreen(settings: unknown): ScreenState {
  const stored = (settings as Record<string, unknown> | null)?.[SCREEN_SETTING]
  const parsed = screenStateSchema.safeParse(stored)
  return parsed.success ? parsed.data : defaultScreenState()
}
