/**
 * @module store/insights/pages: top pages (pageviews and visitors per page as the site's path
 * rules name it) and entry pages (a session's first pageview in the window). From the named rows
 * (roll_page_days, roll_entries) once the window's days are named under the site's rules;
 * a referrer's sessions from the lead rows of roll_entries and their pages from roll_pages by
 * the session index; else from the session-level rows, each raw path named here.
 */
import { renames, rulesKey, type PathRules } from '../../domain/paths'
import type { Spans } from '../../domain/spans'
import { FLAG } from '../../domain/flags'
import { batch, query } from '../batch'
import { pathSql } from '../filters'
import { pageSql, renamedCte } from '../named'
import { plan, type Plan, type RollWindow } from '../planner'
import { int, ROLLUP_TABLES } from '../rollup-tables'
import { daysOf, firstCounts, noCondition, referredCte, restOfFirsts } from './entries'
import { deviceIs, entryRowsOf, rowsOf, whereOf, withRows } from './rows'

export interface PageRow {
  page: string
  pageviews: number
  visitors: number
}
export interface EntryRow {
  page: string
  sessions: number
  visitors: number
}
export interface Pages {
  pages: PageRow[]
  entries: EntryRow[]
}

export async function pagesAndEntries(
  db: D1Database,
  site: string,
  w: RollWindow,
  rules: PathRules,
  limit = 20,
): Promise<Pages> {
  const p = await plan(db, site, w, { rules })
  if (p.source('pages') === 'roll_page_days') return namedPages(db, site, p, rules, limit)
  if (p.source('entryPages') === 'roll_entries') return referrerPages(db, site, p, rules, limit)
  return sessionPages(db, site, p, rules, limit)
}

/** The raw pageviews of the plan's raw part (today), as roll_pages rows; none: no row. */
export const rawPagesOf = (s: Spans) =>
  s.raw.map(([a, b]) => `SELECT * FROM (${ROLLUP_TABLES.roll_pages.recount(a, b)})`).join(' UNION ALL ') ||
  `SELECT * FROM roll_pages WHERE 0`

/** The renames of the raw part's paths that roll_names does not name under `rules` (few). */
export async function rawRenames(db: D1Database, site: string, s: Spans, rules: PathRules) {
  if (!s.raw.length) return '[]'
  const parts = s.raw.map(
    ([a, b]) => `SELECT DISTINCT ${pathSql('url')} AS path FROM events
      WHERE site = ?1 AND ts >= ${int(a)} AND ts < ${int(b)} AND type = 'pageview' AND (flags & ${FLAG.bot}) = 0`,
  )
  const { results } = await db
    .prepare(
      `SELECT path FROM (${parts.join(' UNION ')})
       WHERE path NOT IN (SELECT path FROM roll_names WHERE site = ?1 AND key = ?2)`,
    )
    .bind(site, rulesKey(rules))
    .all<{ path: string }>()
  return JSON.stringify(
    renames(
      results.map((r) => r.path),
      rules,
    ),
  )
}

/**
 * Everyone or a device, from the named rows: pages from roll_page_days (read in (page, visitor)
 * order for long windows), plus today's raw pageviews of visitors those rows lack per page.
 */
async function namedPages(db: D1Database, site: string, p: Plan, rules: PathRules, limit: number): Promise<Pages> {
  const s = p.spans
  const f = p.window.filter
  const device = (alias: string) => deviceIs(f, alias)
  const days = daysOf(s)
  // ?2: the raw part's renames; ?3: the rules' key.
  const page = (x: string) => pageSql(x, 3)
  const args = [site, await rawRenames(db, site, s, rules), rulesKey(rules)]
  const [pages, entries] = await batch(db, [
    query<PageRow>(
      db,
      `WITH ${renamedCte(2)},
          raw_visits AS MATERIALIZED (SELECT ${page('x.path')} AS page, x.visitor AS visitor, sum(x.pageviews) AS n
            FROM (${rawPagesOf(s)}) x WHERE 1${device('x')} GROUP BY page, visitor),
          stored_pages AS (SELECT page, count(DISTINCT visitor) AS visitors, sum(pageviews) AS pageviews
            FROM roll_page_days x INDEXED BY ${p.walk ? 'roll_page_days_by_page' : 'roll_page_days_by_day'}
            WHERE x.site = ?1 AND ${days('x')}${device('x')} GROUP BY page),
          raw_pages AS (SELECT page, sum(NOT EXISTS (SELECT 1 FROM roll_page_days y INDEXED BY roll_page_days_by_page
              WHERE y.site = ?1 AND y.page = r.page AND y.visitor = r.visitor AND ${days('y')}${device('y')}))
              AS visitors, sum(n) AS pageviews
            FROM raw_visits r GROUP BY page)
        SELECT page, sum(pageviews) AS pageviews, sum(visitors) AS visitors
        FROM (SELECT * FROM stored_pages UNION ALL SELECT * FROM raw_pages)
        GROUP BY page ORDER BY visitors DESC, pageviews DESC, page LIMIT ${limit}`,
      ...args,
    ),
    query<EntryRow>(
      db,
      `WITH ${renamedCte(2)}, ${restOfFirsts(s, device, page)},
        ${firstCounts(s, ['page'], 'roll_entries_by_page', p.walk, device, `sessions DESC, page LIMIT ${limit}`)}`,
      ...args,
    ),
  ])
  return { pages, entries }
}

/**
 * The referrer alone: its sessions (first pageview in the window from it) from the named lead
 * rows, their pages from roll_pages by the session index, each row named by roll_names (by
 * primary key) and then counted: half the time of grouping (path, visitor) first.
 */
async function referrerPages(db: D1Database, site: string, p: Plan, rules: PathRules, limit: number): Promise<Pages> {
  const s = p.spans
  const days = daysOf(s)
  // ?2: the raw part's renames; ?3: the rules' key; ?4: the referrer.
  const page = (x: string) => pageSql(x, 3)
  const args = [site, await rawRenames(db, site, s, rules), rulesKey(rules), p.window.filter.referrer!]
  const ctes = `WITH ${renamedCte(2)}, ${restOfFirsts(s, noCondition, page)}, ${referredCte(s, 4)}`
  const [pages, entries] = await batch(db, [
    query<PageRow>(
      db,
      `${ctes},
          visits AS (SELECT v.path AS path, v.visitor AS visitor, v.pageviews AS pageviews FROM referred r
              CROSS JOIN roll_pages v INDEXED BY roll_pages_by_session
              ON v.site = ?1 AND v.session = r.session AND ${days('v')}
            UNION ALL SELECT path, visitor, pageviews FROM (${rawPagesOf(s)}) x
              WHERE x.session IN (SELECT session FROM referred))
        SELECT ${page('visits.path')} AS page, sum(visits.pageviews) AS pageviews,
          count(DISTINCT visits.visitor) AS visitors
        FROM visits GROUP BY page ORDER BY visitors DESC, pageviews DESC, page LIMIT ${limit}`,
      ...args,
    ),
    query<EntryRow>(
      db,
      `${ctes} SELECT page, count(*) AS sessions, count(DISTINCT visitor) AS visitors FROM referred
        GROUP BY page ORDER BY sessions DESC, page LIMIT ${limit}`,
      ...args,
    ),
  ])
  return { pages, entries }
}

/**
 * From the session-level rows (days not named under the current rules, or a segment): the
 * window's top raw paths (at most 5,000) named by the rules here, then pages and entries with
 * those names. Without a segment, raw paths come from roll_paths and entries from the session
 * rows' entry columns only (not the whole rows).
 */
async function sessionPages(db: D1Database, site: string, p: Plan, rules: PathRules, limit: number): Promise<Pages> {
  const s = p.spans
  const where = whereOf(p, 'x')
  const paths = await db
    .prepare(
      p.source('paths') === 'roll_paths'
        ? `SELECT path, sum(pageviews) AS n FROM (${rowsOf('roll_paths', s)}) x WHERE 1${where.sql}
           GROUP BY path ORDER BY n DESC LIMIT 5000`
        : `${withRows(p, { pages: true })}
           SELECT path, sum(pageviews) AS n FROM pages x WHERE 1${where.sql} GROUP BY path ORDER BY n DESC LIMIT 5000`,
    )
    .bind(site, ...where.args)
    .all<{ path: string }>()
  const names = JSON.stringify(
    renames(
      paths.results.map((r) => r.path),
      rules,
    ),
  )
  const entryColumnsOnly = p.shape === 'everyone' || p.shape === 'device'
  const sessions = entryColumnsOnly ? `WITH sessions AS (${entryRowsOf(s)})` : withRows(p, { sessions: true })
  const [pages, entries] = await batch(db, [
    query<PageRow>(
      db,
      `${withRows(p, { pages: true })}, ${renamedCte(2)},
          visits AS (SELECT path, visitor, sum(pageviews) AS n FROM pages x WHERE 1${where.sql} GROUP BY path, visitor)
        SELECT coalesce(renamed.page, visits.path) AS page, sum(visits.n) AS pageviews,
          count(DISTINCT visits.visitor) AS visitors
        FROM visits LEFT JOIN renamed ON renamed.raw = visits.path
        GROUP BY 1 ORDER BY visitors DESC, pageviews DESC, page LIMIT ${limit}`,
      site,
      names,
      ...where.args,
    ),
    query<EntryRow>(
      db,
      `${sessions}, ${renamedCte(2)},
          firsts AS (SELECT entry AS path, visitor, min(entry_ts) FROM sessions x WHERE entry_ts IS NOT NULL${where.sql}
                     GROUP BY session)
        SELECT coalesce(renamed.page, firsts.path) AS page, count(*) AS sessions,
          count(DISTINCT firsts.visitor) AS visitors
        FROM firsts LEFT JOIN renamed ON renamed.raw = firsts.path
        GROUP BY 1 ORDER BY sessions DESC, page LIMIT ${limit}`,
      site,
      names,
      ...where.args,
    ),
  ])
  return { pages, entries }
}
