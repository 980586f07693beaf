/**
 * Re-reads the event's public info (`GET /api/events/:slug`: look, language, settings)
 * when the host changed it: the stream's `screen.infoAt` moves. The first value seen is
 * the one the page loaded with. The re-read waits a little, spread over `spreadMs`: in
 * cluster mode another instance's cache of the event may be a second old, and a
 * thousand phones should not ask at the same instant.
 */
export class InfoWatch {
  private seen: number | undefined
  private timer: ReturnType<typeof setTimeout> | null = null

  constructor(
    private reload: () => void,
    private opts: { delayMs: number; spreadMs: number },
  ) {}

  /** Called with each snapshot's `screen?.infoAt`. */
  update(infoAt: number | undefined) {
    const at = infoAt ?? 0
    if (this.seen === undefined) {
      this.seen = at
      return
    }
    if (at === this.seen) return
    this.seen = at
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(
      () => {
        this.timer = null
        this.reload()
      },
      this.opts.delayMs + Math.random() * this.opts.spreadMs,
    )
  }

  stop() {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }
}
