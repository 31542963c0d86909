/**
 * @module store/insights/entry-visitors: the visitors behind a row of the Entry pages table: those
 * whose session's first pageview in the window was that page (as the site's path rules name it),
 * under the filter. Read from the rows the table counts, by the same three roads
 * (store/insights/pages.ts): the named lead rows (everyone or a device), a referrer's sessions,
 * or the session rows (a raw path named here); so the list's `total` is the row's `visitors`,
 * and their sessions (`measure`) its `sessions`. A page at a time, the most recently seen first.
 */
import { normalisePath, rulesKey, type PathRules } from '../../domain/paths'
import { pageSql, renamedCte } from '../named'
import { plan, type RollWindow } from '../planner'
import { daysOf, noCondition, referredCte, restOfFirsts } from './entries'
import { rawRenames } from './pages'
import { pagedVisitors, type VisitorsPage } from './paged-visitors'
import { deviceIs, entryRowsOf, whereOf, withRows } from './rows'

export async function entryVisitors(
  db: D1Database,
  site: string,
  w: RollWindow,
  entry: string,
  rules: PathRules,
  page: { limit: number; offset: number },
): Promise<VisitorsPage> {
  const p = await plan(db, site, w, { rules })
  const s = p.spans
  const name = (x: string) => pageSql(x, 3)
  if (p.source('pages') === 'roll_page_days' || p.source('entryPages') === 'roll_entries') {
    // ?2: the raw part's renames; ?3: the rules' key; ?4: the page; ?5: the referrer, if any.
    const args = [site, await rawRenames(db, site, s, rules), rulesKey(rules), entry]
    if (p.source('pages') !== 'roll_page_days') {
      // A referrer alone: its sessions' first pageviews.
      args.push(p.window.filter.referrer!)
      const counted = `WITH ${renamedCte(2)}, ${restOfFirsts(s, noCondition, name)}, ${referredCte(s, 5)},
        counted AS (SELECT visitor, count(*) AS m FROM referred WHERE page = ?4 GROUP BY visitor)`
      return pagedVisitors(db, counted, args, page, undefined, true)
    }
    const device = (alias: string) => deviceIs(p.window.filter, alias)
    const counted = `WITH ${renamedCte(2)}, ${restOfFirsts(s, device, name)},
      counted AS (SELECT visitor, count(*) AS m FROM (
        SELECT visitor FROM roll_entries x WHERE x.site = ?1 AND x.lead = 1 AND x.page = ?4 AND ${daysOf(s)('x')}${device('x')}
        UNION ALL SELECT visitor FROM rest_firsts WHERE page = ?4) GROUP BY visitor)`
    return pagedVisitors(db, counted, args, page, undefined, true)
  }
  // From the session rows: each session's first row with a pageview, its raw path named here.
  const where = whereOf(p, 'x')
  const entryColumnsOnly = p.shape === 'everyone' || p.shape === 'device'
  const sessions = entryColumnsOnly ? `WITH sessions AS (${entryRowsOf(s)})` : withRows(p, { sessions: true })
  const firsts = `${sessions}, firsts AS MATERIALIZED (SELECT entry AS path, visitor, min(entry_ts)
      FROM sessions x WHERE entry_ts IS NOT NULL${where.sql} GROUP BY session)`
  const { results } = await db
    .prepare(`${firsts} SELECT DISTINCT path FROM firsts`)
    .bind(site, ...where.args)
    .all<{ path: string }>()
  const paths = JSON.stringify(results.map((r) => r.path).filter((path) => normalisePath(path, rules) === entry))
  const counted = `${firsts}, counted AS (SELECT visitor, count(*) AS m FROM firsts
    WHERE path IN (SELECT value FROM json_each(?)) GROUP BY visitor)`
  return pagedVisitors(db, counted, [site, ...where.args, paths], page, undefined, true)
}
