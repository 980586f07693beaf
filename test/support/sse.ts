/** A plain-HTTP SSE reader for tests: parses frames as the spec says, one at a time. */

export interface SseFrame {
  id?: string
  event?: string
  data?: string
  retry?: number
  comment?: boolean
}

export class SseReader {
  private buffer = ''
  private queue: SseFrame[] = []
  private reader: ReadableStreamDefaultReader<Uint8Array>
  private decoder = new TextDecoder()
  private done = false
  private pending: Promise<{ done: boolean; value?: Uint8Array }> | null = null

  constructor(readonly response: Response) {
    this.reader = response.body!.getReader()
  }

  static async open(url: string, headers: Record<string, string> = {}, signal?: AbortSignal) {
    const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal })
    if (res.status !== 200) throw new Error(`stream answered ${res.status}: ${await res.text()}`)
    return new SseReader(res)
  }

  private parse() {
    let end: number
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end)
      this.buffer = this.buffer.slice(end + 2)
      const frame: SseFrame = {}
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) frame.comment = true
        else {
          const colon = line.indexOf(':')
          const field = colon < 0 ? line : line.slice(0, colon)
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '')
          if (field === 'id') frame.id = value
          else if (field === 'event') frame.event = value
          else if (field === 'data') frame.data = frame.data === undefined ? value : `${frame.data}\n${value}`
          else if (field === 'retry') frame.retry = Number(value)
        }
      }
      this.queue.push(frame)
    }
  }

  /** The next frame (comments included), or null when the stream ended or the time ran out. */
  async next(timeoutMs = 5000): Promise<SseFrame | null> {
    const deadline = Date.now() + timeoutMs
    while (!this.queue.length && !this.done) {
      const left = deadline - Date.now()
      if (left <= 0) return null
      let timer: ReturnType<typeof setTimeout> | undefined
      // One read in flight at a time, kept across timeouts: an abandoned read would
      // swallow the next chunk. A connection reset ends the stream like a clean close.
      this.pending ??= this.reader.read().catch(() => ({ done: true as const, value: undefined }))
      const result = await Promise.race([
        this.pending,
        new Promise<null>((r) => (timer = setTimeout(() => r(null), left))),
      ])
      clearTimeout(timer)
      if (result === null) return null
      this.pending = null
      if (result.done) this.done = true
      else this.buffer += this.decoder.decode(result.value, { stream: true })
      this.parse()
    }
    return this.queue.shift() ?? null
  }

  /** The next data frame (snapshot, delta or health), skipping comments and retry lines. */
  async nextEvent(timeoutMs = 5000): Promise<SseFrame | null> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const f = await this.next(Math.max(1, deadline - Date.now()))
      if (!f || f.event) return f
    }
  }

  get ended() {
    return this.done && !this.queue.length
  }

  async close() {
    await this.reader.cancel().catch(() => {})
  }
}
