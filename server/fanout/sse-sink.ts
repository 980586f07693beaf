/**
 * One SSE response body written straight into Bun's response sink (a `type: "direct"`
 * ReadableStream). A write is a copy and a send on the spot: no per-chunk promise and
 * reader step as with a default stream's enqueue, which at 19,000 subscribers was a
 * third of the CPU of a fan-out and twice the memory per open stream
 * (docs/benchmarks.md).
 *
 * Backpressure: once the socket is full, Bun keeps what is written and returns a promise
 * that settles when it has drained. `queued` counts those bytes meanwhile, so the hub
 * can stop writing past its limit (and later skip the subscriber to a snapshot) instead
 * of buffering without bound.
 */

interface DirectController {
  write(data: Uint8Array): number | Promise<number>
  flush(): number | Promise<number>
  close(): void
}

export interface SseSink {
  /** Bytes written but not yet taken by the socket. */
  readonly queued: number
  readonly closed: boolean
  /** Writes one chunk; false once the stream is closed. */
  write(bytes: Uint8Array): boolean
  close(): void
}

class DirectSink implements SseSink {
  queued = 0
  closed = false
  /** Only the newest pending write's promise means "everything has drained". */
  private pendingWrites = 0

  constructor(
    private ctrl: DirectController,
    private ended: () => void,
  ) {}

  write(bytes: Uint8Array): boolean {
    if (this.closed) return false
    let written: number | Promise<number>
    try {
      written = this.ctrl.write(bytes)
      if (typeof written === 'number') this.ctrl.flush()
    } catch {
      this.finish()
      return false
    }
    if (typeof written !== 'number') {
      this.queued += bytes.byteLength
      const mine = ++this.pendingWrites
      written.then(
        () => {
          if (mine === this.pendingWrites) this.queued = 0
        },
        () => this.finish(),
      )
    }
    return true
  }

  close() {
    if (this.closed) return
    try {
      this.ctrl.close()
    } catch {
      // the client went first
    }
    this.finish()
  }

  finish() {
    this.closed = true
    this.ended()
  }
}

/**
 * A streaming response. `open` runs when the server starts sending the body (write the
 * first frames there); `closed` runs once, when the client goes or `close()` is called;
 * `cancelled` runs when the body is cancelled before it ever started.
 */
export function sseResponse(
  headers: Record<string, string>,
  handlers: { open(sink: SseSink): void; closed(sink: SseSink): void; cancelled?(): void },
): Response {
  let sink: DirectSink | null = null
  const source = {
    type: 'direct' as const,
    pull(ctrl: DirectController) {
      return new Promise<void>((resolve) => {
        let done = false
        sink = new DirectSink(ctrl, () => {
          if (done) return
          done = true
          resolve()
          handlers.closed(sink as DirectSink)
        })
        handlers.open(sink)
      })
    },
    cancel() {
      if (sink) sink.finish()
      else handlers.cancelled?.()
    },
  }
  // Bun's direct source is not in the DOM typings of ReadableStream.
  return new Response(new ReadableStream(source as unknown as UnderlyingDefaultSource<Uint8Array>), { headers })
}
