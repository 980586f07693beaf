/**
 * Limits on the request head (URL and headers), checked before anything else runs.
 * Bun's parser refuses a head over 16 KiB itself, with a bare 431 and no body; what
 * gets past it is held to these smaller limits so the refusal is in the error shape.
 * Glowband's own cookies and headers are a few hundred bytes.
 */
import { ApiFailure } from './errors.ts'

export const MAX_URL_BYTES = 4 * 1024
export const MAX_HEADER_BYTES = 8 * 1024

/** The refusal for a request whose URL or headers are too large, or null. */
export function oversizedHead(request: Request): ApiFailure | null {
  if (request.url.length > MAX_URL_BYTES) {
    return new ApiFailure(414, 'uri_too_long', `the request URL is over ${MAX_URL_BYTES} bytes`)
  }
  let total = 0
  for (const [name, value] of request.headers) total += name.length + value.length + 4
  if (total > MAX_HEADER_BYTES) {
    return new ApiFailure(431, 'headers_too_large', `the request headers are over ${MAX_HEADER_BYTES} bytes`)
  }
  return null
}
