/**
 * @module middleware/cors: CORS for the browser-facing API (hono's cors). Preflights cannot
 * name the site (it is in the body), so any origin is answered; the route then checks the
 * request's Origin against the site's `origins`.
 */
import { cors } from 'hono/cors'

export const pageCors = () =>
  cors({
    origin: (origin) => origin || '*',
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    allowHeaders: ['content-type'],
    maxAge: 86400,
  })

/** A site with no listed origins accepts any; otherwise the Origin header must be listed. */
export function originAllowed(origins: string[], origin: string | undefined): boolean {
  return origins.length === 0 || origin === undefined || origins.includes(origin)
}
