/**
 * Security headers on every answer: pages, assets, API calls, streams and errors alike
 * (they are set in the first `onRequest`, so even a request refused before the router
 * carries them).
 *
 * The Content-Security-Policy fits the Vite build in dist/client: scripts are module
 * files from this origin only (no inline script, no eval); styles need 'unsafe-inline'
 * because Lit falls back to <style> elements where constructable stylesheets are missing
 * (Safari before 16.4 is a build target) and the templates bind `style=` attributes;
 * the favicon is a data: URL; the wristband CSV download is a blob: URL; streams and
 * /time are fetched from this origin. Nothing may frame the pages (clickjacking the
 * host console), and no page sends a Referer (a wristband's secret code is in the QR URL).
 * HSTS goes out only over https: directly, or behind a proxy that says
 * `X-Forwarded-Proto: https` (a browser ignores HSTS on a plain-http answer, so a forged
 * header cannot do harm).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "media-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

/** Features no page uses are off; the big screen keeps itself awake and goes fullscreen. */
export const PERMISSIONS_POLICY = [
  'camera=()',
  'microphone=()',
  'geolocation=()',
  'payment=()',
  'usb=()',
  'display-capture=()',
  'fullscreen=(self)',
  'screen-wake-lock=(self)',
].join(', ')

export const HSTS = 'max-age=31536000'

const ALWAYS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'permissions-policy': PERMISSIONS_POLICY,
  'cross-origin-opener-policy': 'same-origin',
}

/** Whether the request reached us over https (directly or through a proxy that says so). */
export function overHttps(request: Request): boolean {
  if (request.url.startsWith('https:')) return true
  const proto = request.headers.get('x-forwarded-proto')
  return !!proto && proto.split(',')[0].trim().toLowerCase() === 'https'
}

/** The security headers for an answer to this request. */
export function securityHeaders(request: Request): Record<string, string> {
  return overHttps(request) ? { ...ALWAYS, 'strict-transport-security': HSTS } : ALWAYS
}
