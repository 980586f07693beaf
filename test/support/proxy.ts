/**
 * A TCP proxy for fault tests: forwards 127.0.0.1:<port> to an upstream port, can cut
 * every open connection (a phone losing signal) and refuse new ones for a while, and
 * remembers the start of each request it forwarded (to check Last-Event-ID).
 */
import type { Socket, TCPSocketListener } from 'bun'

interface Pair {
  client: Socket<Pair>
  upstream: Socket<unknown> | null
  pending: Uint8Array[]
}

export class CuttableProxy {
  readonly requests: string[] = []
  private listener: TCPSocketListener<Pair> | null = null
  private pairs = new Set<Pair>()
  private refusing = false

  constructor(private upstreamPort: number) {}

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
          const pair: Pair = { client, upstream: null, pending: [] }
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
                pair.client.write(chunk)
              },
              close() {
                pair.client.end()
                self.pairs.delete(pair)
              },
            },
          }).catch(() => client.terminate())
        },
        data(client, chunk) {
          self.requests.push(chunk.toString().split('\r\n\r\n')[0])
          if (client.data.upstream) client.data.upstream.write(chunk)
          else client.data.pending.push(new Uint8Array(chunk))
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

  refuse(on: boolean) {
    this.refusing = on
  }

  stop() {
    this.cutAll()
    this.listener?.stop(true)
  }
}
