/**
 * A TCP proxy for fault tests: forwards 127.0.0.1:<port> to an upstream port, can cut
 * every open connection (a phone losing signal), refuse new ones for a while, or freeze
 * open ones (they stay open and go quiet, as when a NAT drops them silently), and
 * remembers the start of each request it forwarded (to check Last-Event-ID). With
 * `delayMs` it is also a slow network: every chunk, each way, waits that long (drawn
 * per chunk) before it is passed on, in order.
 */
import type { Socket, TCPSocketListener } from 'bun'

interface Pair {
  client: Socket<Pair>
  upstream: Socket<unknown> | null
  pending: Uint8Array[]
  /** The start of each request sent on this connection. */
  heads: string[]
  /** Frozen: what the upstream sends is dropped, the connection stays open. */
  frozen: boolean
  /** When the last chunk each way is due out (delayed chunks keep their order). */
  dueUp: number
  dueDown: number
}

export interface ProxyOptions {
  /** A delay for each chunk, each way, in ms (drawn anew per chunk). */
  delayMs?: () => number
}

export class CuttableProxy {
  readonly requests: string[] = []
  private listener: TCPSocketListener<Pair> | null = null
  private pairs = new Set<Pair>()
  private refusing = false

  constructor(
    private upstreamPort: number,
    private opts: ProxyOptions = {},
  ) {}

  /** Runs `send` after the configured delay, never before a chunk queued earlier the same way. */
  private later(pair: Pair, way: 'dueUp' | 'dueDown', send: () => void) {
    if (!this.opts.delayMs) return send()
    const due = Math.max(performance.now() + this.opts.delayMs(), pair[way])
    pair[way] = due
    setTimeout(send, due - performance.now())
  }

  get port() {
    return this.listener!.port
  }

  start() {
    const self = this
    this.listener = Bun.listen<Pair>({
      hostname: '127.0.0.1',
      port: 0,
      socket: {
        open(client) {
          if (self.refusing) return client.terminate()
          const pair: Pair = { client, upstream: null, pending: [], heads: [], frozen: false, dueUp: 0, dueDown: 0 }
          client.data = pair
          self.pairs.add(pair)
          Bun.connect({
            hostname: '127.0.0.1',
            port: self.upstreamPort,
            socket: {
              open(up) {
                pair.upstream = up
                for (const chunk of pair.pending) up.write(chunk)
                pair.pending = []
              },
              data(_up, chunk) {
                const copy = new Uint8Array(chunk)
                self.later(pair, 'dueDown', () => {
                  if (!pair.frozen) pair.client.write(copy)
                })
              },
              close() {
                self.later(pair, 'dueDown', () => pair.client.end())
                self.pairs.delete(pair)
              },
            },
          }).catch(() => client.terminate())
        },
        data(client, chunk) {
          const head = chunk.toString().split('\r\n\r\n')[0]
          self.requests.push(head)
          client.data.heads.push(head)
          const pair = client.data
          const copy = new Uint8Array(chunk)
          self.later(pair, 'dueUp', () => {
            if (pair.upstream) pair.upstream.write(copy)
            else pair.pending.push(copy)
          })
        },
        close(client) {
          client.data?.upstream?.end()
          if (client.data) self.pairs.delete(client.data)
        },
      },
    })
    return this
  }

  /** Drops every open connection at once, both ways, like a lost signal. */
  cutAll() {
    for (const p of this.pairs) {
      p.client.terminate()
      p.upstream?.terminate()
    }
    this.pairs.clear()
  }

  /**
   * Freezes the open connections that carried a request `matches` accepts (all by
   * default): they stay open but nothing more reaches the client, so only a client
   * that watches for silence notices.
   */
  freeze(matches: (requestHead: string) => boolean = () => true) {
    for (const p of this.pairs) if (p.heads.some(matches)) p.frozen = true
  }

  refuse(on: boolean) {
    this.refusing = on
  }

  stop() {
    this.cutAll()
    this.listener?.stop(true)
  }
}
