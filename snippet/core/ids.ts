/**
 * Visitor and session ids. The visitor id is random and stays on the device; the session id
 * renews after 30 minutes without activity (shared by the tabs of one browser).
 */
import type { Kv } from './kv'
import { uid } from './uid'

export const SESSION_IDLE_MS = 30 * 60 * 1000
const V = 'ciel_v'
const S = 'ciel_s'

export const VALID = /^[\w-]{8,64}$/

/** The device's visitor id; a new one is `given` (the id the loader had a first page decided for) or random. */
export function visitorId(kv: Kv, given?: string): string {
  let v = kv.get(V)
  if (!v || !VALID.test(v)) kv.set(V, (v = given && VALID.test(given) ? given : uid()))
  return v
}

/**
 * Returns the current session id, starting a new one after 30 idle minutes; marks activity, to
 * the minute: a write to localStorage costs the page more than a read, and every event asks.
 */
export function sessionId(kv: Kv, now: number): string {
  const [id, last] = (kv.get(S) ?? '').split('.')
  const fresh = id && now - +last! < SESSION_IDLE_MS
  const s = fresh ? id! : uid(now)
  if (!fresh || now - +last! > 60_000) kv.set(S, s + '.' + now)
  return s
}

export function forgetIds(kv: Kv): void {
  kv.del(V)
  kv.del(S)
  // Decisions kept for the next page were made for this visitor.
  kv.del('ciel_d')
}
