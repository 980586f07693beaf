/** Host sign-in: trade the secret for the httpOnly, SameSite=Strict host cookie. */
import type { HostEvent } from '../../../../protocol/index.ts'
import { type ApiResult, api } from '../../lib/api.ts'
import { adminBase, hostApi } from './host-api.ts'

export type { EventSettings, HostEvent } from '../../../../protocol/index.ts'

/**
 * Sends the secret once, in a POST body (never in a URL, so it stays out of logs and
 * history); the answer sets the host cookie that every later call rides on.
 */
export const startSession = (slug: string, secret: string): Promise<ApiResult<{ ok: true }>> =>
  api('POST', `${adminBase(slug)}/session`, { secret })

/** The event as the host sees it; a 401 means "not signed in here". */
export const loadHostEvent = (slug: string) => hostApi<HostEvent>(slug, 'GET', '')

/**
 * Ends the host session on the server, if the server knows how (DELETE .../session).
 * Returns false when it cannot, so the page can say that this browser keeps access
 * until the cookie expires.
 */
export async function endSession(slug: string): Promise<boolean> {
  const r = await hostApi<unknown>(slug, 'DELETE', '/session')
  return r.ok
}

/** Reads and removes `#key=...` from the address bar before anything else can see or share it. */
export function takeKeyFromFragment(): string | null {
  const hash = location.hash.replace(/^#/, '')
  if (!hash) return null
  const params = new URLSearchParams(hash)
  if (!params.has('key')) return null
  const key = params.get('key')?.trim() ?? ''
  // Replace, not push: the secret must not linger in history or be copied from the address bar.
  history.replaceState(history.state, '', location.pathname + location.search)
  return key || null
}
