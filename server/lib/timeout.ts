/**
 * Resolves to `fallback` when `promise` takes longer than `ms` (the promise itself is
 * left to finish or fail on its own). For reads whose answer is optional.
 * @example const ok = await withTimeout(db.ping(), 1000, false)
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: ReturnType<typeof setTimeout>
  return Promise.race([
    promise.catch(() => fallback),
    new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), ms))),
  ]).finally(() => clearTimeout(timer))
}
