/** Fetches the site's public config; a failure (or an answer of `null`) leaves the defaults ({}), never an error. */
import type { SiteConfig } from '../contract/wire'

/** `early`: the same request, made by the loader beside the core's (a failed one is made again). */
export async function loadConfig(edge: string, site: string, early?: Promise<Response | void>): Promise<SiteConfig> {
  try {
    const r = (await early) || (await fetch(`${edge}/v1/config?site=${encodeURIComponent(site)}`))
    const body = await r.json()
    if (r.ok) return body || {}
    console.warn('ciel:', body.error) // e.g. unknown site key
  } catch {}
  return {}
}
