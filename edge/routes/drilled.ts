/**
 * @module routes/drilled: the numbers of the trends, a breakdown, the retention triangle and the
 * Entry pages table that `GET /v1/insights/visitors` lists the visitors behind: their query
 * parameters (each number's own, as its endpoint takes them) and the checks a query's
 * combination must pass, each a 400 naming the parameter (routes/insights.ts runs them).
 */
import * as v from 'valibot'
import { refuse, wholeParam } from '../http'
import { given } from '../domain/filters'
import { BY_MESSAGE, dimensionOf, EVENT_MESSAGE, eventOf, type Dimension, type EventSpec } from '../domain/breakdown'
import { retentionWindow } from '../domain/retention'
import { DAY_MS } from '../domain/spans'
import type { TrendPeriod } from '../domain/trends'
import type { SiteRow } from '../store/sites'
import type { TrendMetric } from '../store/insights/trend-visitors'

/** The trends' metrics whose points list visitors (and `funnel:ID`, a funnel's completions). */
export const METRICS = ['visitors', 'sessions', 'pageviews', 'friction', 'nps'] as const
const METRIC = `?metric must be one of ${METRICS.join(', ')} or funnel:ID (a metric of the trends)`
const VALUE = '?value must be a value of the breakdown (500 characters at most)'
const OTHER = '?other must be 1 (every value of the breakdown after its top)'
const COHORT = '?cohort must be the start of a cohort of the retention asked (ms since 1970, a Monday of its ?weeks)'
const WEEK = '?week must be a week after the cohort (0 for its first), as the retention counts them'
const ENTRY = '?entry must be a page path starting with / (as the Entry pages table names it)'
const BUCKET = '?bucket must be the start of a bucket of the trends of the period (ms since 1970)'

/** The query parameters of these numbers' lists (spread into the visitors query). */
export const drilledEntries = {
  /** A trend's bucket (its start, ms) and metric: who is behind that point. */
  bucket: given(v.pipe(v.string(), v.transform(Number), v.integer(BUCKET)), BUCKET),
  metric: given(
    v.pipe(
      v.string(),
      v.check((s) => (METRICS as readonly string[]).includes(s) || /^funnel:.{1,200}$/.test(s), METRIC),
    ),
    METRIC,
  ),
  /** A breakdown's event (or, alone, a custom event's row), by a dimension, and its row: a value, or "other" after the top. */
  event: given(
    v.pipe(
      v.string(),
      v.check((s) => s === 'any' || eventOf(s) !== undefined, EVENT_MESSAGE),
    ),
    EVENT_MESSAGE,
  ),
  by: given(
    v.pipe(
      v.string(),
      v.check((s) => dimensionOf(s) !== undefined, BY_MESSAGE),
      v.transform((s) => dimensionOf(s)!),
    ),
    BY_MESSAGE,
  ),
  value: given(v.pipe(v.string(), v.maxLength(500, VALUE)), VALUE),
  other: given(v.picklist(['1'], OTHER), OTHER),
  top: wholeParam('top', 10, 1, 50),
  /** A cohort of the retention (its week's start) over its `weeks`, and who of it was active in its `week` k. */
  cohort: given(v.pipe(v.string(), v.transform(Number), v.integer(COHORT)), COHORT),
  week: given(v.pipe(v.string(), v.transform(Number), v.integer(WEEK), v.minValue(0, WEEK)), WEEK),
  weeks: wholeParam('weeks', 8, 1, 26),
  /** A row of the Entry pages table: whose session began there. */
  entry: given(
    v.pipe(
      v.string(),
      v.check((s) => s.startsWith('/') && s.length <= 500, ENTRY),
    ),
    ENTRY,
  ),
}

type Asked = {
  bucket?: number
  metric?: string
  event?: string
  by?: Dimension
  value?: string
  other?: string
  top: number
  cohort?: number
  week?: number
  weeks: number
  entry?: string
}

/** The trend point asked (null: none): its bucket, checked against the period, and metric; 400 naming what is wrong. */
export function drilledPoint(site: SiteRow, q: Asked, p: TrendPeriod) {
  if (q.bucket === undefined) {
    if (q.metric)
      refuse(400, '?metric names a metric of the trends: it needs ?bucket, the point of it', { path: 'bucket' })
    return null
  }
  const b = q.bucket
  if (b < p.start || b >= p.end || (b - p.start) % p.size) refuse(400, BUCKET, { path: 'bucket' })
  const name = q.metric ?? 'visitors'
  let metric: TrendMetric
  if (name.startsWith('funnel:')) {
    const fn = site.config.funnels?.find((f) => f.id === name.slice('funnel:'.length))
    if (!fn)
      refuse(400, `?metric: site '${site.key}' has no funnel '${name.slice('funnel:'.length)}'`, { path: 'metric' })
    metric = { id: 'funnel', funnel: fn!.id, goal: fn!.steps[fn!.steps.length - 1]!.id }
  } else metric = { id: name as (typeof METRICS)[number] }
  return { bucket: b, metric, name }
}

/**
 * The breakdown number asked (null: none): an event's row by a dimension (`value`), its "other"
 * (`other`, after its `top`), or the event's visitors (`event` alone, as a custom event's row
 * counts them); 400 naming what is wrong.
 */
export function drilledBreakdown(q: Asked) {
  if (q.cohort !== undefined) return null
  if ((q.value !== undefined || q.other) && !q.by)
    refuse(400, `?${q.value !== undefined ? 'value' : 'other'} is a row of a breakdown: it needs ?by, the dimension`, {
      path: 'by',
    })
  if (!q.by && !q.event) return null
  if (q.event === 'any') refuse(400, `?event=any is the retention's: it needs ?cohort`, { path: 'event' })
  const event: EventSpec = eventOf(q.event ?? 'pageview')!
  if (!q.by) return { event, by: undefined, pick: { all: true } as const, top: q.top }
  if ((q.value === undefined) === !q.other)
    refuse(400, '?by needs one of ?value (a row of the breakdown) or ?other=1 (the rest after the top)', {
      path: 'value',
    })
  return { event, by: q.by, pick: q.other ? ({ other: true } as const) : { value: q.value! }, top: q.top }
}

/**
 * The retention cell asked (null: none): a cohort's visitors, or (`week`) those of them active in
 * its week k, over the window of `weeks` at `now`; 400 naming what is wrong.
 */
export function drilledCohort(q: Asked, now: number) {
  if (q.cohort === undefined) {
    if (q.week !== undefined) refuse(400, '?week is a week of a cohort: it needs ?cohort', { path: 'cohort' })
    return null
  }
  if (q.by || q.value !== undefined || q.other)
    refuse(400, `?cohort lists a cohort's visitors: it takes no ?${q.by ? 'by' : q.other ? 'other' : 'value'}`, {
      path: 'cohort',
    })
  const { first, days } = retentionWindow(q.weeks, now)
  const c = (q.cohort - first * DAY_MS) / (7 * DAY_MS)
  if (!Number.isInteger(c) || c < 0 || c >= q.weeks) refuse(400, COHORT, { path: 'cohort' })
  // The triangle: cohort c has reached its week weeks − c − 1 (the current one).
  if (q.week !== undefined && q.week >= q.weeks - c)
    refuse(
      400,
      `?week: the cohort of ${new Date(q.cohort).toISOString().slice(0, 10)} has weeks 0 to ${q.weeks - c - 1}`,
      {
        path: 'week',
      },
    )
  const event = !q.event || q.event === 'any' ? undefined : eventOf(q.event)!
  return { c, start: q.cohort, week: q.week, weeks: q.weeks, days, event }
}

/**
 * A list is of one number: the parameters of two kinds of numbers together are refused, naming
 * the first of these lists (`kinds`: each kind's parameter, given or not).
 */
export function oneNumber(kinds: [string, unknown][]) {
  const given = kinds.filter(([, x]) => x !== undefined && x !== null && x !== false && x !== '')
  if (given.length > 1)
    refuse(400, `?${given[0]![0]} lists the visitors of one number: it takes no ?${given[1]![0]}`, {
      path: given[0]![0],
    })
}
