/** The site a team request names with `?site=KEY`: shared by the routes that read one site. */
import type { Context } from 'hono'
import type { App } from '../env'
import { fail } from '../http'
import { getSite, type SiteRow } from '../store/queries'

/** The site, or the 400/404 answer to return. */
export async function siteOf(c: Context<App>): Promise<{ site: SiteRow } | { error: Response }> {
  const key = c.req.query('site')
  if (!key) return { error: fail(c, 400, 'missing ?site=KEY') }
  const site = await getSite(c.env.DB, key)
  return site ? { site } : { error: fail(c, 404, `unknown site key '${key}'`) }
}
