/**
 * @module store/trends: the counts behind `GET /v1/insights/trends`, per bucket of both periods
 * (the previous one first), people only, in one round trip.
 */
import type { FunnelConfig } from '../../snippet/core/wire'
import type { Filter } from '../domain/filters'
import type { TrendPeriod } from '../domain/trends'
import { filterSql, HUMAN } from './filters'
import { UNCOUNTED } from '../domain/flags'

/** Friction signals: what a visitor does when the product is in their way. */
export const FRICTION = ['rage_click', 'dead_click', 'error_click', 'form_abandon', 'u_turn', 'stall']

/**
 * The friction signals among rows of events, in SQL (`n`: each row's count, for rows already
 * grouped). A `form_submit` takes back one `form_abandon`: the snippet sends it only when a form
 * it reported abandoned (a phone's hidden tab is reported at once) is submitted after all.
 */
export const frictionSum = (n = '1') =>
  `sum(CASE WHEN type IN (${FRICTION.map((t) => `'${t}'`).join(', ')}) THEN ${n} WHEN type = 'form_submit' THEN -${n} ELSE 0 END)`

export interface BucketRow {
  b: number
  visitors: number
  sessions: number
  pageviews: number
  friction: number
}
export interface NpsRow {
  b: number
  answers: number
  promoters: number
  detractors: number
}
export interface TotalRow extends Omit<BucketRow, 'b'> {
  cur: number
}

export async function trendCounts(db: D1Database, site: string, p: TrendPeriod, f: Filter, funnels: FunnelConfig[]) {
  const from = p.previousStart
  // The filter's referrer is the source of each session in the period it falls in.
  const cur = filterSql(f, site, p.start, p.end)
  const prev = filterSql(f, site, p.previousStart, p.start)
  const where = `events.site = ? AND events.ts >= ? AND events.ts < ? AND ${HUMAN()}`
  const both = `((events.ts >= ${p.start} ${cur.sql}) OR (events.ts < ${p.start} ${prev.sql}))`
  const args = [site, from, p.end, ...cur.args, ...prev.args]
  // Counted from the covering index alone (no row read); NPS, which needs props, apart by type.
  const counts = `count(DISTINCT visitor) AS visitors, count(DISTINCT session) AS sessions,
      sum(type = 'pageview') AS pageviews, ${frictionSum()} AS friction`
  const score = `json_extract(events.props, '$.score')`
  // Answers that count only: signed, one per offer and question (domain/answers.ts).
  const npsWhere = `${where} AND events.type = 'survey_answer' AND (events.flags & ${UNCOUNTED}) = 0
      AND json_extract(events.props, '$.kind') = 'nps' AND ${score} IS NOT NULL AND ${both}`
  const npsCounts = `count(*) AS answers, sum(${score} >= 9) AS promoters, sum(${score} <= 6) AS detractors`
  const goals = JSON.stringify(funnels.map((fn) => [fn.id, fn.steps[fn.steps.length - 1]!.id]))
  const goalJoin = `JOIN json_each(?) g ON g.value ->> 0 = events.name AND g.value ->> 1 = json_extract(events.props, '$.step')`
  const goalWhere = `${where} AND events.type = 'step' AND ${both}`
  const [buckets, totals, conversions, converted, answers, answered] = await db.batch<any>([
    db
      .prepare(`SELECT (ts - ${from}) / ${p.size} AS b, ${counts} FROM events WHERE ${where} AND ${both} GROUP BY b`)
      .bind(...args),
    db
      .prepare(`SELECT ts >= ${p.start} AS cur, ${counts} FROM events WHERE ${where} AND ${both} GROUP BY cur`)
      .bind(...args),
    db
      .prepare(
        `SELECT (events.ts - ${from}) / ${p.size} AS b, g.value ->> 0 AS funnel, count(DISTINCT events.visitor) AS n
         FROM events ${goalJoin} WHERE ${goalWhere} GROUP BY b, funnel`,
      )
      .bind(goals, ...args),
    db
      .prepare(
        `SELECT events.ts >= ${p.start} AS cur, g.value ->> 0 AS funnel, count(DISTINCT events.visitor) AS n
         FROM events ${goalJoin} WHERE ${goalWhere} GROUP BY cur, funnel`,
      )
      .bind(goals, ...args),
    db
      .prepare(`SELECT (events.ts - ${from}) / ${p.size} AS b, ${npsCounts} FROM events WHERE ${npsWhere} GROUP BY b`)
      .bind(...args),
    db
      .prepare(`SELECT events.ts >= ${p.start} AS cur, ${npsCounts} FROM events WHERE ${npsWhere} GROUP BY cur`)
      .bind(...args),
  ])
  return {
    buckets: buckets!.results as BucketRow[],
    totals: totals!.results as TotalRow[],
    conversions: conversions!.results as { b: number; funnel: string; n: number }[],
    converted: converted!.results as { cur: number; funnel: string; n: number }[],
    answers: answers!.results as NpsRow[],
    answered: answered!.results as (Omit<NpsRow, 'b'> & { cur: number })[],
  }
}
