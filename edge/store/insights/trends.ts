/**
 * @module store/insights/trends: the counts behind `GET /v1/insights/trends`, per bucket of both
 * periods (the previous one first) and per period, people only: visitors, sessions, pageviews,
 * friction, NPS answers and funnel conversions. Days come from the rollups; hours (periods of up
 * to 2 days: finer than the tables' day) from raw events.
 */
import type { FunnelConfig } from '../../../snippet/contract/wire'
import type { Filter } from '../../domain/filters'
import { DAY_MS } from '../../domain/spans'
import type { TrendPeriod } from '../../domain/trends'
import { UNCOUNTED } from '../../domain/flags'
import { batch, query } from '../batch'
import { filterSql, frictionSum, HUMAN } from '../filters'
import { plan, type Plan } from '../planner'
import { peopleOf, peopleSql, type PeopleRow } from './people'
import { deviceOf, rowFilter, rowsOf, withRows } from './rows'

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
export interface NpsTotalRow extends Omit<NpsRow, 'b'> {
  cur: number
}
/** Visitors who reached a funnel's goal, per bucket. */
export interface ConversionRow {
  b: number
  funnel: string
  n: number
}
/** Visitors who reached a funnel's goal, per period (cur: 1 the current one). */
export interface ConvertedRow {
  cur: number
  funnel: string
  n: number
}

export interface TrendCounts {
  buckets: BucketRow[]
  totals: TotalRow[]
  conversions: ConversionRow[]
  converted: ConvertedRow[]
  /** NPS per bucket and period (answers 0: none, which reads as no NPS). */
  answers: NpsRow[]
  answered: NpsTotalRow[]
}

/** Each funnel's goal (its last step), as a JSON array of [funnel, step]. */
const goalsOf = (funnels: FunnelConfig[]) =>
  JSON.stringify(funnels.map((fn) => [fn.id, fn.steps[fn.steps.length - 1]!.id]))

export async function trendCounts(
  db: D1Database,
  site: string,
  period: TrendPeriod,
  filter: Filter,
  funnels: FunnelConfig[],
): Promise<TrendCounts> {
  const p = await plan(db, site, { from: period.previousStart, to: period.end, filter }, { unit: period.unit })
  switch (p.source('dayTotals')) {
    case 'roll_totals':
      return dayTotalsTrends(db, site, p, period, funnels)
    case 'roll_sessions':
      return sessionTrends(db, site, p, period, funnels)
    default:
      return hourlyTrends(db, site, period, filter, funnels)
  }
}

/**
 * Without a segment (or by device only): days from the day totals, each period's distinct
 * visitors and sessions by insights/people.ts, conversions per day from the funnel days and over
 * a period by the funnel-step index. The same answers as from the session rows (rollups.test.ts).
 */
async function dayTotalsTrends(
  db: D1Database,
  site: string,
  p: Plan,
  period: TrendPeriod,
  funnels: FunnelConfig[],
): Promise<TrendCounts> {
  const s = p.spans
  const filter = p.window.filter
  const first = period.previousStart / DAY_MS
  const startDay = period.start / DAY_MS
  const device = deviceOf(filter)
  const goal = `JOIN json_each(?2) g ON g.value ->> 0 = x.funnel AND g.value ->> 1 = x.step`
  const isGoal = `(funnel, step) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?2))`
  const goals = goalsOf(funnels)
  const [buckets, people, conversions, converted] = await batch(db, [
    query<BucketRow & NpsRow>(
      db,
      `SELECT x.day - ${first} AS b, visitors, sessions, pageviews, friction, nps AS answers, promoters, detractors
        FROM (${rowsOf('roll_totals', s)}) x WHERE device = ${device}`,
      site,
    ),
    query<PeopleRow>(db, peopleSql(s, startDay, filter.device === undefined ? undefined : device, p.walk), site),
    query<ConversionRow>(
      db,
      `SELECT x.day - ${first} AS b, g.value ->> 0 AS funnel, x.visitors AS n FROM (${rowsOf('roll_funnel_days', s)}) x
        ${goal} WHERE x.device = ${device}`,
      site,
      goals,
    ),
    query<ConvertedRow>(
      db,
      `SELECT x.day >= ${startDay} AS cur, g.value ->> 0 AS funnel, count(DISTINCT x.visitor) AS n
        FROM (${rowsOf('roll_steps', s, { index: 'roll_steps_by_step', where: `type = 'step' AND ${isGoal}` })}) x
        ${goal} WHERE x.type = 'step'${filter.device === undefined ? '' : ` AND x.device = ${device}`}
        GROUP BY cur, funnel`,
      site,
      goals,
    ),
  ])
  const counts = peopleOf(people)
  // A period's pageviews, friction and NPS answers are the sums of its days.
  const totals = [0, 1].map((cur) => {
    const days = buckets.filter((r) => (r.b >= period.buckets ? 1 : 0) === cur)
    const sum = (k: 'pageviews' | 'friction' | 'answers' | 'promoters' | 'detractors') =>
      days.reduce((n, r) => n + r[k], 0)
    const pick = (k: 'visitors' | 'sessions') => (cur ? counts[k].cur : counts[k].prev)
    return {
      cur,
      visitors: pick('visitors'),
      sessions: pick('sessions'),
      pageviews: sum('pageviews'),
      friction: sum('friction'),
      answers: sum('answers'),
      promoters: sum('promoters'),
      detractors: sum('detractors'),
    }
  })
  return { buckets, totals, conversions, converted, answers: buckets, answered: totals }
}

/** Under a segment: from the session rows and funnel steps that match it, one pass per grouping. */
async function sessionTrends(
  db: D1Database,
  site: string,
  p: Plan,
  period: TrendPeriod,
  funnels: FunnelConfig[],
): Promise<TrendCounts> {
  const filter = p.window.filter
  const first = period.previousStart / DAY_MS
  const startDay = period.start / DAY_MS
  // Each day is in the filter of its period (a referrer is a session's source in that period).
  const cur = rowFilter(filter, { from: period.start, to: period.end }, 'x')
  const prev = rowFilter(filter, { from: period.previousStart, to: period.start }, 'x')
  const both = `((x.day >= ${startDay}${cur.sql}) OR (x.day < ${startDay}${prev.sql}))`
  const args = [...cur.args, ...prev.args]
  const counts = `count(DISTINCT visitor) AS visitors, count(DISTINCT session) AS sessions, sum(pageviews) AS pageviews,
    sum(friction) AS friction, sum(nps) AS answers, sum(promoters) AS promoters, sum(detractors) AS detractors`
  const goal = `JOIN json_each(?) g ON g.value ->> 0 = x.funnel AND g.value ->> 1 = x.step`
  const goals = goalsOf(funnels)
  const [buckets, totals, conversions, converted] = await batch(db, [
    query<BucketRow & NpsRow>(
      db,
      `${withRows(p, { sessions: true })} SELECT x.day - ${first} AS b, ${counts} FROM sessions x WHERE ${both}
        GROUP BY b`,
      site,
      ...args,
    ),
    query<TotalRow & NpsTotalRow>(
      db,
      `${withRows(p, { sessions: true })} SELECT x.day >= ${startDay} AS cur, ${counts} FROM sessions x
        WHERE ${both} GROUP BY cur`,
      site,
      ...args,
    ),
    query<ConversionRow>(
      db,
      `${withRows(p, { steps: true })} SELECT x.day - ${first} AS b, g.value ->> 0 AS funnel,
        count(DISTINCT x.visitor) AS n FROM steps x ${goal} WHERE x.type = 'step' AND ${both} GROUP BY b, funnel`,
      site,
      goals,
      ...args,
    ),
    query<ConvertedRow>(
      db,
      `${withRows(p, { steps: true })} SELECT x.day >= ${startDay} AS cur, g.value ->> 0 AS funnel,
        count(DISTINCT x.visitor) AS n FROM steps x ${goal} WHERE x.type = 'step' AND ${both} GROUP BY cur, funnel`,
      site,
      goals,
      ...args,
    ),
  ])
  return { buckets, totals, conversions, converted, answers: buckets, answered: totals }
}

/** Periods by the hour, from raw events, in one round trip. */
async function hourlyTrends(
  db: D1Database,
  site: string,
  p: TrendPeriod,
  f: Filter,
  funnels: FunnelConfig[],
): Promise<TrendCounts> {
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
  const goalJoin = `JOIN json_each(?) g ON g.value ->> 0 = events.name AND g.value ->> 1 = json_extract(events.props, '$.step')`
  const goalWhere = `${where} AND events.type = 'step' AND ${both}`
  const goals = goalsOf(funnels)
  const [buckets, totals, conversions, converted, answers, answered] = await batch(db, [
    query<BucketRow>(
      db,
      `SELECT (ts - ${from}) / ${p.size} AS b, ${counts} FROM events WHERE ${where} AND ${both} GROUP BY b`,
      ...args,
    ),
    query<TotalRow>(
      db,
      `SELECT ts >= ${p.start} AS cur, ${counts} FROM events WHERE ${where} AND ${both} GROUP BY cur`,
      ...args,
    ),
    query<ConversionRow>(
      db,
      `SELECT (events.ts - ${from}) / ${p.size} AS b, g.value ->> 0 AS funnel, count(DISTINCT events.visitor) AS n
        FROM events ${goalJoin} WHERE ${goalWhere} GROUP BY b, funnel`,
      goals,
      ...args,
    ),
    query<ConvertedRow>(
      db,
      `SELECT events.ts >= ${p.start} AS cur, g.value ->> 0 AS funnel, count(DISTINCT events.visitor) AS n
        FROM events ${goalJoin} WHERE ${goalWhere} GROUP BY cur, funnel`,
      goals,
      ...args,
    ),
    query<NpsRow>(
      db,
      `SELECT (events.ts - ${from}) / ${p.size} AS b, ${npsCounts} FROM events WHERE ${npsWhere} GROUP BY b`,
      ...args,
    ),
    query<NpsTotalRow>(
      db,
      `SELECT events.ts >= ${p.start} AS cur, ${npsCounts} FROM events WHERE ${npsWhere} GROUP BY cur`,
      ...args,
    ),
  ])
  return { buckets, totals, conversions, converted, answers, answered }
}
