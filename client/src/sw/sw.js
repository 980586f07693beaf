/**
 * The guest page's service worker, so a phone that reloads without signal still opens
 * the event. Plain JavaScript, not bundled: client/vite.config.ts copies it to
 * dist/client/sw.js (served at /sw.js, scope /e/) with the build's list of the guest
 * page's files and a version in place of the two placeholders, so each build installs a
 * new worker and drops the old files.
 *
 * - The guest page (`/e/:slug`): network first, so a new build shows at once; the last
 *   answer is kept as the shell (every event's guest page is the same HTML), and opens the
 *   page when the network does not answer within a few seconds.
 * - `/assets/*`: named by content hash, so cache first; the guest page's files (the lazy
 *   light-show chunk too) are fetched at install.
 * - The last state: each time the page opens its stream, the worker fetches the event's
 *   snapshot and keeps it; a page that starts without one (a new tab, offline) polls
 *   `/api/events/:slug/snapshot`, and gets the kept one when the network is down. Polls
 *   with `?since=` are left to fail offline, so the page says it is reconnecting.
 * - Everything else (the other pages, API calls, every POST) is left to the browser: the
 *   page keeps its own state (localStorage) and its actions in the outbox
 *   (client/src/lib/outbox.ts), which sends them when the browser is back online.
 */
const VERSION = '__GB_SW_VERSION__'
/** @type {string[]} */
const PRECACHE = JSON.parse('__GB_SW_PRECACHE__')
const SHELL_CACHE = `gb-shell-${VERSION}`
const STATE_CACHE = 'gb-state-v1'
/** The cache key of the guest page's HTML. */
const SHELL = '/e/__shell__'
/** How long a navigation waits for the network before opening the kept page (lie-fi). */
const NAVIGATION_TIMEOUT_MS = 4000

const GUEST_PAGE = /^\/e\/[^/]+\/?$/
const STATE_PATH = /^\/api\/events\/([^/]+)\/(snapshot|stream)$/

/** @type {any} */
const sw = self

/** A guest page's HTML into the shell cache: the page that registered us, at install. */
async function keepShell(cache) {
  const windows = await sw.clients.matchAll({ type: 'window', includeUncontrolled: true })
  const guest = windows.map((c) => new URL(c.url)).find((u) => GUEST_PAGE.test(u.pathname))
  if (!guest) return
  const res = await fetch(guest.pathname, { cache: 'no-cache' })
  if (res.ok) await cache.put(SHELL, res)
}

sw.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL_CACHE)
      await cache.addAll(PRECACHE)
      await keepShell(cache).catch(() => {})
      await sw.skipWaiting()
    })(),
  )
})

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith('gb-shell-') && name !== SHELL_CACHE) await caches.delete(name)
      }
      await sw.clients.claim()
      // The page that installed us opened its stream before we were there: keep its state now.
      for (const c of await sw.clients.matchAll({ type: 'window' })) {
        const path = new URL(c.url).pathname
        if (GUEST_PAGE.test(path)) await keepState(path.split('/')[2]).catch(() => {})
      }
    })(),
  )
})

/** The network's answer, or null when it fails or takes longer than `ms`. */
function network(request, ms) {
  return new Promise((resolve) => {
    const timer = ms ? setTimeout(() => resolve(null), ms) : null
    fetch(request).then(
      (res) => {
        if (timer) clearTimeout(timer)
        resolve(res)
      },
      () => {
        if (timer) clearTimeout(timer)
        resolve(null)
      },
    )
  })
}

async function guestPage(request) {
  const cache = await caches.open(SHELL_CACHE)
  const res = await network(request, NAVIGATION_TIMEOUT_MS)
  if (res?.ok) {
    await cache.put(SHELL, res.clone())
    return res
  }
  return res ?? (await cache.match(SHELL)) ?? Response.error()
}

async function asset(request) {
  const kept = await caches.match(request)
  if (kept) return kept
  const res = await fetch(request)
  if (res.ok) await (await caches.open(SHELL_CACHE)).put(request, res.clone())
  return res
}

async function keepState(slug) {
  const url = `/api/events/${slug}/snapshot`
  const res = await fetch(url, { cache: 'no-store' })
  if (res.ok) await (await caches.open(STATE_CACHE)).put(url, res)
}

/** Keeps the state when a guest page (not the big screen, say) opens its stream. */
async function keepStateFor(clientId, slug) {
  const client = clientId ? await sw.clients.get(clientId) : null
  if (client && GUEST_PAGE.test(new URL(client.url).pathname)) await keepState(slug)
}

async function snapshot(request, url) {
  const res = await network(request, 0)
  const cache = await caches.open(STATE_CACHE)
  if (res?.ok) {
    await cache.put(url.pathname, res.clone())
    return res
  }
  return res ?? (await cache.match(url.pathname)) ?? Response.error()
}

sw.addEventListener('fetch', (event) => {
  const request = event.request
  if (request.method !== 'GET') return
  const url = new URL(request.url)
  if (url.origin !== location.origin) return
  if (request.mode === 'navigate' && GUEST_PAGE.test(url.pathname)) {
    event.respondWith(guestPage(request))
  } else if (url.pathname.startsWith('/assets/')) {
    event.respondWith(asset(request))
  } else {
    const state = STATE_PATH.exec(url.pathname)
    if (!state) return
    if (state[2] === 'stream') event.waitUntil(keepStateFor(event.clientId, state[1]).catch(() => {}))
    else if (!url.searchParams.has('since')) event.respondWith(snapshot(request, url))
  }
})
