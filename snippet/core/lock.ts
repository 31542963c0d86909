/**
 * One sender per site across tabs: Web Locks where the browser has them, otherwise a short
 * lease in localStorage (best effort; the worker's idempotency covers the rare overlap).
 */
import type { Lock } from './outbox'
import type { Kv } from './kv'
import { uid } from './uid'

const LEASE_MS = 30_000

export function tabLock(name: string, kv: Kv): Lock {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined
  if (locks?.request)
    return async (fn) => {
      let ran = false
      await locks.request(name, { ifAvailable: true }, async (l) => {
        if (l) await fn(), (ran = true)
      })
      return ran
    }
  const me = uid()
  return async (fn) => {
    const [owner, until] = (kv.get(name) ?? '').split(' ')
    if (owner && owner !== me && Number(until) > Date.now()) return false
    kv.set(name, me + ' ' + (Date.now() + LEASE_MS))
    if (!kv.get(name)?.startsWith(me)) return false
    try {
      await fn()
    } finally {
      if (kv.get(name)?.startsWith(me)) kv.del(name)
    }
    return true
  }
}
