/**
 * @module cors: per-site origin allowlist for the browser-facing API.
 * Preflights cannot name the site (it is in the body), so they are answered for any origin;
 * the request itself is then checked against the site's `origins`.
 */
import type { MiddlewareHandler } from 'hono'
import type { App } from './env'

/** Answers preflights and lets the browser read our answers (the route decides on the origin). */
export const apiCors = (): MiddlewareHandler<App> => async (c, next) => {
  const origin = c.req.header('origin')
  if (c.req.method === 'OPTIONS') {
    return new Response(null, {
      status: 204,
      headers: {
        'access-control-allow-origin': origin ?? '*',
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers': 'content-type',
        'access-control-max-age': '86400',
        vary: 'Origin',
      },
    })
  }
  await next()
  if (origin) {
    c.res.headers.set('access-control-allow-origin', origin)
    c.res.headers.append('vary', 'Origin')
  }
}

/** A site with no listed origins accepts any; otherwise the Origin header must be listed. */
export function originAllowed(origins: string[], origin: string | undefined): boolean {
  return origins.length === 0 || origin === undefined || origins.includes(origin)
}
