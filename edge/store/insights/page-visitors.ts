/**
 * @module store/insights/page-visitors: the visitors behind a row of the Pages table: who viewed
 * a page (as the site's path rules name it) in the window under the filter. Read from the rows
 * the table's visitors are counted from (roll_pages over the plan's spans, the same filter;
 * store/insights/pages.ts), so the list's `total` is the row's `visitors`. A page at a time, the
 * most recently seen first.
 */
import { normalisePath, rulesKey, type PathRules } from '../../domain/paths'
import { pageSql, renamedCte } from '../named'
import { plan, type Plan, type RollWindow } from '../planner'
import { daysOf } from './entries'
import { pagedVisitors, type VisitorsPage } from './paged-visitors'
import { rawPagesOf, rawRenames } from './pages'
import { deviceIs, whereOf, withRows } from './rows'

export async function pageVisitors(
  db: D1Database,
  site: string,
  w: RollWindow,
  viewed: string,
  rules: PathRules,
  page: { limit: number; offset: number },
): Promise<VisitorsPage> {
  const p = await plan(db, site, w, { rules })
  if (p.source('pages') === 'roll_page_days') return namedPageVisitors(db, site, p, viewed, rules, page)
  const where = whereOf(p, 'x')
  const pages = withRows(p, { pages: true })
  // The raw paths of the window that the rules name `viewed` (named here, as the table's are).
  const { results } = await db
    .prepare(`${pages} SELECT DISTINCT path FROM pages x WHERE 1${where.sql}`)
    .bind(site, ...where.args)
    .all<{ path: string }>()
  const paths = JSON.stringify(results.map((r) => r.path).filter((path) => normalisePath(path, rules) === viewed))
  const counted = `${pages}, counted AS (SELECT DISTINCT visitor FROM pages x
    WHERE x.path IN (SELECT value FROM json_each(?))${where.sql})`
  const args = [site, paths, ...where.args]
  return pagedVisitors(db, counted, args, page)
}

/**
 * Everyone or a device, from the named rows as the Pages table reads them (pages.ts namedPages):
 * the page's visitors in roll_page_days, by its (page, visitor) index, and today's raw pageviews
 * named here.
 */
async function namedPageVisitors(
  db: D1Database,
  site: string,
  p: Plan,
  viewed: string,
  rules: PathRules,
  page: { limit: number; offset: number },
): Promise<VisitorsPage> {
  const s = p.spans
  const device = (alias: string) => deviceIs(p.window.filter, alias)
  // ?2: the raw part's renames; ?3: the rules' key; ?4: the page.
  const args = [site, await rawRenames(db, site, s, rules), rulesKey(rules), viewed]
  const counted = `WITH ${renamedCte(2)}, counted AS (
      SELECT x.visitor AS visitor FROM roll_page_days x INDEXED BY roll_page_days_by_page
        WHERE x.site = ?1 AND x.page = ?4 AND ${daysOf(s)('x')}${device('x')}
      UNION SELECT x.visitor FROM (${rawPagesOf(s)}) x WHERE ${pageSql('x.path', 3)} = ?4${device('x')})`
  return pagedVisitors(db, counted, args, page)
}
