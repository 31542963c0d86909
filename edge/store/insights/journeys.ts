/**
 * @module store/insights/journeys: the pages of the window's newest sessions (domain/journeys.ts
 * makes the report), from the session rows' first 30 paths and goals (roll_sessions).
 */
import type { Spans } from '../../domain/spans'
import { plan, type RollWindow } from '../planner'
import { JOURNEY_PAGES } from '../rollup-tables'
import { entryRowsOf, rowsOfSessions, whereOf, withRows, type Stored } from './rows'

/** Sessions read for journeys: the newest of the period. */
export const JOURNEY_SESSIONS = 5000

export interface SessionPages {
  pages: string[]
  /** Index in `pages` after which the goal happened first, or -1: not reached. */
  goalAfter: number
}

/**
 * Which stored rows can hold the window's newest sessions: those from the time at which, read
 * newest first by the last_ts index, they name `limit` sessions (a session newer than
 * that has a row at least as new). Read in growing steps: a session may have several rows.
 */
async function newestRows(db: D1Database, site: string, s: Spans, device: string, limit: number): Promise<Stored> {
  const index = 'roll_sessions_by_last'
  if (s.days[1] <= s.days[0]) return {}
  for (let n = limit; ; n *= 4) {
    const r = await db
      .prepare(
        `SELECT count(DISTINCT session) AS sessions, count(*) AS n, min(last_ts) AS at FROM (
          SELECT session, last_ts FROM roll_sessions x INDEXED BY ${index}
          WHERE site = ?1 AND last_ts IS NOT NULL AND day >= ${s.days[0]} AND day < ${s.days[1]}${device}
          ORDER BY last_ts DESC LIMIT ${n})`,
      )
      .bind(site)
      .first<{ sessions: number; n: number; at: number | null }>()
    if (r?.at == null) return {}
    if (r.sessions >= limit || r.n < n) return { index, where: `last_ts >= ${r.at}` }
  }
}

/**
 * The pages (raw paths, at most 30) of the window's newest `limit` sessions with pageviews, and
 * where each first reached the `goal` event.
 */
export async function sessionPaths(
  db: D1Database,
  site: string,
  w: RollWindow,
  goal?: string,
  limit = JOURNEY_SESSIONS,
): Promise<SessionPages[]> {
  const p = await plan(db, site, w)
  const s = p.spans
  const where = whereOf(p, 'x')
  type Row = { session: string; pageviews: number; pages: string | null; goal: number | null }
  // Without a segment (a condition on the rows' own device at most), the newest sessions from
  // the rows' entry columns by the last_ts index, then only their rows; under a segment, from
  // the session rows that match it.
  const { results } =
    p.shape === 'everyone' || p.shape === 'device'
      ? await db
          .prepare(
            `WITH recent AS MATERIALIZED (SELECT session, max(last_ts) AS at
               FROM (${entryRowsOf(s, await newestRows(db, site, s, where.sql, limit))}) x WHERE 1${where.sql}
               GROUP BY session ORDER BY at DESC, session LIMIT ${limit})
             SELECT x.session AS session, x.pageviews AS pageviews, x.pages AS pages,
               (SELECT value FROM json_each(x.goals) WHERE key = ?2) AS goal
             FROM (${rowsOfSessions(s, 'SELECT session FROM recent')}) x WHERE 1${where.sql}
             ORDER BY x.session, x.day, coalesce(x.entry_ts, 0)`,
          )
          .bind(site, goal ?? null)
          .all<Row>()
      : await db
          .prepare(
            `${withRows(p, { sessions: 'all' })},
               recent AS (SELECT session, max(last_ts) AS at FROM sessions x WHERE pageviews > 0${where.sql}
                          GROUP BY session ORDER BY at DESC, session LIMIT ${limit})
             SELECT x.session AS session, x.pageviews AS pageviews, x.pages AS pages,
               (SELECT value FROM json_each(x.goals) WHERE key = ?) AS goal
             FROM sessions x JOIN recent ON recent.session = x.session WHERE 1${where.sql}
             ORDER BY x.session, x.day, coalesce(x.entry_ts, 0)`,
          )
          .bind(site, ...where.args, goal ?? null, ...where.args)
          .all<Row>()
  const paths = new Map<string, { pages: string[]; goalAfter: number; seen: number }>()
  for (const r of results) {
    const path = paths.get(r.session) ?? { pages: [], goalAfter: -1, seen: 0 }
    paths.set(r.session, path)
    // The goal counts when it came within the first 30 pageviews (as the raw rows are cut).
    if (r.goal != null && path.goalAfter < 0 && path.seen + r.goal < JOURNEY_PAGES)
      path.goalAfter = Math.max(0, path.seen + r.goal - 1)
    for (const page of r.pages ? (JSON.parse(r.pages) as string[]) : [])
      if (path.pages.length < JOURNEY_PAGES) path.pages.push(page)
    path.seen += r.pageviews
  }
  return [...paths.values()].map(({ pages, goalAfter }) => ({ pages, goalAfter }))
}
