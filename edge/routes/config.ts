/** @module routes/config: `GET /v1/config?site=KEY`, the public site config, with an ETag (hono/etag). */
import { Hono } from 'hono'
import { etag } from 'hono/etag'
import type { App } from '../env'
import { fail } from '../http'
import { cachedSite } from '../cache'
import { publicConfig } from '../domain/site'

export const config = new Hono<App>().get('/', etag(), async (c) => {
  const key = c.req.query('site')
  if (!key) return fail(c, 400, 'missing ?site=KEY')
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(key)) return fail(c, 400, "site key may only contain letters, digits, '-' and '_'")
  const site = await cachedSite(c.env, key, Date.now())
  if (!site) return fail(c, 404, `unknown site key '${key}'`)
  c.header('cache-control', 'public, max-age=60, stale-while-revalidate=600')
  c.header('access-control-allow-origin', '*')
  return c.json(publicConfig(site.config))
})
