/**
 * @module rate: a fixed-window request counter per key. Pure apart from its own memory.
 * One per isolate: good enough to stop a runaway client locally and per Cloudflare location;
 * a deployment that needs a global limit puts Cloudflare's rate limiting binding in front
 * (same answer: 429 with Retry-After).
 */
export interface Limiter {
  /** Counts one request for key at time now; says whether it may go on, and if not for how long to wait. */
  hit(key: string, now: number): { ok: true } | { ok: false; retryAfterSec: number }
}

export function createLimiter(o: { limit: number; windowMs: number; maxKeys?: number }): Limiter {
  let windowStart = 0
  let counts = new Map<string, number>()
  return {
    hit(key, now) {
      if (now - windowStart >= o.windowMs || counts.size > (o.maxKeys ?? 50_000)) {
        windowStart = now - (now % o.windowMs)
        counts = new Map()
      }
      const n = (counts.get(key) ?? 0) + 1
      counts.set(key, n)
      if (n <= o.limit) return { ok: true }
      return { ok: false, retryAfterSec: Math.max(1, Math.ceil((windowStart + o.windowMs - now) / 1000)) }
    },
  }
}

/** The client's address as Cloudflare reports it (X-Forwarded-For behind other proxies). */
export function clientAddress(headers: { get(name: string): string | null }): string {
  return headers.get('cf-connecting-ip') ?? headers.get('x-forwarded-for')?.split(',')[0]?.trim() ?? 'unknown'
}
