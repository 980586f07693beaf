/** Time and number formatting for the host page, plus a ticking "now" for relative times. */
import type { ReactiveController, ReactiveControllerHost } from 'lit'

/** `21:04:05` in the host's locale. */
export const clockTime = (ms: number) =>
  new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })

/** `just now`, `42 s ago`, `3 min ago`, `2 h ago` (and `in 5 s` for the future). */
export function relativeTime(ms: number, now = Date.now()): string {
  const d = Math.round((now - ms) / 1000)
  if (d < 0) return `in ${-d} s`
  if (d < 5) return 'just now'
  if (d < 60) return `${d} s ago`
  if (d < 3600) return `${Math.floor(d / 60)} min ago`
  return `${Math.floor(d / 3600)} h ago`
}

/** `1 234` style grouping that stays readable at a glance. */
export const count = (n: number) => n.toLocaleString()

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
