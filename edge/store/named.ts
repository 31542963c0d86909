/**
 * @module store/named: the named rollups (migration 0010) and the reads of top pages, entry
 * pages and sources from them. roll_page_days holds pageviews per page as the site's rules name
 * it, day, device and visitor; roll_entries the first pageview of each session row with its page
 * named and `lead` set on the session's first row of all. Both are derived from the session-level
 * rollups right after a day is rolled up, not from raw events (rules may change once retention
 * has deleted a day's events): nameDay. roll_days.paths says under which rules a day was named;
 * a window holding a day named under other rules (or not yet named) is read the old way
 * (store/rolled.ts) until the job has named it again.
 *
 * Why: distinct visitors per page over 90 days grouped every (raw path, visitor) of the window,
 * then every (page, visitor): two sorts of 400,000 rows in the bench. Named rows read from an
 * index in (page, visitor) order group with no sort. A session's entry in a window is its first
 * pageview in the window: that is its lead row unless the session began before the window (a
 * session across midnight: few rows, read apart), so no grouping per session either.
 * Exact: the same answers as the session-level rows (test/edge/named.test.ts).
 */
import { rulesKey, renames, type PathRules } from '../domain/paths'
import { DAY_MS, type Spans } from '../domain/spans'
import { FLAG } from '../domain/flags'
import type { Filter } from '../domain/filters'
import { pathSql } from './filters'
import { entriesOf, rawRows, type RollWindow } from './rollups'
import type { CampaignRow, EntryRow, PageRow, SourceRow } from './traffic'

/** Is `x` (a roll_entries or roll_sessions row) its session's first row with a pageview? */
const LEAD = (x: string) => `NOT EXISTS (SELECT 1 FROM roll_sessions y INDEXED BY roll_sessions_by_session
  WHERE y.site = ?1 AND y.session = ${x}.session AND y.entry_ts IS NOT NULL AND (y.entry_ts < ${x}.entry_ts
    OR (y.entry_ts = ${x}.entry_ts AND (y.day < ${x}.day OR (y.day = ${x}.day AND y.device < ${x}.device)))))`

/** The CTE `m` of raw path → page from a JSON array of pairs at `?n`. */
const names = (n: number) => `m AS MATERIALIZED (SELECT value ->> 0 AS raw, value ->> 1 AS norm FROM json_each(?${n}))`

/**
 * The page of raw path `x`: from roll_names under the rules' key at `?k` (by its primary key),
 * else from the CTE `m` (today's raw paths that roll_names lacks: few), else the path itself.
 * SQLite joins a CTE by scanning it: with every renamed path in `m`, naming a day's rows
 * took 0.2 s.
 */
const nameSql = (x: string, k: number, m = true) =>
  `coalesce((SELECT page FROM roll_names WHERE site = ?1 AND key = ?${k} AND path = ${x}),${
    m ? ` (SELECT norm FROM m WHERE raw = ${x}),` : ''
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
         SELECT ?1, ?2, ${nameSql('p.path', 3, false)} AS page, p.device, p.visitor, sum(p.pageviews) FROM roll_pages p
         WHERE p.site = ?1 AND p.day = ?2 GROUP BY page, p.device, p.visitor`,
      )
      .bind(site, day, key),
    both('DELETE FROM roll_entries WHERE site = ?1 AND day = ?2'),
    db
      .prepare(
        `INSERT INTO roll_entries (site, day, session, device, visitor, entry_ts, page, source,
           utm_source, utm_medium, utm_campaign, lead)
         SELECT ?1, ?2, x.session, x.device, x.visitor, x.entry_ts, ${nameSql('x.entry', 3, false)}, x.source, x.utm_source,
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

/**
 * The window's spans if the named rows can answer it: every rolled-up day of it named (under
 * `rules` when given: pages; sources need no names), no raw part before its rolled-up days
 * (a session's first pageview would be there), no filter but the device. Else null.
 */
async function namedSpans(db: D1Database, site: string, w: RollWindow, rules?: PathRules) {
  // A referrer alone: its sessions are those whose first pageview in the window came from it.
  const referrer = w.filter.referrer && !w.filter.device && rules
  if ((w.filter.referrer && !referrer) || w.filter.visitor || w.filter.visitors) return null
  const first = Math.ceil(w.from / DAY_MS)
  if (first * DAY_MS !== w.from) return null
  const today = Math.floor(w.to / DAY_MS)
  const r = await db
    .prepare(
      `SELECT min(day) AS first, max(day) AS last, coalesce(sum(day >= ?2 AND day < ?3 AND ${
        rules ? 'paths IS NOT ?4' : 'paths IS NULL'
      }), 0) AS stale FROM roll_days WHERE site = ?1`,
    )
    .bind(site, first, today, ...(rules ? [rulesKey(rules)] : []))
    .first<{ first: number | null; last: number | null; stale: number }>()
  if (r?.stale) return null
  const end = Math.min(r?.last == null ? 0 : r.last + 1, today)
  const d1 = Math.max(first, end)
  const s: Spans = { days: [first, d1], raw: [[d1 * DAY_MS, w.to]] }
  // Reading in (page, visitor) order covers every day of the site: it pays for long windows.
  const walk = r?.first != null && (d1 - first) * 4 >= end - r.first
  return { s, walk }
}

const int = (n: number) => String(Math.trunc(n))

/** ` AND <x>.device = …` for the filter's device, or ''. */
function deviceSql(f: Filter, x: string) {
  if (!f.device) return ''
  return ` AND ${x}.device = ${f.device === 'mobile' ? FLAG.mobile : f.device === 'tablet' ? FLAG.tablet : 0}`
}

/** The raw paths of pageviews in the window's raw part (today) that roll_names does not name. */
async function rawPaths(db: D1Database, site: string, s: Spans, key: string) {
  const parts = s.raw.map(
    ([
      a,
      b,
    ]) => `SELECT DISTINCT ${pathSql('url')} AS p FROM events WHERE site = ?1 AND ts >= ${int(a)} AND ts < ${int(b)}
      AND type = 'pageview' AND (flags & ${FLAG.bot}) = 0`,
  )
  const { results } = await db
    .prepare(
      `SELECT p FROM (${parts.join(' UNION ')}) WHERE p NOT IN (SELECT path FROM roll_names WHERE site = ?1 AND key = ?2)`,
    )
    .bind(site, key)
    .all<{ p: string }>()
  return results.map((r) => r.p)
}

/**
 * Counts per key of the sessions' first pageviews in the window and distinct visitors: `keys`
 * (columns of roll_entries) grouped, `where` narrowing rows (` AND …`). The CTE `xs` must hold
 * the few first pageviews not on a lead row (with the same columns). Lead rows are read by
 * `index` in key order when `walk`, by day otherwise.
 */
function firstCounts(s: Spans, keys: string[], index: string, walk: boolean, where: string, order: string) {
  const [d0, d1] = s.days
  const k = keys.join(', ')
  const days = (x: string) => `${x}.day >= ${int(d0)} AND ${x}.day < ${int(d1)}`
  const same = keys.map((c) => `y.${c} IS v.${c}`).join(' AND ')
  // count(DISTINCT) over rows in key order took half the time of grouping (key, visitor) first.
  return `a AS (SELECT ${k}, count(*) AS sessions, count(DISTINCT visitor) AS visitors
      FROM roll_entries x INDEXED BY ${walk ? index : 'roll_entries_by_day'}
      WHERE x.site = ?1 AND x.lead = 1 AND ${days('x')}${where.replaceAll('{x}', 'x')} GROUP BY ${k}),
    b AS (SELECT ${k}, sum(n) AS sessions, sum(NOT EXISTS (SELECT 1 FROM roll_entries y INDEXED BY ${index}
        WHERE y.site = ?1 AND y.lead = 1 AND ${same} AND y.visitor = v.visitor AND ${days('y')}${where.replaceAll('{x}', 'y')}))
        AS visitors
      FROM (SELECT ${k}, visitor, count(*) AS n FROM xs x WHERE 1${where.replaceAll('{x}', 'x')} GROUP BY ${k}, visitor) v
      GROUP BY ${k})
    SELECT ${k}, sum(sessions) AS sessions, sum(visitors) AS visitors FROM (SELECT * FROM a UNION ALL SELECT * FROM b)
    GROUP BY ${k} ORDER BY ${order}`
}

/**
 * The CTE `xs`: the window's first pageviews of sessions that have none on a lead row in it:
 * sessions begun before the window (their first row in it), and sessions seen only in the
 * raw part (today), with their entry named by `m`.
 */
function restOfFirsts(s: Spans, device: string, name: (x: string) => string) {
  const [d0, d1] = s.days
  const days = (x: string) => `${x}.day >= ${int(d0)} AND ${x}.day < ${int(d1)}`
  const cols = 'session, device, visitor, page, source, utm_source, utm_medium, utm_campaign'
  const raw = s.raw.length
    ? `UNION ALL SELECT ${cols} FROM (
         SELECT r.session AS session, r.device AS device, r.visitor AS visitor, ${name('r.entry')} AS page, r.source AS source,
           r.utm_source AS utm_source, r.utm_medium AS utm_medium, r.utm_campaign AS utm_campaign, min(r.entry_ts)
         FROM (${entriesOf({ days: [0, 0], raw: s.raw })}) r
         WHERE 1${device.replaceAll('{x}', 'r')} GROUP BY r.session) r
       WHERE NOT EXISTS (SELECT 1 FROM roll_entries z INDEXED BY roll_entries_by_session
         WHERE z.site = ?1 AND z.session = r.session AND ${days('z')}${device.replaceAll('{x}', 'z')})`
    : ''
  return `xs AS MATERIALIZED (SELECT ${cols} FROM (
      SELECT ${cols}, min(entry_ts) FROM roll_entries x INDEXED BY roll_entries_follow
      WHERE x.site = ?1 AND x.lead = 0 AND ${days('x')}${device.replaceAll('{x}', 'x')}
        AND NOT EXISTS (SELECT 1 FROM roll_entries z INDEXED BY roll_entries_by_session
          WHERE z.site = ?1 AND z.session = x.session AND ${days('z')} AND z.lead = 1${device.replaceAll('{x}', 'z')})
      GROUP BY session) ${raw})`
}

/**
 * Top pages and entry pages from the named rows, or null when they cannot answer (see
 * namedSpans): the caller reads the session-level rows then.
 */
export async function namedPagesAndEntries(
  db: D1Database,
  site: string,
  w: RollWindow,
  rules: PathRules,
  limit = 20,
): Promise<{ pages: PageRow[]; entries: EntryRow[] } | null> {
  const n = await namedSpans(db, site, w, rules)
  if (!n) return null
  const { s, walk } = n
  const [d0, d1] = s.days
  const key = rulesKey(rules)
  const map = JSON.stringify(renames(await rawPaths(db, site, s, key), rules))
  const name = (x: string) => nameSql(x, 3)
  const dev = deviceSql(w.filter, '{x}')
  const d = (x: string) => dev.replaceAll('{x}', x)
  const days = (x: string) => `${x}.day >= ${int(d0)} AND ${x}.day < ${int(d1)}`
  const rawPages = s.raw.map(([a, b]) => `SELECT * FROM (${rawRows('roll_pages', a, b)})`).join(' UNION ALL ')
  if (w.filter.referrer) return referrerPages(db, site, s, map, key, w.filter.referrer, rawPages, limit)
  const [pages, entries] = await db.batch<any>([
    db
      .prepare(
        `WITH ${names(2)},
           r AS MATERIALIZED (SELECT ${name('x.path')} AS page, x.visitor AS visitor, sum(x.pageviews) AS n
             FROM (${rawPages}) x WHERE 1${d('x')} GROUP BY page, visitor),
           a AS (SELECT page, count(DISTINCT visitor) AS visitors, sum(pageviews) AS pageviews FROM roll_page_days x
               INDEXED BY ${walk ? 'roll_page_days_by_page' : 'roll_page_days_by_day'}
             WHERE x.site = ?1 AND ${days('x')}${d('x')} GROUP BY page),
           b AS (SELECT page, sum(NOT EXISTS (SELECT 1 FROM roll_page_days y INDEXED BY roll_page_days_by_page
               WHERE y.site = ?1 AND y.page = r.page AND y.visitor = r.visitor AND ${days('y')}${d('y')})) AS visitors,
               sum(n) AS pageviews FROM r GROUP BY page)
         SELECT page, sum(pageviews) AS pageviews, sum(visitors) AS visitors FROM (SELECT * FROM a UNION ALL SELECT * FROM b)
         GROUP BY page ORDER BY visitors DESC, pageviews DESC, page LIMIT ${limit}`,
      )
      .bind(site, map, key),
    db
      .prepare(
        `WITH ${names(2)}, ${restOfFirsts(s, dev, name)},
         ${firstCounts(s, ['page'], 'roll_entries_by_page', walk, dev, `sessions DESC, page LIMIT ${limit}`)}`,
      )
      .bind(site, map, key),
  ])
  return { pages: pages!.results as PageRow[], entries: entries!.results as EntryRow[] }
}

/**
 * Top pages and entry pages of the sessions whose first pageview in the window came from
 * `referrer`: those sessions from their first rows (by the source index), their pages from
 * roll_pages by the session index, named by roll_names (and `map` for today's raw paths).
 */
async function referrerPages(
  db: D1Database,
  site: string,
  s: Spans,
  map: string,
  key: string,
  referrer: string,
  rawPages: string,
  limit: number,
) {
  const [d0, d1] = s.days
  const days = (x: string) => `${x}.day >= ${int(d0)} AND ${x}.day < ${int(d1)}`
  const name = (x: string) => nameSql(x, 3)
  const ctes = `WITH ${names(2)},
      ${restOfFirsts(s, '', name)},
      refs AS MATERIALIZED (SELECT session, page, visitor FROM roll_entries x INDEXED BY roll_entries_by_source
          WHERE x.site = ?1 AND x.lead = 1 AND x.source = ?4 AND ${days('x')}
        UNION ALL SELECT session, page, visitor FROM xs WHERE source = ?4)`
  // Each row named (by primary key), then counted: half the time of grouping (path, visitor) first.
  const [pages, entries] = await db.batch<any>([
    db
      .prepare(
        `${ctes},
           pv AS (SELECT p.path AS path, p.visitor AS visitor, p.pageviews AS pageviews FROM refs r
               CROSS JOIN roll_pages p INDEXED BY roll_pages_by_session
               ON p.site = ?1 AND p.session = r.session AND ${days('p')}
             UNION ALL SELECT path, visitor, pageviews FROM (${rawPages}) x WHERE x.session IN (SELECT session FROM refs))
         SELECT ${name('pv.path')} AS page, sum(pv.pageviews) AS pageviews, count(DISTINCT pv.visitor) AS visitors
         FROM pv
         GROUP BY page ORDER BY visitors DESC, pageviews DESC, page LIMIT ${limit}`,
      )
      .bind(site, map, key, referrer),
    db
      .prepare(
        `${ctes} SELECT page, count(*) AS sessions, count(DISTINCT visitor) AS visitors FROM refs
         GROUP BY page ORDER BY sessions DESC, page LIMIT ${limit}`,
      )
      .bind(site, map, key, referrer),
  ])
  return { pages: pages!.results as PageRow[], entries: entries!.results as EntryRow[] }
}

/** Referrers and UTM sources from the named rows' entry columns, or null (see namedSpans). */
export async function namedSources(
  db: D1Database,
  site: string,
  w: RollWindow,
  limit = 20,
): Promise<{ referrers: SourceRow[]; campaigns: CampaignRow[] } | null> {
  const n = await namedSpans(db, site, w)
  if (!n) return null
  const { s, walk } = n
  const dev = deviceSql(w.filter, '{x}')
  // (Sources need no page: the entry's raw path stands in for it.)
  const rest = `WITH ${restOfFirsts(s, dev, (x) => x)},`
  const [referrers, campaigns] = await db.batch<any>([
    db
      .prepare(
        `${rest} ${firstCounts(s, ['source'], 'roll_entries_by_source', walk, dev, `sessions DESC, source LIMIT ${limit}`)}`,
      )
      .bind(site),
    db
      .prepare(
        `${rest} ${firstCounts(
          s,
          ['utm_source', 'utm_medium', 'utm_campaign'],
          'roll_entries_by_campaign',
          walk,
          `${dev} AND {x}.utm_source IS NOT NULL`,
          `sessions DESC, utm_source LIMIT ${limit}`,
        )}`,
      )
      .bind(site),
  ])
  return {
    referrers: referrers!.results as SourceRow[],
    campaigns: campaigns!.results.map(
      (r: {
        utm_source: string
        utm_medium: string | null
        utm_campaign: string | null
        sessions: number
        visitors: number
      }) => ({
        source: r.utm_source,
        medium: r.utm_medium,
        campaign: r.utm_campaign,
        sessions: r.sessions,
        visitors: r.visitors,
      }),
    ),
  }
}
