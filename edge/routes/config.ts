/** @module routes/config: `GET /v1/config?site=KEY`, the public site config, with an ETag. */
import { Hono } from 'hono'
import type { App } from '../env'
import { fail } from '../http'
import { getSite } from '../store/queries'

export const config = new Hono<App>()

async function etagOf(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  const hex = [...new Uint8Array(digest).slice(0, 12)].map((b) => b.toString(16).padStart(2, '0')).join('')
  return `"${hex}"`
}

config.get('/', async (c) => {
  const key = c.req.query('site')
  if (!key) return fail(c, 400, 'missing ?site=KEY')
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(key)) return fail(c, 400, "site key may only contain letters, digits, '-' and '_'")
  const site = await getSite(c.env.DB, key)
  if (!site) return fail(c, 404, `unknown site key '${key}'`)
  const text = JSON.stringify(site.config)
  const etag = await etagOf(text)
  const headers = {
    etag,
    'cache-control': 'public, max-age=60, stale-while-revalidate=600',
    'access-control-allow-origin': '*',
  }
  if (c.req.header('if-none-match') === etag) return new Response(null, { status: 304, headers })
  return new Response(text, { headers: { ...headers, 'content-type': 'application/json; charset=utf-8' } })
})
