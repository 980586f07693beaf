/**
 * The pages (guest, screen, admin, the public raffle check) and their assets, built by Vite into
 * dist/client. Every event URL serves the same HTML; the page reads its slug from the path.
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { staticPlugin } from '@elysiajs/static'
import { Elysia } from 'elysia'
import type { Runtime } from '../runtime.ts'

export const clientDist = resolve(import.meta.dir, '../../dist/client')

const page = (name: string) => {
  const path = join(clientDist, `${name}.html`)
  return () =>
    existsSync(path)
      ? new Response(Bun.file(path), {
          headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' },
        })
      : new Response(`The client is not built: run "npm run build:client".`, { status: 503 })
}

export function pageRoutes(_rt: Runtime) {
  const app = new Elysia({ name: 'pages' })
    .get('/', page('index'))
    .get('/e/:slug', page('guest'))
    .get('/e/:slug/screen', page('screen'))
    .get('/e/:slug/admin', page('admin'))
    .get('/e/:slug/raffles/:id/verify', page('verify'))
  if (existsSync(join(clientDist, 'assets'))) {
    // Vite names assets by content hash, so they can be cached for good.
    app.use(
      staticPlugin({
        assets: join(clientDist, 'assets'),
        prefix: '/assets',
        headers: { 'cache-control': 'public, max-age=31536000, immutable' },
      }),
    )
  }
  return app
}
