/**
 * How many SSE streams one process can hold: each is an open socket, and past the
 * process's open-file limit the kernel refuses new connections without a word (phones
 * waited 10 s for nothing, and nothing was logged). The hub refuses streams clearly
 * before that, leaving headroom for everything else a process opens: the listening
 * socket, database and Redis connections, the embedded database's files, and the short
 * requests (votes, messages, polls, /healthz) of the very phones holding the streams.
 */
import { readFileSync } from 'node:fs'

/** Used when the limit cannot be read: the common default soft limit. */
const FALLBACK_LIMIT = 1024
/** With no open-file limit at all, still a finite cap (memory runs out somewhere). */
const UNLIMITED_STREAMS = 1_000_000

/** The soft "Max open files" of a /proc/<pid>/limits text; Infinity for "unlimited", null if absent. */
export function parseOpenFileLimit(limits: string): number | null {
  const m = /^Max open files\s+(\S+)/m.exec(limits)
  if (!m) return null
  if (m[1] === 'unlimited') return Number.POSITIVE_INFINITY
  const n = Number(m[1])
  return Number.isFinite(n) && n > 0 ? n : null
}

/** This process's open-file limit (`ulimit -n`), or null when it cannot be found out. */
export function openFileLimit(): number | null {
  try {
    return parseOpenFileLimit(readFileSync('/proc/self/limits', 'utf8'))
  } catch {
    // Not Linux: ask a shell, which inherits our limits.
  }
  try {
    const out = Bun.spawnSync(['sh', '-c', 'ulimit -n']).stdout.toString().trim()
    if (out === 'unlimited') return Number.POSITIVE_INFINITY
    const n = Number(out)
    return Number.isFinite(n) && n > 0 ? n : null
  } catch {
    return null
  }
}

/**
 * Streams one instance takes by default: the open-file limit minus a tenth of it (at
 * least 256) for everything else. 20,000 files give 18,000 streams; 1,024 give 768.
 */
export function defaultMaxStreams(limit: number | null): number {
  const files = limit ?? FALLBACK_LIMIT
  if (!Number.isFinite(files)) return UNLIMITED_STREAMS
  const headroom = Math.max(256, Math.ceil(files / 10))
  return Math.max(1, Math.min(UNLIMITED_STREAMS, files - headroom))
}
