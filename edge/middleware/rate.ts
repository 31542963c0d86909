/**
 * @module middleware/rate: rate limits that hold across isolates, at almost no cost.
 *
 * Each isolate counts requests per key (`<scope> <address>`, IPv6 by /64) in one-minute windows
 * and adds its count to the key's global counter (a Durable Object, state/rate.ts) every `every`
 * requests, or on each request once the key is near its limit; the answer tells it the global
 * counts of this minute and the one before. A limit applies to a sliding minute (the last
 * minute's count weighted by its share still inside it: domain/rate.ts), so a burst at the turn
 * of a minute gets no second allowance. A visitor sending a few batches a minute never causes a
 * call; a flood is refused within `every` requests per isolate of the limit. The table of keys is
 * bounded, and when full it forgets its oldest keys, never all of them; keys over their limit are
 * kept in a table of their own, so a flood of fresh addresses cannot make the isolate forget them.
 */
import type { Context } from 'hono'
import type { App, Env } from '../env'
import { addressKey, clientAddress, refusedUntil, slidingCount } from '../domain/rate'
import { rateCounter } from '../state/rate'

export const RATE_WINDOW_SEC = 60
const WINDOW_MS = RATE_WINDOW_SEC * 1000
/** Requests per minute per site and client address (ingest and decide), and failed sign-ins per address. */
export const LIMITS = { requests: 600, signIns: 10 } as const

const MAX_KEYS = 20_000
/** Per key: its window, the global counts of the window before and of this one (as last heard), and requests not yet added. */
const keys = new Map<string, { window: number; previous: number; global: number; pending: number }>()
/** Keys over their limit, and until when they are refused: kept apart, so a flood of new keys cannot push them out. */
const refused = new Map<string, number>()

/** Counts one request for `key`; false when the key is over `limit` in the minute before `now`. */
export async function hit(env: Env, key: string, limit: number, every = 10, now = Date.now()): Promise<boolean> {
  if ((refused.get(key) ?? 0) > now) return false
  const window = Math.floor(now / WINDOW_MS)
  let k = keys.get(key)
  if (!k || k.window !== window) {
    // What this isolate knew of the minute before, until the counter answers.
    const previous = k?.window === window - 1 ? k.global + k.pending : 0
    keys.delete(key)
    if (keys.size >= MAX_KEYS) for (const old of [...keys.keys()].slice(0, MAX_KEYS / 10)) keys.delete(old)
    keys.set(key, (k = { window, previous, global: 0, pending: 0 }))
  }
  const c = k
  const count = () => slidingCount(c.previous, c.global + c.pending, now, WINDOW_MS)
  c.pending += 1
  if (c.pending >= every || count() > limit - every) {
    const n = c.pending
    c.pending = 0
    try {
      ;[c.previous, c.global] = await rateCounter(env, key).add(window, n)
    } catch (e) {
      // The counter failing must not take ingest down with it: count locally meanwhile.
      console.error('ciel: rate counter unavailable', e)
      c.global += n
    }
  }
  if (count() <= limit) return true
  refused.delete(key)
  if (refused.size >= MAX_KEYS) refused.delete(refused.keys().next().value!)
  refused.set(key, refusedUntil(c.previous, c.global + c.pending, limit, now, WINDOW_MS))
  return false
}

/** The client's key for `scope` (a site key, '?' for unknown sites, 'auth' for sign-ins). */
export const clientKey = (c: Context<App>, scope: string) => `${scope} ${addressKey(clientAddress(c.req.raw.headers))}`

/** Counts one page request of this client for a site; false when over the limit. */
export const withinRate = (c: Context<App>, scope: string) => hit(c.env, clientKey(c, scope), LIMITS.requests)
