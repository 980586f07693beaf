/** The client's address, for limits on failures. Behind a proxy we trust X-Forwarded-For. */
import type { Config } from '../config.ts'

export interface AddressSource {
  requestIP(r: Request): { address: string } | null
}

export function clientAddress(config: Config, request: Request, server: AddressSource | null): string {
  if (config.TRUST_PROXY) {
    const fwd = request.headers.get('x-forwarded-for')
    if (fwd) return fwd.split(',').pop()!.trim()
  }
  return server?.requestIP(request)?.address ?? 'unknown'
}
