/**
 * @module jobs/propensity: retrains a site's propensity models, one per funnel, from its
 * visitors' profiles in D1. The hourly Cron Trigger sends one job per site to the jobs queue
 * (jobs/maintain.ts); the job reads at most TRAINING_PROFILES profiles, so it stays bounded.
 */
import type { Env } from '../env'
import { getSite } from '../store/sites'
import { profilesForModels, saveModels } from '../store/propensity'
import { train, type Training } from '../domain/propensity'
import { forgetModels } from '../models'

/** Trains and stores every funnel's model of the site; what each run came to. */
export async function retrain(env: Env, siteKey: string, now: number): Promise<Training[]> {
  const site = await getSite(env.DB, siteKey)
  if (!site) return []
  const funnels = (site.config.funnels ?? []).map((f) => ({ id: f.id, steps: f.steps.map((s) => s.id) }))
  const rows = funnels.length ? await profilesForModels(env.DB, site.key) : []
  const runs = funnels.map((f) => train(rows, f, funnels))
  await saveModels(env.DB, site.key, runs, now)
  forgetModels(site.key)
  return runs
}
