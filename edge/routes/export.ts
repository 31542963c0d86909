/**
 * @module routes/export: `GET /v1/export?site=&from=&to=`, a site's raw events (bots included,
 * flagged) as NDJSON, one event a line in time order, streamed a page of rows at a time so the
 * worker holds one page however long the range. Scope `read`, like the insights.
 */
import { Hono } from 'hono'
import type { App } from '../env'
import { queryOf, refuse } from '../http'
import { allow } from '../middleware/auth'
import { namedSite } from '../middleware/site'
import { ExportQuery } from '../domain/export'
import { eventsPage, type ExportCursor } from '../store/export'

/** Rows read from D1 per page. */
export const EXPORT_PAGE = 1000

export const exporter = new Hono<App>().use(namedSite(), allow('read')).get('/', queryOf(ExportQuery), (c) => {
  const { from, to = Date.now() } = c.req.valid('query')
  if (to <= from) refuse(400, '?to must come after ?from', { path: 'to' })
  const site = c.get('site').key
  const db = c.env.DB
  const encoder = new TextEncoder()
  let after: ExportCursor | null = null
  let done = false
  const body = new ReadableStream<Uint8Array>(
    {
      // Called when the reader wants more: one page per call, so memory stays at one page.
      async pull(controller) {
        if (done) return controller.close()
        const page = await eventsPage(db, site, from, to, after, EXPORT_PAGE)
        if (page.length < EXPORT_PAGE) done = true
        if (page.length) {
          const last = page[page.length - 1]!
          after = { ts: last.ts, id: last.id }
          controller.enqueue(encoder.encode(page.map((e) => JSON.stringify({ site, ...e })).join('\n') + '\n'))
        }
        if (done) controller.close()
      },
    },
    { highWaterMark: 0 },
  )
  const name = `ciel-${site}-${new Date(from).toISOString().slice(0, 10)}-${new Date(to).toISOString().slice(0, 10)}.ndjson`
  return new Response(body, {
    headers: {
      'content-type': 'application/x-ndjson; charset=utf-8',
      'content-disposition': `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"`,
      'cache-control': 'no-store',
    },
  })
})
