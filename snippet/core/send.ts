/**
 * Transport: one POST of a batch. The body goes as text/plain so that a cross-origin request
 * needs no CORS preflight. `final` requests (page going away) use keepalive, then sendBeacon;
 * sendBeacon first where fetch has no keepalive: Firefox before 133 ignores the option without
 * an error, and the request dies with the page.
 */
import type { BatchAnswer } from '../contract/wire'

/** status: HTTP status; 0 network error or timeout; -1 handed to the browser (beacon), fate unknown. */
export interface SendResult {
  status: number
  answer?: BatchAnswer
  /** Milliseconds the worker asked us to wait (Retry-After). */
  retryAfter?: number
}

export type Send = (body: string, final: boolean) => Promise<SendResult>

export const TIMEOUT_MS = 10_000

/** Retry-After in seconds (what the worker and Cloudflare send); an HTTP date is ignored. */
export function parseRetryAfter(h: string | null): number | undefined {
  const s = h ? +h : NaN
  return s >= 0 ? s * 1000 : undefined
}

export function httpSend(url: string): Send {
  return async (body, final) => {
    if (final && !('keepalive' in Request.prototype) && navigator.sendBeacon?.(url, body)) return { status: -1 }
    const ctrl = new AbortController()
    const timer = setTimeout(() => ctrl.abort(), TIMEOUT_MS)
    try {
      const r = await fetch(url, { method: 'POST', body, keepalive: final, credentials: 'omit', signal: ctrl.signal })
      let answer: BatchAnswer | undefined
      try {
        answer = await r.json()
      } catch {}
      return { status: r.status, answer, retryAfter: parseRetryAfter(r.headers.get('retry-after')) }
    } catch {
      // keepalive refused (quota) or the page is going: hand it to the beacon queue.
      if (final && navigator.sendBeacon?.(url, body)) return { status: -1 }
      return { status: 0 }
    } finally {
      clearTimeout(timer)
    }
  }
}
