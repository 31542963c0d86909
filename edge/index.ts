/**
 * @module edge: the ciel worker. Wiring only: routes and middleware.
 * Static files (snippet, demo site, dashboard assets) are served by Workers static assets.
 */
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { App } from './env'
import { fail } from './http'
import { apiCors } from './cors'
import { adminAuth } from './middleware/admin'
import { events } from './routes/events'
import { decideRoute } from './routes/decide'
import { config } from './routes/config'
import { admin } from './routes/admin'
import { visitors } from './routes/visitors'
import { insights } from './routes/insights'

const app = new Hono<App>()

app.use('/v1/events', apiCors())
app.use('/v1/decide', apiCors())
app.use('/v1/config', apiCors())
app.use('/v1/admin/*', adminAuth())
app.use('/v1/visitors', adminAuth())
app.use('/v1/visitors/*', adminAuth())
app.use('/v1/insights/*', adminAuth())

app.get('/v1/health', (c) => c.json({ ok: true }))
app.route('/v1/events', events)
app.route('/v1/decide', decideRoute)
app.route('/v1/config', config)
app.route('/v1/admin', admin)
app.route('/v1/visitors', visitors)
app.route('/v1/insights', insights)

app.notFound((c) => {
  if (c.req.path.startsWith('/v1/')) return fail(c, 404, `no such endpoint: ${c.req.method} ${c.req.path}`)
  return c.env.ASSETS.fetch(c.req.raw)
})

app.onError((err, c) => {
  if (err instanceof HTTPException) return err.getResponse()
  console.error('ciel: unhandled error', err)
  return fail(c, 500, 'internal error; nothing from this request was stored')
})

export default app
