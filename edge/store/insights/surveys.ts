/**
 * @module store/insights/surveys: survey reach, scores and the newest written answers from raw
 * events (bots left out): no rollup holds them.
 */
import type { SurveyComment, SurveyCounts, SurveyScore } from '../../domain/surveys'
import { FLAG, UNCOUNTED } from '../../domain/flags'
import { batch, query } from '../batch'
import { HUMAN } from '../filters'
import { EVERYONE } from './friction'

/** Survey answers that carried the worker's signed offer. */
const SIGNED = `(flags & ${FLAG.unsigned}) = 0`
/** Survey answers that count: signed, and the first of their offer and question (domain/answers.ts). */
const COUNTED = `(flags & ${UNCOUNTED}) = 0`

interface SurveyTally {
  survey: string
  unsigned: number
  extra: number
}

/** Survey reach, scores and the newest written answers since `from`. */
export async function surveyAnswers(db: D1Database, site: string, from: number, f = EVERYONE) {
  const [counts, scores, comments, tallies] = await batch(db, [
    query<SurveyCounts>(
      db,
      `SELECT name AS survey, type, count(DISTINCT visitor) AS visitors FROM events
        WHERE site = ? AND type IN ('survey_shown', 'survey_answer', 'survey_dismiss') AND ts >= ? AND ${HUMAN()}${f.sql}
        GROUP BY name, type`,
      site,
      from,
      ...f.args,
    ),
    query<SurveyScore>(
      db,
      `SELECT name AS survey, json_extract(props, '$.score') AS score, count(*) AS n FROM events
        WHERE site = ? AND type = 'survey_answer' AND ts >= ? AND ${HUMAN()} AND ${COUNTED}${f.sql} AND score IS NOT NULL
        GROUP BY name, score`,
      site,
      from,
      ...f.args,
    ),
    query<SurveyComment>(
      db,
      `SELECT name AS survey, json_extract(props, '$.text') AS text, json_extract(props, '$.score') AS score, url, ts
        FROM events INDEXED BY events_by_type
        WHERE site = ? AND type IN ('survey_answer', 'survey_comment') AND ts >= ? AND ${HUMAN()}${f.sql}
          AND text IS NOT NULL
        ORDER BY ts DESC LIMIT 500`,
      site,
      from,
      ...f.args,
    ),
    // Answers without the worker's signed offer (forged, most likely), and signed ones beyond the
    // one that counts for their offer and question: counted apart, never scored. One scan for both.
    query<SurveyTally>(
      db,
      `SELECT name AS survey, sum(NOT ${SIGNED}) AS unsigned, sum((flags & ${FLAG.extra}) != 0) AS extra FROM events
        WHERE site = ? AND type IN ('survey_answer', 'survey_comment') AND ts >= ? AND ${HUMAN()}${f.sql}
        GROUP BY name`,
      site,
      from,
      ...f.args,
    ),
  ])
  // Only the surveys that have any, as when each was its own query.
  const bySurvey = (k: 'unsigned' | 'extra') =>
    Object.fromEntries(tallies.filter((x) => x[k] > 0).map((x) => [x.survey, x[k]]))
  return {
    counts,
    scores,
    comments: comments.filter((c) => typeof c.text === 'string' && c.text.trim()),
    unsigned: bySurvey('unsigned'),
    extra: bySurvey('extra'),
  }
}
