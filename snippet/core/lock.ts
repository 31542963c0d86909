/**
 * One sender per site across tabs: Web Locks where the browser has them, otherwise a short
 * lease in localStorage (lease.ts, loaded only by browsers that need it). Web Locks that fail
 * before running anything (they throw, reject, or never call back: a sandboxed frame, a page's
 * patch) also fall back to the lease, or nothing would ever be sent.
 */
import type { Lock } from './outbox'
import type { Kv } from './kv'

export function tabLock(name: string, kv: Kv): Lock {
  const me = Math.random() + ''
  const lease: Lock = async (fn) => (await import('./lease')).lease(name, kv, me, fn)
  const locks = navigator.locks
  return locks?.request
    ? async (fn) => {
        let got = 0 // 1: this tab ran fn; 2: another tab holds the lock
        try {
          await locks.request(name, { ifAvailable: true }, async (l) => (l ? ((got = 1), await fn()) : (got = 2)))
        } catch (e) {
          if (got) throw e // fn's own failure
        }
        return got ? got == 1 : lease(fn)
      }
    : lease
}
