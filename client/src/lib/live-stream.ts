/**
 * The client side of the live stream, shared by every page: opens the SSE stream,
 * applies deltas in order with the same `applyDelta` as the server, resumes from the
 * last id (also across a page reload), falls back to polling the snapshot endpoint when
 * SSE keeps failing, and goes back to SSE when it can.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit'
import { applyDelta } from '../../../protocol/apply-delta.ts'
import type { AdminView, Delta, Snapshot } from '../../../protocol/index.ts'

/** `polling` while the fallback answers; `reconnecting` while nothing does. */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'polling'

export interface LiveStreamOptions {
  /** SSE URL, e.g. /api/events/demo/stream */
  streamUrl: string
  /** Polling URL, e.g. /api/events/demo/snapshot */
  snapshotUrl: string
  /** Called after every change of snapshot, state or health. */
  onChange: (stream: LiveStream) => void
  /** Called with each delta applied, for what is not kept in the snapshot (the reactions of a tick). */
  onDelta?: (delta: Delta) => void
  /** Consecutive SSE failures before falling back to polling. */
  failuresBeforePolling?: number
  pollMs?: number
  /** While polling, how often to try SSE again. */
  retrySseMs?: number
  /** Where the snapshot survives a reload (sessionStorage key); null to disable. */
  storageKey?: string | null
}

type WithAdmin = Snapshot & { admin?: AdminView }

export class LiveStream {
  snapshot: Snapshot | null = null
  admin: AdminView | null = null
  state: ConnectionState = 'connecting'
  /** The server says its live backend is degraded (counts may lag). */
  degraded = false
  /** When the snapshot last changed or was confirmed current (ms). */
  freshAt = 0
  private es: EventSource | null = null
  private failures = 0
  private pollTimer: ReturnType<typeof setTimeout> | null = null
  private polling = false
  private sseRetryTimer: ReturnType<typeof setTimeout> | null = null
  private etag: string | null = null
  private stopped = true
  private opts: Required<LiveStreamOptions>

  constructor(opts: LiveStreamOptions) {
    this.opts = {
      failuresBeforePolling: 3,
      pollMs: 2000,
      retrySseMs: 15_000,
      onDelta: () => {},
      storageKey: `gb-seq:${opts.streamUrl}`,
      ...opts,
    }
  }

  get seq(): number | null {
    return this.snapshot ? this.snapshot.seq : null
  }

  start() {
    this.stopped = false
    const saved = this.restore()
    if (saved) {
      const { admin, ...snapshot } = saved
      this.snapshot = snapshot
      this.admin = admin ?? null
      this.opts.onChange(this)
    }
    this.openSse(this.seq)
  }

  stop() {
    this.stopped = true
    this.persist(true)
    this.es?.close()
    this.es = null
    if (this.pollTimer) clearTimeout(this.pollTimer)
    if (this.sseRetryTimer) clearTimeout(this.sseRetryTimer)
  }

  /**
   * The snapshot (and host view) a previous load of this page kept, so a reload resumes
   * with only the missed deltas instead of starting over.
   */
  private restore(): WithAdmin | null {
    if (!this.opts.storageKey) return null
    try {
      const raw = sessionStorage.getItem(this.opts.storageKey)
      const parsed = raw ? (JSON.parse(raw) as WithAdmin) : null
      return parsed && typeof parsed.seq === 'number' && Array.isArray(parsed.polls) ? parsed : null
    } catch {
      return null
    }
  }

  private lastPersist = 0
  private persist(force = false) {
    if (!this.opts.storageKey || !this.snapshot) return
    const now = Date.now()
    // At most once a second: a reload needs a recent seq, not every one.
    if (!force && now - this.lastPersist < 1000) return
    this.lastPersist = now
    try {
      const kept: WithAdmin = this.admin ? { ...this.snapshot, admin: this.admin } : this.snapshot
      sessionStorage.setItem(this.opts.storageKey, JSON.stringify(kept))
    } catch {
      // private mode or full: resume still works within the page
    }
  }

  private changed() {
    this.freshAt = Date.now()
    this.persist()
    this.opts.onChange(this)
  }

  private setState(state: ConnectionState) {
    if (this.state === state) return
    this.state = state
    this.opts.onChange(this)
  }

  /**
   * Opens SSE. A page that holds a snapshot (kept across a reload, or from polling)
   * passes its seq as a query parameter, since EventSource sends Last-Event-ID only on
   * its own reconnects; the server answers with exactly the missed deltas or a snapshot.
   */
  private openSse(fromSeq: number | null) {
    this.es?.close()
    const url = fromSeq !== null ? `${this.opts.streamUrl}?lastEventId=${fromSeq}` : this.opts.streamUrl
    const es = new EventSource(url)
    this.es = es
    es.addEventListener('open', () => {
      this.failures = 0
      this.stopPolling()
      this.setState('live')
    })
    es.addEventListener('snapshot', (e) => {
      const data = JSON.parse((e as MessageEvent).data) as WithAdmin
      const { admin, ...snapshot } = data
      this.snapshot = snapshot
      if (admin) this.admin = admin
      this.failures = 0
      this.setState('live')
      this.changed()
    })
    es.addEventListener('delta', (e) => {
      this.failures = 0
      this.onDelta(JSON.parse((e as MessageEvent).data) as Delta)
    })
    es.addEventListener('health', (e) => {
      this.degraded = !JSON.parse((e as MessageEvent).data).live
      this.opts.onChange(this)
    })
    es.addEventListener('error', () => {
      if (this.stopped || es !== this.es) return
      this.failures++
      if (es.readyState === EventSource.CLOSED || this.failures >= this.opts.failuresBeforePolling) {
        es.close()
        this.es = null
        this.startPolling()
      } else {
        this.setState('reconnecting')
      }
    })
  }

  private onDelta(delta: Delta) {
    const current = this.snapshot
    if (!current || delta.seq <= current.seq) return // a repeat after a resume: already applied
    if (delta.seq !== current.seq + 1) {
      // A gap should never happen; if it does, start over from a fresh snapshot.
      this.snapshot = null
      this.openSse(null)
      return
    }
    const { admin, ...pub } = delta
    this.snapshot = applyDelta(current, pub)
    if (admin) this.admin = admin
    this.opts.onDelta(pub)
    this.changed()
  }

  private stopPolling() {
    this.polling = false
    if (this.pollTimer) clearTimeout(this.pollTimer)
    if (this.sseRetryTimer) clearTimeout(this.sseRetryTimer)
    this.pollTimer = this.sseRetryTimer = null
  }

  private startPolling() {
    this.setState('polling')
    this.stopPolling()
    this.polling = true
    const tick = async () => {
      if (this.stopped || !this.polling) return
      await this.pollOnce()
      if (this.polling && !this.stopped) this.pollTimer = setTimeout(tick, this.opts.pollMs)
    }
    void tick()
    const retry = () => {
      if (this.stopped || !this.polling) return
      // Try SSE again; its open handler stops the polling, its error handler keeps it.
      this.failures = this.opts.failuresBeforePolling - 1
      this.openSse(this.seq)
      this.sseRetryTimer = setTimeout(retry, this.opts.retrySseMs)
    }
    this.sseRetryTimer = setTimeout(retry, this.opts.retrySseMs)
  }

  /** One poll of the snapshot endpoint (ETag/304 when nothing changed). */
  async pollOnce() {
    const since = this.seq
    const url = since === null ? this.opts.snapshotUrl : `${this.opts.snapshotUrl}?since=${since}`
    try {
      const res = await fetch(url, { headers: this.etag ? { 'if-none-match': this.etag } : {}, cache: 'no-store' })
      if (res.status !== 304 && !res.ok) throw new Error(`poll answered ${res.status}`)
      this.pollFailures = 0
      if (this.state === 'reconnecting') this.setState('polling')
      if (res.status === 304) {
        this.freshAt = Date.now()
        return
      }
      this.etag = res.headers.get('etag')
      const body = (await res.json()) as
        | { type: 'snapshot'; snapshot: WithAdmin }
        | { type: 'deltas'; seq: number; deltas: Delta[] }
      if (body.type === 'snapshot') {
        const { admin, ...snapshot } = body.snapshot
        this.snapshot = snapshot
        if (admin) this.admin = admin
        this.changed()
      } else {
        for (const d of body.deltas) this.onDelta(d)
        this.freshAt = Date.now()
      }
    } catch {
      // Offline or failing: keep polling, and say so after a second miss.
      if (++this.pollFailures >= 2 && this.state === 'polling') this.setState('reconnecting')
    }
  }

  private pollFailures = 0
}

/**
 * A Lit reactive controller around LiveStream: connects when the component does,
 * disconnects with it, and asks the component to render on every change.
 * @example this.live = new LiveController(this, { streamUrl, snapshotUrl })
 */
export class LiveController implements ReactiveController {
  readonly stream: LiveStream

  constructor(
    private host: ReactiveControllerHost,
    opts: Omit<LiveStreamOptions, 'onChange'> & { onChange?: (s: LiveStream) => void },
  ) {
    this.stream = new LiveStream({
      ...opts,
      onChange: (s) => {
        opts.onChange?.(s)
        this.host.requestUpdate()
      },
    })
    // Last: a host already on the page calls hostConnected at once, which needs the stream.
    host.addController(this)
  }

  hostConnected() {
    this.stream.start()
  }

  hostDisconnected() {
    this.stream.stop()
  }
}

/** The stream and snapshot URLs of an event (public, or the host's). */
export const streamUrls = (slug: string, admin = false) => {
  const base = admin ? `/api/admin/events/${slug}` : `/api/events/${slug}`
  return { streamUrl: `${base}/stream`, snapshotUrl: `${base}/snapshot` }
}
