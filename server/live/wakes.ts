/**
 * Wake on work: the ticker and the flusher sleep while nothing happens, and every change
 * to an event's live state wakes them. Rather than a call in each of the counter layer's
 * write steps (two backends, a dozen steps each, more with every new kind), the layer is
 * wrapped once: any call on `counters` or `engagement` that is not a read wakes the
 * listeners for its event (the first argument) once it has settled, so whoever wakes
 * reads a state that already holds the change.
 *
 * A change accepted on another instance wakes that instance's ticker; the ticker lease
 * does the rest (server/pipeline/ticker.ts): a ticker going to sleep gives its lease up,
 * and a woken one keeps asking for it until it holds it and finds nothing new.
 */
import type { LiveLayer } from './index.ts'

/** Calls that only read: they wake nothing (the ticker's own reads are among them). */
const READS = new Set([
  'isLoaded',
  'generation',
  'checkedIn',
  'isActive',
  'responsesOf',
  'readLive',
  'peekInteraction',
  'question',
  'questionsOf',
  'upvoted',
  'read',
  'close',
])

export type WakeListener = (eventId: number) => void

/** Listeners for "this event's live state may have changed". */
export class Wakes {
  private listeners: WakeListener[] = []

  on(listener: WakeListener) {
    this.listeners.push(listener)
  }

  wake(eventId: number) {
    for (const l of this.listeners) l(eventId)
  }
}

function waking<T extends object>(target: T, wakes: Wakes): T {
  // Methods run on the target itself, so its calls to its own methods wake nothing. The
  // wrappers are kept per function, not per name: a method replaced later (a test's spy,
  // a patch) is wrapped afresh rather than shadowed by the old one's wrapper.
  const methods = new WeakMap<object, unknown>()
  return new Proxy(target, {
    get(obj, key) {
      const value = Reflect.get(obj, key, obj)
      if (typeof value !== 'function') return value
      let method = methods.get(value)
      if (method) return method
      const fn = value as (...a: unknown[]) => unknown
      method =
        typeof key !== 'string' || READS.has(key)
          ? fn.bind(obj)
          : (...args: unknown[]) => {
              const result = fn.apply(obj, args)
              const eventId = args[0]
              if (typeof eventId !== 'number') return result
              if (result instanceof Promise) {
                // Woken once the change is in, failed or not (a failure may still have written).
                return result.finally(() => wakes.wake(eventId))
              }
              wakes.wake(eventId)
              return result
            }
      methods.set(value, method)
      return method
    },
  })
}

/**
 * The same layer, whose writes wake `wakes` for their event.
 * @example const live = withWakes(await openMemoryLive(opts), wakes)
 */
export function withWakes(live: LiveLayer, wakes: Wakes): LiveLayer {
  return {
    ...live,
    ping: () => live.ping(),
    close: () => live.close(),
    counters: waking(live.counters, wakes),
    engagement: waking(live.engagement, wakes),
  }
}
