/** @module routes/decide: `POST /v1/decide`, decisions for a page with nothing to send. */
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { App } from '../env'
import { fail, readJson } from '../http'
import { validateDecide } from '../domain/validate'
import { decide } from '../domain/decide'
import { originAllowed } from '../cors'
import { getInterests, getSite } from '../store/queries'

export const decideRoute = new Hono<App>()

decideRoute.post(
  '/',
  bodyLimit({ maxSize: 8 * 1024, onError: (c) => fail(c, 413, 'body is larger than 8 KB') }),
  async (c) => {
    const body = await readJson(c)
    if (!body.ok) return fail(c, 400, body.error)
    const parsed = validateDecide(body.value)
    if (!parsed.ok) return fail(c, 400, parsed.error)
    const site = await getSite(c.env.DB, parsed.value.site)
    if (!site) return fail(c, 404, `unknown site key '${parsed.value.site}'`)
    const origin = c.req.header('origin')
    if (!originAllowed(site.origins, origin))
      return fail(c, 403, `origin ${origin} is not allowed for site '${site.key}'`)
    const interests = await getInterests(c.env.DB, site.key, parsed.value.visitor)
    return c.json({ decisions: decide(site.config, interests?.scores ?? {}) })
  },
)
