/**
 * SSE framing (https://html.spec.whatwg.org/multipage/server-sent-events.html): `id:`
 * and `event:` are ours (digits and fixed words), and `data:` is JSON, which never
 * holds a raw line break, so nothing a guest types can inject a field.
 */
const encoder = new TextEncoder()

export const HEARTBEAT = encoder.encode(':\n\n')

export const sseFrame = (id: number, event: string, json: string) =>
  encoder.encode(`id: ${id}\nevent: ${event}\ndata: ${json}\n\n`)

export const retryFrame = (ms: number) => encoder.encode(`retry: ${ms}\n\n`)

export const healthFrame = (live: boolean) => encoder.encode(`event: health\ndata: ${JSON.stringify({ live })}\n\n`)
