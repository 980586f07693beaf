/**
 * A small HTTP/1.1 client over raw keep-alive sockets, for the action driver: far
 * cheaper per request than fetch, so that the driver is never what limits a spike.
 * One request at a time per connection (no pipelining), like a browser's connection.
 */
import type { Socket } from 'bun'

export interface RawResponse {
  status: number
  head: string
  body: string
}

interface Job {
  bytes: string
  resolve(r: RawResponse): void
  reject(e: Error): void
}

interface Conn {
  sock: Socket<Conn> | null
  job: Job | null
  buf: string
  ready: Promise<void> | null
}

export class RawPool {
  private conns: Conn[] = []
  private queue: Job[] = []
  private idle: Conn[] = []
  inFlight = 0

  constructor(
    private host: string,
    private port: number,
    private localAddress: string,
    size: number,
  ) {
    for (let i = 0; i < size; i++) {
      const c: Conn = { sock: null, job: null, buf: '', ready: null }
      this.conns.push(c)
      this.idle.push(c)
    }
  }

  request(method: string, path: string, headers: Record<string, string>, body?: string): Promise<RawResponse> {
    let head = `${method} ${path} HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\n`
    for (const k in headers) head += `${k}: ${headers[k]}\r\n`
    const bytes =
      body === undefined ? `${head}\r\n` : `${head}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
    this.inFlight++
    return new Promise<RawResponse>((resolve, reject) => {
      this.queue.push({ bytes, resolve, reject })
      this.pump()
    }).finally(() => this.inFlight--)
  }

  private pump() {
    while (this.queue.length && this.idle.length) {
      const c = this.idle.pop()!
      const job = this.queue.shift()!
      c.job = job
      void this.send(c, job)
    }
  }

  private async send(c: Conn, job: Job) {
    try {
      if (!c.sock) {
        c.ready ??= this.connect(c)
        await c.ready
        c.ready = null
      }
      c.sock!.write(job.bytes)
    } catch (err) {
      this.fail(c, err as Error)
    }
  }

  private connect(c: Conn): Promise<void> {
    return Bun.connect<Conn>({
      hostname: this.host,
      port: this.port,
      ...({ localAddress: this.localAddress } as object),
      data: c,
      socket: {
        data: (_s, chunk) => this.data(c, chunk.toString('latin1')),
        close: () => this.fail(c, new Error('connection closed')),
        error: (_s, err) => this.fail(c, err),
        end: (s) => {
          s.end()
        },
      },
    }).then((s) => {
      c.sock = s
    })
  }

  private fail(c: Conn, err: Error) {
    c.sock = null
    c.buf = ''
    const job = c.job
    c.job = null
    if (job) {
      job.reject(err)
      this.idle.push(c)
      this.pump()
    }
  }

  private data(c: Conn, text: string) {
    c.buf += text
    const end = c.buf.indexOf('\r\n\r\n')
    if (end < 0) return
    const head = c.buf.slice(0, end)
    const lower = head.toLowerCase()
    const cl = lower.indexOf('content-length:')
    let body: string
    let rest: string
    if (cl >= 0) {
      const len = parseInt(lower.slice(cl + 15), 10)
      if (c.buf.length < end + 4 + len) return
      body = c.buf.slice(end + 4, end + 4 + len)
      rest = c.buf.slice(end + 4 + len)
    } else if (lower.includes('transfer-encoding: chunked')) {
      const fin = c.buf.indexOf('0\r\n\r\n', end + 4)
      if (fin < 0) return
      body = c.buf.slice(end + 4, fin) // still chunk-framed; callers only look at small bodies
      rest = c.buf.slice(fin + 5)
    } else {
      body = ''
      rest = c.buf.slice(end + 4)
    }
    c.buf = rest
    const job = c.job
    c.job = null
    this.idle.push(c)
    if (job) job.resolve({ status: parseInt(head.slice(9, 12), 10), head, body })
    if (lower.includes('connection: close')) {
      c.sock?.end()
      c.sock = null
    }
    this.pump()
  }

  close() {
    for (const c of this.conns) c.sock?.end()
    for (const j of this.queue.splice(0)) j.reject(new Error('pool closed'))
  }
}
