/**
 * A spike of guest actions against a real server process, for the crash tests: many
 * wristbands checked in, then votes and danmaku sent with bounded concurrency, every
 * answer recorded (202s with the message id, other statuses, connection errors), so a
 * test can kill a dependency mid-spike and count afterwards what was acknowledged.
 * Like a phone, an action that got no answer (or a 503) can be sent again later with
 * the same actionId.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { until } from './backends.ts'

export interface GuestAction {
  /** A stable identity for the test's bookkeeping (also the actionId). */
  key: string
  number: number
  path: 'votes' | 'messages'
  body: Record<string, unknown>
}

export interface Answer {
  status: number | 'error'
  /** The message id a 202 to a danmaku carries. */
  id?: number
  /** The error code of a refusal. */
  error?: string
}

export const jsonPost = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  })

/** The demo event's host headers, once the server wrote its secret to DATA_DIR. */
export async function demoHost(dataDir: string) {
  const file = join(dataDir, 'demo.host-secret')
  await until(() => existsSync(file), 15_000, 50)
  const secret = JSON.parse(readFileSync(file, 'utf8')).secret as string
  return { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }
}

/** Host calls to prepare a spike: wristbands, generous message limits, `polls` open polls of two options. */
export async function prepareDemo(
  url: string,
  host: Record<string, string>,
  opts: { wristbands: number; polls: number },
) {
  const admin = `${url}/api/admin/events/demo`
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${admin}${path}`, {
      method,
      headers: host,
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
    return res.json()
  }
  const { wristbands } = (await call('POST', '/wristbands', { count: opts.wristbands, label: 'spike' })) as {
    wristbands: { number: number; code: string }[]
  }
  await call('PATCH', '/settings', { messagesPerWindow: 1000, messageWindowSeconds: 60 })
  const polls: { id: number; options: { id: number }[] }[] = []
  for (let i = 0; i < opts.polls; i++) {
    const poll = (await call('POST', '/polls', { question: `Spike ${i}?`, options: ['yes', 'no'] })) as {
      id: number
      options: { id: number }[]
    }
    await call('POST', `/polls/${poll.id}/open`)
    polls.push(poll)
  }
  return { wristbands, polls }
}

/** Checks wristbands in (a few at a time) and returns number -> cookie. */
export async function checkInAll(url: string, bands: { number: number; code: string }[]) {
  const cookies = new Map<number, string>()
  for (let i = 0; i < bands.length; i += 20) {
    await Promise.all(
      bands.slice(i, i + 20).map(async (w) => {
        const res = await jsonPost(`${url}/api/events/demo/checkin`, { code: w.code })
        if (res.status !== 200) throw new Error(`check-in ${w.number}: ${res.status} ${await res.text()}`)
        cookies.set(w.number, res.headers.get('set-cookie')!.split(';')[0])
      }),
    )
  }
  return cookies
}

/**
 * One vote per wristband per poll and `messagesEach` danmaku per wristband, interleaved
 * so that every moment of the spike has both kinds.
 */
export function spikeActions(
  numbers: number[],
  polls: { id: number; options: { id: number }[] }[],
  messagesEach: number,
  tag: string,
): GuestAction[] {
  const out: GuestAction[] = []
  const rounds = Math.max(polls.length, messagesEach)
  for (let r = 0; r < rounds; r++) {
    for (const n of numbers) {
      if (r < polls.length) {
        const poll = polls[r]
        const key = `${tag}-vote-${n}-${poll.id}`
        out.push({
          key,
          number: n,
          path: 'votes',
          body: { pollId: poll.id, optionId: poll.options[n % 2].id, actionId: key },
        })
      }
      if (r < messagesEach) {
        const key = `${tag}-msg-${n}-${r}`
        out.push({ key, number: n, path: 'messages', body: { text: key, actionId: key } })
      }
    }
  }
  return out
}

/**
 * Sends actions with `concurrency` in flight, recording each answer in `answers`
 * (a later answer replaces an earlier one). `onAnswer` may call the returned stop().
 * With several instances, each wristband talks to one of them (by its number).
 */
export async function sendAll(
  url: string | string[],
  cookies: Map<number, string>,
  actions: GuestAction[],
  answers: Map<string, Answer>,
  opts: { concurrency: number; onAnswer?: (acked: number) => void },
) {
  let next = 0
  let stopped = false
  let acked = 0
  const urls = typeof url === 'string' ? [url] : url
  const worker = async () => {
    while (!stopped && next < actions.length) {
      const a = actions[next++]
      let answer: Answer
      try {
        const to = urls[a.number % urls.length]
        const res = await jsonPost(`${to}/api/events/demo/${a.path}`, a.body, { cookie: cookies.get(a.number)! })
        const body = (await res.json().catch(() => ({}))) as { id?: number; error?: string }
        answer = { status: res.status, id: body.id, error: body.error }
      } catch {
        answer = { status: 'error' }
      }
      answers.set(a.key, answer)
      if (answer.status === 202) opts.onAnswer?.(++acked)
    }
  }
  const run = Promise.all(Array.from({ length: opts.concurrency }, worker))
  return {
    stop: () => {
      stopped = true
    },
    done: run,
  }
}

/** Sends again, until each gets a 202, every action that has none (a phone's retry queue). */
export async function retryUnanswered(
  url: string | string[],
  cookies: Map<number, string>,
  actions: GuestAction[],
  answers: Map<string, Answer>,
  timeoutMs = 30_000,
) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const pending = actions.filter((a) => answers.get(a.key)?.status !== 202)
    if (!pending.length) return
    if (Date.now() > deadline) {
      const seen = [
        ...new Set(
          pending.map((a) => `${a.path} ${answers.get(a.key)?.status ?? 'unsent'} ${answers.get(a.key)?.error}`),
        ),
      ]
      throw new Error(`${pending.length} actions still not accepted (${seen.join(', ')})`)
    }
    const { done } = await sendAll(url, cookies, pending, answers, { concurrency: 16 })
    await done
    if (actions.some((a) => answers.get(a.key)?.status !== 202)) await Bun.sleep(500)
  }
}
