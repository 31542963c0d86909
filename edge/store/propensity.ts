/**
 * @module store/propensity: the training data of propensity models (visitors' profiles in D1)
 * and the models themselves (`propensity_models`, one row per site and funnel).
 */
import type { Profile } from '../domain/profile'
import type { PropensityModel, Training } from '../domain/propensity'

/** Profiles read to train a site's models, and to list scores: the most recently seen. */
export const TRAINING_PROFILES = 10_000

/**
 * The site's most recently seen human visitors' profiles, trimmed to what models read (the
 * experiments, surveys and traits are left in D1), at most `limit`.
 */
export async function profilesForModels(
  db: D1Database,
  site: string,
  limit = TRAINING_PROFILES,
): Promise<{ id: string; profile: Profile }[]> {
  const { results } = await db
    .prepare(
      `SELECT id, json_remove(profile, '$.exp', '$.surveys', '$.user') AS profile FROM visitors
       WHERE site = ? AND profile IS NOT NULL AND profile ->> 'bot' IS NULL
       ORDER BY last_seen DESC, id LIMIT ?`,
    )
    .bind(site, limit)
    .all<{ id: string; profile: string }>()
  return results.map((r) => ({ id: r.id, profile: JSON.parse(r.profile) as Profile }))
}

export interface ModelRow extends Omit<Training, 'model' | 'reason'> {
  trainedAt: number
  model: PropensityModel | null
  reason: string | null
}

/** Replaces the site's models with the trainings of this run (funnels no longer configured go). */
export async function saveModels(db: D1Database, site: string, runs: Training[], now: number): Promise<void> {
  await db.batch([
    db
      .prepare(`DELETE FROM propensity_models WHERE site = ? AND funnel NOT IN (SELECT value FROM json_each(?))`)
      .bind(site, JSON.stringify(runs.map((r) => r.funnel))),
    ...runs.map((r) =>
      db
        .prepare(
          `INSERT OR REPLACE INTO propensity_models
             (site, funnel, goal, trained_at, n, converters, others, holdout, auc, model, reason)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .bind(
          site,
          r.funnel,
          r.goal,
          now,
          r.n,
          r.converters,
          r.others,
          r.holdout,
          r.auc,
          r.model ? JSON.stringify(r.model) : null,
          r.reason ?? null,
        ),
    ),
  ])
}

/** The site's models, by funnel. */
export async function loadModels(db: D1Database, site: string): Promise<ModelRow[]> {
  const { results } = await db
    .prepare(
      `SELECT funnel, goal, trained_at AS trainedAt, n, converters, others, holdout, auc, model, reason
       FROM propensity_models WHERE site = ? ORDER BY funnel`,
    )
    .bind(site)
    .all<Omit<ModelRow, 'model'> & { model: string | null }>()
  return results.map((r) => ({ ...r, model: r.model ? (JSON.parse(r.model) as PropensityModel) : null }))
}
