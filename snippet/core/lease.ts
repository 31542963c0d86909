/**
 * The cross-tab lock for browsers without Web Locks (Safari before 15.4): a short lease in
 * localStorage. Best effort: two tabs may overlap in a race, and the worker's idempotency
 * counts each event once anyway. A lazy chunk: browsers with Web Locks never fetch it.
 */
import type { Kv } from './kv'
import { on, undo } from './guard'

/** How long a lease holds if its tab dies without releasing it. */
export const LEASE_MS = 30_000

/** Releases of the leases this tab holds now. */
const held = new Set<() => void>()
// A page going away (unloaded, or frozen in the back/forward cache mid-request) lets go at
// once: the site's next page would otherwise wait out the lease. The send in flight may then
// overlap the next page's; the worker counts each event once.
// Listened to from the first lease on (again after a stop(), which removes it).
let listening = false

/** Runs fn unless another tab (`me` tells tabs apart) holds a live lease on `name`. */
export async function lease(name: string, kv: Kv, me: string, fn: () => Promise<void>): Promise<boolean> {
  if (!listening) {
    listening = true
    on('pagehide', () => held.forEach((free) => free()))
    undo(() => (listening = false))
  }
  const owner = () => (kv.get(name) || '').split(' ')
  const [by, until] = owner()
  if (by && by !== me && +until! > Date.now()) return false
  kv.set(name, me + ' ' + (Date.now() + LEASE_MS))
  // Only ours: after a pagehide another tab may hold it by now.
  const free = () => owner()[0] === me && kv.del(name)
  held.add(free)
  try {
    await fn()
  } finally {
    held.delete(free)
    free()
  }
  return true
}
