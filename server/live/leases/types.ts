/**
 * Leases: one holder at a time per name (`ticker:<event>`, `flusher:<event>`), for a
 * time to live that the holder renews. A holder that dies loses its lease when the time
 * runs out, and another instance takes over.
 */
export interface Leases {
  /** Acquires or renews; true while `owner` holds it. */
  acquire(name: string, owner: string, ttlMs: number): Promise<boolean>
  /** Gives the lease up, only if `owner` holds it. */
  release(name: string, owner: string): Promise<void>
  owner(name: string): Promise<string | null>
}
