/** @module routes/decide: `POST /v1/decide`, decisions for a page with nothing to send. */
import { Hono } from 'hono'
import type { App } from '../env'
import { fail, readJson } from '../http'
import { validateDecide } from '../domain/batch'
import { decide } from '../domain/decide'
import { originAllowed } from '../middleware/cors'
import { RATE_WINDOW_SEC, withinRate } from '../middleware/rate'
import { cachedSite } from '../cache'
import { shardOfVisitor } from '../state/visitors'

export const decideRoute = new Hono<App>().post('/', async (c) => {
  const parsed = validateDecide(await readJson(c))
  if (!parsed.ok) return fail(c, 400, parsed.error)
  const site = await cachedSite(c.env, parsed.value.site, Date.now())
  const limited = () =>
    fail(c, 429, `too many requests from this address; retry in ${RATE_WINDOW_SEC} s`, {
      'retry-after': String(RATE_WINDOW_SEC),
    })
  if (!site) return (await withinRate(c, '?')) ? fail(c, 404, `unknown site key '${parsed.value.site}'`) : limited()
  const origin = c.req.header('origin')
  if (!originAllowed(site.origins, origin))
    return fail(c, 403, `origin ${origin} is not allowed for site '${site.key}'`)
  if (!(await withinRate(c, site.key))) return limited()
  const { profile } = await shardOfVisitor(c.env, site.key, parsed.value.visitor).read(parsed.value.visitor)
  return c.json({ decisions: profile ? decide(site.config, profile.interests.scores) : {} })
})
