/**
 * @module store/propensity: what the prediction models learn from (the visitors' events in D1,
 * read a page at a time) and what they score (the profiles), and the models themselves:
 * `propensity_models`, one row per site and funnel, and `churn_models`, one per site.
 */
import type { Profile } from '../domain/profile'
import type { PropensityModel } from '../domain/propensity'
import type { GoalTraining, HistoryEvent, Training } from '../domain/forward'

/** Profiles read to list scores: the most recently seen. */
export const SCORED_PROFILES = 10_000
/** Visitors whose events a training run reads (the most recently seen), and events at most. */
export const TRAINING_VISITORS = 10_000
export const TRAINING_EVENTS = 500_000
/** Visitors per statement, and events per page. */
const VISITOR_PAGE = 500
const EVENT_PAGE = 5_000

/**
 * The site's most recently seen human visitors' profiles, trimmed to what models read (the
 * experiments, surveys and traits are left in D1), at most `limit`.
 */
export async function profilesForModels(
  db: D1Database,
  site: string,
  limit = SCORED_PROFILES,
): Promise<{ id: string; profile: Profile }[]> {
  const { results } = await db
    .prepare(
      `SELECT id, json_remove(profile, '$.exp', '$.surveys', '$.user.traits', '$.before') AS profile FROM visitors
       WHERE site = ? AND profile IS NOT NULL AND profile ->> 'bot' IS NULL
       ORDER BY last_seen DESC, id LIMIT ?`,
    )
    .bind(site, limit)
    .all<{ id: string; profile: string }>()
  return results.map((r) => ({ id: r.id, profile: JSON.parse(r.profile) as Profile }))
}

interface EventRow {
  visitor: string
  id: string
  session: string
  type: string
  name: string | null
  ts: number
  url: string | null
  props: string | null
  flags: number
}

function parsed(props: string | null): HistoryEvent['props'] {
  if (!props) return null
  try {
    return JSON.parse(props) as HistoryEvent['props']
  } catch {
    return null
  }
}

/**
 * Each human visitor seen since `seenSince` (the most recently seen first, at most
 * TRAINING_VISITORS) with their events before `before`, in time order: one visitor at a time,
 * so a run holds one page of events however many there are. Stops after TRAINING_EVENTS.
 */
export async function* histories(
  db: D1Database,
  site: string,
  seenSince: number,
  before: number,
): AsyncGenerator<{ id: string; events: HistoryEvent[] }> {
  const { results: visitors } = await db
    .prepare(
      `SELECT id FROM visitors WHERE site = ? AND last_seen >= ? AND profile IS NOT NULL AND profile ->> 'bot' IS NULL
       ORDER BY last_seen DESC, id LIMIT ?`,
    )
    .bind(site, seenSince, TRAINING_VISITORS)
    .all<{ id: string }>()
  let read = 0
  for (let i = 0; i < visitors.length && read < TRAINING_EVENTS; i += VISITOR_PAGE) {
    const ids = JSON.stringify(visitors.slice(i, i + VISITOR_PAGE).map((v) => v.id))
    let current = null as { id: string; events: HistoryEvent[] } | null
    let after: [string, number, string] = ['', -Infinity, '']
    for (;;) {
      // Only the props the profile reads: a pageview's topics and referrer, a step, a score.
      const { results } = await db
        .prepare(
          `SELECT visitor, id, session, type, name, ts, CASE WHEN type = 'pageview' THEN url END AS url,
                  CASE WHEN type IN ('pageview', 'step', 'survey_answer') THEN props END AS props, flags
           FROM events INDEXED BY events_by_visitor
           WHERE site = ? AND visitor IN (SELECT value FROM json_each(?)) AND ts < ?
             AND (visitor, ts, id) > (?, ?, ?)
           ORDER BY visitor, ts, id LIMIT ${EVENT_PAGE}`,
        )
        .bind(site, ids, before, after[0], Number.isFinite(after[1]) ? after[1] : -1e15, after[2])
        .all<EventRow>()
      for (const r of results) {
        if (current?.id !== r.visitor) {
          if (current) yield current
          current = { id: r.visitor, events: [] }
        }
        current.events.push({
          id: r.id,
          session: r.session,
          type: r.type,
          name: r.name,
          ts: r.ts,
          url: r.url,
          props: parsed(r.props),
          flags: r.flags,
        })
      }
      read += results.length
      if (results.length < EVENT_PAGE) break
      const last = results[results.length - 1]!
      after = [last.visitor, last.ts, last.id]
    }
    if (current) yield current
  }
}

/** What a funnel's stored row holds besides its model: its forward test, as domain/forward.ts measured it. */
export type Evaluation = Omit<GoalTraining, 'model' | 'reason'>

export interface ModelRow {
  funnel: string
  goal: string
  trainedAt: number
  reason: string | null
  model: PropensityModel | null
  /** Null for a model trained before forward tests (it is not used). */
  evaluation: Evaluation | null
}

export interface ChurnRow {
  trainedAt: number
  training: Training
}

/**
 * Replaces the site's models with the trainings of this run (funnels no longer configured go),
 * and its churn model.
 */
export async function saveModels(
  db: D1Database,
  site: string,
  runs: GoalTraining[],
  churn: Training,
  now: number,
): Promise<void> {
  await db.batch([
    db
      .prepare(`DELETE FROM propensity_models WHERE site = ? AND funnel NOT IN (SELECT value FROM json_each(?))`)
      .bind(site, JSON.stringify(runs.map((r) => r.funnel))),
    ...runs.map(({ model, reason, ...evaluation }) =>
      db
        .prepare(
          `INSERT OR REPLACE INTO propensity_models
             (site, funnel, goal, trained_at, n, converters, others, holdout, auc, model, reason, evaluation)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .bind(
          site,
          evaluation.funnel,
          evaluation.goal,
          now,
          evaluation.n,
          evaluation.positives,
          evaluation.negatives,
          evaluation.holdout,
          evaluation.auc,
          model ? JSON.stringify(model) : null,
          reason ?? null,
          JSON.stringify(evaluation),
        ),
    ),
    db
      .prepare(`INSERT OR REPLACE INTO churn_models (site, trained_at, training) VALUES (?, ?, ?)`)
      .bind(site, now, JSON.stringify(churn)),
  ])
}

/** The site's funnel models, by funnel. */
export async function loadModels(db: D1Database, site: string): Promise<ModelRow[]> {
  const { results } = await db
    .prepare(
      `SELECT funnel, goal, trained_at AS trainedAt, model, reason, evaluation
       FROM propensity_models WHERE site = ? ORDER BY funnel`,
    )
    .bind(site)
    .all<{
      funnel: string
      goal: string
      trainedAt: number
      model: string | null
      reason: string | null
      evaluation: string | null
    }>()
  return results.map((r) => ({
    ...r,
    model: r.model ? (JSON.parse(r.model) as PropensityModel) : null,
    evaluation: r.evaluation ? (JSON.parse(r.evaluation) as Evaluation) : null,
  }))
}

/** The site's churn model, or null before its first training. */
export async function loadChurn(db: D1Database, site: string): Promise<ChurnRow | null> {
  const r = await db
    .prepare(`SELECT trained_at AS trainedAt, training FROM churn_models WHERE site = ?`)
    .bind(site)
    .first<{ trainedAt: number; training: string }>()
  return r && { trainedAt: r.trainedAt, training: JSON.parse(r.training) as Training }
}
