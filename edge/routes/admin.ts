/**
 * @module routes/admin: site management and raw event read-back for the site's team.
 * Everything here is behind the admin token (see middleware/admin.ts).
 */
import { Hono } from 'hono'
import type { App } from '../env'
import { fail, readJson } from '../http'
import { validateSite } from '../domain/site'
import { countEvents, getSite, listEvents, listSites, putSite } from '../store/queries'

export const admin = new Hono<App>()

admin.get('/sites', async (c) => c.json({ sites: await listSites(c.env.DB) }))

admin.get('/sites/:key', async (c) => {
  const site = await getSite(c.env.DB, c.req.param('key'))
  return site ? c.json(site) : fail(c, 404, `unknown site key '${c.req.param('key')}'`)
})

admin.put('/sites/:key', async (c) => {
  const body = await readJson(c)
  if (!body.ok) return fail(c, 400, body.error)
  const site = validateSite(c.req.param('key'), body.value)
  if (!site.ok) return fail(c, 400, site.error)
  await putSite(c.env.DB, site.value, Date.now())
  return c.json(await getSite(c.env.DB, site.value.key))
})

admin.get('/sites/:key/events', async (c) => {
  const key = c.req.param('key')
  if (!(await getSite(c.env.DB, key))) return fail(c, 404, `unknown site key '${key}'`)
  const limit = Number(c.req.query('limit') ?? 100)
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    return fail(c, 400, 'limit must be a whole number from 1 to 1000')
  const filter = { type: c.req.query('type'), visitor: c.req.query('visitor') }
  const events = await listEvents(c.env.DB, key, { ...filter, limit })
  return c.json({ total: await countEvents(c.env.DB, key, filter), events })
})
