/**
 * @module middleware/cors: CORS for the browser-facing API. Preflights cannot name the site (it
 * is in the body), so any origin is answered; the route then checks the request's Origin
 * against the site's `origins`.
 *
 * Preflights are hono's cors. Other requests get their two headers once the answer exists:
 * hono's cors sets them before the handler runs, which makes Hono build a placeholder Response
 * and copy its headers into the real one on every batch (a CPU profile of ingest put that at
 * about 8% of the worker's JavaScript).
 */
import type { MiddlewareHandler } from 'hono'
import { cors } from 'hono/cors'

export const pageCors = (): MiddlewareHandler => {
  const preflight = cors({
    origin: (origin) => origin || '*',
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    allowHeaders: ['content-type'],
    maxAge: 86400,
  })
  return async (c, next) => {
    if (c.req.method === 'OPTIONS') return preflight(c, next)
    await next()
    c.res.headers.set('access-control-allow-origin', c.req.header('origin') || '*')
    c.res.headers.append('vary', 'Origin')
  }
}

/**
 * A site with no listed origins accepts any; otherwise the Origin header must be listed, or be a
 * subdomain (at any depth) of a listed `scheme://*.domain[:port]` with the same scheme and port.
 */
export function originAllowed(origins: string[], origin: string | undefined): boolean {
  return origins.length === 0 || origin === undefined || origins.includes(origin) || origins.some(covers(origin))
}

/** Whether a wildcard origin covers `origin`: what its `*` stands for is one or more whole labels. */
const covers = (origin: string) => (pattern: string) => {
  const star = pattern.indexOf('*.')
  if (star < 0) return false
  const head = pattern.slice(0, star) // scheme://
  const tail = pattern.slice(star + 1) // .domain[:port]
  return (
    origin.length > head.length + tail.length &&
    origin.startsWith(head) &&
    origin.endsWith(tail) &&
    /^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(origin.slice(head.length, origin.length - tail.length))
  )
}
