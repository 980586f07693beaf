/**
 * The pages (guest, screen, admin, the public raffle check) and their assets, built by Vite into
 * dist/client. Every event URL serves the same HTML; the page reads its slug from the path.
 * Everything is served compressed (compressed-files.ts). Caching: the HTML and the service
 * worker are `no-cache` (always revalidated, so a new build shows at once), the assets,
 * named by content hash, are cached for good.
 */
import { join, resolve } from 'node:path'
import { Elysia } from 'elysia'
import { notFound } from '../http/errors.ts'
import type { Runtime } from '../runtime.ts'
import { serveFile } from './compressed-files.ts'

export const clientDist = resolve(import.meta.dir, '../../dist/client')

export const HTML_CACHE = 'no-cache'
export const ASSET_CACHE = 'public, max-age=31536000, immutable'

/** A Vite asset's file name: flat, no leading dot (so never `..`). */
const ASSET_NAME = /^[\w-][\w.-]{0,200}$/

const page =
  (name: string) =>
  async ({ request }: { request: Request }) =>
    (await serveFile(join(clientDist, `${name}.html`), request, { 'cache-control': HTML_CACHE })) ??
    new Response(`The client is not built: run "npm run build:client".`, { status: 503 })

export function pageRoutes(_rt: Runtime) {
  return (
    new Elysia({ name: 'pages' })
      .get('/', page('index'))
      .get('/e/:slug', page('guest'))
      .get('/e/:slug/screen', page('screen'))
      .get('/e/:slug/admin', page('admin'))
      .get('/e/:slug/raffles/:id/verify', page('verify'))
      // The guest page's service worker (client/src/sw): at the root, so its scope can cover /e/.
      .get('/sw.js', async ({ request }) => {
        const res = await serveFile(join(clientDist, 'sw.js'), request, {
          'cache-control': HTML_CACHE,
          'content-type': 'text/javascript; charset=utf-8',
        })
        if (!res) throw notFound('service worker (build the client)')
        return res
      })
      .get(
        '/assets/*',
        async ({ request, params }) => {
          const name = params['*']
          const res = ASSET_NAME.test(name)
            ? await serveFile(join(clientDist, 'assets', name), request, { 'cache-control': ASSET_CACHE })
            : null
          if (!res) throw notFound('asset')
          return res
        },
        { detail: { hide: true } },
      )
  )
}
