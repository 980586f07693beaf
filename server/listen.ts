/** How an instance listens: shared by server/index.ts and the tests that attack a real listener. */
import type { Config } from './config.ts'
import { SOCKET_BODY_CAP } from './http/body.ts'

export function serveOptions(config: Config) {
  return {
    port: config.PORT,
    hostname: config.HOST,
    // Finite, not 0: a half-open socket is reaped; SSE heartbeats keep live streams well inside it.
    // (Bun separately closes a connection whose request headers are not complete within
    // about 10 s, however slowly they dribble in: test/stream/abuse.test.ts.)
    idleTimeout: Math.min(255, Math.ceil((config.HEARTBEAT_MS * 2) / 1000) + 10),
    // Far above every route's limit, so an over-size body gets the app's 413 in the error shape.
    maxRequestBodySize: SOCKET_BODY_CAP,
    reusePort: true,
  }
}
