/** @module routes/visitors: `DELETE /v1/visitors/:id?site=KEY` erases one visitor (admin). */
import { Hono } from 'hono'
import type { App } from '../env'
import { fail } from '../http'
import { deleteVisitor, getSite } from '../store/queries'

export const visitors = new Hono<App>()

visitors.delete('/:id', async (c) => {
  const key = c.req.query('site')
  if (!key) return fail(c, 400, 'missing ?site=KEY')
  if (!(await getSite(c.env.DB, key))) return fail(c, 404, `unknown site key '${key}'`)
  const erased = await deleteVisitor(c.env.DB, key, c.req.param('id'))
  return c.json({ erased })
})
