/**
 * Who may read the operational details (`/metrics`, the body of `/healthz`).
 *
 * With METRICS_TOKEN set: whoever sends `Authorization: Bearer <METRICS_TOKEN>`, and
 * nobody else. Without it: only a direct connection from this machine (loopback, no
 * proxy header: nginx on the same host connects from 127.0.0.1 but always adds
 * X-Forwarded-For) and in-process calls (`app.handle`, which has no socket). Everyone
 * else still learns from `/healthz` whether the instance is ok, by its status code.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { Config } from '../config.ts'
import type { AddressSource } from '../http/client-address.ts'

const PROXY_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip', 'x-forwarded-host']
const digest = (s: string) => createHash('sha256').update(s).digest()

export const isLoopback = (address: string) =>
  address === '::1' || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address)

/** Whether this request may see the details. */
export function mayReadDetails(config: Config, request: Request, server: AddressSource | null | undefined): boolean {
  if (config.METRICS_TOKEN) {
    const m = request.headers.get('authorization')?.match(/^Bearer\s+(\S{1,200})\s*$/i)
    // Compared as digests: constant time whatever the lengths.
    return !!m && timingSafeEqual(digest(m[1]), digest(config.METRICS_TOKEN))
  }
  if (!server) return true
  if (PROXY_HEADERS.some((h) => request.headers.has(h))) return false
  // No socket address: an in-process call (`app.handle` on a listening app) or a unix
  // socket, both on this machine.
  const ip = server.requestIP(request)
  if (!ip) return true
  return isLoopback(ip.address)
}
