/**
 * @module rate: who a request comes from, as rate limits count it. Pure.
 * Counting itself is Cloudflare's rate-limiting binding (wrangler.toml `[[ratelimits]]`), which
 * counts across isolates; there is no per-isolate map to reset.
 */

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
