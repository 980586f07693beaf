/**
 * The built client is served compressed and cached right: brotli or gzip as the browser
 * asks (q-values honoured) with `Vary: Accept-Encoding`, the content-hashed assets cached
 * for a year as immutable, the HTML and the service worker revalidated every time, and
 * nothing outside the assets folder reachable through it. Needs the client built
 * (`bun run build:client`; `npm test` does it first).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { chooseEncoding } from '../../server/pages/compressed-files.ts'
import { clientDist } from '../../server/pages/routes.ts'
import { startTestServer, type TestServer } from '../support/backends.ts'

test('Accept-Encoding: brotli first, gzip next, q=0 refuses, * stands for the rest', () => {
  expect(chooseEncoding('gzip, deflate, br, zstd')).toBe('br')
  expect(chooseEncoding('gzip, deflate')).toBe('gzip')
  expect(chooseEncoding('br;q=0, gzip;q=0.5')).toBe('gzip')
  expect(chooseEncoding('br;q=0,gzip;q=0')).toBeNull()
  expect(chooseEncoding('identity')).toBeNull()
  expect(chooseEncoding('*')).toBe('br')
  expect(chooseEncoding('br;q=0, *')).toBe('gzip')
  expect(chooseEncoding('BR')).toBe('br')
  expect(chooseEncoding('')).toBeNull()
  expect(chooseEncoding(null)).toBeNull()
})

describe('static files', () => {
  let server: TestServer
  const guestHtml = join(clientDist, 'guest.html')
  let script = ''

  beforeAll(async () => {
    if (!existsSync(guestHtml)) throw new Error('the client is not built: run "bun run build:client" (npm test does)')
    script = /src="\/assets\/([^"]+\.js)"/.exec(readFileSync(guestHtml, 'utf8'))![1]
    server = await startTestServer('embedded', { start: false })
  })
  afterAll(() => server?.stop())

  const get = (path: string, acceptEncoding?: string) =>
    server.fetch(path, { headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } })
  const bytes = async (res: Response) => new Uint8Array(await res.arrayBuffer())

  test('assets: brotli, gzip or plain as asked, with Vary, cached for a year as immutable', async () => {
    const original = new Uint8Array(readFileSync(join(clientDist, 'assets', script)))
    const br = await get(`/assets/${script}`, 'gzip, deflate, br')
    expect(br.status).toBe(200)
    expect(br.headers.get('content-encoding')).toBe('br')
    expect(br.headers.get('vary')).toBe('Accept-Encoding')
    expect(br.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(br.headers.get('content-type')).toContain('javascript')
    const brBody = await bytes(br)
    expect(new Uint8Array(brotliDecompressSync(brBody))).toEqual(original)
    // Compressed for real: a script shrinks to well under half.
    expect(brBody.length).toBeLessThan(original.length / 2)

    const gz = await get(`/assets/${script}`, 'gzip, deflate')
    expect(gz.headers.get('content-encoding')).toBe('gzip')
    expect(gz.headers.get('vary')).toBe('Accept-Encoding')
    expect(new Uint8Array(gunzipSync(await bytes(gz)))).toEqual(original)

    const refused = await get(`/assets/${script}`, 'br;q=0, gzip')
    expect(refused.headers.get('content-encoding')).toBe('gzip')

    const plain = await get(`/assets/${script}`)
    expect(plain.headers.get('content-encoding')).toBeNull()
    expect(plain.headers.get('vary')).toBe('Accept-Encoding')
    expect(await bytes(plain)).toEqual(original)

    // Every answer still carries the security headers.
    expect(br.headers.get('content-security-policy')).toContain("script-src 'self'")
  })

  test('the HTML and the service worker are compressed and revalidated every time', async () => {
    const page = await get('/e/demo', 'gzip, br')
    expect(page.status).toBe(200)
    expect(page.headers.get('cache-control')).toBe('no-cache')
    expect(page.headers.get('content-encoding')).toBe('br')
    expect(page.headers.get('content-type')).toContain('text/html')
    expect(brotliDecompressSync(await bytes(page)).toString()).toBe(readFileSync(guestHtml, 'utf8'))

    const sw = await get('/sw.js', 'gzip')
    expect(sw.status).toBe(200)
    expect(sw.headers.get('cache-control')).toBe('no-cache')
    expect(sw.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(sw.headers.get('content-encoding')).toBe('gzip')
    const code = gunzipSync(await bytes(sw)).toString()
    // The build put the guest page's files in, the entry script among them.
    expect(code).toContain(`"/assets/${script}"`)
    expect(code).not.toContain('__GB_SW_PRECACHE__')
  })

  test('unknown or escaping asset names are a 404 in the error shape', async () => {
    for (const path of ['/assets/nope-123.js', '/assets/..%2Fguest.html', '/assets/../guest.html', '/assets/.hidden']) {
      const res = await get(path, 'br')
      expect(res.status, path).toBe(404)
      expect((await res.json()).error, path).toBe('not_found')
    }
  })
})
