/**
 * @module store/insights/period: who is "in a period", once for every view. A visitor is in the
 * window [from, to) under a filter when one of their rows of roll_sessions (rolled-up days) or of
 * its recount (raw days) matches it: an event of a person (bots left out, as everywhere) in the
 * window, on the filter's device, from its referrer, new or returning, in its named segment. The
 * overview, trends and funnels count those rows; segment sizes, a segment used as a filter,
 * experiments' exposures and the settings' live count take their visitors from here, so "of N
 * visitors" is the overview's N.
 */
import type { Profile } from '../../domain/profile'
import type { ExposureRow } from '../../domain/personalisation'
import { json } from '../json'
import { plan, type RollWindow } from '../planner'
import { int, sessionKeysRecount } from '../rollup-tables'
import { pagedVisitors, type VisitorsPage } from './paged-visitors'
import { whereOf, withRows } from './rows'

/**
 * `WITH … people AS MATERIALIZED (…)`: the distinct visitors of the window under its filter, as
 * a CTE named `people` (one column, `visitor`), and its arguments (after `?1`, the site).
 */
export async function peopleCte(
  db: D1Database,
  site: string,
  w: RollWindow,
): Promise<{ sql: string; args: unknown[] }> {
  const p = await plan(db, site, w)
  const where = whereOf(p, 'x')
  // A referrer is the source of a session's first pageview: the session rows have it (withRows).
  if (w.filter.referrer)
    return {
      sql: `${withRows(p, { sessions: true })}, people AS MATERIALIZED (
        SELECT DISTINCT visitor FROM sessions x WHERE 1${where.sql})`,
      args: where.args,
    }
  // Otherwise the key columns are enough: stored rows, and the raw days' recounted keys.
  const [d0, d1] = p.spans.days
  const parts = p.spans.raw.map(([a, b]) => sessionKeysRecount(a, b))
  if (d1 > d0)
    parts.unshift(`SELECT day, session, device, visitor FROM roll_sessions
      WHERE site = ?1 AND day >= ${int(d0)} AND day < ${int(d1)}`)
  return {
    sql: `WITH people AS MATERIALIZED (SELECT DISTINCT visitor FROM (${parts.join(' UNION ALL ')}) x WHERE 1${where.sql})`,
    args: where.args,
  }
}

/**
 * Segment sizes and members are judged over this many of the period's visitors at most (the most
 * recently seen): their profiles are parsed in the worker.
 */
export const SEGMENT_SAMPLE = 20_000

export interface PeriodProfiles {
  /** The window's visitors under the filter: the overview's `visitors`. */
  visitors: number
  /** Their profiles (null: none written yet), the most recently seen first, at most the limit. */
  profiles: { id: string; profile: Profile | null }[]
}

/** The visitors of the window under its filter, and the profiles of the most recently seen `limit` of them. */
export async function periodProfiles(
  db: D1Database,
  site: string,
  w: RollWindow,
  limit: number,
): Promise<PeriodProfiles> {
  const people = await peopleCte(db, site, w)
  if (limit <= 0) {
    const r = await db
      .prepare(`${people.sql} SELECT count(*) AS n FROM people`)
      .bind(site, ...people.args)
      .first<{ n: number }>()
    return { visitors: r?.n ?? 0, profiles: [] }
  }
  const { results } = await db
    .prepare(
      `${people.sql} SELECT p.visitor AS id, v.profile AS profile, (SELECT count(*) FROM people) AS n
       FROM people p LEFT JOIN visitors v ON v.site = ?1 AND v.id = p.visitor
       ORDER BY v.last_seen DESC, p.visitor LIMIT ?`,
    )
    .bind(site, ...people.args, limit)
    .all<{ id: string; profile: string | null; n: number }>()
  return {
    visitors: results[0]?.n ?? 0,
    profiles: results.map((r) => ({ id: r.id, profile: json<Profile>(r.profile) })),
  }
}

/**
 * Experiments' exposures and conversions of the window's visitors under its filter, first
 * exposed in the window (each visitor's first exposure by its event's own time, kept by their
 * shard), per day of exposure.
 */
export async function periodExposures(db: D1Database, site: string, w: RollWindow): Promise<ExposureRow[]> {
  const people = await peopleCte(db, site, w)
  const { results } = await db
    .prepare(
      `${people.sql} SELECT e.key AS slot, e.value ->> 'id' AS experiment, coalesce(e.value ->> 'variant', '') AS variant,
              coalesce(e.value ->> 'h', 0) AS holdout,
              strftime('%Y-%m-%d', (e.value ->> 'at') / 1000, 'unixepoch') AS day,
              count(*) AS exposed, count(e.value ->> 'conv') AS conversions, count(e.value ->> 'g') AS guarded
       FROM people p JOIN visitors v ON v.site = ?1 AND v.id = p.visitor, json_each(v.profile, '$.exp') e
       WHERE v.profile IS NOT NULL AND (e.value ->> 'at') >= ${int(w.from)} AND (e.value ->> 'at') < ${int(w.to)}
       GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 5
       LIMIT 20000`,
    )
    .bind(site, ...people.args)
    .all<ExposureRow>()
  return results
}

/**
 * A page of the window's visitors under its filter (the most recently seen first), and how many
 * there are: the overview's `visitors`, listed from the very rows it counts.
 */
export async function periodVisitorsPage(
  db: D1Database,
  site: string,
  w: RollWindow,
  page: { limit: number; offset: number },
): Promise<VisitorsPage> {
  const people = await peopleCte(db, site, w)
  return pagedVisitors(db, `${people.sql}, counted AS (SELECT visitor FROM people)`, [site, ...people.args], page)
}
