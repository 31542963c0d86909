/**
 * @module store/surveys: what survey targeting reads of D1 (the surveys a user was shown on any
 * of their devices), the alert delivery log, and the answers the detailed report reads.
 */
import type { AnswerRow } from '../domain/surveys'
import { FLAG, UNCOUNTED } from '../domain/flags'
import { ANALYSIS_COLUMNS, analysisOf } from './analysis'
import type { Clause } from './filters'

/**
 * Survey id → when it was last shown to any visitor identified as `user` (their other devices
 * included). Read only when a survey is about to be offered to an identified visitor.
 */
export async function userSurveysShown(db: D1Database, site: string, user: string): Promise<{ [id: string]: number }> {
  const { results } = await db
    .prepare(
      `SELECT e.name AS survey, max(e.ts) AS at FROM identities i
       JOIN events e ON e.site = i.site AND e.visitor = i.visitor
       WHERE i.site = ? AND i.user_id = ? AND e.type = 'survey_shown' AND e.name IS NOT NULL
       GROUP BY e.name`,
    )
    .bind(site, user)
    .all<{ survey: string; at: number }>()
  return Object.fromEntries(results.map((r) => [r.survey, r.at]))
}

/** An alert as the delivery log shows it. */
export interface AlertRow {
  id: string
  survey: string
  visitor: string
  url: string
  reason: string
  answer: unknown
  at: number
  createdAt: number
  status: 'pending' | 'retrying' | 'delivered' | 'failed'
  attempts: number
  lastStatus: number | null
  lastError: string | null
  nextAt: number | null
  deliveredAt: number | null
}

const alertRow = (r: Record<string, any>): AlertRow & { body: string | null } => ({
  id: r.id,
  survey: r.survey,
  visitor: r.visitor,
  url: r.url,
  reason: r.reason,
  answer: JSON.parse(r.answer),
  at: r.at,
  createdAt: r.created_at,
  status: r.status,
  attempts: r.attempts,
  lastStatus: r.last_status,
  lastError: r.last_error,
  nextAt: r.next_at,
  deliveredAt: r.delivered_at,
  body: r.body,
})

/**
 * Records an alert once (a second call for the same answer changes nothing); answers the row,
 * or null for a visitor erased since the answer was queued (no row is made again).
 */
export async function openAlert(
  db: D1Database,
  site: string,
  a: { id: string; survey: string; visitor: string; url: string; reason: string; answer: unknown; ts: number },
  now: number,
) {
  await db
    .prepare(
      `INSERT INTO alerts (site, id, survey, visitor, url, reason, answer, at, created_at, status)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'pending'
       WHERE NOT EXISTS (SELECT 1 FROM erased WHERE site = ?1 AND visitor = ?4)
       ON CONFLICT (site, id) DO NOTHING`,
    )
    .bind(site, a.id, a.survey, a.visitor, a.url, a.reason, JSON.stringify(a.answer), a.ts, now)
    .run()
  return getAlert(db, site, a.id)
}

export async function getAlert(db: D1Database, site: string, id: string) {
  const r = await db.prepare('SELECT * FROM alerts WHERE site = ? AND id = ?').bind(site, id).first()
  return r ? alertRow(r) : null
}

/** Keeps the body as first built: every retry sends the same bytes. */
export async function keepAlertBody(db: D1Database, site: string, id: string, body: string) {
  await db.prepare('UPDATE alerts SET body = coalesce(body, ?) WHERE site = ? AND id = ?').bind(body, site, id).run()
}

/** The outcome of one attempt. */
export async function noteAttempt(
  db: D1Database,
  site: string,
  id: string,
  o: { status: AlertRow['status']; httpStatus: number; error: string | null; nextAt: number | null; now: number },
) {
  await db
    .prepare(
      `UPDATE alerts SET status = ?, attempts = attempts + 1, last_status = ?, last_error = ?, next_at = ?,
         delivered_at = CASE WHEN ? = 'delivered' THEN ? ELSE delivered_at END
       WHERE site = ? AND id = ?`,
    )
    .bind(o.status, o.httpStatus, o.error, o.nextAt, o.status, o.now, site, id)
    .run()
}

/** The newest alerts of a site (the delivery log). */
export async function listAlerts(db: D1Database, site: string, from: number, limit = 100): Promise<AlertRow[]> {
  const { results } = await db
    .prepare('SELECT * FROM alerts WHERE site = ? AND created_at >= ? ORDER BY created_at DESC LIMIT ?')
    .bind(site, from, limit)
    .all()
  return results.map((r) => {
    const { body: _, ...row } = alertRow(r)
    return row
  })
}

/** Answers of a visitor to a survey since `from`, oldest first (the alert's context). */
export async function answersSince(db: D1Database, site: string, visitor: string, survey: string, from: number) {
  const { results } = await db
    .prepare(
      `SELECT id, type, props, ts FROM events WHERE site = ? AND visitor = ? AND ts >= ?
         AND type IN ('survey_answer', 'survey_comment') AND name = ? ORDER BY ts LIMIT 50`,
    )
    .bind(site, visitor, from, survey)
    .all<{ id: string; type: string; props: string | null; ts: number }>()
  return results.map((r) => ({ id: r.id, type: r.type, ts: r.ts, props: r.props ? JSON.parse(r.props) : null }))
}

/** Friction events of a visitor between two times, newest first. */
export async function frictionBetween(db: D1Database, site: string, visitor: string, from: number, to: number) {
  const { results } = await db
    .prepare(
      `SELECT type, name, url, ts, coalesce(json_extract(props, '$.text'), json_extract(props, '$.path'),
              json_extract(props, '$.step'), json_extract(props, '$.form')) AS element
       FROM events WHERE site = ? AND visitor = ? AND ts >= ? AND ts <= ?
         AND type IN ('rage_click', 'dead_click', 'error_click', 'error', 'stall', 'form_abandon', 'u_turn')
       ORDER BY ts DESC LIMIT 10`,
    )
    .bind(site, visitor, from, to)
    .all<{ type: string; name: string | null; url: string; ts: number; element: string | null }>()
  return results
}

/**
 * Survey answers and comments of people (not bots) that count (signed, the one per offer and
 * question: domain/answers.ts) since `from`, in the filter `f`, newest first (at most 5,000),
 * with what each written one says as it was scored when it arrived (null: not scored yet).
 */
export async function surveyAnswerRows(db: D1Database, site: string, from: number, f: Clause): Promise<AnswerRow[]> {
  const { results } = await db
    .prepare(
      // By the type index: ordered by time, SQLite would rather walk every event of the period.
      `SELECT e.id, e.visitor, e.name AS survey, e.type, e.props, e.url, e.ts, ${ANALYSIS_COLUMNS('a')}
       FROM events e INDEXED BY events_by_type
       LEFT JOIN answer_analysis a ON a.site = e.site AND a.id = e.id
       WHERE e.site = ? AND e.type IN ('survey_answer', 'survey_comment') AND e.ts >= ?
         AND (e.flags & ${FLAG.bot | UNCOUNTED}) = 0 AND e.name IS NOT NULL${f.sql}
       ORDER BY e.ts DESC LIMIT 5000`,
    )
    .bind(site, from, ...f.args)
    .all<Omit<AnswerRow, 'props' | 'analysis'> & { props: string | null } & Parameters<typeof analysisOf>[0]>()
  return results.map((r) => ({
    id: r.id,
    visitor: r.visitor,
    survey: r.survey,
    type: r.type,
    url: r.url,
    ts: r.ts,
    props: r.props ? JSON.parse(r.props) : null,
    analysis: analysisOf(r),
  }))
}

/** Alert status by answer id since `from`. */
export async function alertStatuses(db: D1Database, site: string, from: number): Promise<Map<string, string>> {
  const { results } = await db
    .prepare('SELECT id, status FROM alerts WHERE site = ? AND created_at >= ?')
    .bind(site, from)
    .all<{ id: string; status: string }>()
  return new Map(results.map((r) => [r.id, r.status]))
}
