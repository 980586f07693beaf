/**
 * The HTTP transport: the embedded-mode server owns the database, so the CLI asks it,
 * over /api/operator with the token from DATA_DIR/server.json.
 */
import { ApiFailure } from '../../server/http/errors.ts'
import { CliError } from './args.ts'
import type { Backend } from './backend.ts'

export function openHttp(url: string, token: string, pid: number, publicUrl: string | null): Backend {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    let res: Response
    try {
      res = await fetch(`${url}/api/operator${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      })
    } catch (err) {
      throw new CliError(`the Glowband server at ${url} (pid ${pid}) stopped answering: ${(err as Error).message}`)
    }
    const text = await res.text()
    let data: unknown
    try {
      data = JSON.parse(text)
    } catch {
      throw new CliError(`the server at ${url} answered ${res.status} with something that is not JSON`)
    }
    if (!res.ok) {
      const e = data as { error?: string; message?: string; fields?: Record<string, string> }
      throw new ApiFailure(res.status, e.error ?? 'error', e.message ?? `HTTP ${res.status}`, e.fields)
    }
    return data as T
  }
  const event = (slug: string) => `/events/${encodeURIComponent(slug)}`
  return {
    via: `the running server at ${url} (pid ${pid})`,
    progress: false,
    liveAtOnce: true,
    serverPublicUrl: publicUrl,
    listEvents: () => call('GET', '/events'),
    createEvent: (input) => call('POST', '/events', input),
    createBatch: (slug, input) => call('POST', `${event(slug)}/wristbands`, input),
    batches: (slug) => call('GET', `${event(slug)}/wristbands`),
    revoke: async (slug, target) => {
      // The server takes small bodies on this path: long lists go in parts.
      const parts = target.numbers
        ? chunks(target.numbers, 1000).map((numbers) => ({ numbers }))
        : target.codes
          ? chunks(target.codes, 500).map((codes) => ({ codes }))
          : [target]
      const revoked: number[] = []
      for (const part of parts) {
        try {
          revoked.push(...(await call<{ revoked: number[] }>('POST', `${event(slug)}/wristbands/revoke`, part)).revoked)
        } catch (err) {
          // A part naming no wristband of the event is not an error when another part did.
          if (!(err instanceof ApiFailure && err.status === 404 && parts.length > 1)) throw err
        }
      }
      if (!revoked.length) throw new ApiFailure(404, 'not_found', 'wristband not found')
      return { revoked: revoked.sort((a, b) => a - b) }
    },
    exportBatch: (slug, label) => call('GET', `${event(slug)}/wristbands/export?batch=${encodeURIComponent(label)}`),
    close: async () => {},
  }
}

const chunks = <T>(items: T[], size: number) =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size))
