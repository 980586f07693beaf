/**
 * One fully parsing subscriber in the orchestrator: it reads every frame's JSON and
 * keeps, per seq, the poll's cumulative vote total and the check-in count. Every
 * subscriber gets the same frames, so this map is what turns "vote k was accepted" into
 * "the first delta that shows vote k", whose receive time the generators record.
 */
import { now } from './clock.ts'

interface Poll {
  id: number
  options: { votes: number }[]
}

export class Observer {
  readonly seqs: number[] = []
  readonly totals: number[] = []
  readonly times: number[] = []
  seq = -1
  total = 0
  checkins = 0
  danmaku = 0
  gaps = 0
  frames = 0
  private abort = new AbortController()
  private done: Promise<void> = Promise.resolve()

  constructor(private pollId: number) {}

  async start(url: string, timeoutMs = 10_000) {
    const res = await fetch(url, { headers: { accept: 'text/event-stream' }, signal: this.abort.signal })
    if (res.status !== 200) throw new Error(`observer: stream answered ${res.status}`)
    const reader = res.body!.getReader()
    const decoder = new TextDecoder()
    let buf = ''
    let first!: () => void
    const gotFirst = new Promise<void>((r) => (first = r))
    this.done = (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read()
          if (done) break
          const t = now()
          buf += decoder.decode(value, { stream: true })
          let end: number
          while ((end = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, end)
            buf = buf.slice(end + 2)
            if (this.frame(block, t)) first()
          }
        }
      } catch {
        // aborted
      }
    })()
    await Promise.race([
      gotFirst,
      Bun.sleep(timeoutMs).then(() => Promise.reject(new Error('observer: no first frame'))),
    ])
  }

  /** True for a state frame (snapshot or delta). */
  private frame(block: string, t: number): boolean {
    let event = 'message'
    let data = ''
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice(7)
      else if (line.startsWith('data: ')) data = line.slice(6)
    }
    if (!data || (event !== 'snapshot' && event !== 'delta' && event !== 'message')) return false
    const d = JSON.parse(data) as { seq: number; checkins?: number; polls?: Poll[]; danmaku?: unknown[] }
    this.frames++
    if (this.seq >= 0 && event !== 'snapshot' && d.seq !== this.seq + 1) this.gaps++
    this.seq = d.seq
    if (d.checkins !== undefined) this.checkins = d.checkins
    const poll = d.polls?.find((p) => p.id === this.pollId)
    if (poll) this.total = poll.options.reduce((a, o) => a + o.votes, 0)
    if (event !== 'snapshot' && d.danmaku) this.danmaku += d.danmaku.length
    this.seqs.push(d.seq)
    this.totals.push(this.total)
    this.times.push(t)
    return true
  }

  /** The first seq whose cumulative total is at least `k`, or -1. */
  seqForTotal(k: number): number {
    let lo = 0
    let hi = this.totals.length - 1
    if (hi < 0 || this.totals[hi] < k) return -1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (this.totals[mid] >= k) hi = mid
      else lo = mid + 1
    }
    return this.seqs[lo]
  }

  async stop() {
    this.abort.abort()
    await this.done
  }
}
