/**
 * Signed, httpOnly cookies: one per event for a checked-in guest (bound to the
 * wristband number) and one per event for a signed-in host. The signing key lives
 * in Postgres (app_secrets) so every instance of a deployment shares it. `setCookie` also
 * writes the guest page's readable check-in mark (CHECKED_IN_MARK), which carries nothing secret.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { appSecrets } from '../../db/schema.ts'
import type { Database } from '../database/connect.ts'

export const guestCookieName = (eventId: number) => `gb_g${eventId}`
export const hostCookieName = (eventId: number) => `gb_h${eventId}`

/** Loads the deployment's signing key, creating it on the very first start. */
export async function loadSigningKey(db: Database): Promise<Buffer> {
  await db
    .insert(appSecrets)
    .values({ name: 'cookie-signing-key', value: randomBytes(32).toString('base64url') })
    .onConflictDoNothing()
  const [row] = await db.select().from(appSecrets).where(eq(appSecrets.name, 'cookie-signing-key'))
  return Buffer.from(row.value, 'base64url')
}

export class Signer {
  constructor(private key: Buffer) {}

  private mac(payload: string) {
    return createHmac('sha256', this.key).update(payload).digest('base64url')
  }

  /** @example signer.sign('g.3.1042') // 'g.3.1042.<mac>' */
  sign(payload: string): string {
    return `${payload}.${this.mac(payload)}`
  }

  /** The payload if the signature is good, else null. */
  verify(value: string | undefined | null): string | null {
    if (!value || value.length > 256) return null
    const dot = value.lastIndexOf('.')
    if (dot <= 0) return null
    const payload = value.slice(0, dot)
    const given = Buffer.from(value.slice(dot + 1))
    const expected = Buffer.from(this.mac(payload))
    return given.length === expected.length && timingSafeEqual(given, expected) ? payload : null
  }

  guestCookie(eventId: number, number: number) {
    return this.sign(`g.${eventId}.${number}`)
  }

  /** The wristband number a guest cookie is bound to, for this event only. */
  guestNumber(eventId: number, cookie: string | undefined | null): number | null {
    const payload = this.verify(cookie)
    const m = payload?.match(/^g\.(\d+)\.(\d+)$/)
    return m && Number(m[1]) === eventId ? Number(m[2]) : null
  }

  hostCookie(eventId: number, secretHash: string) {
    // Bound to the secret's hash: rotating the host secret signs every host out.
    return this.sign(`h.${eventId}.${secretHash.slice(0, 16)}`)
  }

  isHost(eventId: number, secretHash: string, cookie: string | undefined | null) {
    return this.verify(cookie) === `h.${eventId}.${secretHash.slice(0, 16)}`
  }
}

/** Reads one cookie from a Cookie header without pulling in a parser. */
export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      // A value that does not decode (`gb_h2=%`) is no cookie of ours: skipped, not a failure.
      try {
        return decodeURIComponent(part.slice(eq + 1).trim())
      } catch {}
    }
  }
  return undefined
}

/**
 * A Set-Cookie value. Guests use SameSite=Lax so the QR scan (a top-level GET from the
 * camera app) carries the cookie; every guest write is a JSON POST, which a cross-site
 * form cannot send. Hosts use Strict. `maxAgeSeconds: 0` clears the cookie.
 */
export function setCookie(
  name: string,
  value: string,
  opts: { path?: string; maxAgeSeconds: number; secure: boolean; sameSite?: 'Lax' | 'Strict'; readable?: boolean },
) {
  return [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${opts.path ?? '/'}`,
    `Max-Age=${opts.maxAgeSeconds}`,
    opts.readable ? '' : 'HttpOnly',
    `SameSite=${opts.sameSite ?? 'Lax'}`,
    opts.secure ? 'Secure' : '',
  ]
    .filter(Boolean)
    .join('; ')
}
