/**
 * @module models: each isolate keeps a site's propensity models for a few minutes (they change
 * hourly at most), and reads them only for sites whose segments use `propensity.<funnel>`, so
 * ingest and decisions of other sites never wait on D1 for them.
 */
import type { Env } from './env'
import type { SiteConfig } from '../snippet/contract/wire'
import type { Profile } from './domain/profile'
import { withScores, type PropensityModel } from './domain/propensity'
import { loadModels } from './store/propensity'

const MODELS_MS = 300_000
const MAX_ENTRIES = 2000
const cache = new Map<string, { at: number; models: Promise<PropensityModel[]> }>()
const uses = new WeakMap<SiteConfig, boolean>()

/** Whether any of the site's segments reads a propensity score. */
export function usesPropensity(config: SiteConfig): boolean {
  let u = uses.get(config)
  if (u === undefined) uses.set(config, (u = JSON.stringify(config.segments ?? []).includes('"propensity.')))
  return u
}

/** The site's trained models, read at most every 5 minutes per isolate. */
export function siteModels(env: Env, site: string, now: number): Promise<PropensityModel[]> {
  const hit = cache.get(site)
  if (hit && now - hit.at < MODELS_MS) return hit.models
  // A model trained before forward tests (no evaluation) is not used: its AUC measured a leak.
  const read = loadModels(env.DB, site).then((rows) => rows.flatMap((r) => (r.model && r.evaluation ? [r.model] : [])))
  cache.delete(site)
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!)
  // A failed read is not kept: the next request tries again (and decides without scores now).
  cache.set(site, { at: now, models: read.catch(() => (cache.delete(site), [])) })
  return cache.get(site)!.models
}

/** Drops this isolate's copy (a test or a retraining in this isolate). */
export const forgetModels = (site: string) => void cache.delete(site)

/** The profile with its propensity scores, when the site's segments read them. */
export async function scored(
  env: Env,
  site: { key: string; config: SiteConfig },
  p: Profile,
  now: number,
): Promise<Profile> {
  if (!usesPropensity(site.config)) return p
  return withScores(p, await siteModels(env, site.key, now), now)
}
