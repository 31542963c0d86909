/** @module admin: bearer-token guard for the team-only surfaces (admin, insights, erasure). */
import type { MiddlewareHandler } from 'hono'
import type { App } from '../env'
import { fail } from '../http'

/** Compares in time independent of where the strings differ. */
function same(a: string, b: string): boolean {
  let diff = a.length ^ b.length
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0)
  return diff === 0
}

/** Accepts `Authorization: Bearer <ADMIN_TOKEN>`. */
export const adminAuth = (): MiddlewareHandler<App> => async (c, next) => {
  const token = c.env.ADMIN_TOKEN
  if (!token) return fail(c, 503, 'admin API is disabled: set the ADMIN_TOKEN secret (see README)')
  const auth = c.req.header('authorization') ?? ''
  const given = auth.startsWith('Bearer ') ? auth.slice(7).trim() : ''
  if (!given) return fail(c, 401, 'missing admin token: send Authorization: Bearer <token>')
  if (!same(given, token)) return fail(c, 403, 'admin token is not valid')
  await next()
}
