/**
 * The path of a request URL as the router sees it. This runs for every request, so a
 * plain URL (no dot segment, escape or backslash that the URL parser would normalise)
 * is read without the parser; anything else goes through it.
 */
export function pathOf(url: string): string {
  const scheme = url.indexOf('://')
  if (scheme > 0 && !url.includes('/.') && !url.includes('%') && !url.includes('\\')) {
    const start = url.indexOf('/', scheme + 3)
    if (start < 0) return '/'
    let end = start
    while (end < url.length && url[end] !== '?' && url[end] !== '#') end++
    return url.slice(start, end)
  }
  return new URL(url).pathname
}

export const isAdminPath = (path: string) => path.startsWith('/api/admin/')
