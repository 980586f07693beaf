/**
 * The app's outer layer: body size limits, the JSON body parser, and the one error
 * shape `{error, message, fields?}` every failure turns into.
 */
import { randomBytes } from 'node:crypto'
import { Elysia } from 'elysia'
import type { Runtime } from '../runtime.ts'
import { readJsonBody, tooLarge } from './body.ts'
import { isDependencyDown } from './dependency-errors.ts'
import { ApiFailure, errorResponse, internalError, unavailable } from './errors.ts'
import { oversizedHead } from './limits.ts'
import { isAdminPath, pathOf } from './paths.ts'

/**
 * Body limits: guest actions are tiny; host uploads (cue sheets, batches) may be larger.
 * Host sign-in is open to anyone, so its body is held to the guest limit.
 */
export const GUEST_BODY_LIMIT = 16 * 1024
export const HOST_BODY_LIMIT = 2 * 1024 * 1024
/** A look image goes up as base64 in JSON: a 2 MB background is 2.7 MB of text. */
export const IMAGE_BODY_LIMIT = 3 * 1024 * 1024

const SIGN_IN_PATH = /^\/api\/admin\/events\/[^/]+\/session\/?$/
const IMAGE_PATH = /^\/api\/admin\/events\/[^/]+\/look\/images\/[^/]+$/
const bodyLimit = (request: Request) => {
  const path = pathOf(request.url)
  if (IMAGE_PATH.test(path)) return IMAGE_BODY_LIMIT
  return isAdminPath(path) && !SIGN_IN_PATH.test(path) ? HOST_BODY_LIMIT : GUEST_BODY_LIMIT
}

interface ValidationIssue {
  path?: string
  message?: string
}

/**
 * Turns every failure into the public `{error, message, fields?}` shape; never a bare 500.
 * Every route that takes a body reads it through `readJsonBody`: bounded, JSON only,
 * nesting checked before parsing (with the Content-Type header itself: Elysia's
 * `contentType` drops the charset).
 */
export function errorHandling(rt: Runtime) {
  return new Elysia({ name: 'errors' })
    .onRequest(({ request }) => {
      const head = oversizedHead(request)
      if (head) return errorResponse(head)
      // Refuse early when the size is declared; the parser below checks what actually arrives.
      const declared = Number(request.headers.get('content-length') ?? 0)
      const limit = bodyLimit(request)
      if (declared > limit) return errorResponse(tooLarge(limit))
    })
    .onParse({ as: 'global' }, ({ request }) =>
      readJsonBody(request, request.headers.get('content-type'), bodyLimit(request)),
    )
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
      // A percent escape that does not decode (in a path or a cookie) is the client's mistake.
      if (error instanceof URIError) {
        return errorResponse(new ApiFailure(400, 'malformed_url', 'the request has a malformed percent escape'))
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
