/** @module routes/config: `GET /v1/config?site=KEY`, the public site config, with an ETag (hono/etag). */
import { Hono } from 'hono'
import { etag } from 'hono/etag'
import * as v from 'valibot'
import type { App } from '../env'
import { queryOf, refuse } from '../http'
import { cachedSite } from '../cache'
import { publicConfig } from '../domain/site'

const BAD_KEY = "site key may only contain letters, digits, '-' and '_'"
const Query = v.object({
  site: v.pipe(
    v.optional(v.string(BAD_KEY), ''),
    v.nonEmpty('missing ?site=KEY'),
    v.regex(/^[A-Za-z0-9_-]{1,64}$/, BAD_KEY),
  ),
})

export const config = new Hono<App>().get('/', queryOf(Query), etag(), async (c) => {
  const key = c.req.valid('query').site
  const site = await cachedSite(c.env, key, Date.now())
  if (!site) refuse(404, `unknown site key '${key}'`)
  c.header('cache-control', 'public, max-age=60, stale-while-revalidate=600')
  c.header('access-control-allow-origin', '*')
  return c.json(publicConfig(site.config))
})
