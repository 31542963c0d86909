/**
 * @module store/rollups: the daily rollups behind the insights (migrations 0008, 0009). Each table has
 * one SELECT that computes its rows from raw events over a time range; the job stores that
 * SELECT's rows for a whole day (delete the day, insert it again: idempotent), and the insights
 * read the stored rows for rolled-up days plus the same SELECT over the raw rest of their
 * window (domain/spans.ts). Rollups and raw events thus answer with the same SQL. The tables of
 * 0009 (roll_totals, roll_funnel_days, roll_paths) hold no session or visitor: coarser rows that
 * long windows read when no segment needs the session-level ones.
 *
 * In the SQL built here `?1` is the site; every time bound is a whole number written into the
 * text; further arguments (filters) are plain `?`, numbered after it in order.
 */
import { DAY_MS, spansOf, type Spans } from '../domain/spans'
import { FLAG, UNCOUNTED } from '../domain/flags'
import type { Filter } from '../domain/filters'
import { pathSql, sourceSql } from './filters'
import { paramSql } from './traffic'
import { frictionSum } from './trends'

const HUMAN = `(flags & ${FLAG.bot}) = 0`
/** NPS counts the answers that count: signed, one per offer and question (domain/answers.ts). */
const COUNTED = `(flags & ${UNCOUNTED}) = 0`
const DEVICE = `(flags & ${FLAG.mobile | FLAG.tablet})`
const DAY = `(ts / ${DAY_MS})`
/** Pageviews of a session kept for journeys (per day). */
export const JOURNEY_PAGES = 30

/** The rollup tables and their columns, in the order of their SELECT. */
export const TABLES = {
  roll_sessions: [
    'site',
    'day',
    'session',
    'device',
    'visitor',
    'events',
    'pageviews',
    'friction',
    'entry_ts',
    'entry',
    'source',
    'utm_source',
    'utm_medium',
    'utm_campaign',
    'types',
    'last_ts',
    'pages',
    'goals',
    'nps',
    'promoters',
    'detractors',
  ],
  roll_pages: ['site', 'day', 'path', 'session', 'device', 'visitor', 'pageviews'],
  roll_steps: ['site', 'day', 'type', 'funnel', 'step', 'session', 'device', 'visitor', 'events'],
  roll_tracks: ['site', 'day', 'name', 'session', 'device', 'visitor', 'events'],
  roll_props: ['site', 'day', 'name', 'key', 'value', 'device', 'events'],
  roll_types: ['site', 'day', 'type', 'device', 'bot', 'events'],
  roll_totals: [
    'site',
    'day',
    'device',
    'visitors',
    'sessions',
    'pageviews',
    'friction',
    'nps',
    'promoters',
    'detractors',
  ],
  roll_funnel_days: ['site', 'day', 'device', 'funnel', 'step', 'visitors'],
  roll_paths: ['site', 'day', 'path', 'device', 'pageviews'],
} as const
/** `device` of the coarse tables' rows that count every device together. */
export const ALL_DEVICES = -1
export type Table = keyof typeof TABLES

const int = (n: number) => {
  if (!Number.isSafeInteger(n)) throw new Error(`not a whole number: ${n}`)
  return String(n)
}

/**
 * The first pageview of each session, day and device of a range of events (and the last's time).
 * The GROUP BY changes no row (one per group already) but lets SQLite join it by an automatic
 * index: without it, each session scanned all of the range's first pageviews (a closed day
 * took 0.5 s to recount, 0.07 s with it).
 */
const firstPageviews = (range: string) => `SELECT day, session, device, ts, url, props, last_ts, pageviews FROM (
    SELECT ${DAY} AS day, session, ${DEVICE} AS device, ts, url, props,
      row_number() OVER (PARTITION BY ${DAY}, session, ${DEVICE} ORDER BY ts, id) AS i,
      max(ts) OVER (PARTITION BY ${DAY}, session, ${DEVICE}) AS last_ts,
      count(*) OVER (PARTITION BY ${DAY}, session, ${DEVICE}) AS pageviews
    FROM events WHERE ${range} AND type = 'pageview' AND ${HUMAN}) WHERE i = 1 GROUP BY day, session, device`

/** The UTM tags of the URL of pageview `f`, as columns. */
const utms = (f: string) => {
  const utm = (name: string) => paramSql(`substr(${f}.url, 1, instr(${f}.url || '#', '#') - 1)`, name)
  return `${utm('utm_source')} AS utm_source, ${utm('utm_medium')} AS utm_medium, ${utm('utm_campaign')} AS utm_campaign`
}

/** The rows of `table` computed from the raw events of ?1 in [from, to). */
export function rawRows(table: Table, from: number, to: number): string {
  const range = `site = ?1 AND ts >= ${int(from)} AND ts < ${int(to)}`
  switch (table) {
    case 'roll_sessions':
      return `SELECT ?1 AS site, a.day AS day, a.session AS session, a.device AS device, a.visitor AS visitor,
          a.events AS events, a.pageviews AS pageviews, a.friction AS friction, f.ts AS entry_ts,
          CASE WHEN f.ts IS NOT NULL THEN ${pathSql('f.url')} END AS entry,
          CASE WHEN f.ts IS NOT NULL THEN ${sourceSql('f')} END AS source,
          ${utms('f')}, a.types AS types, f.last_ts AS last_ts, pp.pages AS pages, gg.goals AS goals,
          coalesce(np.nps, 0) AS nps, coalesce(np.promoters, 0) AS promoters, coalesce(np.detractors, 0) AS detractors
        FROM (SELECT day, session, device, min(visitor) AS visitor, sum(n) AS events,
                sum(CASE WHEN type = 'pageview' THEN n ELSE 0 END) AS pageviews,
                ${frictionSum('n')} AS friction,
                json_group_object(type, n) AS types
              FROM (SELECT ${DAY} AS day, session, ${DEVICE} AS device, type, min(visitor) AS visitor, count(*) AS n
                    FROM events WHERE ${range} AND ${HUMAN} GROUP BY day, session, device, type)
              GROUP BY day, session, device) a
        LEFT JOIN (${firstPageviews(range)}) f
          ON f.day = a.day AND f.session = a.session AND f.device = a.device
        LEFT JOIN (SELECT day, session, device, json_group_array(path ORDER BY i) AS pages FROM (
                     SELECT ${DAY} AS day, session, ${DEVICE} AS device, ${pathSql('url')} AS path,
                       row_number() OVER (PARTITION BY ${DAY}, session, ${DEVICE} ORDER BY ts, id) AS i
                     FROM events WHERE ${range} AND type = 'pageview' AND ${HUMAN})
                   WHERE i <= ${JOURNEY_PAGES} GROUP BY day, session, device) pp
          ON pp.day = a.day AND pp.session = a.session AND pp.device = a.device
        LEFT JOIN (SELECT day, session, device, json_group_object(name, before) AS goals FROM (
                     SELECT day, session, device, name, min(before) AS before FROM (
                       SELECT ${DAY} AS day, session, ${DEVICE} AS device, type, name,
                         sum(type = 'pageview') OVER (PARTITION BY ${DAY}, session, ${DEVICE} ORDER BY ts, id
                           ROWS UNBOUNDED PRECEDING) - (type = 'pageview') AS before
                       FROM events WHERE ${range} AND type IN ('pageview', 'track') AND ${HUMAN})
                     WHERE type = 'track' AND name IS NOT NULL GROUP BY day, session, device, name)
                   GROUP BY day, session, device) gg
          ON gg.day = a.day AND gg.session = a.session AND gg.device = a.device
        LEFT JOIN (SELECT day, session, device, count(*) AS nps, sum(score >= 9) AS promoters, sum(score <= 6) AS detractors
                   FROM (SELECT ${DAY} AS day, session, ${DEVICE} AS device, json_extract(props, '$.score') AS score
                         FROM events INDEXED BY events_by_type
                         WHERE ${range} AND type = 'survey_answer' AND ${HUMAN} AND ${COUNTED}
                           AND json_extract(props, '$.kind') = 'nps')
                   WHERE score IS NOT NULL GROUP BY day, session, device) np
          ON np.day = a.day AND np.session = a.session AND np.device = a.device`
    case 'roll_pages':
      return `SELECT ?1 AS site, ${DAY} AS day, ${pathSql('url')} AS path, session, ${DEVICE} AS device,
          min(visitor) AS visitor, count(*) AS pageviews
        FROM events WHERE ${range} AND type = 'pageview' AND ${HUMAN} GROUP BY day, path, session, device`
    case 'roll_steps':
      return `SELECT ?1 AS site, ${DAY} AS day, type, name AS funnel, json_extract(props, '$.step') AS step, session,
          ${DEVICE} AS device, min(visitor) AS visitor, count(*) AS events
        FROM events WHERE ${range} AND type IN ('step', 'stall') AND name IS NOT NULL AND ${HUMAN}
        GROUP BY day, type, funnel, step, session, device`
    case 'roll_tracks':
      return `SELECT ?1 AS site, ${DAY} AS day, name, session, ${DEVICE} AS device, min(visitor) AS visitor,
          count(*) AS events
        FROM events WHERE ${range} AND type = 'track' AND name IS NOT NULL AND ${HUMAN} GROUP BY day, name, session, device`
    case 'roll_props':
      // Scalar props only (a nested object is not a value to count).
      return `SELECT ?1 AS site, events.ts / ${DAY_MS} AS day, events.name AS name, p.key AS key,
          CASE p.type WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(p.value AS TEXT) END AS value,
          events.flags & ${FLAG.mobile | FLAG.tablet} AS device, count(*) AS events
        FROM events, json_each(events.props) p
        WHERE events.site = ?1 AND events.ts >= ${int(from)} AND events.ts < ${int(to)} AND events.type = 'track'
          AND events.name IS NOT NULL AND (events.flags & ${FLAG.bot}) = 0
          AND p.type IN ('text', 'integer', 'real', 'true', 'false')
        GROUP BY day, name, key, value, device`
    case 'roll_types':
      return `SELECT ?1 AS site, ${DAY} AS day, type, ${DEVICE} AS device, (flags & ${FLAG.bot}) != 0 AS bot,
          count(*) AS events
        FROM events WHERE ${range} GROUP BY day, type, device, bot`
    case 'roll_totals':
      // From the same per-session grouping as roll_sessions (a session's visitor is its least
      // visitor id there), so per-day counts equal those over roll_sessions.
      return `WITH s AS (SELECT ${DAY} AS day, session, ${DEVICE} AS device, min(visitor) AS visitor,
            sum(type = 'pageview') AS pageviews, ${frictionSum()} AS friction
          FROM events WHERE ${range} AND ${HUMAN} GROUP BY day, session, device),
        n AS (SELECT ${DAY} AS day, ${DEVICE} AS device, json_extract(props, '$.score') AS score
          FROM events INDEXED BY events_by_type
          WHERE ${range} AND type = 'survey_answer' AND ${HUMAN} AND ${COUNTED}
                           AND json_extract(props, '$.kind') = 'nps'),
        t AS (SELECT day, device, count(DISTINCT visitor) AS visitors, count(*) AS sessions, sum(pageviews) AS pageviews,
              sum(friction) AS friction FROM s GROUP BY day, device
            UNION ALL SELECT day, ${ALL_DEVICES}, count(DISTINCT visitor), count(DISTINCT session), sum(pageviews),
              sum(friction) FROM s GROUP BY day),
        a AS (SELECT day, device, count(*) AS nps, sum(score >= 9) AS promoters, sum(score <= 6) AS detractors
              FROM n WHERE score IS NOT NULL GROUP BY day, device
            UNION ALL SELECT day, ${ALL_DEVICES}, count(*), sum(score >= 9), sum(score <= 6)
              FROM n WHERE score IS NOT NULL GROUP BY day)
        SELECT ?1 AS site, t.day AS day, t.device AS device, visitors, sessions, pageviews, friction,
          coalesce(a.nps, 0) AS nps, coalesce(a.promoters, 0) AS promoters, coalesce(a.detractors, 0) AS detractors
        FROM t LEFT JOIN a ON a.day = t.day AND a.device = t.device`
    case 'roll_paths':
      return `SELECT ?1 AS site, ${DAY} AS day, ${pathSql('url')} AS path, ${DEVICE} AS device, count(*) AS pageviews
        FROM events WHERE ${range} AND type = 'pageview' AND ${HUMAN} GROUP BY day, path, device`
    case 'roll_funnel_days':
      return `WITH s AS (SELECT ${DAY} AS day, name AS funnel, json_extract(props, '$.step') AS step, session,
            ${DEVICE} AS device, min(visitor) AS visitor
          FROM events WHERE ${range} AND type = 'step' AND name IS NOT NULL AND ${HUMAN}
          GROUP BY day, funnel, step, session, device)
        SELECT ?1 AS site, day, device, funnel, step, count(DISTINCT visitor) AS visitors FROM s
        GROUP BY day, device, funnel, step
        UNION ALL SELECT ?1, day, ${ALL_DEVICES}, funnel, step, count(DISTINCT visitor) FROM s GROUP BY day, funnel, step`
  }
}

/**
 * `table`'s rows for the window `s` of ?1: stored rows of the rolled-up days, computed rows of the
 * rest. `stored` narrows the stored part (an index to read it by, a further condition) where
 * SQLite would not find the index alone.
 */
export function rowsOf(table: Table, s: Spans, stored: { index?: string; where?: string } = {}): string {
  const cols = TABLES[table].join(', ')
  const parts: string[] = []
  if (s.days[1] > s.days[0])
    parts.push(
      `SELECT ${cols} FROM ${table}${stored.index ? ` INDEXED BY ${stored.index}` : ''} WHERE site = ?1
         AND day >= ${int(s.days[0])} AND day < ${int(s.days[1])}${stored.where ? ` AND ${stored.where}` : ''}`,
    )
  for (const [a, b] of s.raw) parts.push(`SELECT ${cols} FROM (${rawRows(table, a, b)})`)
  return parts.join(' UNION ALL ')
}

/**
 * The key columns of roll_sessions (day, session, device, visitor) computed from raw events in
 * [from, to): what rawRows('roll_sessions') gives for them, without the rest of its work.
 */
export function rawSessionKeys(from: number, to: number): string {
  return `SELECT ${DAY} AS day, session, ${DEVICE} AS device, min(visitor) AS visitor FROM events
    WHERE site = ?1 AND ts >= ${int(from)} AND ts < ${int(to)} AND ${HUMAN} GROUP BY day, session, device`
}

/** The columns of roll_sessions that entry pages, sources and journeys' newest sessions read. */
const ENTRY = [
  'day',
  'session',
  'device',
  'visitor',
  'pageviews',
  'entry_ts',
  'entry',
  'source',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'last_ts',
]

/**
 * roll_sessions' rows with pageviews for the window `s` of ?1, with only the columns of ENTRY:
 * stored rows of the rolled-up days (`stored` narrows them, as in rowsOf), computed rows of the
 * rest (without computing what rawRows('roll_sessions') computes besides).
 */
export function entriesOf(s: Spans, stored: { index?: string; where?: string } = {}): string {
  const cols = ENTRY.join(', ')
  const parts: string[] = []
  if (s.days[1] > s.days[0])
    parts.push(`SELECT ${cols} FROM roll_sessions${stored.index ? ` INDEXED BY ${stored.index}` : ''}
      WHERE site = ?1 AND day >= ${int(s.days[0])} AND day < ${int(s.days[1])} AND entry_ts IS NOT NULL
      ${stored.where ? ` AND ${stored.where}` : ''}`)
  // Both sides materialised: SQLite then joins them by an automatic index (as a subquery, the
  // session keys were grouped again for every first pageview).
  for (const [a, b] of s.raw)
    parts.push(`SELECT * FROM (WITH k AS MATERIALIZED (${rawSessionKeys(a, b)}),
        f AS MATERIALIZED (${firstPageviews(`site = ?1 AND ts >= ${int(a)} AND ts < ${int(b)}`)})
      SELECT k.day AS day, k.session AS session, k.device AS device, k.visitor AS visitor,
        f.pageviews AS pageviews, f.ts AS entry_ts, ${pathSql('f.url')} AS entry, ${sourceSql('f')} AS source, ${utms('f')},
        f.last_ts AS last_ts
      FROM f JOIN k ON k.day = f.day AND k.session = f.session AND k.device = f.device)`)
  return parts.join(' UNION ALL ')
}

/**
 * roll_sessions' rows for the window `s` of ?1 of the sessions that `sessions` (a SELECT of one
 * column) names, each found by the session index rather than among all of the window's rows.
 */
export function sessionRowsOf(s: Spans, sessions: string): string {
  const cols = TABLES.roll_sessions.map((c) => `x.${c} AS ${c}`).join(', ')
  const parts: string[] = []
  if (s.days[1] > s.days[0])
    // CROSS JOIN keeps the sessions outside: SQLite would rather walk the whole index.
    parts.push(`SELECT ${cols} FROM (${sessions}) r
      CROSS JOIN roll_sessions x INDEXED BY roll_sessions_by_session ON x.site = ?1 AND x.session = r.session
        AND x.day >= ${int(s.days[0])} AND x.day < ${int(s.days[1])}`)
  for (const [a, b] of s.raw)
    parts.push(`SELECT ${cols} FROM (${rawRows('roll_sessions', a, b)}) x WHERE x.session IN (${sessions})`)
  return parts.join(' UNION ALL ')
}

/** The first day rolled up for the site and the day after the last (both 0: none yet). */
export async function rolledRange(db: D1Database, site: string): Promise<{ first: number; end: number }> {
  const r = await db
    .prepare('SELECT min(day) AS first, max(day) AS last FROM roll_days WHERE site = ?')
    .bind(site)
    .first<{ first: number | null; last: number | null }>()
  return r?.last == null ? { first: 0, end: 0 } : { first: r.first!, end: r.last + 1 }
}

/** The day after the last one rolled up for the site (0: none yet). */
export async function rolledTo(db: D1Database, site: string): Promise<number> {
  const r = await db
    .prepare('SELECT max(day) AS day FROM roll_days WHERE site = ?')
    .bind(site)
    .first<{ day: number | null }>()
  return r?.day == null ? 0 : r.day + 1
}

/** The spans of a window for a site, as rolled up now. */
export async function spansFor(db: D1Database, site: string, from: number, to: number): Promise<Spans> {
  return spansOf(from, to, await rolledTo(db, site))
}

/**
 * Rolls up one day (a day number) of a site: its rows in every table are replaced by a recount
 * of its raw events, in one transaction. Running it again, or after a replayed batch (stored
 * once), changes nothing.
 */
export async function rollDay(db: D1Database, site: string, day: number, now: number): Promise<void> {
  const from = day * DAY_MS
  const stmts: D1PreparedStatement[] = []
  for (const table of Object.keys(TABLES) as Table[]) {
    stmts.push(db.prepare(`DELETE FROM ${table} WHERE site = ?1 AND day = ?2`).bind(site, day))
    stmts.push(
      db
        .prepare(`INSERT INTO ${table} (${TABLES[table].join(', ')}) ${rawRows(table, from, from + DAY_MS)}`)
        .bind(site),
    )
  }
  stmts.push(
    db
      // Its named rows (store/named.ts) are named again from the new rows: until then, not read.
      .prepare(
        'INSERT INTO roll_days (site, day, at) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET at = excluded.at, paths = NULL',
      )
      .bind(site, day, now),
  )
  await db.batch(stmts)
}

/**
 * The next days (numbers) to roll up for the first time: after the last one rolled up, before
 * `before`, holding events; oldest first, at most `max`. Each step is one index seek.
 */
export async function daysToRoll(db: D1Database, site: string, before: number, max: number): Promise<number[]> {
  const days: number[] = []
  let from = (await rolledTo(db, site)) * DAY_MS
  while (days.length < max) {
    const r = await db
      .prepare('SELECT min(ts) AS at FROM events WHERE site = ? AND ts >= ?')
      .bind(site, from)
      .first<{ at: number | null }>()
    if (r?.at == null) break
    const day = Math.floor(r.at / DAY_MS)
    if (day >= before) break
    days.push(day)
    from = (day + 1) * DAY_MS
  }
  return days
}

/**
 * Days already rolled up that received events since the last look (late events from an offline
 * outbox): they are rolled up again. Days before `oldest` are left as they are (retention may
 * have deleted part of their raw events). Answers the days and the mark to save after them.
 */
export async function lateDays(
  db: D1Database,
  site: string,
  until: number,
  oldest: number,
): Promise<{ days: number[]; mark: number }> {
  const [mark, to] = await db.batch<{ received?: number; day?: number | null }>([
    db.prepare('SELECT received FROM roll_marks WHERE site = ?').bind(site),
    db.prepare('SELECT max(day) + 1 AS day FROM roll_days WHERE site = ?').bind(site),
  ])
  // No mark yet: the days rolled up so far were counted from everything stored then.
  const since = mark!.results[0]?.received
  const end = to!.results[0]?.day ?? null
  if (since == null || end == null) return { days: [], mark: until }
  const { results } = await db
    .prepare(
      `SELECT DISTINCT ts / ${DAY_MS} AS day FROM events INDEXED BY events_by_received
       WHERE site = ? AND received_at >= ? AND received_at < ? AND ts < ? AND ts >= ? ORDER BY day`,
    )
    .bind(site, since, until, end * DAY_MS, oldest * DAY_MS)
    .all<{ day: number }>()
  return { days: results.map((r) => r.day), mark: until }
}

export async function saveMark(db: D1Database, site: string, mark: number): Promise<void> {
  await db
    .prepare(
      'INSERT INTO roll_marks (site, received) VALUES (?, ?) ON CONFLICT DO UPDATE SET received = excluded.received',
    )
    .bind(site, mark)
    .run()
}

export interface RollWindow {
  from: number
  to: number
  filter: Filter
}

/**
 * The filter as conditions on rollup rows of alias `x` (every table has session, visitor and
 * device), as ` AND …` with its arguments. The referrer needs the CTE `sess` (roll_sessions rows
 * of the window): a session's source is that of its first pageview in [from, to).
 */
export function rollFilter(f: Filter, w: { from: number; to: number }, x = 'x') {
  let sql = ''
  const args: unknown[] = []
  if (f.device) {
    const bits = f.device === 'mobile' ? FLAG.mobile : f.device === 'tablet' ? FLAG.tablet : 0
    sql += ` AND ${x}.device = ${bits}`
  }
  if (f.referrer) {
    const days = `day >= ${int(Math.floor(w.from / DAY_MS))} AND day < ${int(Math.ceil(w.to / DAY_MS))}`
    sql += ` AND ${x}.session IN (SELECT session FROM (
        SELECT session, source, min(entry_ts) FROM sess WHERE entry_ts IS NOT NULL AND entry_ts >= ${int(w.from)}
          AND entry_ts < ${int(w.to)} AND ${days} GROUP BY session) WHERE source = ?)`
    args.push(f.referrer)
  }
  if (f.visitor) {
    sql += ` AND ${x}.visitor ${f.visitor === 'new' ? 'IN' : 'NOT IN'} (
        SELECT id FROM visitors WHERE site = ?1 AND first_seen >= ${int(w.from)} AND sessions <= 1)`
  }
  if (f.visitors) {
    sql += ` AND ${x}.visitor IN (SELECT value FROM json_each(?))`
    args.push(JSON.stringify(f.visitors))
  }
  return { sql, args }
}
