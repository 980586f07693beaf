/** Time and number formatting for the host page, plus a ticking "now" for relative times. */
import type { ReactiveController, ReactiveControllerHost } from 'lit'
import { formatNumber, getLocale, msg, str } from '../../lib/i18n.ts'

/** `21:04:05` in the host's locale. */
export const clockTime = (ms: number) =>
  new Date(ms).toLocaleTimeString(getLocale(), { hour: '2-digit', minute: '2-digit', second: '2-digit' })

/** `just now`, `42 s ago`, `3 min ago`, `2 h ago` (and `in 5 s` for the future). */
export function relativeTime(ms: number, now = Date.now()): string {
  const d = Math.round((now - ms) / 1000)
  if (d < 0) return msg(str`in ${-d} s`)
  if (d < 5) return msg('just now')
  if (d < 60) return msg(str`${d} s ago`)
  if (d < 3600) return msg(str`${Math.floor(d / 60)} min ago`)
  return msg(str`${Math.floor(d / 3600)} h ago`)
}

/** `1 234` style grouping that stays readable at a glance. */
export const count = (n: number) => formatNumber(n)

export const plural = (n: number, one: string, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`

/**
 * Re-renders its host every `everyMs` while connected, for relative times and countdowns.
 * @example private ticker = new NowController(this, 1000)
 */
export class NowController implements ReactiveController {
  private timer: ReturnType<typeof setInterval> | null = null

  constructor(
    private host: ReactiveControllerHost,
    private everyMs = 1000,
  ) {
    host.addController(this)
  }

  hostConnected() {
    this.timer = setInterval(() => this.host.requestUpdate(), this.everyMs)
  }

  hostDisconnected() {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }
}
