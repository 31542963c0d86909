/**
 * @module store/insights: what the team reads, as SQL over raw events (bots left out).
 * Read-only; every statement of the insights API is here.
 */
import type { SurveyComment, SurveyCounts, SurveyScore } from '../domain/surveys'
import { FLAG } from '../domain/flags'
import type { Clause } from './filters'

/** Bot-flagged events stay out of every insight. */
const HUMAN = `(flags & ${FLAG.bot}) = 0`
/** Survey answers that carried the worker's signed offer. */
const SIGNED = `(flags & ${FLAG.unsigned}) = 0`
/** No filter: everyone. */
const EVERYONE: Clause = { sql: '', args: [] }

/** Visitors who reached each step of a funnel, and the stalls per step, since `from`. */
export async function funnelCounts(db: D1Database, site: string, funnel: string, from: number, f = EVERYONE) {
  const [reached, stalls] = await db.batch<{ step: string; n: number }>([
    db
      .prepare(
        `SELECT json_extract(props, '$.step') AS step, count(DISTINCT visitor) AS n FROM events
         WHERE site = ? AND type = 'step' AND name = ? AND ts >= ? AND ${HUMAN}${f.sql} GROUP BY step`,
      )
      .bind(site, funnel, from, ...f.args),
    db
      .prepare(
        `SELECT json_extract(props, '$.step') AS step, count(DISTINCT visitor) AS n FROM events
         WHERE site = ? AND type = 'stall' AND name = ? AND ts >= ? AND ${HUMAN}${f.sql} GROUP BY step`,
      )
      .bind(site, funnel, from, ...f.args),
  ])
  const stalled = new Map(stalls!.results.map((r) => [r.step, r.n]))
  const steps = new Set([...reached!.results.map((r) => r.step), ...stalled.keys()])
  return [...steps].map((step) => ({
    step,
    visitors: reached!.results.find((r) => r.step === step)?.n ?? 0,
    stalls: stalled.get(step) ?? 0,
  }))
}

export interface Hotspot {
  type: string
  page: string
  path: string | null
  text: string | null
  events: number
  visitors: number
}

/** Where visitors rage-click, dead-click and hit errors on click: the worst spots first. */
export async function frictionHotspots(
  db: D1Database,
  site: string,
  from: number,
  limit = 50,
  f = EVERYONE,
): Promise<Hotspot[]> {
  const { results } = await db
    .prepare(
      `SELECT type, url AS page, json_extract(props, '$.path') AS path, json_extract(props, '$.text') AS text,
              count(*) AS events, count(DISTINCT visitor) AS visitors
       FROM events WHERE site = ? AND type IN ('rage_click', 'dead_click', 'error_click') AND ts >= ? AND ${HUMAN}${f.sql}
       GROUP BY type, page, path ORDER BY visitors DESC, events DESC LIMIT ?`,
    )
    .bind(site, from, ...f.args, limit)
    .all<Hotspot>()
  return results
}

/** Forms left unsubmitted, by form and the field visitors stopped at. */
export async function abandonedForms(db: D1Database, site: string, from: number, limit = 20, f = EVERYONE) {
  const { results } = await db
    .prepare(
      `SELECT url AS page, json_extract(props, '$.form') AS form, json_extract(props, '$.last') AS lastField,
              count(DISTINCT visitor) AS visitors
       FROM events WHERE site = ? AND type = 'form_abandon' AND ts >= ? AND ${HUMAN}${f.sql}
       GROUP BY page, form, lastField ORDER BY visitors DESC LIMIT ?`,
    )
    .bind(site, from, ...f.args, limit)
    .all<{ page: string; form: string | null; lastField: string | null; visitors: number }>()
  return results
}

/** Recent values of each web vital (the newest 2,000 per metric at most). */
export async function vitalValues(db: D1Database, site: string, from: number, f = EVERYONE) {
  const { results } = await db
    .prepare(
      `SELECT name, json_extract(props, '$.value') AS value FROM events
       WHERE site = ? AND type = 'vitals' AND ts >= ? AND ${HUMAN}${f.sql} ORDER BY ts DESC LIMIT 10000`,
    )
    .bind(site, from, ...f.args)
    .all<{ name: string; value: number }>()
  const by: { [metric: string]: number[] } = {}
  for (const r of results)
    if (typeof r.value === 'number') (by[r.name] ??= []).length < 2000 && by[r.name]!.push(r.value)
  return by
}

/** Headline numbers since `from`, and when the site last sent anything (is the tag installed?). */
export async function overview(db: D1Database, site: string, from: number, f = EVERYONE) {
  const [totals, types, loss, last] = await db.batch<any>([
    db
      .prepare(
        // Bots are counted apart (botEvents), never in the headline numbers.
        `SELECT count(DISTINCT CASE WHEN ${HUMAN} THEN visitor END) AS visitors,
                count(DISTINCT CASE WHEN ${HUMAN} THEN session END) AS sessions,
                sum(type = 'pageview' AND ${HUMAN}) AS pageviews, sum((flags & ${FLAG.bot}) != 0) AS botEvents
         FROM events WHERE site = ? AND ts >= ?${f.sql}`,
      )
      .bind(site, from, ...f.args),
    db
      .prepare(
        `SELECT type, count(*) AS n FROM events WHERE site = ? AND ts >= ? AND ${HUMAN}${f.sql} GROUP BY type ORDER BY n DESC`,
      )
      .bind(site, from, ...f.args),
    db
      .prepare(
        `SELECT sum(evicted) AS evicted, sum(dropped) AS dropped, sum(rejected) AS rejected
         FROM ingest_loss WHERE site = ? AND day >= ?`,
      )
      .bind(site, new Date(from).toISOString().slice(0, 10)),
    // The visitors index answers this without reading the events.
    db.prepare('SELECT max(last_seen) AS at FROM visitors WHERE site = ?').bind(site),
  ])
  const t = totals!.results[0] ?? {}
  const l = loss!.results[0] ?? {}
  return {
    visitors: t.visitors ?? 0,
    sessions: t.sessions ?? 0,
    pageviews: t.pageviews ?? 0,
    botEvents: t.botEvents ?? 0,
    events: Object.fromEntries(types!.results.map((r: { type: string; n: number }) => [r.type, r.n])),
    lost: { evicted: l.evicted ?? 0, dropped: l.dropped ?? 0, rejected: l.rejected ?? 0 },
    /** When the worker last received a batch for this site (any time), or null: never. */
    lastReceived: (last!.results[0]?.at as number | null) ?? null,
  }
}

/** Survey reach, scores and the newest written answers since `from`. */
export async function surveyAnswers(db: D1Database, site: string, from: number, f = EVERYONE) {
  const [counts, scores, comments, unsigned] = await db.batch<any>([
    db
      .prepare(
        `SELECT name AS survey, type, count(DISTINCT visitor) AS visitors FROM events
         WHERE site = ? AND type IN ('survey_shown', 'survey_answer', 'survey_dismiss') AND ts >= ? AND ${HUMAN}${f.sql}
         GROUP BY name, type`,
      )
      .bind(site, from, ...f.args),
    db
      .prepare(
        `SELECT name AS survey, json_extract(props, '$.score') AS score, count(*) AS n FROM events
         WHERE site = ? AND type = 'survey_answer' AND ts >= ? AND ${HUMAN} AND ${SIGNED}${f.sql} AND score IS NOT NULL
         GROUP BY name, score`,
      )
      .bind(site, from, ...f.args),
    db
      .prepare(
        `SELECT name AS survey, json_extract(props, '$.text') AS text, json_extract(props, '$.score') AS score, url, ts
         FROM events INDEXED BY events_by_type
         WHERE site = ? AND type IN ('survey_answer', 'survey_comment') AND ts >= ? AND ${HUMAN}${f.sql}
           AND text IS NOT NULL
         ORDER BY ts DESC LIMIT 500`,
      )
      .bind(site, from, ...f.args),
    // Answers without the worker's signed offer (forged, most likely): counted, never scored.
    db
      .prepare(
        `SELECT name AS survey, count(*) AS n FROM events
         WHERE site = ? AND type IN ('survey_answer', 'survey_comment') AND ts >= ? AND ${HUMAN} AND NOT ${SIGNED}${f.sql}
         GROUP BY name`,
      )
      .bind(site, from, ...f.args),
  ])
  return {
    counts: counts!.results as SurveyCounts[],
    scores: scores!.results as SurveyScore[],
    comments: (comments!.results as SurveyComment[]).filter((c) => typeof c.text === 'string' && c.text.trim()),
    unsigned: Object.fromEntries((unsigned!.results as { survey: string; n: number }[]).map((r) => [r.survey, r.n])),
  }
}
