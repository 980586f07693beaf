/** What every benchmark target offers the orchestrator, and the process helpers they share. */

import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { resolve } from 'node:path'
import type { Subprocess } from 'bun'

export const ROOT = resolve(import.meta.dir, '../../..')

export interface PollInfo {
  id: number
  question: string
  optionIds: number[]
  optionLabels: string[]
}

/** What Postgres holds after the flush (Glowband targets only). */
export interface Truth {
  checkins: number
  messages: number
  /** optionId -> stored votes */
  votes: Record<string, number>
  queueDepth: number
}

export interface Target {
  name: string
  kind: 'glowband' | 'bare' | 'nchan'
  host: string
  port: number
  streamPath: string
  /** Server processes whose CPU and memory are measured. */
  pids(): number[]
  /** Wristbands for `guests` guests (codes) and the poll they vote on. */
  setup(guests: number): Promise<{ codes: string[]; poll: PollInfo | null }>
  /** Postgres truth once the write queue is empty; null where there is none. */
  truth(timeoutMs: number): Promise<Truth | null>
  /** Anything worth keeping from the target's own logs when something went wrong. */
  logs(): string
  stop(): Promise<void>
}

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer()
    srv.once('error', fail)
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port
      srv.close(() => ok(port))
    })
  })
}

/** Collects a child's stderr (bounded) for diagnostics. */
export function collect(proc: Subprocess): () => string {
  let text = ''
  const stream = proc.stderr
  if (stream && typeof stream !== 'number') {
    void (async () => {
      const reader = (stream as ReadableStream<Uint8Array>).getReader()
      const decoder = new TextDecoder()
      for (;;) {
        const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }))
        if (done) break
        text = (text + decoder.decode(value)).slice(-20_000)
      }
    })()
  }
  return () => text
}

export async function waitHealthy(url: string, isDead: () => boolean, logs: () => string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (isDead()) throw new Error(`target exited:\n${logs()}`)
    try {
      const res = await fetch(url)
      if (res.ok) return
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`target not healthy at ${url} within ${timeoutMs} ms:\n${logs()}`)
    await Bun.sleep(100)
  }
}

export async function stopProcess(proc: Subprocess, graceMs = 8000) {
  if (proc.exitCode !== null || proc.signalCode) return
  proc.kill('SIGTERM')
  const done = await Promise.race([proc.exited.then(() => true), Bun.sleep(graceMs).then(() => false)])
  if (!done) {
    proc.kill('SIGKILL')
    await proc.exited
  }
}

const CLK_TCK = 100 // getconf CLK_TCK on Linux; checked by the orchestrator at start

/** utime + stime of a process in seconds, or NaN when it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // fields[0] is field 3 (state); utime and stime are fields 14 and 15
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK
  } catch {
    return Number.NaN
  }
}

/** Resident memory of a process in bytes (VmRSS), or NaN. */
export function rssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) * 1024 : Number.NaN
  } catch {
    return Number.NaN
  }
}

/** Direct children of a process (nginx workers). */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)
  } catch {
    return []
  }
}

/** Reads the Glowband poll the demo event opens, from the public snapshot. */
export async function demoPoll(base: string, timeoutMs = 15_000): Promise<PollInfo> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const res = await fetch(`${base}/api/events/demo/snapshot`)
    const body = (await res.json()) as {
      snapshot: { polls: { id: number; question: string; open: boolean; options: { id: number; label: string }[] }[] }
    }
    const poll = body.snapshot.polls.find((p) => p.open)
    // The poll reaches the snapshot with the ticker's next delta.
    if (poll)
      return {
        id: poll.id,
        question: poll.question,
        optionIds: poll.options.map((o) => o.id),
        optionLabels: poll.options.map((o) => o.label),
      }
    if (Date.now() > deadline) throw new Error('the demo event has no open poll')
    await Bun.sleep(100)
  }
}
