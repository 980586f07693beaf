/**
 * What REDIS_URL names: one Redis (`redis://` or `rediss://`, as ioredis takes it) or a
 * Redis Cluster, `redis+cluster://[user:password@]host:port,host:port,...` (any reachable
 * masters; the client learns the rest from CLUSTER SLOTS). No ioredis import here, so the
 * configuration can check the URL without loading the Redis client.
 */

export const CLUSTER_SCHEME = 'redis+cluster:'

export interface ClusterUrl {
  nodes: { host: string; port: number }[]
  username?: string
  password?: string
}

/** The parts of a `redis+cluster://` URL, null for any other URL; throws if it is malformed. */
export function parseClusterUrl(url: string): ClusterUrl | null {
  const s = url.trim()
  if (!s.toLowerCase().startsWith(`${CLUSTER_SCHEME}//`)) return null
  let rest = s.slice(CLUSTER_SCHEME.length + 2).replace(/\/+$/, '')
  let username: string | undefined
  let password: string | undefined
  const at = rest.lastIndexOf('@')
  if (at >= 0) {
    const auth = rest.slice(0, at)
    rest = rest.slice(at + 1)
    const colon = auth.indexOf(':')
    username = decodeURIComponent(colon >= 0 ? auth.slice(0, colon) : auth) || undefined
    password = colon >= 0 ? decodeURIComponent(auth.slice(colon + 1)) : undefined
  }
  const nodes = rest.split(',').map((part) => {
    const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(part.trim())
    const port = Number(m?.[2])
    if (!m || port < 1 || port > 65535) throw new Error(`not a host:port: "${part}"`)
    return { host: m[1]!.replace(/^\[|\]$/g, ''), port }
  })
  return { nodes, username, password }
}
