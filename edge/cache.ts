/**
 * @module cache: each isolate keeps the sites it serves for a couple of seconds, so ingest
 * reads D1 about once per site every SITE_CACHE_MS instead of on every batch. A save in this
 * isolate replaces its copy at once; other isolates pick up the new version within the TTL.
 * Unknown keys are remembered too (junk traffic costs no query), and events this isolate
 * accepted count towards the quota before D1's daily count catches up.
 */
import type { Env } from './env'
import { siteForIngest, type SiteForIngest } from './store/sites'
import { dayOf } from './domain/ingest'

const MAX_ENTRIES = 2000
const entries = new Map<string, { at: number; day: string; site: SiteForIngest | null }>()

const ttl = (env: Env) => Number(env.SITE_CACHE_MS ?? 2000)

export async function cachedSite(env: Env, key: string, now: number): Promise<SiteForIngest | null> {
  const day = dayOf(now)
  const hit = entries.get(key)
  if (hit && now - hit.at < ttl(env) && hit.day === day) return hit.site
  const site = await siteForIngest(env.DB, key, day)
  entries.delete(key)
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!)
  entries.set(key, { at: now, day, site })
  return site
}

/** Counts events this isolate stored for a site today (until the next read brings D1's count). */
export function noteStored(key: string, n: number) {
  const hit = entries.get(key)
  if (hit?.site) hit.site.storedToday += n
}

/** Drops this isolate's copy (the site was saved or removed here). */
export const forgetSite = (key: string) => void entries.delete(key)
