/**
 * @module edge: the ciel worker. Wiring only: routes, middleware, and Cloudflare's other entry
 * points (the queues' consumers, the Cron Trigger) and the visitor Durable Object class.
 * Static files (snippet, demo site, dashboard) are served by Workers static assets.
 */
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { App, Env } from './env'
import { capBody, Refusal, refuse } from './http'
import { LIMITS } from './domain/batch'
import { pageCors } from './middleware/cors'
import { teamAuth } from './middleware/auth'
import { events } from './routes/events'
import { decideRoute } from './routes/decide'
import { config } from './routes/config'
import { schema } from './routes/schema'
import { admin } from './routes/admin'
import { views } from './routes/views'
import { visitors } from './routes/visitors'
import { insights } from './routes/insights'
import { explore } from './routes/explore'
import { propensity } from './routes/propensity'
import { exporter } from './routes/export'
import { consumeIngest } from './jobs/ingest'
import { consumeJobs, scheduleMaintenance } from './jobs/maintain'
import type { IngestPacket, JobMessage } from './jobs/messages'

export { VisitorShard } from './state/visitors'
export { RateCounter } from './state/rate'

/** The HTTP app alone (tests call `app.request`). */
export const app = new Hono<App>()

app.use('/v1/events', pageCors(), capBody(LIMITS.bodyBytes))
app.use('/v1/decide', pageCors(), capBody(8 * 1024))
app.use('/v1/config', pageCors())
// (`/x/*` also matches `/x` itself: one pattern per surface, so nothing runs twice.)
for (const path of ['/v1/admin/*', '/v1/visitors/*', '/v1/insights/*', '/v1/export'])
  app.use(path, teamAuth(), capBody(256 * 1024))

// The chain registers the routes; its type is the API's (hono RPC), so only the type is read.
// eslint-disable-next-line @typescript-eslint/no-unused-vars
const routes = app
  .get('/v1/health', (c) => c.json({ ok: true }))
  .route('/v1/events', events)
  .route('/v1/decide', decideRoute)
  .route('/v1/config', config)
  .route('/v1/schema', schema)
  .route('/v1/admin', admin)
  .route('/v1/admin/sites', views)
  .route('/v1/visitors', visitors)
  .route('/v1/insights/propensity', propensity)
  .route('/v1/insights', insights)
  .route('/v1/insights', explore)
  .route('/v1/export', exporter)

/** The API's types, for the dashboard's typed client (`hc<AppType>`). */
export type AppType = typeof routes

app.notFound((c) => {
  if (c.req.path.startsWith('/v1/')) refuse(404, `no such endpoint: ${c.req.method} ${c.req.path}`)
  return c.env.ASSETS.fetch(c.req.raw)
})

// The one answer to every refusal: `{error, path?}` (http.ts), never a bare string.
app.onError((err, c) => {
  if (err instanceof Refusal) return c.json(err.problem, err.status, err.headers)
  if (err instanceof HTTPException) {
    // Hono's own: bearer-auth's carry our JSON already (with WWW-Authenticate); others come as text.
    const res = err.getResponse()
    if (res.headers.get('content-type')?.includes('json')) return res
    return c.json({ error: err.message || res.statusText || 'bad request' }, err.status)
  }
  console.error('ciel: unhandled error', err)
  return c.json({ error: 'internal error; nothing from this request was stored' }, 500)
})

export default {
  fetch: app.fetch,
  async queue(batch: MessageBatch<IngestPacket | JobMessage>, env: Env) {
    if (batch.queue.startsWith('ciel-jobs')) return consumeJobs(batch as MessageBatch<JobMessage>, env)
    return consumeIngest(batch as MessageBatch<IngestPacket>, env)
  },
  async scheduled(controller: ScheduledController, env: Env) {
    await scheduleMaintenance(env, controller.scheduledTime)
  },
} satisfies ExportedHandler<Env, IngestPacket | JobMessage>
