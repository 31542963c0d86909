/**
 * One sender per site across tabs: Web Locks where the browser has them, otherwise a short
 * lease in localStorage (lease.ts, loaded only by browsers that need it).
 */
import type { Lock } from './outbox'
import type { Kv } from './kv'

export function tabLock(name: string, kv: Kv): Lock {
  const locks = navigator.locks
  if (locks?.request)
    return async (fn) => {
      let ran = false
      await locks.request(name, { ifAvailable: true }, async (l) => l && (await fn(), (ran = true)))
      return ran
    }
  const me = Math.random() + ''
  return async (fn) => (await import('./lease')).lease(name, kv, me, fn)
}
