/** @module middleware/site: the site a team request names, checked once and set as c.var.site. */
import { createMiddleware } from 'hono/factory'
import type { App } from '../env'
import { refuse } from '../http'
import { getSite } from '../store/sites'

/** From `?site=KEY` (insights, visitors) or the `:key` path parameter (admin). 400 without, 404 unknown. */
export const namedSite = () =>
  createMiddleware<App>(async (c, next) => {
    const key = c.req.param('key') ?? c.req.query('site')
    if (!key) refuse(400, 'missing ?site=KEY', { path: 'site' })
    const site = await getSite(c.env.DB, key)
    if (!site) refuse(404, `unknown site key '${key}'`)
    c.set('site', site)
    await next()
  })
