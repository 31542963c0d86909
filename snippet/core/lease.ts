/**
 * The cross-tab lock for browsers without Web Locks (Safari before 15.4): a short lease in
 * localStorage. Best effort: two tabs may overlap in a race, and the worker's idempotency
 * counts each event once anyway. A lazy chunk: browsers with Web Locks never fetch it.
 */
import type { Kv } from './kv'

/** How long a lease holds if its tab dies without releasing it. */
export const LEASE_MS = 30_000

/** Runs fn unless another tab (`me` tells tabs apart) holds a live lease on `name`. */
export async function lease(name: string, kv: Kv, me: string, fn: () => Promise<void>): Promise<boolean> {
  const [owner, until] = (kv.get(name) || '').split(' ')
  if (owner && owner !== me && +until! > Date.now()) return false
  kv.set(name, me + ' ' + (Date.now() + LEASE_MS))
  try {
    await fn()
  } finally {
    kv.del(name)
  }
  return true
}
