/** JSON calls to the server, with the public error shape decoded. */
import type { ApiError } from '../../../protocol/index.ts'

export type ApiResult<T> = { ok: true; status: number; body: T } | { ok: false; status: number; error: ApiError }

/**
 * Sends JSON and decodes the answer; never throws. A network failure is status 0.
 * @example const r = await api<{ number: number }>('POST', '/api/events/demo/checkin', { code })
 */
export async function api<T>(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiResult<T>> {
  try {
    const res = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const data = await res.json().catch(() => null)
    if (res.ok) return { ok: true, status: res.status, body: data as T }
    const error: ApiError =
      data && typeof data.error === 'string'
        ? data
        : { error: `http_${res.status}`, message: `the server answered ${res.status}` }
    return { ok: false, status: res.status, error }
  } catch {
    return { ok: false, status: 0, error: { error: 'offline', message: 'no connection to the server' } }
  }
}

/** The event slug of the current page: /e/:slug[/screen|/admin] */
export const slugFromPath = (path = location.pathname) => decodeURIComponent(path.split('/')[2] ?? '')
