/**
 * The app's outer layer: body size limits, the JSON body parser, and the one error
 * shape `{error, message, fields?}` every failure turns into.
 */
import { randomBytes } from 'node:crypto'
import { Elysia } from 'elysia'
import type { Runtime } from '../runtime.ts'
import { isDependencyDown } from './dependency-errors.ts'
import { ApiFailure, errorResponse, internalError, unavailable } from './errors.ts'
import { isAdminPath, pathOf } from './paths.ts'

/** Body limits: guest actions are tiny; host uploads (cue sheets, batches) may be larger. */
export const GUEST_BODY_LIMIT = 16 * 1024
export const HOST_BODY_LIMIT = 2 * 1024 * 1024

const bodyLimit = (request: Request) => (isAdminPath(pathOf(request.url)) ? HOST_BODY_LIMIT : GUEST_BODY_LIMIT)
const tooLarge = (limit: number) => new ApiFailure(413, 'body_too_large', `request body is over ${limit} bytes`)

interface ValidationIssue {
  path?: string
  message?: string
}

/** Turns every failure into the public `{error, message, fields?}` shape; never a bare 500. */
export function errorHandling(rt: Runtime) {
  return new Elysia({ name: 'errors' })
    .onRequest(({ request }) => {
      // Refuse early when the size is declared; the parser below checks what actually arrives.
      const declared = Number(request.headers.get('content-length') ?? 0)
      const limit = bodyLimit(request)
      if (declared > limit) return errorResponse(tooLarge(limit))
    })
    .onParse({ as: 'global' }, async ({ request, contentType }) => {
      const text = await request.text()
      const limit = bodyLimit(request)
      if (Buffer.byteLength(text) > limit) throw tooLarge(limit)
      if (!text.trim()) return {}
      if (!contentType?.startsWith('application/json')) {
        throw new ApiFailure(415, 'unsupported_media_type', 'send the body as application/json')
      }
      try {
        return JSON.parse(text)
      } catch {
        throw new ApiFailure(400, 'malformed_body', 'the request body is not valid JSON')
      }
    })
    .onError({ as: 'global' }, ({ code, error, request }) => {
      if (error instanceof ApiFailure) return errorResponse(error)
      // Elysia wraps what our body parser throws.
      const cause = (error as { cause?: unknown }).cause
      if (cause instanceof ApiFailure) return errorResponse(cause)
      switch (code) {
        case 'VALIDATION': {
          const issues: ValidationIssue[] = (error as { all?: ValidationIssue[] }).all ?? []
          const fields: Record<string, string> = {}
          for (const i of issues) {
            const path = (i.path ?? '').replace(/^\//, '').replace(/\//g, '.') || 'body'
            fields[path === 'root' ? 'body' : path] ??= i.message ?? 'invalid'
          }
          const names = Object.keys(fields)
          return errorResponse(new ApiFailure(422, 'invalid_input', `invalid ${names.join(', ') || 'input'}`, fields))
        }
        case 'PARSE':
          return errorResponse(new ApiFailure(400, 'malformed_body', 'the request body is not valid JSON'))
        case 'NOT_FOUND':
          return errorResponse(new ApiFailure(404, 'not_found', 'no such route'))
        case 'INVALID_COOKIE_SIGNATURE':
          return errorResponse(new ApiFailure(401, 'unauthorized', 'invalid cookie'))
      }
      const status = (error as { status?: number }).status
      if (typeof status === 'number' && status >= 400 && status < 500) {
        return errorResponse(new ApiFailure(status, 'bad_request', String((error as Error).message ?? 'bad request')))
      }
      // A dependency going away mid-request is an outage: retry. Anything else is a bug:
      // a 500 with an id that is in the log, which the phone does not retry all night.
      if (isDependencyDown(error)) {
        rt.log.warn('dependency unavailable', { url: request.url, error: String((error as Error)?.message ?? error) })
        return errorResponse(unavailable('a service this server depends on is unavailable; try again shortly'))
      }
      const errorId = randomBytes(6).toString('hex')
      rt.log.error('unhandled error', {
        errorId,
        url: request.url,
        code: String(code),
        error: String((error as Error)?.stack ?? error),
      })
      return errorResponse(internalError(errorId))
    })
}
