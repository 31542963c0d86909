/**
 * @module routes/decide: `POST /v1/decide`, decisions for a page before (or without) its first
 * batch. A visitor with a profile is decided from it; a first visit from the request's context:
 * the landing page's topics (the config's URL prefixes), its referrer and UTM parameters, the
 * device and country, as if that pageview had been stored (nothing is).
 */
import { Hono } from 'hono'
import type { App } from '../env'
import { jsonBody, refuse, requestContext } from '../http'
import { DecideBody } from '../domain/batch'
import { decide } from '../domain/decide'
import { applyEvents } from '../domain/profile'
import { pathTopics } from '../domain/interests'
import { originAllowed } from '../middleware/cors'
import { RATE_WINDOW_SEC, withinRate } from '../middleware/rate'
import { cachedSite, experimentStats } from '../cache'
import { scored } from '../models'
import { shardOfVisitor } from '../state/visitors'

export const decideRoute = new Hono<App>().post('/', jsonBody(DecideBody), async (c) => {
  const body = c.req.valid('json')
  const now = Date.now()
  const site = await cachedSite(c.env, body.site, now)
  const limited = () =>
    refuse(429, `too many requests from this address; retry in ${RATE_WINDOW_SEC} s`, {
      headers: { 'retry-after': String(RATE_WINDOW_SEC) },
    })
  if (!site) return (await withinRate(c, '?')) ? refuse(404, `unknown site key '${body.site}'`) : limited()
  const origin = c.req.header('origin')
  if (!originAllowed(site.origins, origin)) refuse(403, `origin ${origin} is not allowed for site '${site.key}'`)
  if (!(await withinRate(c, site.key))) limited()
  if (!site.config.slots?.length) return c.json({ decisions: {} })
  const [{ erased, profile }, stats] = await Promise.all([
    shardOfVisitor(c.env, site.key, body.visitor).read(body.visitor),
    experimentStats(c.env, site, now),
  ])
  if (erased) return c.json({ decisions: {} })
  const context =
    profile ??
    applyEvents(
      null,
      [
        {
          id: '',
          type: 'pageview',
          ts: now,
          url: body.url,
          ...(body.referrer ? { ref: body.referrer } : {}),
          topics: pathTopics(site.config, body.url),
          flags: 0,
        },
      ],
      body.session ?? '',
      now,
      site.spec,
      requestContext(c),
      body.visitor,
    )
  const d = decide(site.config, await scored(c.env, site, context, now), body.visitor, now, stats)
  return c.json(Object.keys(d.experiments).length ? d : { decisions: d.decisions })
})
