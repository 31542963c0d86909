/**
 * @module store/named: the job's naming of rolled-up days (migration 0010). roll_page_days holds
 * pageviews per page as the site's rules name it, day, device and visitor; roll_entries the first
 * pageview of each session row with its page named and `lead` set on the session's first row of
 * all (store/rollup-tables.ts). Both are derived from the session-level rollups right after a day
 * is rolled up, not from raw events (rules may change once retention has deleted a day's
 * events): nameDay. roll_days.paths says under which rules a day was named; the planner
 * (store/planner.ts) reads a window holding a day named under other rules (or not yet named)
 * from the session-level rows until the job has named it again. The reads of the named rows:
 * store/insights/pages.ts and sources.ts.
 *
 * Why: distinct visitors per page over 90 days grouped every (raw path, visitor) of the window,
 * then every (page, visitor): two sorts of 400,000 rows in the bench. Named rows read from an
 * index in (page, visitor) order group with no sort. A session's entry in a window is its first
 * pageview in the window: that is its lead row unless the session began before the window (a
 * session across midnight: few rows, read apart), so no grouping per session either.
 * Exact: the same answers as the session-level rows (test/edge/named.test.ts).
 */
import { rulesKey, renames, type PathRules } from '../domain/paths'

/** Is `x` (a roll_entries or roll_sessions row) its session's first row with a pageview? */
const LEAD = (x: string) => `NOT EXISTS (SELECT 1 FROM roll_sessions y INDEXED BY roll_sessions_by_session
  WHERE y.site = ?1 AND y.session = ${x}.session AND y.entry_ts IS NOT NULL AND (y.entry_ts < ${x}.entry_ts
    OR (y.entry_ts = ${x}.entry_ts AND (y.day < ${x}.day OR (y.day = ${x}.day AND y.device < ${x}.device)))))`

/** The CTE `renamed` (raw, page) of the renames in a JSON array of pairs at `?n`. */
export const renamedCte = (n: number) =>
  `renamed AS MATERIALIZED (SELECT value ->> 0 AS raw, value ->> 1 AS page FROM json_each(?${n}))`

/**
 * The page of raw path `x`: from roll_names under the rules' key at `?key` (by its primary key),
 * else, when `renamed`, from the CTE `renamed` (today's raw paths that roll_names lacks: few),
 * else the path itself. SQLite joins a CTE by scanning it: with every renamed path in it,
 * naming a day's rows took 0.2 s.
 */
export const pageSql = (x: string, key: number, renamed = true) =>
  `coalesce((SELECT page FROM roll_names WHERE site = ?1 AND key = ?${key} AND path = ${x}),${
    renamed ? ` (SELECT page FROM renamed WHERE raw = ${x}),` : ''
  } ${x})`

/**
 * Names one rolled-up day of a site under `rules`: its roll_page_days and roll_entries rows
 * replaced in one transaction (from its roll_pages and roll_sessions rows), the lead of its
 * sessions' later rows set again (a late event may have given a session an earlier first
 * pageview), and the day marked with the rules' key.
 */
export async function nameDay(db: D1Database, site: string, day: number, rules: PathRules): Promise<void> {
  const { results } = await db
    .prepare('SELECT DISTINCT path FROM roll_pages WHERE site = ?1 AND day = ?2')
    .bind(site, day)
    .all<{ path: string }>()
  const map = JSON.stringify(
    renames(
      results.map((r) => r.path),
      rules,
    ),
  )
  const both = (sql: string) => db.prepare(sql).bind(site, day)
  const key = rulesKey(rules)
  await db.batch([
    db
      .prepare(
        'INSERT OR IGNORE INTO roll_names (site, key, path, page) SELECT ?1, ?2, value ->> 0, value ->> 1 FROM json_each(?3)',
      )
      .bind(site, key, map),
    both('DELETE FROM roll_page_days WHERE site = ?1 AND day = ?2'),
    db
      .prepare(
        `INSERT INTO roll_page_days (site, day, page, device, visitor, pageviews)
         SELECT ?1, ?2, ${pageSql('p.path', 3, false)} AS page, p.device, p.visitor, sum(p.pageviews) FROM roll_pages p
         WHERE p.site = ?1 AND p.day = ?2 GROUP BY page, p.device, p.visitor`,
      )
      .bind(site, day, key),
    both('DELETE FROM roll_entries WHERE site = ?1 AND day = ?2'),
    db
      .prepare(
        `INSERT INTO roll_entries (site, day, session, device, visitor, entry_ts, page, source,
           utm_source, utm_medium, utm_campaign, lead)
         SELECT ?1, ?2, x.session, x.device, x.visitor, x.entry_ts, ${pageSql('x.entry', 3, false)}, x.source, x.utm_source,
           x.utm_medium, x.utm_campaign, ${LEAD('x')}
         FROM roll_sessions x WHERE x.site = ?1 AND x.day = ?2 AND x.entry_ts IS NOT NULL`,
      )
      .bind(site, day, key),
    both(
      `UPDATE roll_entries AS x SET lead = ${LEAD('x')} WHERE x.site = ?1 AND x.day > ?2
       AND x.session IN (SELECT session FROM roll_sessions WHERE site = ?1 AND day = ?2)`,
    ),
    db.prepare('UPDATE roll_days SET paths = ?3 WHERE site = ?1 AND day = ?2').bind(site, day, key),
  ])
}

/** The lead of the rows of `sessions` (a JSON array at ?2) set again (after erasure). */
export const releadSql = `UPDATE roll_entries AS x SET lead = ${LEAD('x')}
  WHERE x.site = ?1 AND x.session IN (SELECT value FROM json_each(?2))`

/** The names of rules the site no longer has (once every day is named under the current ones). */
export async function forgetOldNames(db: D1Database, site: string, rules: PathRules): Promise<void> {
  await db.prepare('DELETE FROM roll_names WHERE site = ?1 AND key IS NOT ?2').bind(site, rulesKey(rules)).run()
}

/** Rolled-up days not named under `rules` (new ones, or the rules changed), oldest first. */
export async function daysToName(db: D1Database, site: string, rules: PathRules, max: number): Promise<number[]> {
  const { results } = await db
    .prepare('SELECT day FROM roll_days WHERE site = ?1 AND paths IS NOT ?2 ORDER BY day LIMIT ?3')
    .bind(site, rulesKey(rules), max)
    .all<{ day: number }>()
  return results.map((r) => r.day)
}
