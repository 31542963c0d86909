/** Fetches the site's public config; a failure leaves the defaults ({}), never an error. */
import type { SiteConfig } from './wire'

export async function loadConfig(edge: string, site: string): Promise<SiteConfig> {
  try {
    const r = await fetch(`${edge}/v1/config?site=${encodeURIComponent(site)}`, { credentials: 'omit' })
    if (r.ok) return await r.json()
    console.warn(`ciel: site '${site}': ${((await r.json().catch(() => ({}))) as { error?: string }).error ?? r.status}`)
  } catch {}
  return {}
}
