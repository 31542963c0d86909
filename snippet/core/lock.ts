/**
 * One sender per site across tabs: Web Locks where the browser has them, otherwise a short
 * lease in localStorage (best effort; the worker's idempotency covers the rare overlap).
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
  return async (fn) => {
    const [owner, until] = (kv.get(name) || '').split(' ')
    if (owner && owner !== me && +until! > Date.now()) return false
    kv.set(name, me + ' ' + (Date.now() + 30_000))
    try {
      await fn()
    } finally {
      kv.del(name)
    }
    return true
  }
}
