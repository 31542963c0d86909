/**
 * @module middleware/auth: who may read and change a site's data.
 *
 * `teamAuth()` is hono's bearer-auth with our token check: the admin token (set-up, every
 * site) or a site's API key (`ciel_<id>_<secret>`, scoped). A wrong token answers 403, no
 * token 401. Failed attempts are counted per client address across isolates (rate.ts): past
 * the burst the address gets 429 (and this isolate refuses it outright for a minute, right
 * token or not), and every failure is logged against the site it named.
 *
 * `allow(scope)` then checks the caller against the site the request names (c.var.site).
 */
import type { Context } from 'hono'
import { bearerAuth } from 'hono/bearer-auth'
import { createMiddleware } from 'hono/factory'
import { timingSafeEqual } from 'hono/utils/buffer'
import type { App, Scope } from '../env'
import { refuse } from '../http'
import { addressKey, clientAddress } from '../domain/rate'
import { keyOfToken, touchKey } from '../store/keys'
import { countAuthFailure } from '../store/usage'
import { LIMITS, RATE_WINDOW_SEC, hit } from './rate'

/** Addresses this isolate refuses until the given time, after too many failures. */
const blocked = new Map<string, number>()

/** The site a team request names (`?site=` or the admin path's key), as sent; '' when it names none. */
const siteNamed = (c: Context<App>) => c.req.query('site') ?? /^\/v1\/admin\/sites\/([^/]+)/.exec(c.req.path)?.[1] ?? ''
const SITE_KEY = /^[\w-]{1,64}$/

async function verify(token: string, c: Context<App>): Promise<boolean> {
  const address = addressKey(clientAddress(c.req.raw.headers))
  const now = Date.now()
  if ((blocked.get(address) ?? 0) > now)
    refuse(429, 'too many failed sign-ins from this address; try again in a minute', {
      headers: { 'retry-after': String(RATE_WINDOW_SEC) },
    })
  const admin = c.env.ADMIN_TOKEN
  if (admin && (await timingSafeEqual(admin, token))) {
    c.set('caller', { kind: 'admin' })
    return true
  }
  const key = token.startsWith('ciel_') ? await keyOfToken(c.env.DB, token) : null
  if (key) {
    c.set('caller', { kind: 'key', id: key.id, site: key.site, scopes: key.scopes })
    c.executionCtx.waitUntil(touchKey(c.env.DB, key.id, now).catch(() => {}))
    return true
  }
  c.executionCtx.waitUntil(countAuthFailure(c.env.DB, siteNamed(c), now).catch(() => {}))
  // Every failure is counted globally at once (every = 1): failures are rare, guesses are not.
  if (!(await hit(c.env, `auth ${address}`, LIMITS.signIns, 1, now))) {
    blocked.set(address, now + RATE_WINDOW_SEC * 1000)
    if (blocked.size > 10_000) blocked.delete(blocked.keys().next().value!)
    refuse(429, 'too many failed sign-ins from this address; try again in a minute', {
      headers: { 'retry-after': String(RATE_WINDOW_SEC) },
    })
  }
  return false
}

export const teamAuth = () =>
  createMiddleware<App>(async (c, next) => {
    if (!c.env.ADMIN_TOKEN) refuse(503, 'team API is disabled: set the ADMIN_TOKEN secret (see README)')
    // A key no site can have is refused before anything is logged under it (a failed sign-in is).
    const site = siteNamed(c)
    if (site && !SITE_KEY.test(site))
      refuse(400, "site key must be 1-64 letters, digits, '-' or '_'", {
        path: c.req.query('site') === undefined ? undefined : 'site',
      })
    return bearerAuth({
      verifyToken: verify,
      noAuthenticationHeader: {
        message: (c) => c.json({ error: 'missing token: send Authorization: Bearer <admin token or API key>' }, 401),
      },
      invalidAuthenticationHeader: {
        message: (c) => c.json({ error: 'the Authorization header must be: Bearer <token>' }, 401),
      },
      invalidToken: { message: (c) => c.json({ error: 'token is not valid' }, 403) },
    })(c, next)
  })

/** What each scope lets a key do, for messages. */
const VERB: Record<Scope, string> = { read: 'read', manage: 'change', erase: 'erase data of' }

/** The caller may do `scope` on c.var.site: the admin token always, a key only on its own site. */
export const allow = (scope: Scope) =>
  createMiddleware<App>(async (c, next) => {
    const who = c.get('caller')
    if (who.kind === 'key' && (who.site !== c.get('site').key || !who.scopes.includes(scope)))
      refuse(403, `this API key may not ${VERB[scope]} site '${c.get('site').key}'`)
    await next()
  })
