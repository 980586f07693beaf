/**
 * The one error shape of the public interface: `{error, message, fields?}` with a 4xx
 * (or a 503 with Retry-After when a backend is down, or a 500 with an `errorId` for a bug). Services throw `ApiFailure`;
 * app.ts turns it into the response.
 */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
    readonly fields?: Record<string, string>,
    readonly headers?: Record<string, string>,
    readonly errorId?: string,
  ) {
    super(message)
  }
}

export const badRequest = (error: string, message: string, fields?: Record<string, string>) =>
  new ApiFailure(422, error, message, fields)
export const notFound = (what: string) => new ApiFailure(404, 'not_found', `${what} not found`)
export const unauthorized = (message = 'sign in first') => new ApiFailure(401, 'unauthorized', message)
export const conflict = (error: string, message: string) => new ApiFailure(409, error, message)
export const tooMany = (message: string, retryAfterSeconds: number) =>
  new ApiFailure(429, 'rate_limited', message, undefined, { 'retry-after': String(retryAfterSeconds) })
/** A backend we depend on is down: the client keeps the action and retries it later. */
export const unavailable = (message: string, retryAfterSeconds = 2) =>
  new ApiFailure(503, 'unavailable', message, undefined, { 'retry-after': String(retryAfterSeconds) })

/** A bug on our side: the id is in the log line that holds the stack. */
export const internalError = (errorId: string) =>
  new ApiFailure(
    500,
    'internal',
    `unexpected server error (error id ${errorId}); it is logged`,
    undefined,
    { 'x-error-id': errorId },
    errorId,
  )

export function errorResponse(f: ApiFailure): Response {
  const body: Record<string, unknown> = { error: f.error, message: f.message }
  if (f.fields) body.fields = f.fields
  if (f.errorId) body.errorId = f.errorId
  return new Response(JSON.stringify(body), {
    status: f.status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...f.headers },
  })
}
