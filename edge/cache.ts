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
import { profileSpec, type ExperimentStats } from './domain/decide'
import type { ProfileSpec } from './domain/profile'
import { exposureRows } from './store/experiments'
import { sharesFromDays } from './domain/bandit'
import { armsOf } from './domain/experiments'

/** A site as ingest uses it: its row, and what its visitors' shards need of its config. */
export type CachedSite = SiteForIngest & { spec: ProfileSpec }

const MAX_ENTRIES = 2000
const entries = new Map<string, { at: number; day: string; site: CachedSite | null }>()

const ttl = (env: Env) => Number(env.SITE_CACHE_MS ?? 2000)

export async function cachedSite(env: Env, key: string, now: number): Promise<CachedSite | null> {
  const day = dayOf(now)
  const hit = entries.get(key)
  if (hit && now - hit.at < ttl(env) && hit.day === day) return hit.site
  const row = await siteForIngest(env.DB, key, day)
  const site = row && { ...row, spec: profileSpec(row.config) }
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

/** How long Thompson-sampled shares are used before the results are read again. */
const STATS_MS = 30_000
const stats = new Map<string, { at: number; stats: Promise<ExperimentStats> }>()

/**
 * The current shares of a site's Thompson-sampled experiments, from results read at most every
 * 30 s per isolate (assignment only needs them roughly current; each visitor's arm is pinned at
 * exposure).
 */
export function experimentStats(env: Env, site: CachedSite, now: number): Promise<ExperimentStats> {
  if (!site.config.slots?.some((s) => s.experiment?.allocation === 'thompson' && s.experiment.on !== false))
    return Promise.resolve({})
  const hit = stats.get(site.key)
  if (hit && now - hit.at < STATS_MS) return hit.stats
  const read = exposureRows(env.DB, site.key).then((rows) => {
    const out: ExperimentStats = {}
    for (const slot of site.config.slots ?? []) {
      const x = slot.experiment
      if (!x || x.allocation !== 'thompson') continue
      const mine = rows.filter((r) => r.slot === slot.id && r.experiment === x.id && !r.holdout)
      out[slot.id] = { id: x.id, shares: sharesFromDays(armsOf(x), mine, now) }
    }
    return out
  })
  // A failed read is not kept: the next request tries again (and decides from no results now).
  stats.set(site.key, { at: now, stats: read.catch(() => (stats.delete(site.key), {})) })
  return stats.get(site.key)!.stats
}
