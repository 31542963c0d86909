/**
 * @module store/insights/rows: a rollup table's rows over an insight's window, as SQL: the stored
 * rows of its rolled-up days `UNION ALL` the table's recount over the raw rest (the planner's
 * spans), and the filter as conditions on those rows. `?1` is the site; the filter's arguments
 * are plain `?`, numbered after it in order.
 */
import { DAY_MS, type Spans } from '../../domain/spans'
import { FLAG } from '../../domain/flags'
import type { Filter } from '../../domain/filters'
import type { Clause } from '../filters'
import type { Plan } from '../planner'
import { ALL_DEVICES, ENTRY_COLUMNS, entriesRecount, int, ROLLUP_TABLES, type TableName } from '../rollup-tables'

/** Narrows the stored part of a read: an index to read it by, a further condition. */
export interface Stored {
  index?: string
  where?: string
}

/**
 * `table`'s rows over the spans: stored rows of the rolled-up days, recounted rows of the rest.
 * `stored` narrows the stored part where SQLite would not find the index alone.
 */
export function rowsOf(table: TableName, s: Spans, stored: Stored = {}): string {
  const cols = ROLLUP_TABLES[table].columns.join(', ')
  const parts: string[] = []
  if (s.days[1] > s.days[0])
    parts.push(
      `SELECT ${cols} FROM ${table}${stored.index ? ` INDEXED BY ${stored.index}` : ''} WHERE site = ?1
        AND day >= ${int(s.days[0])} AND day < ${int(s.days[1])}${stored.where ? ` AND ${stored.where}` : ''}`,
    )
  for (const [a, b] of s.raw) parts.push(`SELECT ${cols} FROM (${ROLLUP_TABLES[table].recount(a, b)})`)
  return parts.join(' UNION ALL ')
}

/**
 * roll_sessions' rows with a pageview over the spans, with only its entry columns (what entry
 * pages, sources and journeys' newest sessions read): stored rows of the rolled-up days
 * (narrowed by `stored`), the rest recounted without what the full recount computes besides.
 */
export function entryRowsOf(s: Spans, stored: Stored = {}): string {
  const cols = ENTRY_COLUMNS.join(', ')
  const parts: string[] = []
  if (s.days[1] > s.days[0])
    parts.push(`SELECT ${cols} FROM roll_sessions${stored.index ? ` INDEXED BY ${stored.index}` : ''}
      WHERE site = ?1 AND day >= ${int(s.days[0])} AND day < ${int(s.days[1])} AND entry_ts IS NOT NULL
      ${stored.where ? ` AND ${stored.where}` : ''}`)
  for (const [a, b] of s.raw) parts.push(entriesRecount(a, b))
  return parts.join(' UNION ALL ')
}

/**
 * roll_sessions' rows over the spans of the sessions that `sessions` (a SELECT of one column)
 * names, each found by the session index rather than among all of the window's rows.
 */
export function rowsOfSessions(s: Spans, sessions: string): string {
  const cols = ROLLUP_TABLES.roll_sessions.columns.map((c) => `x.${c} AS ${c}`).join(', ')
  const parts: string[] = []
  if (s.days[1] > s.days[0])
    // CROSS JOIN keeps the sessions outside: SQLite would rather walk the whole index.
    parts.push(`SELECT ${cols} FROM (${sessions}) r
      CROSS JOIN roll_sessions x INDEXED BY roll_sessions_by_session ON x.site = ?1 AND x.session = r.session
        AND x.day >= ${int(s.days[0])} AND x.day < ${int(s.days[1])}`)
  for (const [a, b] of s.raw)
    parts.push(`SELECT ${cols} FROM (${ROLLUP_TABLES.roll_sessions.recount(a, b)}) x WHERE x.session IN (${sessions})`)
  return parts.join(' UNION ALL ')
}

/** roll_sessions' columns but its JSON ones (events by type, pages, goals): what most reads need. */
const SESSION_COLUMNS = ROLLUP_TABLES.roll_sessions.columns
  .filter((c) => !['types', 'pages', 'goals'].includes(c))
  .join(', ')

/** The tables a read may take as CTEs, by the CTE's name. */
const CTE_TABLES = {
  pages: 'roll_pages',
  steps: 'roll_steps',
  tracks: 'roll_tracks',
  types: 'roll_types',
  props: 'roll_props',
} as const satisfies Record<string, TableName>

/**
 * `WITH` the CTEs of the tables a read takes, over the plan's spans: each named after what its
 * rows are. `sessions` (roll_sessions) is materialised, and keeps its JSON columns only when
 * 'all' (copying them cost about a third of a segment's reads over 90 days); a referrer filter
 * reads it (rowFilter), so it comes whenever the filter has one.
 */
export function withRows(
  p: Plan,
  t: Partial<Record<keyof typeof CTE_TABLES, boolean>> & { sessions?: boolean | 'all' },
) {
  const s = p.spans
  const defs: string[] = []
  const sessions = t.sessions ?? !!p.window.filter.referrer
  if (sessions === 'all') defs.push(`sessions AS MATERIALIZED (${rowsOf('roll_sessions', s)})`)
  else if (sessions)
    defs.push(`sessions AS MATERIALIZED (SELECT ${SESSION_COLUMNS} FROM (${rowsOf('roll_sessions', s)}))`)
  for (const [name, table] of Object.entries(CTE_TABLES) as [keyof typeof CTE_TABLES, TableName][])
    if (t[name]) defs.push(`${name} AS (${rowsOf(table, s)})`)
  return `WITH ${defs.join(', ')}`
}

/** The device bits of rows of a device filter (mobile, tablet, desktop). */
const deviceBits = (device: NonNullable<Filter['device']>) =>
  device === 'mobile' ? FLAG.mobile : device === 'tablet' ? FLAG.tablet : 0

/** The `device` of the coarse tables' rows for the filter's device (all of them: ALL_DEVICES). */
export const deviceOf = (f: Filter) => (f.device === undefined ? ALL_DEVICES : deviceBits(f.device))

/** ` AND <alias>.device = …` for the filter's device, or ''. */
export const deviceIs = (f: Filter, alias: string) => (f.device ? ` AND ${alias}.device = ${deviceBits(f.device)}` : '')

/**
 * The filter as conditions on rollup rows of `alias` (every session-level table has session,
 * visitor and device), as ` AND …` with its arguments, for the window [from, to). The referrer
 * reads the CTE `sessions` (withRows): a session's source is that of its first pageview in
 * [from, to) on the filter's device (a device keeps its own rows only).
 */
export function rowFilter(f: Filter, w: { from: number; to: number }, alias: string): Clause {
  let sql = deviceIs(f, alias)
  const args: unknown[] = []
  if (f.referrer) {
    const days = `s.day >= ${int(Math.floor(w.from / DAY_MS))} AND s.day < ${int(Math.ceil(w.to / DAY_MS))}`
    sql += ` AND ${alias}.session IN (SELECT session FROM (
        SELECT s.session AS session, s.source AS source, min(s.entry_ts) FROM sessions s WHERE s.entry_ts IS NOT NULL
          AND s.entry_ts >= ${int(w.from)} AND s.entry_ts < ${int(w.to)} AND ${days}${deviceIs(f, 's')}
        GROUP BY s.session) WHERE source = ?)`
    args.push(f.referrer)
  }
  if (f.visitor) {
    sql += ` AND ${alias}.visitor ${f.visitor === 'new' ? 'IN' : 'NOT IN'} (
        SELECT id FROM visitors WHERE site = ?1 AND first_seen >= ${int(w.from)} AND sessions <= 1)`
  }
  if (f.visitors) {
    sql += ` AND ${alias}.visitor IN (SELECT value FROM json_each(?))`
    args.push(JSON.stringify(f.visitors))
  }
  return { sql, args }
}

/** The plan's filter over its window, on rows of `alias`. */
export const whereOf = (p: Plan, alias: string) => rowFilter(p.window.filter, p.window, alias)
