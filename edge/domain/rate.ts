/**
 * @module rate: who a request comes from, as rate limits count it, and the sliding window they
 * count in. Pure. The counting itself is middleware/rate.ts (across isolates, with state/rate.ts).
 */

/**
 * Requests in the last `windowMs` before `now`, estimated from the counts of the current fixed
 * window and the one before it (its share still inside the last `windowMs`, as if spread evenly).
 * A fixed window alone lets twice the limit through around its turn: a burst at the end of one
 * window and another at the start of the next.
 */
export function slidingCount(previous: number, current: number, now: number, windowMs: number): number {
  return previous * (1 - (now % windowMs) / windowMs) + current
}

/**
 * When a refused client may be counted again: once the previous window's share has faded enough
 * for `current` to fit the limit, or when the window ends (the current count only grows in it).
 */
export function refusedUntil(previous: number, current: number, limit: number, now: number, windowMs: number): number {
  const start = now - (now % windowMs)
  const fits = previous > 0 ? start + Math.ceil((1 - (limit - current) / previous) * windowMs) : Infinity
  return Math.max(now + 1, Math.min(start + windowMs, fits))
}

/** The client's address as Cloudflare reports it (X-Forwarded-For behind other proxies). */
export function clientAddress(headers: { get(name: string): string | null }): string {
  return headers.get('cf-connecting-ip') ?? headers.get('x-forwarded-for')?.split(',')[0]?.trim() ?? 'unknown'
}

/**
 * The key an address is counted under: IPv4 as is, IPv6 by its /64 network, since one host
 * holds a whole /64 and can rotate through it (a fresh address per request would otherwise
 * never be limited).
 */
export function addressKey(address: string): string {
  if (!address.includes(':')) return address
  const [head, tail = ''] = address.toLowerCase().split('::')
  const left = head ? head.split(':') : []
  const right = tail ? tail.split(':') : []
  const groups = address.includes('::')
    ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left
  return (
    groups
      .slice(0, 4)
      .map((g) => g.replace(/^0+(?=.)/, ''))
      .join(':') + '::/64'
  )
}
