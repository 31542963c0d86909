/** @module routes/schema: `GET /v1/schema/site`, the JSON Schema of a site (for editors), from the one valibot schema. */
import { Hono } from 'hono'
import type { App } from '../env'
import { siteJsonSchema } from '../domain/site-json-schema'

export const schema = new Hono<App>().get('/site', (c) => {
  c.header('cache-control', 'public, max-age=300')
  return c.json(siteJsonSchema())
})
