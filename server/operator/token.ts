/** The operator token: full access to every event, for the glowband CLI on this machine. */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { hashSecret } from '../events/directory.ts'
import type { Runtime } from '../runtime.ts'

/** Each runtime's operator token, hashed like host secrets. */
const tokens = new WeakMap<Runtime, Buffer>()

/** Makes a new operator token for this runtime (one per server start) and returns it. */
export function issueOperatorToken(rt: Runtime): string {
  const token = randomBytes(32).toString('base64url')
  tokens.set(rt, Buffer.from(hashSecret(token)))
  return token
}

/** Whether an Authorization header carries this runtime's operator token (constant time). */
export function isOperator(rt: Runtime, authorization: string | null): boolean {
  const expected = tokens.get(rt)
  const m = authorization?.match(/^Bearer\s+(\S{1,200})$/i)
  return !!expected && !!m && timingSafeEqual(Buffer.from(hashSecret(m[1])), expected)
}
