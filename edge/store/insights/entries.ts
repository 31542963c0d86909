/**
 * @module store/insights/entries: each session's first pageview in a window, counted from the
 * named rows of roll_entries (entry pages, sources, a referrer's sessions). A session's first
 * pageview in a window is its lead row (its first of all), unless the session began before the
 * window (it ran past the window's first midnight): those few rows (`lead = 0`, a partial
 * index) and the sessions seen only in the raw part (today) are the CTE `rest_firsts`, counted
 * in only where the lead rows lack them (an `EXISTS` by index per row, as in insights/people.ts).
 * Counts by key read the lead rows in key order by a covering index for long windows (Plan.walk),
 * by day otherwise. In the SQL here `?1` is the site.
 */
import type { Spans } from '../../domain/spans'
import { int } from '../rollup-tables'
import { entryRowsOf } from './rows'

/** Conditions (` AND …`) on rows of an alias. */
export type Where = (alias: string) => string
/** No condition. */
export const noCondition: Where = () => ''

/** The window's rolled-up days, as a condition on rows of `alias`. */
export const daysOf = (s: Spans) => (alias: string) =>
  `${alias}.day >= ${int(s.days[0])} AND ${alias}.day < ${int(s.days[1])}`

/** The columns of roll_entries that counts by key read. */
const COLUMNS = 'session, device, visitor, page, source, utm_source, utm_medium, utm_campaign'

/**
 * The CTE `rest_firsts`: the window's first pageviews of sessions that have none on a lead row
 * in it: sessions begun before the window (their first row in it), and sessions seen only in
 * the raw part (today), with their entry named by `page` (an SQL expression of a raw path).
 */
export function restOfFirsts(s: Spans, device: Where, page: (path: string) => string) {
  const days = daysOf(s)
  const raw = s.raw.length
    ? `UNION ALL SELECT ${COLUMNS} FROM (
         SELECT r.session AS session, r.device AS device, r.visitor AS visitor, ${page('r.entry')} AS page,
           r.source AS source, r.utm_source AS utm_source, r.utm_medium AS utm_medium, r.utm_campaign AS utm_campaign,
           min(r.entry_ts)
         FROM (${entryRowsOf({ days: [0, 0], raw: s.raw })}) r
         WHERE 1${device('r')} GROUP BY r.session) r
       WHERE NOT EXISTS (SELECT 1 FROM roll_entries z INDEXED BY roll_entries_by_session
         WHERE z.site = ?1 AND z.session = r.session AND ${days('z')}${device('z')})`
    : ''
  return `rest_firsts AS MATERIALIZED (SELECT ${COLUMNS} FROM (
      SELECT ${COLUMNS}, min(entry_ts) FROM roll_entries x INDEXED BY roll_entries_follow
      WHERE x.site = ?1 AND x.lead = 0 AND ${days('x')}${device('x')}
        AND NOT EXISTS (SELECT 1 FROM roll_entries z INDEXED BY roll_entries_by_session
          WHERE z.site = ?1 AND z.session = x.session AND ${days('z')} AND z.lead = 1${device('z')})
      GROUP BY session) ${raw})`
}

/**
 * Sessions and distinct visitors per key of the window's first pageviews: `keys` (columns of
 * roll_entries) grouped, `where` narrowing rows, sorted by `order`. Needs the CTE `rest_firsts`
 * (restOfFirsts). Lead rows are read by `index` (in key order) when `walk`, by day otherwise.
 */
export function firstCounts(s: Spans, keys: string[], index: string, walk: boolean, where: Where, order: string) {
  const days = daysOf(s)
  const k = keys.join(', ')
  const same = keys.map((c) => `y.${c} IS v.${c}`).join(' AND ')
  // count(DISTINCT) over rows in key order took half the time of grouping (key, visitor) first.
  return `lead_counts AS (SELECT ${k}, count(*) AS sessions, count(DISTINCT visitor) AS visitors
      FROM roll_entries x INDEXED BY ${walk ? index : 'roll_entries_by_day'}
      WHERE x.site = ?1 AND x.lead = 1 AND ${days('x')}${where('x')} GROUP BY ${k}),
    rest_counts AS (SELECT ${k}, sum(n) AS sessions, sum(NOT EXISTS (SELECT 1 FROM roll_entries y INDEXED BY ${index}
        WHERE y.site = ?1 AND y.lead = 1 AND ${same} AND y.visitor = v.visitor AND ${days('y')}${where('y')}))
        AS visitors
      FROM (SELECT ${k}, visitor, count(*) AS n FROM rest_firsts x WHERE 1${where('x')} GROUP BY ${k}, visitor) v
      GROUP BY ${k})
    SELECT ${k}, sum(sessions) AS sessions, sum(visitors) AS visitors
    FROM (SELECT * FROM lead_counts UNION ALL SELECT * FROM rest_counts)
    GROUP BY ${k} ORDER BY ${order}`
}

/**
 * The CTE `referred` (session, page, visitor): the sessions whose first pageview in the window
 * came from the source at `?n`, from their lead rows by the source index and `rest_firsts`.
 */
export const referredCte = (s: Spans, n: number) => `referred AS MATERIALIZED (
    SELECT session, page, visitor FROM roll_entries x INDEXED BY roll_entries_by_source
      WHERE x.site = ?1 AND x.lead = 1 AND x.source = ?${n} AND ${daysOf(s)('x')}
    UNION ALL SELECT session, page, visitor FROM rest_firsts WHERE source = ?${n})`
