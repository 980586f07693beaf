/**
 * Progress on stderr (stdout keeps the summary, so it can be piped or saved): a bar
 * redrawn in place on a terminal, a plain line every 10% anywhere else (CI logs, pipes).
 */

export interface Phase {
  update(done: number): void
  /** Marks the phase complete (draws 100% and ends the line). */
  finish(): void
}

type Stream = { write(s: string): unknown; isTTY?: boolean; columns?: number }

const fmt = (n: number) => n.toLocaleString('en')

export class Progress {
  private active: { clear(): void } | null = null

  constructor(
    private out: Stream = process.stderr,
    readonly tty = !!out.isTTY && process.env.TERM !== 'dumb',
  ) {}

  /** A line of text, printed above any bar in progress. */
  note(message: string) {
    this.active?.clear()
    this.out.write(`${message}\n`)
  }

  /**
   * Starts a phase of `total` steps.
   * @example const p = progress.phase('database', 100_000); p.update(50_000); p.finish()
   */
  phase(label: string, total: number): Phase {
    return this.tty ? this.bar(label, total) : this.lines(label, total)
  }

  private bar(label: string, total: number): Phase {
    const width = Math.max(10, Math.min(40, (this.out.columns ?? 80) - 50))
    const started = performance.now()
    let last = 0
    const draw = (done: number, force = false) => {
      const now = performance.now()
      if (!force && now - last < 80) return
      last = now
      const ratio = total ? Math.min(1, done / total) : 1
      const filled = Math.round(ratio * width)
      const seconds = ((now - started) / 1000).toFixed(1)
      this.out.write(
        `\r\x1b[2K  ${label.padEnd(9)} ${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${String(Math.floor(ratio * 100)).padStart(3)}%  ${fmt(done)}/${fmt(total)}  ${seconds}s`,
      )
    }
    const handle = { clear: () => this.out.write('\r\x1b[2K') }
    this.active = handle
    draw(0, true)
    return {
      update: (done) => draw(done),
      finish: () => {
        draw(total, true)
        this.out.write('\n')
        if (this.active === handle) this.active = null
      },
    }
  }

  private lines(label: string, total: number): Phase {
    let step = 0
    const say = (done: number) =>
      this.out.write(`${label}: ${Math.floor((done / total) * 100)}% (${fmt(done)} of ${fmt(total)})\n`)
    return {
      update: (done) => {
        const reached = total ? Math.floor((done / total) * 10) : 10
        if (reached > step && reached < 10) {
          step = reached
          say(done)
        }
      },
      finish: () => {
        step = 10
        say(total)
      },
    }
  }
}
