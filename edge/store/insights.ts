/**
 * @module store/insights: the insights read from raw events (bots left out): friction
 * hotspots, abandoned forms, web vitals and survey answers. Read-only. The overview, funnels,
 * trends, pages, sources, custom events and journeys read the daily rollups (store/rolled.ts).
 */
import type { SurveyComment, SurveyCounts, SurveyScore } from '../domain/surveys'
import { FLAG, UNCOUNTED } from '../domain/flags'
import type { Clause } from './filters'

/** Bot-flagged events stay out of every insight. */
const HUMAN = `(flags & ${FLAG.bot}) = 0`
/** Survey answers that carried the worker's signed offer. */
const SIGNED = `(flags & ${FLAG.unsigned}) = 0`
/** Survey answers that count: signed, and the first of their offer and question (domain/answers.ts). */
const COUNTED = `(flags & ${UNCOUNTED}) = 0`
/** No filter: everyone. */
const EVERYONE: Clause = { sql: '', args: [] }

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

/**
 * Forms left unsubmitted, by form and the field visitors stopped at. A form the snippet reported
 * when the tab was hidden, and that the visitor submitted on coming back (`form_submit`, same
 * page and form), was not abandoned: it is left out.
 */
export async function abandonedForms(db: D1Database, site: string, from: number, limit = 20, f = EVERYONE) {
  const { results } = await db
    .prepare(
      `SELECT url AS page, json_extract(props, '$.form') AS form, json_extract(props, '$.last') AS lastField,
              count(DISTINCT visitor) AS visitors
       FROM events WHERE site = ? AND type = 'form_abandon' AND ts >= ? AND ${HUMAN}${f.sql}
         AND NOT EXISTS (SELECT 1 FROM events s INDEXED BY events_by_visitor
           WHERE s.site = events.site AND s.visitor = events.visitor AND s.ts >= events.ts
             AND s.type = 'form_submit' AND s.url = events.url
             AND json_extract(s.props, '$.form') IS json_extract(events.props, '$.form'))
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

/** Survey reach, scores and the newest written answers since `from`. */
export async function surveyAnswers(db: D1Database, site: string, from: number, f = EVERYONE) {
  const [counts, scores, comments, unsigned, extra] = await db.batch<any>([
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
         WHERE site = ? AND type = 'survey_answer' AND ts >= ? AND ${HUMAN} AND ${COUNTED}${f.sql} AND score IS NOT NULL
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
    // Signed answers beyond the one that counts for their offer and question: counted, never scored.
    db
      .prepare(
        `SELECT name AS survey, count(*) AS n FROM events
         WHERE site = ? AND type IN ('survey_answer', 'survey_comment') AND ts >= ? AND ${HUMAN}
           AND (flags & ${FLAG.extra}) != 0${f.sql}
         GROUP BY name`,
      )
      .bind(site, from, ...f.args),
  ])
  const bySurvey = (r: { results: { survey: string; n: number }[] }) =>
    Object.fromEntries(r.results.map((x) => [x.survey, x.n]))
  return {
    counts: counts!.results as SurveyCounts[],
    scores: scores!.results as SurveyScore[],
    comments: (comments!.results as SurveyComment[]).filter((c) => typeof c.text === 'string' && c.text.trim()),
    unsigned: bySurvey(unsigned!),
    extra: bySurvey(extra!),
  }
}
