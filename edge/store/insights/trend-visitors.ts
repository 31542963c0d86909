/**
 * @module store/insights/trend-visitors: the visitors behind a point of a trend (one bucket of the
 * current period of `GET /v1/insights/trends`): those with a session in it (Visitors, Sessions),
 * a pageview (Pageviews), a session with friction signals (Friction), a counted NPS answer (NPS),
 * or the funnel's goal (a funnel completed). Read from the rows the trends count (store/insights/trends.ts):
 * days from roll_sessions and roll_steps (stored rows, or recounted raw events), hours from raw
 * events; the filter is the period's, as the trends apply it (a referrer is the source of a
 * session in the period, "new" is first seen in it), so a Visitors or completed point is the
 * list's `total`, and a Sessions, Pageviews, Friction or NPS point its `measure` (sessions,
 * pageviews, signals, answers).
 */
import { DAY_MS, spansOf } from '../../domain/spans'
import type { TrendPeriod } from '../../domain/trends'
import { UNCOUNTED } from '../../domain/flags'
import { filterSql, frictionSum, HUMAN } from '../filters'
import { plan, type RollWindow } from '../planner'
import { int } from '../rollup-tables'
import { pagedVisitors, type VisitorsPage } from './paged-visitors'
import { rowFilter, rowsOf, withRows } from './rows'

/** A metric of the trends whose points list visitors: a count, or a funnel's completions (its goal step). */
export type TrendMetric =
  { id: 'visitors' | 'sessions' | 'pageviews' | 'friction' | 'nps' } | { id: 'funnel'; funnel: string; goal: string }

/**
 * @param w the period (the trends' current one) and its filter
 * @param bucket the start of one of its buckets (checked by the caller)
 */
export async function trendVisitors(
  db: D1Database,
  site: string,
  w: RollWindow,
  period: TrendPeriod,
  bucket: number,
  metric: TrendMetric,
  page: { limit: number; offset: number },
): Promise<VisitorsPage> {
  const measured = metric.id !== 'visitors' && metric.id !== 'funnel'
  const end = Math.min(bucket + period.size, w.to)
  if (period.unit === 'hour') {
    const f = filterSql(w.filter, site, period.start, period.end)
    const range = `site = ?1 AND ts >= ${int(bucket)} AND ts < ${int(end)} AND ${HUMAN()}`
    const args: unknown[] = [site]
    let counted: string
    if (metric.id === 'funnel') {
      args.push(metric.funnel, metric.goal)
      counted = `SELECT visitor FROM events WHERE ${range} AND type = 'step' AND name = ?2
        AND json_extract(props, '$.step') = ?3${f.sql} GROUP BY visitor`
    } else if (metric.id === 'friction')
      counted = `SELECT visitor, sum(n) AS m FROM (SELECT visitor, session, ${frictionSum()} AS n FROM events
        WHERE ${range}${f.sql} GROUP BY visitor, session) WHERE n > 0 GROUP BY visitor`
    else {
      const [cond, m] = {
        visitors: ['1', 'NULL'],
        sessions: ['1', 'count(DISTINCT session)'],
        pageviews: [`type = 'pageview'`, 'count(*)'],
        nps: [
          `type = 'survey_answer' AND (flags & ${UNCOUNTED}) = 0 AND json_extract(props, '$.kind') = 'nps'
            AND json_extract(props, '$.score') IS NOT NULL`,
          'count(*)',
        ],
      }[metric.id]
      counted = `SELECT visitor, ${m} AS m FROM events WHERE ${range} AND ${cond}${f.sql} GROUP BY visitor`
    }
    args.push(...f.args)
    return pagedVisitors(db, `WITH counted AS (${counted})`, args, page, undefined, measured)
  }
  // By the day: that day's rows (stored, or recounted when not rolled up), under the period's filter.
  const p = await plan(db, site, w)
  const day = Math.floor(bucket / DAY_MS)
  const spans = spansOf(bucket, end, p.rolled.end)
  // A referrer reads the period's sessions: a session's source is its first pageview's in the period.
  const withs = w.filter.referrer ? `${withRows(p, { sessions: true })}, ` : 'WITH '
  const where = rowFilter(w.filter, w, 'x')
  let counted: string
  const args: unknown[] = [site]
  if (metric.id === 'funnel') {
    args.push(metric.funnel, metric.goal)
    counted = `SELECT x.visitor AS visitor FROM (${rowsOf('roll_steps', spans)}) x
      WHERE x.day = ${int(day)} AND x.type = 'step' AND x.funnel = ?2 AND x.step = ?3${where.sql} GROUP BY x.visitor`
  } else {
    const [cond, m] = {
      visitors: ['1', 'NULL'],
      sessions: ['1', 'count(DISTINCT x.session)'],
      pageviews: ['x.pageviews > 0', 'sum(x.pageviews)'],
      friction: ['x.friction > 0', 'sum(x.friction)'],
      nps: ['x.nps > 0', 'sum(x.nps)'],
    }[metric.id]
    counted = `SELECT x.visitor AS visitor, ${m} AS m FROM (${rowsOf('roll_sessions', spans)}) x
      WHERE x.day = ${int(day)} AND ${cond}${where.sql} GROUP BY x.visitor`
  }
  args.push(...where.args)
  return pagedVisitors(db, `${withs}counted AS (${counted})`, args, page, undefined, measured)
}
