/**
 * @module routes/visitors: one visitor, for the site's team (admin token).
 *   GET    /v1/visitors/:id?site=KEY          who they are, their interests, their newest events
 *   DELETE /v1/visitors/:id?site=KEY          erase one visitor
 *   DELETE /v1/visitors?site=KEY&user=USER_ID erase every visitor identified as that user (all
 *                                             their devices): the answer to an erasure request
 */
import { Hono } from 'hono'
import type { App } from '../env'
import { fail } from '../http'
import { countEvents, deleteVisitors, getVisitor, listEvents, listVisitors } from '../store/queries'
import { siteOf } from './site-query'
import { topInterests } from '../domain/visitors'

export const visitors = new Hono<App>()

visitors.get('/:id', async (c) => {
  const s = await siteOf(c)
  if ('error' in s) return s.error
  const v = await getVisitor(c.env.DB, s.site.key, c.req.param('id'))
  if (!v) return fail(c, 404, `no visitor '${c.req.param('id')}' on site '${s.site.key}'`)
  const filter = { visitor: v.id }
  const [events, total] = await Promise.all([
    listEvents(c.env.DB, s.site.key, { ...filter, limit: 100 }),
    countEvents(c.env.DB, s.site.key, filter),
  ])
  const { interests, ...rest } = v
  return c.json({ ...rest, interests: topInterests(interests, Date.now(), 20), total, events })
})

visitors.delete('/:id', async (c) => {
  const s = await siteOf(c)
  if ('error' in s) return s.error
  return c.json({ erased: await deleteVisitors(c.env.DB, s.site.key, [c.req.param('id')]) })
})

visitors.delete('/', async (c) => {
  const s = await siteOf(c)
  if ('error' in s) return s.error
  const user = c.req.query('user')
  if (!user) return fail(c, 400, 'say whom to erase: DELETE /v1/visitors/VISITOR_ID or ?user=USER_ID')
  const ids = (await listVisitors(c.env.DB, s.site.key, { from: 0, user, limit: 1000 })).map((v) => v.id)
  return c.json({ visitors: ids.length, erased: await deleteVisitors(c.env.DB, s.site.key, ids) })
})
