/** What a guest reads when the server refuses an action, by the public error code. */
import type { ApiError } from '../../../protocol/index.ts'
import { msg, str } from '../lib/i18n.ts'
import type { WaitReason } from '../lib/outbox.ts'

const REASONS = (): Record<string, string> => ({
  poll_not_open: msg('The poll closed before your vote arrived.'),
  unknown_poll: msg('That poll is no longer there.'),
  unknown_option: msg('That option is no longer part of the poll.'),
  wristband_revoked: msg('This wristband no longer works. Ask the staff for help.'),
  empty_message: msg('The message was empty.'),
  blocked_word: msg('It contains a word the host does not allow. Try other words.'),
  unknown_code: msg('That code does not open this event. Check it against your wristband.'),
  invalid_code: msg('That code has a typo. Check each character against your wristband.'),
  rate_limited: msg('Too many tries from this network. Wait a minute, then try again.'),
  unavailable: msg('The server is busy right now. Try again in a moment.'),
  offline: msg('No connection. Check your signal and try again.'),
})

/** A short, friendly sentence for a refusal; the server's own message when we have none. */
export function reasonText(error: Pick<ApiError, 'error' | 'message'>): string {
  const known = REASONS()[error.error]
  if (known) return known
  const m = error.message.trim()
  return m ? m.charAt(0).toUpperCase() + m.slice(1) + (/[.!?]$/.test(m) ? '' : '.') : msg('The server refused it.')
}

/**
 * While the outbox waits out a 429 (rate limit, slow mode): how long, from the server's
 * Retry-After (`retryAt`), never "the connection". Null for any other wait.
 * @example waitText('rate_limited', Date.now() + 7000) // 'Too many at once: wait 7 s, then it is sent by itself.'
 */
export function waitText(reason: WaitReason | null, retryAt: number | null, now = Date.now()): string | null {
  if (reason !== 'rate_limited') return null
  const seconds = Math.max(1, Math.ceil(((retryAt ?? now) - now) / 1000))
  return msg(str`Too many at once: wait ${seconds} s, then it is sent by itself.`)
}
