/**
 * The event's look (issue 17), on both backends: colours and a title set by the host
 * reach the public event info; logo and background uploads (PNG, JPEG, WebP, told apart
 * by their bytes) are stored and served from a content-hashed URL with a year of cache
 * and nosniff; wrong type, SVG, too big, empty or not base64 get a 4xx naming `image`.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { BACKENDS, clusterReachable, seedEvent, startTestServer, type TestServer } from '../support/backends.ts'

const FIXTURES = join(import.meta.dir, '../fixtures/images')
const fixture = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)))
const b64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64')

for (const backend of BACKENDS) {
  describe(`event look (${backend})`, async () => {
    const skip = backend === 'cluster' && !(await clusterReachable())
    let server: TestServer
    let slug: string
    let secret: string
    const host = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      server.fetch(`/api/admin/events/${slug}${path}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}`, ...headers },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      })
    const upload = (slot: string, image: string) => host('PUT', `/look/images/${slot}`, { image })

    beforeAll(async () => {
      if (skip) return
      server = await startTestServer(backend)
      const seeded = await seedEvent(server, { wristbands: 2 })
      slug = seeded.event.slug
      secret = seeded.hostSecret
    })
    afterAll(async () => {
      if (!skip) await server.stop()
    })

    test.skipIf(skip)('colours and a title reach the public event info; null takes them away', async () => {
      const before = await (await server.fetch(`/api/events/${slug}`)).json()
      expect(before.look).toEqual({})
      const res = await host('PATCH', '/look', { title: 'Aurora Night', accent: '#E0338A', background: '#1B1464' })
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({ title: 'Aurora Night', accent: '#e0338a', background: '#1b1464' })
      const info = await (await server.fetch(`/api/events/${slug}`)).json()
      expect(info.look).toEqual({ title: 'Aurora Night', accent: '#e0338a', background: '#1b1464' })
      // The other settings are untouched, and the settings patch cannot reach the look.
      const event = await (await host('GET', '')).json()
      expect(event.settings.maxMessageLength).toBe(80)
      expect(event.settings.look.accent).toBe('#e0338a')
      const cleared = await (await host('PATCH', '/look', { background: null, title: '' })).json()
      expect(cleared).toEqual({ accent: '#e0338a' })
    })

    test.skipIf(skip)('a bad colour is a 422 naming it', async () => {
      const res = await host('PATCH', '/look', { accent: 'red' })
      expect(res.status).toBe(422)
      expect((await res.json()).fields).toHaveProperty('accent')
      const foreign = await host('PATCH', '/look', { logo: 'https://evil.example/x.png' })
      expect(foreign.status).toBe(422)
      expect((await foreign.json()).fields).toHaveProperty('logo')
    })

    for (const [name, type, width, height] of [
      ['logo.png', 'image/png', 240, 80],
      ['logo.jpg', 'image/jpeg', 240, 80],
      ['logo.webp', 'image/webp', 240, 80],
    ] as const) {
      test.skipIf(skip)(`a ${type} logo is stored and served by its hash, cached for a year`, async () => {
        const bytes = fixture(name)
        const res = await upload('logo', b64(bytes))
        expect(res.status).toBe(201)
        const stored = await res.json()
        expect(stored).toMatchObject({ type, bytes: bytes.length, width, height })
        expect(stored.url).toMatch(/^\/images\/[0-9a-f]{24}\.(png|jpg|webp)$/)
        const info = await (await server.fetch(`/api/events/${slug}`)).json()
        expect(info.look.logo).toBe(stored.url)
        const served = await server.fetch(stored.url)
        expect(served.status).toBe(200)
        expect(served.headers.get('content-type')).toBe(type)
        expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
        expect(served.headers.get('x-content-type-options')).toBe('nosniff')
        expect(new Uint8Array(await served.arrayBuffer())).toEqual(bytes)
      })
    }

    test.skipIf(skip)('a background up to 2 MB is taken, as a data: URL too', async () => {
      const bytes = fixture('background.jpg')
      const res = await upload('background', `data:image/jpeg;base64,${b64(bytes)}`)
      expect(res.status).toBe(201)
      const stored = await res.json()
      expect(stored).toMatchObject({ type: 'image/jpeg', width: 640, height: 360 })
      expect((await (await server.fetch(`/api/events/${slug}`)).json()).look.backgroundImage).toBe(stored.url)
      // A JPEG padded to 1.9 MB (bytes after the end marker) is still under the limit.
      const big = new Uint8Array(1_900_000)
      big.set(bytes)
      expect((await upload('background', b64(big))).status).toBe(201)
      // Wrapped at 76 columns, as `base64` writes it, it is the same image.
      const wrapped = b64(bytes).replace(/.{76}/g, '$&\n')
      const again = await upload('background', wrapped)
      expect(again.status).toBe(201)
      expect((await again.json()).url).toBe(stored.url)
    })

    test.skipIf(skip)('bad uploads get a clear 4xx naming the image field', async () => {
      const cases: [string, string, number, string, RegExp][] = [
        ['logo', '', 422, 'image_empty', /empty/],
        ['logo', '***not base64***', 422, 'image_encoding', /base64/],
        [
          'logo',
          b64('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
          415,
          'image_type',
          /SVG/,
        ],
        ['logo', b64('<?xml version="1.0"?>\n<svg></svg>'), 415, 'image_type', /SVG/],
        ['logo', b64('GIF89a\x01\x00\x01\x00'), 415, 'image_type', /GIF/],
        ['logo', b64('hello, this is a text file called logo.png'), 415, 'image_type', /not a PNG, JPEG or WebP/],
        ['logo', b64(new Uint8Array(600 * 1024).fill(0xff)), 413, 'image_too_large', /512 KB/],
        ['background', b64(new Uint8Array(2 * 1024 * 1024 + 1)), 413, 'image_too_large', /2048 KB/],
      ]
      for (const [slot, image, status, error, message] of cases) {
        const res = await upload(slot, image)
        const body = await res.json()
        expect({ slot, status: res.status, error: body.error }).toEqual({ slot, status, error })
        expect(body.message).toMatch(message)
        expect(body.fields).toHaveProperty('image')
      }
      // A PNG signature with a zero-size header is not an image either.
      const png = fixture('logo.png').slice(0, 64)
      png.fill(0, 16, 24)
      const zero = await upload('logo', b64(png))
      expect(zero.status).toBe(422)
      expect((await zero.json()).fields).toHaveProperty('image')
      // An unknown slot and a missing field name what is wrong.
      const slot = await upload('favicon', b64(fixture('logo.png')))
      expect(slot.status).toBe(422)
      expect((await slot.json()).fields).toHaveProperty('slot')
      const missing = await host('PUT', '/look/images/logo', {})
      expect(missing.status).toBe(422)
      expect((await missing.json()).fields).toHaveProperty('image')
      // The host's secret is needed.
      const anon = await server.fetch(`/api/admin/events/${slug}/look/images/logo`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ image: b64(fixture('logo.png')) }),
      })
      expect(anon.status).toBe(401)
    })

    test.skipIf(skip)('an unknown image is a 404; a malformed name a 422', async () => {
      expect((await server.fetch(`/images/${'0'.repeat(24)}.png`)).status).toBe(404)
      expect((await server.fetch('/images/../../etc/passwd')).status).toBeGreaterThanOrEqual(400)
      expect((await server.fetch('/images/abc.svg')).status).toBe(422)
    })
  })
}
