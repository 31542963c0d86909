/**
 * @module jobs/propensity: retrains a site's prediction models (one per funnel, and churn) from
 * its visitors' events in D1, looking forward from cutoff dates (domain/forward.ts). The hourly
 * Cron Trigger sends one job per site to the jobs queue (jobs/maintain.ts); a run reads at most
 * TRAINING_VISITORS visitors and TRAINING_EVENTS events, a page at a time, so it stays bounded.
 */
import type { Env } from '../env'
import { getSite } from '../store/sites'
import { histories, loadChurn, saveModels } from '../store/propensity'
import {
  earliestOf,
  endOf,
  HORIZON_DAYS,
  planFor,
  timelineOf,
  trainChurn,
  trainGoal,
  type GoalTraining,
  type Timeline,
  type Training,
} from '../domain/forward'
import { forgetModels } from '../models'

/** What a run is asked: a horizon (default: the site's last, else 14 days) and a holdout cutoff. */
export interface Ask {
  horizonDays?: number
  cutoff?: number
}

/** Trains and stores the site's models; what each run came to. */
export async function retrain(
  env: Env,
  siteKey: string,
  now: number,
  ask: Ask = {},
): Promise<{ funnels: GoalTraining[]; churn: Training } | null> {
  const site = await getSite(env.DB, siteKey)
  if (!site) return null
  const funnels = (site.config.funnels ?? []).map((f) => ({ id: f.id, steps: f.steps.map((s) => s.id) }))
  const horizon = ask.horizonDays ?? (await loadChurn(env.DB, site.key))?.training.horizonDays ?? HORIZON_DAYS
  const plan = planFor(now, horizon, ask.cutoff)
  const timelines: Timeline[] = []
  for await (const h of histories(env.DB, site.key, earliestOf(plan), endOf(plan)))
    timelines.push(timelineOf(h.id, h.events, plan, funnels))
  const runs = funnels.map((f) => trainGoal(timelines, plan, f, funnels))
  const churn = trainChurn(timelines, plan, funnels)
  await saveModels(env.DB, site.key, runs, churn, now)
  forgetModels(site.key)
  return { funnels: runs, churn }
}
