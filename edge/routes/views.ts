/**
 * @module routes/views: a site's saved views, the dashboard's views a team named
 * (domain/saved-views.ts), under `/v1/admin/sites/:key/views`. Behind teamAuth (index.ts):
 * reading them needs `read`, saving and deleting `manage` (they are the whole team's).
 */
import { Hono } from 'hono'
import type { App } from '../env'
import { jsonBody, refuse } from '../http'
import { allow } from '../middleware/auth'
import { namedSite } from '../middleware/site'
import { MAX_VIEWS, ViewInput } from '../domain/saved-views'
import { deleteView, getView, listViews, saveView } from '../store/saved-views'
import { byWhom } from './admin'

const noView = (site: string, id: string): never => refuse(404, `site '${site}' has no saved view '${id}'`)

/** Mounted at `/v1/admin/sites`. */
export const views = new Hono<App>()
  .get('/:key/views', namedSite(), allow('read'), async (c) =>
    c.json({ views: await listViews(c.env.DB, c.get('site').key) }),
  )
  .get('/:key/views/:id', namedSite(), allow('read'), async (c) => {
    const site = c.get('site').key
    const view = await getView(c.env.DB, site, c.req.param('id'))
    return view ? c.json(view) : noView(site, c.req.param('id'))
  })
  .post('/:key/views', namedSite(), allow('manage'), jsonBody(ViewInput), async (c) => {
    const site = c.get('site').key
    const { name, state } = c.req.valid('json')
    const saved = await saveView(c.env.DB, site, { name, state, by: byWhom(c.get('caller')) }, Date.now(), MAX_VIEWS)
    if (saved === 'taken')
      refuse(409, `site '${site}' has a view named '${name}' already: choose another name, or delete that one first`, {
        path: 'name',
      })
    if (saved === 'full') refuse(409, `site '${site}' keeps ${MAX_VIEWS} saved views already: delete one first`)
    return c.json(saved, 201)
  })
  .delete('/:key/views/:id', namedSite(), allow('manage'), async (c) => {
    const site = c.get('site').key
    if (!(await deleteView(c.env.DB, site, c.req.param('id')))) noView(site, c.req.param('id'))
    return c.json({ deleted: c.req.param('id') })
  })
