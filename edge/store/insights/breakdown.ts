/**
 * @module store/insights/breakdown: an event's count and distinct visitors per value of a
 * dimension, the top N and the rest together, over the period and per bucket of it
 * (domain/breakdown.ts assembles the answer). People only, bots left out as everywhere.
 *
 * Where from: by the day, the session-level rollups over the planner's spans (stored rows of
 * rolled-up days, the same recount over the raw rest): an event type's count per session from
 * roll_sessions' `types`, a `track` name's from roll_tracks, pageviews by page from roll_pages.
 * So days past raw retention still count, and every filter applies as on the other insights
 * (store/insights/rows.ts). Pageviews by page for everyone or a device read the named rows
 * (roll_page_days, roll_paths) once the days are named. Raw events answer what no rollup keeps:
 * hours (periods of up to 2 days), a prop's values (roll_props keeps no visitor) and the page of
 * events other than pageviews. Per time bucket only events are counted: distinct visitors per
 * bucket would sort every row once more (bench:insights, 90 days).
 *
 * Dimensions: page (as the site's path rules name it), source (a session's, as the Sources
 * table: its first pageview in the period, on the filter's device if any), device, country and language (the visitor's
 * profile, as last seen), segment (each named segment's members, as the personalisation
 * insight sizes them; a visitor may be in several, or in none), a prop's value.
 */
import { NONE, type BreakdownRow, type Dimension, type EventSpec } from '../../domain/breakdown'
import { DAY_MS } from '../../domain/spans'
import { renames, rulesKey, type PathRules } from '../../domain/paths'
import { FLAG } from '../../domain/flags'
import { deviceSql, filterSql, HUMAN, pathSql, sourceSql } from '../filters'
import { plan, type Plan, type RollWindow } from '../planner'
import { entriesRecount, int, ROLLUP_TABLES } from '../rollup-tables'
import { pageSql, renamedCte } from '../named'
import { rawRenames } from './pages'
import { deviceIs, entryRowsOf, rowsOf, whereOf, withRows } from './rows'
import { daysOf } from './entries'
import { pagedVisitors, type VisitorsPage } from './paged-visitors'

const DEVICE_BITS = FLAG.mobile | FLAG.tablet
/** Device bits as the dashboard names them. */
const deviceName = (x: string) =>
  `(CASE ${x} WHEN ${FLAG.mobile} THEN 'mobile' WHEN ${FLAG.tablet} THEN 'tablet' ELSE 'desktop' END)`

export interface BreakdownAsk {
  event: EventSpec
  by: Dimension
  top: number
  /** Buckets: their size (a day or an hour) from `w.from`. */
  unit: 'day' | 'hour'
  /** The site's path rules (by page). */
  rules?: PathRules
  /** By segment: [visitor, segment id] of every member of every segment. */
  members?: [string, string][]
}

export interface BreakdownCounts {
  rows: BreakdownRow[]
  total: { events: number; visitors: number }
  /** How many values the period has in all. */
  values: number
}

/** Builds SQL text left to right, numbering each argument where it appears (`?1` is the site). */
function texts(site: string) {
  const args: unknown[] = [site]
  return {
    args,
    /** `?n` for a new argument. */
    arg(x: unknown) {
      args.push(x)
      return `?${args.length}`
    },
    /** A clause's SQL, its plain `?`s numbered after the arguments so far (SQLite's rule). */
    clause(c: { sql: string; args: unknown[] }) {
      args.push(...c.args)
      return c.sql
    },
  }
}

/** SQL text with its arguments (texts). */
type Texts = ReturnType<typeof texts>

/**
 * `WITH … ev, keyed`: the event's rows (`ev`: bucket t, visitor, raw value, count n) and each
 * with the value it counts under (`keyed`: t, visitor, k, n), over the window under the filter;
 * or, for pageviews by page once the days are named, the plan to read the named rows with.
 */
async function keyedOf(
  db: D1Database,
  site: string,
  w: RollWindow,
  ask: BreakdownAsk,
): Promise<{ t: Texts; sql: string; p: Plan | null } | { named: Plan }> {
  const t = texts(site)
  const { event, by } = ask
  const raw = ask.unit === 'hour' || typeof by !== 'string' || (by === 'page' && event.type !== 'pageview')
  // `ev`: (t, visitor, raw, n): the event's count per bucket, visitor and raw value.
  const p = raw ? null : await plan(db, site, w, { rules: ask.rules })
  if (p && by === 'page' && event.type === 'pageview' && p.source('pages') === 'roll_page_days') return { named: p }
  let sql = p ? rolledEvents(t, site, w, ask, p) : rawEvents(t, site, w, ask)
  // Page names: the rules applied to the window's distinct paths (renames are few).
  if (by === 'page') {
    const paths = await db
      .prepare(`${sql} SELECT DISTINCT raw FROM ev LIMIT 100000`)
      .bind(...t.args)
      .all<{ raw: string }>()
    const names = renames(
      paths.results.map((r) => r.raw),
      ask.rules,
    )
    sql += `, renamed AS MATERIALIZED (SELECT value ->> 0 AS raw, value ->> 1 AS page FROM json_each(${t.arg(JSON.stringify(names))})),
      named AS MATERIALIZED (SELECT d.raw AS raw, coalesce(r.page, d.raw) AS k
        FROM (SELECT DISTINCT raw FROM ev) d LEFT JOIN renamed r ON r.raw = d.raw),
      keyed AS MATERIALIZED (SELECT e.t AS t, e.visitor AS visitor, m.k AS k, e.n AS n FROM ev e JOIN named m ON m.raw = e.raw)`
  } else if (by === 'country' || by === 'language' || by === 'segment') {
    const of =
      by === 'segment'
        ? `LEFT JOIN (SELECT value ->> 0 AS visitor, value ->> 1 AS k FROM json_each(${t.arg(JSON.stringify(ask.members ?? []))})) m
            ON m.visitor = d.visitor`
        : `LEFT JOIN (SELECT id AS visitor, profile ->> '$.${by}' AS k FROM visitors WHERE site = ?1) m ON m.visitor = d.visitor`
    sql += `, who AS MATERIALIZED (SELECT d.visitor AS visitor, coalesce(m.k, '${NONE}') AS k
        FROM (SELECT DISTINCT visitor FROM ev) d ${of}),
      keyed AS MATERIALIZED (SELECT e.t AS t, e.visitor AS visitor, m.k AS k, e.n AS n FROM ev e JOIN who m ON m.visitor = e.visitor)`
  } else sql += `, keyed AS NOT MATERIALIZED (SELECT t, visitor, raw AS k, n FROM ev)` // (not a copy of `ev`)
  return { t, sql, p }
}

export async function breakdownCounts(
  db: D1Database,
  site: string,
  w: RollWindow,
  ask: BreakdownAsk,
): Promise<BreakdownCounts> {
  const keyed = await keyedOf(db, site, w, ask)
  if ('named' in keyed) return namedPageCounts(db, site, keyed.named, ask)
  const { t, p } = keyed
  const { event, by } = ask
  // One pass per grouping, each over the rows once: every value (to rank them), the buckets of
  // the top and of "other" (events only: distinct visitors per bucket would be one more sort of
  // every row), "other" over the period, and the period's total.
  const sql = `${keyed.sql}, per AS MATERIALIZED (SELECT k, sum(n) AS events, count(DISTINCT visitor) AS visitors FROM keyed GROUP BY k),
    top AS MATERIALIZED (SELECT k FROM per ORDER BY events DESC, k LIMIT ${int(ask.top)})
    SELECT 'v' AS kind, k, NULL AS t, events, visitors FROM per WHERE k IN (SELECT k FROM top)
    UNION ALL SELECT 'v', CASE WHEN k IN (SELECT k FROM top) THEN k END AS kk, t, sum(n), NULL FROM (
      SELECT k, t, sum(n) AS n FROM keyed GROUP BY k, t) GROUP BY kk, t
    UNION ALL SELECT 'v', NULL, NULL, sum(n), count(DISTINCT visitor) FROM keyed
      WHERE k NOT IN (SELECT k FROM top) HAVING count(*) > 0
    UNION ALL SELECT 'total', NULL, NULL, (SELECT coalesce(sum(n), 0) FROM ev), count(DISTINCT visitor)
      FROM (${p && event.type === 'pageview' && by !== 'page' && p.walk && byDevice(p) ? viewersOf(p, Math.floor(w.from / DAY_MS)) : 'SELECT visitor FROM ev'})
    UNION ALL SELECT 'values', NULL, NULL, count(*), 0 FROM per
    LIMIT 40000`
  const { results } = await db
    .prepare(sql)
    .bind(...t.args)
    .all<Counted>()
  return countsOf(results)
}

/** Whose events a drill-down into a breakdown lists: a value's, "other"'s (every value after the top), or all of them. */
export type BreakdownPick = { value: string } | { other: true } | { all: true }

/**
 * The visitors behind a breakdown's number: a value's row, "other", or the event's total
 * (breakdownCounts' `visitors`), from the same rows; each visitor's events are the page's
 * `measure` (the row's `events`). A page at a time, the most recently seen first.
 */
export async function breakdownVisitors(
  db: D1Database,
  site: string,
  w: RollWindow,
  ask: BreakdownAsk,
  pick: BreakdownPick,
  page: { limit: number; offset: number },
): Promise<VisitorsPage> {
  const keyed = await keyedOf(db, site, w, ask)
  if ('named' in keyed) return namedPageVisitors(db, site, keyed.named, ask, pick, page)
  const { t } = keyed
  let sql = keyed.sql
  if ('all' in pick) sql += `, counted AS (SELECT visitor, sum(n) AS m FROM ev GROUP BY visitor)`
  else if ('value' in pick)
    sql += `, counted AS (SELECT visitor, sum(n) AS m FROM keyed WHERE k = ${t.arg(pick.value)} GROUP BY visitor)`
  else
    sql += `, per AS MATERIALIZED (SELECT k, sum(n) AS events FROM keyed GROUP BY k),
      top AS MATERIALIZED (SELECT k FROM per ORDER BY events DESC, k LIMIT ${int(ask.top)}),
      counted AS (SELECT visitor, sum(n) AS m FROM keyed WHERE k NOT IN (SELECT k FROM top) GROUP BY visitor)`
  return pagedVisitors(db, sql, t.args, page, undefined, true)
}

type Counted = BreakdownRow & { kind: 'v' | 'total' | 'values' }

function countsOf(results: Counted[]): BreakdownCounts {
  const total = results.find((r) => r.kind === 'total')
  return {
    rows: results.filter((r) => r.kind === 'v').map(({ kind: _, ...r }) => r),
    total: { events: total?.events ?? 0, visitors: total?.visitors ?? 0 },
    values: results.find((r) => r.kind === 'values')?.events ?? 0,
  }
}

/** Everyone or a device: the filter is a condition on the rows' own device at most. */
const byDevice = (p: Plan) => p.shape === 'everyone' || p.shape === 'device'

/**
 * The visitors of the window's pageviews (everyone or a device, a long window, `ev` read from
 * roll_sessions): the stored rows with a pageview in visitor order by a covering index (no sort),
 * and the raw rest's from `ev` (its rows of days outside the stored ones).
 */
function viewersOf(p: Plan, first: number): string {
  const [d0, d1] = p.spans.days
  return `SELECT visitor FROM roll_sessions x INDEXED BY roll_sessions_viewers
      WHERE x.site = ?1 AND x.day >= ${int(d0)} AND x.day < ${int(d1)} AND x.entry_ts IS NOT NULL${deviceIs(p.window.filter, 'x')}
    UNION ALL SELECT visitor FROM ev WHERE t < ${int(d0 - first)} OR t >= ${int(d1 - first)}`
}

/** `WITH … ev` from the rollups by day: the event's rows per session (stored and recounted) under the filter, a row each. */
function rolledEvents(t: ReturnType<typeof texts>, site: string, w: RollWindow, ask: BreakdownAsk, p: Plan): string {
  const s = p.spans
  const { event, by } = ask
  const first = int(Math.floor(w.from / DAY_MS))
  const [d0, d1] = s.days
  const days = `site = ?1 AND day >= ${int(d0)} AND day < ${int(d1)}`
  if (by === 'source' && event.type === 'pageview' && !w.filter.referrer) {
    // Pageviews are the session rows with an entry: each row's session's source is that of its
    // first entry in the window, found in the same pass (no grouping by session, then a join).
    // Over a long window whose raw part is its end (today), the stored rows are read in
    // (session, entry_ts) order by a covering index (no sort), and a raw row's session takes
    // the source of its first stored row when it has one (those come first).
    if (p.walk && d1 > d0 && s.raw.every(([a]) => a >= d1 * DAY_MS)) {
      const cols = 'day, session, device, visitor, pageviews, entry_ts, source'
      /** The stored rows with a pageview, as `a`, in (session, entry_ts) order. */
      const index = (a: string) => `roll_sessions ${a} INDEXED BY roll_sessions_entries
        WHERE ${a}.site = ?1 AND ${a}.entry_ts IS NOT NULL AND ${a}.day >= ${int(d0)} AND ${a}.day < ${int(d1)}`
      const firstOf = `first_value(x.source) OVER (PARTITION BY x.session ORDER BY x.entry_ts, x.day, x.device)`
      let stored: string
      let follow = ''
      if (p.source('sources', 'everyone') === 'roll_entries') {
        // The window's days are named: a session's first row of all has lead = 1 there
        // (store/named.ts), so a session none of whose rows in the window has lead = 0 has one
        // row there, its own first: its source as it is, without the window function over
        // every row (0.1 s at 90 days in the bench). The sessions with a lead = 0 row (a few
        // hundred of 100,000 there: across midnight, on two devices, begun before the window)
        // take it as before.
        follow = `follow AS MATERIALIZED (SELECT DISTINCT session FROM roll_entries INDEXED BY roll_entries_follow
          WHERE site = ?1 AND lead = 0 AND day >= ${int(d0)} AND day < ${int(d1)}), `
        stored = `SELECT x.day - ${first} AS t, x.visitor AS visitor, x.source AS raw, x.pageviews AS n
            FROM ${index('x')} AND x.session NOT IN (SELECT session FROM follow)${t.clause(whereOf(p, 'x'))}
          UNION ALL SELECT x.day - ${first}, x.visitor, ${firstOf}, x.pageviews
            FROM (SELECT ${cols} FROM ${index('y')} AND y.session IN (SELECT session FROM follow)) x
            WHERE 1${t.clause(whereOf(p, 'x'))}`
      } else
        stored = `SELECT x.day - ${first} AS t, x.visitor AS visitor, ${firstOf} AS raw, x.pageviews AS n
          FROM (SELECT ${cols} FROM ${index('y')}) x WHERE 1${t.clause(whereOf(p, 'x'))}`
      if (!s.raw.length) return `WITH ${follow}ev AS MATERIALIZED (${stored})`
      const tail = s.raw.map(([a, b]) => `SELECT ${cols} FROM (${entriesRecount(a, b)})`).join(' UNION ALL ')
      return `WITH ${follow}ev AS MATERIALIZED (${stored}
        UNION ALL SELECT x.t, x.visitor, coalesce((SELECT y.source FROM ${index('y')} AND y.session = x.session${t.clause(whereOf(p, 'y'))}
            ORDER BY y.entry_ts, y.day, y.device LIMIT 1), x.raw), x.n
          FROM (SELECT x.day - ${first} AS t, x.session AS session, x.visitor AS visitor, ${firstOf} AS raw, x.pageviews AS n
            FROM (${tail}) x WHERE 1${t.clause(whereOf(p, 'x'))}) x)`
    }
    const where = t.clause(whereOf(p, 'x'))
    return `WITH ev AS MATERIALIZED (SELECT x.day - ${first} AS t, x.visitor AS visitor,
        first_value(x.source) OVER (PARTITION BY x.session ORDER BY x.entry_ts, x.day, x.device) AS raw,
        x.pageviews AS n
      FROM (${entryRowsOf(s)}) x WHERE 1${where})`
  }
  // The session CTE: what a referrer filter and a session's source read.
  let sql = w.filter.referrer ? `${withRows(p, { sessions: true })}, ` : 'WITH '
  const parts: string[] = []
  // The event's rows of a raw range, as the rollups' recounts count them (per day, session and device).
  const recount = (from: number, to: number, cond: string) =>
    `SELECT ts / ${DAY_MS} AS day, session, flags & ${DEVICE_BITS} AS device, min(visitor) AS visitor, count(*) AS n
      FROM events WHERE site = ?1 AND ts >= ${int(from)} AND ts < ${int(to)} AND ${HUMAN()} AND ${cond}
      GROUP BY day, session, device`
  if (by === 'page') {
    // Pageviews by raw path per session: roll_pages.
    parts.push(`SELECT day, session, device, visitor, pageviews AS n, path FROM (${rowsOf('roll_pages', s)})`)
  } else if (event.name !== undefined) {
    const name = t.arg(event.name)
    if (d1 > d0)
      parts.push(`SELECT day, session, device, visitor, events AS n FROM roll_tracks WHERE ${days} AND name = ${name}`)
    for (const [a, b] of s.raw) parts.push(recount(a, b, `type = 'track' AND name = ${name}`))
  } else {
    const type = t.arg(event.type)
    // Pageviews have a column of their own; other types are read from the session's `types`.
    const n = event.type === 'pageview' ? 'pageviews' : `json_extract(types, '$.' || ${type})`
    if (d1 > d0)
      parts.push(`SELECT day, session, device, visitor, n FROM (
          SELECT day, session, device, visitor, ${n} AS n FROM roll_sessions
          INDEXED BY roll_sessions_by_day WHERE ${days}) WHERE n > 0`)
    for (const [a, b] of s.raw) parts.push(recount(a, b, `type = ${type}`))
  }
  const rows = parts.join(' UNION ALL ')
  let rawKey = `''`
  let join = ''
  if (by === 'page') rawKey = 'x.path'
  else if (by === 'device') rawKey = deviceName('x.device')
  else if (by === 'source') {
    // A session's source in the period: that of its first pageview there (as the Sources table).
    // (The session rows' entry columns only, unless a referrer filter reads them whole anyway.)
    // Under a device, its rows only (a device keeps its own events: the filter's meaning).
    const entries = w.filter.referrer ? 'SELECT * FROM sessions' : entryRowsOf(s)
    sql += `src AS MATERIALIZED (SELECT session, source FROM (
        SELECT y.session AS session, y.source AS source, min(y.entry_ts) FROM (${entries}) y
        WHERE y.entry_ts IS NOT NULL${deviceIs(w.filter, 'y')} GROUP BY y.session)), `
    join = 'LEFT JOIN src ON src.session = x.session'
    rawKey = `coalesce(src.source, '${NONE}')`
  }
  const where = t.clause(whereOf(p, 'x'))
  return `${sql}ev AS MATERIALIZED (SELECT x.day - ${first} AS t, x.visitor AS visitor, ${rawKey} AS raw, x.n AS n
      FROM (${rows}) x ${join} WHERE 1${where})`
}

/** `WITH … ev` from raw events: buckets of `ask.unit` from `w.from`, the filter as on raw events. */
function rawEvents(t: ReturnType<typeof texts>, site: string, w: RollWindow, ask: BreakdownAsk): string {
  const { event, by } = ask
  const size = ask.unit === 'hour' ? 3_600_000 : DAY_MS
  let sql = 'WITH '
  let join = ''
  let rawKey = `''`
  const range = (a: string) => `${a}.site = ?1 AND ${a}.ts >= ${int(w.from)} AND ${a}.ts < ${int(w.to)}`
  if (by === 'page') rawKey = pathSql('events.url')
  else if (by === 'device') rawKey = deviceName(`(events.flags & ${DEVICE_BITS})`)
  else if (by === 'source') {
    sql += `src AS MATERIALIZED (SELECT session, source FROM (
        SELECT s.session AS session, ${sourceSql('s')} AS source, min(s.ts) FROM events s
        WHERE ${range('s')} AND s.type = 'pageview' AND ${HUMAN('s')}${deviceSql(w.filter, 's')} GROUP BY s.session)), `
    join = 'LEFT JOIN src ON src.session = events.session'
    rawKey = `coalesce(src.source, '${NONE}')`
  } else if (typeof by !== 'string') {
    // A prop's scalar value as text, as roll_props keeps it (true/false as words).
    const at = t.arg(`$."${by.prop}"`)
    rawKey = `coalesce(CASE json_type(events.props, ${at}) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false'
      WHEN 'text' THEN json_extract(events.props, ${at}) WHEN 'integer' THEN CAST(json_extract(events.props, ${at}) AS TEXT)
      WHEN 'real' THEN CAST(json_extract(events.props, ${at}) AS TEXT) END, '${NONE}')`
  }
  const what =
    event.name !== undefined
      ? `events.type = 'track' AND events.name = ${t.arg(event.name)}`
      : `events.type = ${t.arg(event.type)}`
  const where = t.clause(filterSql(w.filter, site, w.from, w.to))
  return `${sql}ev AS MATERIALIZED (SELECT (events.ts - ${int(w.from)}) / ${size} AS t, events.visitor AS visitor,
      ${rawKey} AS raw, count(*) AS n FROM events ${join}
      WHERE ${range('events')} AND ${what} AND ${HUMAN()}${where} GROUP BY 1, 2, 3)`
}

/**
 * Pageviews by page for everyone or a device once the window's days are named: each page's
 * pageviews and visitors from roll_page_days read in (page, visitor) order (no sort), plus the
 * raw part's visitors those rows lack (as store/insights/pages.ts); the days' pageviews per page
 * from roll_paths (a row per raw path, named by roll_names) and the period's visitors from
 * roll_sessions: far fewer rows than a (page, visitor, day) each.
 */
async function namedPageCounts(db: D1Database, site: string, p: Plan, ask: BreakdownAsk): Promise<BreakdownCounts> {
  const s = p.spans
  const f = p.window.filter
  const first = int(Math.floor(p.window.from / DAY_MS))
  const days = daysOf(s)
  const dev = (alias: string) => deviceIs(f, alias)
  const { ctes, args, stored } = await namedPageCtes(db, site, p, ask)
  const sql = `${ctes}
    SELECT 'v' AS kind, k, NULL AS t, events, visitors FROM per WHERE k IN (SELECT k FROM top)
    UNION ALL SELECT 'v', CASE WHEN k IN (SELECT k FROM top) THEN k END AS kk, t, sum(n), NULL FROM (
        SELECT t, k, sum(n) AS n FROM (
          SELECT x.day - ${first} AS t, coalesce(m.page, x.path) AS k, x.pageviews AS n FROM roll_paths x
            LEFT JOIN roll_names m ON m.site = ?1 AND m.key = ?3 AND m.path = x.path
            WHERE x.site = ?1 AND ${days('x')}${dev('x')}
          UNION ALL SELECT day - ${first}, page, n FROM raw_rows) GROUP BY t, k) GROUP BY kk, t
    UNION ALL SELECT 'v', NULL, NULL, (SELECT sum(events) FROM per WHERE k IN (SELECT k FROM rest)), count(DISTINCT visitor)
      FROM (SELECT visitor FROM ${stored('x', 'roll_page_days_by_page')} AND x.page IN (SELECT k FROM rest)
        UNION ALL SELECT visitor FROM raw_rows WHERE page IN (SELECT k FROM rest))
      HAVING count(*) > 0
    UNION ALL SELECT 'total', NULL, NULL, (SELECT coalesce(sum(events), 0) FROM per), count(DISTINCT visitor)
      FROM (SELECT visitor FROM roll_sessions x INDEXED BY ${p.walk ? 'roll_sessions_viewers' : 'roll_sessions_by_day'}
          WHERE x.site = ?1 AND ${days('x')} AND x.entry_ts IS NOT NULL${dev('x')}
        UNION ALL SELECT visitor FROM raw_rows)
    UNION ALL SELECT 'values', NULL, NULL, count(*), 0 FROM per
    LIMIT 40000`
  return countsOf(
    (
      await db
        .prepare(sql)
        .bind(...args)
        .all<Counted>()
    ).results,
  )
}

/**
 * The visitors behind a page's row (or "other") of pageviews by page from the named rows: those
 * of roll_page_days with the page and the raw part's (as namedPageCounts counts them).
 */
async function namedPageVisitors(
  db: D1Database,
  site: string,
  p: Plan,
  ask: BreakdownAsk,
  pick: BreakdownPick,
  page: { limit: number; offset: number },
): Promise<VisitorsPage> {
  const { ctes, args, stored } = await namedPageCtes(db, site, p, ask)
  // The caller asks for all of them by another dimension (no page needed).
  if ('all' in pick) throw new Error('all pageviews are read by device')
  const pages = 'value' in pick ? `= ?${args.push(pick.value)}` : 'IN (SELECT k FROM rest)'
  const counted = `${ctes}, counted AS (SELECT visitor, sum(n) AS m FROM (
      SELECT visitor, pageviews AS n FROM ${stored('x', 'roll_page_days_by_page')} AND x.page ${pages}
      UNION ALL SELECT visitor, n FROM raw_rows WHERE page ${pages}) GROUP BY visitor)`
  return pagedVisitors(db, counted, args, page, undefined, true)
}

/** The CTEs of the named rows' pages (per page, the top and the rest), their arguments (?1–?3), and the stored rows by an index. */
async function namedPageCtes(db: D1Database, site: string, p: Plan, ask: BreakdownAsk) {
  const s = p.spans
  const f = p.window.filter
  const days = daysOf(s)
  const dev = (alias: string) => deviceIs(f, alias)
  // ?2: the raw part's renames; ?3: the rules' key.
  const args: unknown[] = [site, await rawRenames(db, site, s, ask.rules ?? {}), rulesKey(ask.rules)]
  const rawRows =
    s.raw
      .map(
        ([a, b]) => `SELECT x.day AS day, ${pageSql('x.path', 3)} AS page, x.visitor AS visitor, x.pageviews AS n
          FROM (${ROLLUP_TABLES.roll_pages.recount(a, b)}) x WHERE 1${dev('x')}`,
      )
      .join(' UNION ALL ') || `SELECT 0 AS day, '' AS page, '' AS visitor, 0 AS n WHERE 0`
  const stored = (alias: string, index: string) =>
    `roll_page_days ${alias} INDEXED BY ${index} WHERE ${alias}.site = ?1 AND ${days(alias)}${dev(alias)}`
  const ctes = `WITH ${renamedCte(2)}, raw_rows AS MATERIALIZED (${rawRows}),
      stored_per AS (SELECT page, sum(pageviews) AS events, count(DISTINCT visitor) AS visitors
        FROM ${stored('x', 'roll_page_days_by_page')} GROUP BY page),
      raw_per AS (SELECT page, sum(n) AS events, sum(NOT EXISTS (SELECT 1 FROM ${stored('y', 'roll_page_days_by_page')}
          AND y.page = r.page AND y.visitor = r.visitor)) AS visitors
        FROM (SELECT page, visitor, sum(n) AS n FROM raw_rows GROUP BY page, visitor) r GROUP BY page),
      per AS MATERIALIZED (SELECT page AS k, sum(events) AS events, sum(visitors) AS visitors
        FROM (SELECT * FROM stored_per UNION ALL SELECT * FROM raw_per) GROUP BY page),
      top AS MATERIALIZED (SELECT k FROM per ORDER BY events DESC, k LIMIT ${int(ask.top)}),
      rest AS MATERIALIZED (SELECT k FROM per WHERE k NOT IN (SELECT k FROM top))`
  return { ctes, args, stored }
}
