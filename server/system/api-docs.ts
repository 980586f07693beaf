/**
 * The API's description, generated from the routes' own schemas: `GET /openapi.json`
 * (OpenAPI 3.1, by @elysiajs/openapi) and `GET /docs/api`, a plain page that reads it
 * without any script or CDN, so it works on a venue network with no internet.
 */
import { toOpenAPISchema } from '@elysiajs/openapi'
import { type AnyElysia, Elysia } from 'elysia'
import { z } from 'zod'
import pkg from '../../package.json' with { type: 'json' }
import { renderApiDocs, styles } from './api-docs-page.ts'
import { ROUTE_SUMMARIES } from './api-summaries.ts'

/** Which part of the product a path belongs to, for grouping in the spec and on the page. */
export function tagOf(path: string): string {
  if (path.startsWith('/api/admin/')) return 'host'
  if (path.startsWith('/api/operator/')) return 'operator'
  if (path.startsWith('/api/events/') || path.startsWith('/w/')) return 'guest'
  if (path.startsWith('/cues/')) return 'show'
  if (path === '/' || path.startsWith('/e/')) return 'pages'
  return 'system'
}

const TAGS = [
  { name: 'guest', description: 'What a phone does: check in, read its own state, vote, send danmaku. Guest cookie.' },
  {
    name: 'host',
    description:
      'The admin page: polls, moderation, raffles, the show, wristbands. Host cookie or `Bearer <host secret>`.',
  },
  {
    name: 'operator',
    description: 'The glowband CLI against an embedded server. `Bearer <token from DATA_DIR/server.json>`.',
  },
  { name: 'show', description: 'Cue sheets of the light show: public, immutable, cached for good.' },
  { name: 'system', description: 'Clock, health and metrics.' },
  { name: 'pages', description: 'The three pages: guest (phone), screen, admin.' },
]

/** What routes without a JSON schema answer: the pages are HTML, the rest says so in its summary. */
const PLAIN_ANSWERS: Record<string, Record<string, object>> = {
  pages: { '200': { description: 'An HTML page', content: { 'text/html': { schema: { type: 'string' } } } } },
  guest: { '302': { description: 'Checked in: a guest cookie is set and the phone is sent to its event page' } },
  show: { '200': { description: 'The cue sheet, immutable', content: { 'application/json': {} } } },
  system: { '200': { description: 'See the summary' } },
  host: { '200': { description: 'See the summary' } },
  operator: { '200': { description: 'See the summary' } },
}

export interface Spec {
  openapi: string
  info: { title: string; version: string; description?: string }
  tags: { name: string; description: string }[]
  paths: Record<string, Record<string, object>>
  components: Record<string, unknown>
}

export function buildSpec(app: AnyElysia): Spec {
  const { paths, components } = toOpenAPISchema(
    app,
    { staticFile: true },
    undefined,
    { zod: (schema: z.ZodType) => z.toJSONSchema(schema, { unrepresentable: 'any', io: 'output' }) },
    '3.1.0',
  )
  type Operation = {
    tags?: string[]
    summary?: string
    requestBody?: { content?: Record<string, unknown> }
    responses?: Record<string, unknown>
  }
  const operations = paths as Record<string, Record<string, Operation>>
  for (const [path, item] of Object.entries(operations)) {
    for (const op of Object.values(item)) op.tags ??= [tagOf(path)]
  }
  // Our own JSON body parser (http/error-handling.ts) hides the body's media type from
  // the generator, so the request bodies are described here from the routes' schemas.
  for (const route of app.routes) {
    const op = operations[route.path.replace(/:([^/]+)/g, '{$1}')]?.[route.method.toLowerCase()]
    if (!op) continue
    op.summary ??= ROUTE_SUMMARIES[`${route.method} ${route.path}`]
    if (!op.responses || !Object.keys(op.responses).length) op.responses = PLAIN_ANSWERS[tagOf(route.path)]
    const body = route.hooks?.body
    if (!(body instanceof z.ZodType)) continue
    op.requestBody = {
      required: true,
      content: { 'application/json': { schema: z.toJSONSchema(body, { unrepresentable: 'any', io: 'input' }) } },
    } as Operation['requestBody']
  }
  // The generator leaves out every path with a dot in it (it takes them for static files);
  // ours are routes like any other (/sw.js), so they are described here.
  for (const route of app.routes) {
    if (!route.path.includes('.') || route.path.includes('*') || route.hooks?.detail?.hide) continue
    const item = (operations[route.path.replace(/:([^/]+)/g, '{$1}')] ??= {})
    item[route.method.toLowerCase()] ??= {
      tags: [tagOf(route.path)],
      summary: ROUTE_SUMMARIES[`${route.method} ${route.path}`],
      responses: PLAIN_ANSWERS[tagOf(route.path)],
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Glowband API',
      version: pkg.version,
      description:
        'Every route of a Glowband server. Errors are `{error, message, fields?}` with a 4xx (bad input) or a 503 with Retry-After (a dependency is down). docs/protocol.md describes the live stream.',
    },
    tags: TAGS,
    paths: paths as Spec['paths'],
    components: {
      ...components,
      securitySchemes: {
        hostSecret: { type: 'http', scheme: 'bearer', description: 'The host secret printed when the event was made' },
        hostCookie: { type: 'apiKey', in: 'cookie', name: 'gb_h<eventId>' },
        guestCookie: { type: 'apiKey', in: 'cookie', name: 'gb_g<eventId>' },
      },
    },
  }
}

/** The docs routes; `app` is the whole app, read once on the first request (every route is known by then). */
export function apiDocsRoutes(app: () => AnyElysia) {
  let spec: Spec | undefined
  let page: string | undefined
  const specOf = () => {
    spec ??= buildSpec(app())
    return spec
  }
  const hidden = { detail: { hide: true } }
  return new Elysia({ name: 'api-docs' })
    .get('/openapi.json', () => Response.json(specOf(), { headers: { 'cache-control': 'no-cache' } }), hidden)
    .get(
      '/docs/api',
      () => {
        page ??= renderApiDocs(specOf())
        return new Response(page, {
          headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' },
        })
      },
      hidden,
    )
    .get(
      '/docs/api.css',
      () => new Response(styles, { headers: { 'content-type': 'text/css; charset=utf-8' } }),
      hidden,
    )
}
