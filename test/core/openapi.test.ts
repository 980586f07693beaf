/**
 * One schema truth: every route the app serves is described in /openapi.json with its
 * method, a summary and a response; routes that take a body say so; the docs page lists
 * every path; and rows written by the product parse with the table schemas drizzle-zod
 * derives from db/schema.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { eq } from 'drizzle-orm'
import { events, polls, wristbandBatches, wristbands } from '../../db/schema.ts'
import { eventRowSchema, pollRowSchema, wristbandBatchRowSchema, wristbandRowSchema } from '../../db/validation.ts'
import { json, seedEvent, startTestServer, type TestServer } from '../support/backends.ts'

const DOCS_ONLY = new Set(['/openapi.json', '/docs/api', '/docs/api.css'])
const toSpecPath = (path: string) => path.replace(/:([^/]+)/g, '{$1}')

interface Media {
  content?: Record<string, { schema?: { properties?: Record<string, unknown> } }>
}
interface Operation {
  summary?: string
  responses?: Record<string, Media>
  requestBody?: Media
}

describe('OpenAPI description', () => {
  let server: TestServer
  let spec: {
    openapi: string
    paths: Record<string, Record<string, Operation>>
  }

  beforeAll(async () => {
    server = await startTestServer('embedded', { start: false })
    const res = await server.fetch('/openapi.json')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('application/json')
    spec = await res.json()
  })
  afterAll(() => server.stop())

  const appRoutes = () =>
    server.app.routes.filter(
      (r) => !DOCS_ONLY.has(r.path) && !r.path.startsWith('/assets') && !r.path.includes('*') && r.method !== 'ALL',
    )

  test('is OpenAPI 3.1 and lists every route with its method', () => {
    expect(spec.openapi).toBe('3.1.0')
    const routes = appRoutes()
    expect(routes.length).toBeGreaterThan(30)
    const missing = routes
      .filter((r) => !spec.paths[toSpecPath(r.path)]?.[r.method.toLowerCase()])
      .map((r) => `${r.method} ${r.path}`)
    expect(missing).toEqual([])
  })

  test('every operation has a summary and a success response', () => {
    const lacking: string[] = []
    for (const [path, item] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const codes = Object.keys(op.responses ?? {})
        if (!op.summary?.trim() || !codes.some((c) => /^[23]\d\d$/.test(c))) lacking.push(`${method} ${path}`)
      }
    }
    expect(lacking).toEqual([])
  })

  test('routes that take a JSON body describe it, with its fields', () => {
    const vote = spec.paths['/api/events/{slug}/votes']?.post
    const schema = vote?.requestBody?.content?.['application/json']?.schema
    expect(schema?.properties).toHaveProperty('pollId')
    expect(schema?.properties).toHaveProperty('optionId')
    const withBody = appRoutes().filter((r) => r.hooks?.body)
    expect(withBody.length).toBeGreaterThan(5)
    for (const r of withBody) {
      const op = spec.paths[toSpecPath(r.path)]?.[r.method.toLowerCase()]
      expect(op?.requestBody?.content?.['application/json']?.schema, `${r.method} ${r.path}`).toBeDefined()
    }
  })

  test('answers are described by the same schemas the routes enforce', () => {
    const created = spec.paths['/api/admin/events/{slug}/polls']?.post?.responses?.['201']
    const body = created?.content?.['application/json']?.schema
    expect(JSON.stringify(body)).toContain('options')
    const status = spec.paths['/api/admin/events/{slug}/status']?.put?.responses?.['200']
    expect(JSON.stringify(status)).toContain('paused')
  })

  test('the docs page lists every path, without scripts', async () => {
    const res = await server.fetch('/docs/api')
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).not.toContain('<script')
    for (const path of Object.keys(spec.paths)) expect(html, path).toContain(path)
  })

  test('rows the product writes parse with the schemas derived from db/schema.ts', async () => {
    const { event, hostSecret } = await seedEvent(server, { wristbands: 3 })
    const auth = { authorization: `Bearer ${hostSecret}` }
    const made = await server.fetch(
      `/api/admin/events/${event.slug}/polls`,
      json({ question: 'Which?', options: ['A', 'B'] }, auth),
    )
    expect(made.status).toBe(201)
    const db = server.rt.database.db
    const [eventRow] = await db.select().from(events).where(eq(events.id, event.id))
    expect(eventRowSchema.safeParse(eventRow).error).toBeUndefined()
    for (const row of await db.select().from(polls).where(eq(polls.eventId, event.id)))
      expect(pollRowSchema.safeParse(row).error).toBeUndefined()
    for (const row of await db.select().from(wristbandBatches).where(eq(wristbandBatches.eventId, event.id)))
      expect(wristbandBatchRowSchema.safeParse(row).error).toBeUndefined()
    const bands = await db.select().from(wristbands).where(eq(wristbands.eventId, event.id))
    expect(bands.length).toBe(3)
    for (const row of bands) expect(wristbandRowSchema.safeParse(row).error).toBeUndefined()
    // and a row that breaks the shape does not parse
    expect(eventRowSchema.safeParse({ ...eventRow, status: 'exploded' }).success).toBe(false)
  })
})
