/**
 * Flies danmaku across a container: one absolutely positioned node per message, moved
 * with a Web Animations `transform` (compositor only, no layout per frame), removed
 * the moment its flight ends or the host hides it. Lanes never overlap (see lanes.ts),
 * at most `lanes x maxPerLane` nodes fly at once, and the rest wait in a bounded queue
 * that drops the oldest, so a flood of messages is sampled instead of stalling the page.
 */
import type { Danmaku } from '../../../../protocol/index.ts'
import { Lanes } from './lanes.ts'
import { DropOldestQueue } from './queue.ts'

export interface EngineOptions {
  /** ms to cross the screen. */
  crossMs?: number
  /** Concurrent nodes per lane, on average (the cap is lanes x this). */
  maxPerLane?: number
  /** Queue bound and how long a message may wait before it is too old to show. */
  queueMax?: number
  queueMaxAgeMs?: number
  /** Called when the sky becomes empty (true) or gets its first message (false). */
  onIdle?: (idle: boolean) => void
}

export interface EngineStats {
  flying: number
  queued: number
  shown: number
  dropped: number
  lanes: number
}

interface Flying {
  el: HTMLElement
  anim: Animation
}

/** Bright, distinct colours on a dark screen; a guest keeps one colour. */
const PALETTE = ['#ffffff', '#ffe27a', '#9be7ff', '#ffb3d9', '#b9f5a2', '#d9c2ff', '#ffc99b', '#ffffff']

export class DanmakuEngine {
  private lanes: Lanes
  private queue: DropOldestQueue<Danmaku & { width?: number }>
  private flying = new Map<number, Flying>()
  private timer: ReturnType<typeof setTimeout> | null = null
  private timerAt = Infinity
  private laneHeight = 0
  private laneTop = 0
  private shown = 0
  private maxPerLane: number
  private disposed = false
  private idle = true
  private onIdle: (idle: boolean) => void
  private width = 0
  /** prefers-reduced-motion: messages appear in place and fade, one at a time per lane. */
  private calm = typeof matchMedia === 'function' ? matchMedia('(prefers-reduced-motion: reduce)') : null
  private calmInLane = new Map<number, number>()

  constructor(
    private container: HTMLElement,
    private measurer: HTMLElement,
    opts: EngineOptions = {},
  ) {
    this.lanes = new Lanes({ crossMs: opts.crossMs ?? 9000 })
    this.maxPerLane = opts.maxPerLane ?? 4
    this.queue = new DropOldestQueue(opts.queueMax ?? 60, opts.queueMaxAgeMs ?? 5000)
    this.onIdle = opts.onIdle ?? (() => {})
  }

  get stats(): EngineStats {
    return {
      flying: this.flying.size,
      queued: this.queue.size,
      shown: this.shown,
      dropped: this.queue.dropped,
      lanes: this.lanes.count,
    }
  }

  /** Call when the container's size changes; lane height follows the font size. */
  resize(width: number, height: number) {
    fill(this.measurer, { id: 0, text: 'Ag 国 🎉', number: 8 })
    const line = this.measurer.getBoundingClientRect().height || 48
    this.laneHeight = line * 1.18
    const count = Math.max(1, Math.floor(height / this.laneHeight))
    this.laneTop = (height - count * this.laneHeight) / 2
    this.width = width
    this.lanes.resize(width, count)
    this.pump()
  }

  add(items: readonly Danmaku[]) {
    const now = performance.now()
    for (const d of items) if (!this.flying.has(d.id)) this.queue.push({ ...d }, now)
    this.pump()
  }

  /** Takes messages off the screen at once, mid-flight or still waiting. */
  remove(ids: readonly number[]) {
    if (!ids.length) return
    const set = new Set(ids)
    this.queue.remove((d) => set.has(d.id))
    for (const id of ids) this.land(id)
  }

  clear() {
    this.queue.clear()
    for (const id of [...this.flying.keys()]) this.land(id)
  }

  dispose() {
    this.disposed = true
    this.clear()
    if (this.timer) clearTimeout(this.timer)
  }

  /** Launches as many waiting messages as lanes and the node cap allow, then waits for the next free lane. */
  private pump() {
    if (this.disposed || this.lanes.count === 0) return
    const cap = this.lanes.count * this.maxPerLane
    let now = performance.now()
    while (this.flying.size < cap) {
      const next = this.queue.peek(now)
      if (!next) return
      next.width ??= this.measure(next)
      const flight = this.lanes.place(next.width, now)
      if (!flight) {
        this.wake(this.lanes.nextReadyAt(next.width) - now)
        return
      }
      this.queue.shift(now)
      this.launch(next, flight.lane, flight.fromX, flight.toX, flight.duration)
      now = performance.now()
    }
    // Full: a landing calls pump again.
  }

  private wake(inMs: number) {
    const at = performance.now() + Math.max(16, inMs)
    if (this.timer && this.timerAt <= at) return
    if (this.timer) clearTimeout(this.timer)
    this.timerAt = at
    this.timer = setTimeout(() => {
      this.timer = null
      this.timerAt = Infinity
      this.pump()
    }, at - performance.now())
  }

  private measure(d: Danmaku) {
    fill(this.measurer, d)
    return Math.ceil(this.measurer.getBoundingClientRect().width)
  }

  private launch(d: Danmaku, lane: number, fromX: number, toX: number, duration: number) {
    const el = document.createElement('div')
    el.className = 'dm'
    el.dataset.id = String(d.id)
    fill(el, d)
    el.style.top = `${this.laneTop + lane * this.laneHeight}px`
    let anim: Animation
    if (this.calm?.matches) {
      // No travel: the message stands at a spread-out place in its lane and fades in and out;
      // the next one in the same lane takes its place.
      const before = this.calmInLane.get(lane)
      if (before !== undefined) this.land(before)
      this.calmInLane.set(lane, d.id)
      const width = -toX
      const x = Math.max(0, (this.width - width) * ((Math.abs(d.id) * 0.618) % 1))
      el.style.transform = `translate3d(${Math.round(x)}px,0,0)`
      this.container.append(el)
      anim = el.animate([{ opacity: 0 }, { opacity: 1, offset: 0.08 }, { opacity: 1, offset: 0.92 }, { opacity: 0 }], {
        duration,
        easing: 'linear',
        fill: 'none',
      })
    } else {
      el.style.transform = `translate3d(${fromX}px,0,0)`
      this.container.append(el)
      anim = el.animate([{ transform: `translate3d(${fromX}px,0,0)` }, { transform: `translate3d(${toX}px,0,0)` }], {
        duration,
        easing: 'linear',
        fill: 'none',
      })
    }
    anim.onfinish = () => {
      this.land(d.id)
      this.pump()
    }
    this.flying.set(d.id, { el, anim })
    this.shown++
    this.setIdle(false)
  }

  private setIdle(idle: boolean) {
    if (idle === this.idle) return
    this.idle = idle
    this.onIdle(idle)
  }

  private land(id: number) {
    const f = this.flying.get(id)
    if (!f) return
    this.flying.delete(id)
    for (const [lane, calmId] of this.calmInLane) if (calmId === id) this.calmInLane.delete(lane)
    f.anim.onfinish = null
    f.anim.cancel()
    f.el.remove()
    if (!this.flying.size && !this.queue.size) this.setIdle(true)
  }
}

/** Writes a message into a node: the guest's public number, then the text (as text, never HTML). */
function fill(el: HTMLElement, d: Danmaku) {
  el.style.setProperty('--c', PALETTE[Math.abs(d.number) % PALETTE.length])
  let num = el.firstElementChild as HTMLElement | null
  let text = num?.nextElementSibling as HTMLElement | null
  if (!num || !text) {
    num = document.createElement('span')
    num.className = 'num'
    text = document.createElement('span')
    text.className = 'txt'
    el.replaceChildren(num, text)
  }
  num.textContent = `#${d.number}`
  text.textContent = d.text
}
