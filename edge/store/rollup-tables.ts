/**
 * @module store/rollup-tables: the registry of the insights' rollup tables (migrations 0008,
 * 0009, 0010, 0014). Every table holds rows per UTC day (`day` = ms / 86,400,000), bots left out
 * (roll_types counts them apart). Per table: its grain (what one row counts), its columns, what
 * fills a day (the job's rollDay, from raw events; or nameDay, from the day's session-level rows
 * under the site's path rules, store/named.ts), the filter shapes its rows answer exactly
 * (domain/filter-shape.ts), and its recount: the SELECT of its rows from the raw events of a time
 * range. rollDay stores a day's recount; reads take the stored rows of rolled-up days and the
 * same recount over the raw rest of their window (store/insights/rows.ts), so both answer with
 * the same SQL. The planner (store/planner.ts) chooses among the tables; a test compares every
 * table here with its recount (test/edge/rollup-tables.test.ts).
 *
 * In the SQL here `?1` is the site and every time bound is a whole number written into the text.
 * The recounts of the tables nameDay fills also read `?2`: the site's renames, a JSON array of
 * [raw path, page] (domain/paths.ts `renames`).
 */
import { DAY_MS } from '../domain/spans'
import { FLAG, UNCOUNTED } from '../domain/flags'
import { SHAPES, type Shape } from '../domain/filter-shape'
import { frictionSum, paramSql, pathSql, sourceSql } from './filters'

const HUMAN = `(flags & ${FLAG.bot}) = 0`
/** NPS counts the answers that count: signed, one per offer and question (domain/answers.ts). */
const COUNTED = `(flags & ${UNCOUNTED}) = 0`
const DEVICE = `(flags & ${FLAG.mobile | FLAG.tablet})`
const DAY = `(ts / ${DAY_MS})`
/** Pageviews of a session kept for journeys (per day). */
export const JOURNEY_PAGES = 30
/** `device` of the coarse tables' rows that count every device together. */
export const ALL_DEVICES = -1

/** A whole number for SQL text (a time bound or a day): anything else is a bug, not data. */
export const int = (n: number) => {
  if (!Number.isSafeInteger(n)) throw new Error(`not a whole number: ${n}`)
  return String(n)
}

const inRange = (from: number, to: number) => `site = ?1 AND ts >= ${int(from)} AND ts < ${int(to)}`

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

/**
 * The key columns of roll_sessions (day, session, device, visitor) recounted from the raw events
 * of [from, to): what its full recount gives for them, without the rest of its work.
 */
export function sessionKeysRecount(from: number, to: number): string {
  return `SELECT ${DAY} AS day, session, ${DEVICE} AS device, min(visitor) AS visitor FROM events
    WHERE ${inRange(from, to)} AND ${HUMAN} GROUP BY day, session, device`
}

/** The columns of roll_sessions that entry pages, sources and journeys' newest sessions read. */
export const ENTRY_COLUMNS = [
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
] as const

/**
 * roll_sessions' rows with a pageview recounted from the raw events of [from, to), with only
 * ENTRY_COLUMNS (without the rest of its full recount's work). Both sides materialised: SQLite
 * then joins them by an automatic index (as a subquery, the session keys were grouped again for
 * every first pageview).
 */
export function entriesRecount(from: number, to: number): string {
  return `SELECT * FROM (WITH session_keys AS MATERIALIZED (${sessionKeysRecount(from, to)}),
      first_pageviews AS MATERIALIZED (${firstPageviews(inRange(from, to))})
    SELECT k.day AS day, k.session AS session, k.device AS device, k.visitor AS visitor,
      f.pageviews AS pageviews, f.ts AS entry_ts, ${pathSql('f.url')} AS entry, ${sourceSql('f')} AS source, ${utms('f')},
      f.last_ts AS last_ts
    FROM first_pageviews f JOIN session_keys k ON k.day = f.day AND k.session = f.session AND k.device = f.device)`
}

/**
 * The key of an event that can be a funnel step, as domain/funnel-steps.ts `keysOf` reads it:
 * `page:` and the raw path of a pageview, `track:` and a custom event's name, `step:` and a
 * step's funnel/step (null for any other event).
 */
const HIT_KEY = `CASE type WHEN 'pageview' THEN 'page:' || ${pathSql('url')} WHEN 'track' THEN 'track:' || name
    WHEN 'step' THEN 'step:' || name || '/' || json_extract(props, '$.step') END`

/**
 * roll_hits' rows from the raw events of `range` (conditions on events) that also meet `only`
 * (conditions on the rows' `key`, e.g. a funnel's keys: the key of every event is computed).
 */
export const hitsRecount = (range: string, only = '1') =>
  // LIMIT -1 keeps SQLite from flattening the inner query: each event's key is worked out once,
  // not again in every term of `only` (a funnel's raw days took 3 times as long).
  `SELECT ?1 AS site, day, key, session, device, min(visitor) AS visitor, min(ts) AS at,
      group_concat(ts, ',' ORDER BY ts) AS times
    FROM (SELECT ${DAY} AS day, ${HIT_KEY} AS key, session, ${DEVICE} AS device, visitor, ts FROM events
          WHERE ${range} AND type IN ('pageview', 'track', 'step') AND ${HUMAN} LIMIT -1)
    WHERE key IS NOT NULL AND (${only}) GROUP BY day, key, session, device`

/** roll_pages' recount (roll_page_days names its rows). */
const pagesRecount = (from: number, to: number) =>
  `SELECT ?1 AS site, ${DAY} AS day, ${pathSql('url')} AS path, session, ${DEVICE} AS device,
      min(visitor) AS visitor, count(*) AS pageviews
    FROM events WHERE ${inRange(from, to)} AND type = 'pageview' AND ${HUMAN} GROUP BY day, path, session, device`

/**
 * The page the renames at ?2 give raw path `x` (the path itself when they do not rename it).
 * `x` must be qualified: json_each has a column `path` of its own.
 */
const renamedSql = (x: string) =>
  `coalesce((SELECT r.value ->> 1 FROM json_each(?2) r WHERE r.value ->> 0 = ${x}), ${x})`

export interface RollupTable {
  /** What one row counts, per UTC day. */
  grain: string
  /** Its columns, in the order of its recount's. */
  columns: readonly string[]
  /** What fills a day: rollDay (a recount of its raw events) or nameDay (from its rollups, named). */
  filledBy: 'rollDay' | 'nameDay'
  /** The filters its rows answer exactly. */
  answers: readonly Shape[]
  /** Its rows recounted from the raw events of ?1 in [from, to). */
  recount(from: number, to: number): string
}

/** Rows without a session or visitor: counts by day and device only. */
const BY_DEVICE: readonly Shape[] = ['everyone', 'device']

/** Every rollup table the insights read. */
export const ROLLUP_TABLES = {
  roll_sessions: {
    grain:
      'a session on a day and device: visitor, events (and by type), pageviews, friction, NPS answers; the first ' +
      "pageview's time, path, source and UTM tags; for journeys the last pageview's time, the first 30 paths and, " +
      'per custom event name, the pageviews before its first occurrence',
    columns: [
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
    filledBy: 'rollDay',
    answers: SHAPES,
    recount(from, to) {
      const range = inRange(from, to)
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
    },
  },
  roll_pages: {
    grain: 'pageviews of a raw path (no query, no fragment) in a session on a day and device',
    columns: ['site', 'day', 'path', 'session', 'device', 'visitor', 'pageviews'],
    filledBy: 'rollDay',
    answers: SHAPES,
    recount: pagesRecount,
  },
  roll_steps: {
    grain: "a funnel step reached ('step') or stalled at ('stall') in a session on a day and device",
    columns: ['site', 'day', 'type', 'funnel', 'step', 'session', 'device', 'visitor', 'events'],
    filledBy: 'rollDay',
    answers: SHAPES,
    recount: (from, to) =>
      `SELECT ?1 AS site, ${DAY} AS day, type, name AS funnel, json_extract(props, '$.step') AS step, session,
          ${DEVICE} AS device, min(visitor) AS visitor, count(*) AS events
        FROM events WHERE ${inRange(from, to)} AND type IN ('step', 'stall') AND name IS NOT NULL AND ${HUMAN}
        GROUP BY day, type, funnel, step, session, device`,
  },
  roll_hits: {
    grain:
      'the times of the events that can be a funnel step, of a key (`page:` and a raw path, `track:` and a name, ' +
      '`step:` and funnel/step), in a session on a day and device',
    columns: ['site', 'day', 'key', 'session', 'device', 'visitor', 'at', 'times'],
    filledBy: 'rollDay',
    answers: SHAPES,
    recount: (from, to) => hitsRecount(inRange(from, to)),
  },
  roll_tracks: {
    grain: 'custom events (`track`) of a name in a session on a day and device',
    columns: ['site', 'day', 'name', 'session', 'device', 'visitor', 'events'],
    filledBy: 'rollDay',
    answers: SHAPES,
    recount: (from, to) =>
      `SELECT ?1 AS site, ${DAY} AS day, name, session, ${DEVICE} AS device, min(visitor) AS visitor,
          count(*) AS events
        FROM events WHERE ${inRange(from, to)} AND type = 'track' AND name IS NOT NULL AND ${HUMAN}
        GROUP BY day, name, session, device`,
  },
  roll_props: {
    grain: "custom events of a name with a scalar prop's value, on a day and device (no session: no visitor filter)",
    columns: ['site', 'day', 'name', 'key', 'value', 'device', 'events'],
    filledBy: 'rollDay',
    answers: BY_DEVICE,
    // Scalar props only (a nested object is not a value to count).
    recount: (from, to) =>
      `SELECT ?1 AS site, events.ts / ${DAY_MS} AS day, events.name AS name, p.key AS key,
          CASE p.type WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(p.value AS TEXT) END AS value,
          events.flags & ${FLAG.mobile | FLAG.tablet} AS device, count(*) AS events
        FROM events, json_each(events.props) p
        WHERE events.site = ?1 AND events.ts >= ${int(from)} AND events.ts < ${int(to)} AND events.type = 'track'
          AND events.name IS NOT NULL AND (events.flags & ${FLAG.bot}) = 0
          AND p.type IN ('text', 'integer', 'real', 'true', 'false')
        GROUP BY day, name, key, value, device`,
  },
  roll_types: {
    grain: 'events of a type on a day and device, bots included (bot = 1) so the overview counts them apart',
    columns: ['site', 'day', 'type', 'device', 'bot', 'events'],
    filledBy: 'rollDay',
    answers: BY_DEVICE,
    recount: (from, to) =>
      `SELECT ?1 AS site, ${DAY} AS day, type, ${DEVICE} AS device, (flags & ${FLAG.bot}) != 0 AS bot,
          count(*) AS events
        FROM events WHERE ${inRange(from, to)} GROUP BY day, type, device, bot`,
  },
  roll_totals: {
    grain:
      'a day and device (and every device together, device -1): distinct visitors and sessions, pageviews, ' +
      'friction, NPS answers',
    columns: [
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
    filledBy: 'rollDay',
    answers: BY_DEVICE,
    // From the same per-session grouping as roll_sessions (a session's visitor is its least
    // visitor id there), so per-day counts equal those over roll_sessions.
    recount(from, to) {
      const range = inRange(from, to)
      return `WITH day_sessions AS (SELECT ${DAY} AS day, session, ${DEVICE} AS device, min(visitor) AS visitor,
            sum(type = 'pageview') AS pageviews, ${frictionSum()} AS friction
          FROM events WHERE ${range} AND ${HUMAN} GROUP BY day, session, device),
        nps_answers AS (SELECT ${DAY} AS day, ${DEVICE} AS device, json_extract(props, '$.score') AS score
          FROM events INDEXED BY events_by_type
          WHERE ${range} AND type = 'survey_answer' AND ${HUMAN} AND ${COUNTED}
                           AND json_extract(props, '$.kind') = 'nps'),
        counts AS (SELECT day, device, count(DISTINCT visitor) AS visitors, count(*) AS sessions,
              sum(pageviews) AS pageviews, sum(friction) AS friction FROM day_sessions GROUP BY day, device
            UNION ALL SELECT day, ${ALL_DEVICES}, count(DISTINCT visitor), count(DISTINCT session), sum(pageviews),
              sum(friction) FROM day_sessions GROUP BY day),
        answers AS (SELECT day, device, count(*) AS nps, sum(score >= 9) AS promoters, sum(score <= 6) AS detractors
              FROM nps_answers WHERE score IS NOT NULL GROUP BY day, device
            UNION ALL SELECT day, ${ALL_DEVICES}, count(*), sum(score >= 9), sum(score <= 6)
              FROM nps_answers WHERE score IS NOT NULL GROUP BY day)
        SELECT ?1 AS site, c.day AS day, c.device AS device, visitors, sessions, pageviews, friction,
          coalesce(a.nps, 0) AS nps, coalesce(a.promoters, 0) AS promoters, coalesce(a.detractors, 0) AS detractors
        FROM counts c LEFT JOIN answers a ON a.day = c.day AND a.device = c.device`
    },
  },
  roll_funnel_days: {
    grain: 'distinct visitors who reached a funnel step on a day and device (and every device together, -1)',
    columns: ['site', 'day', 'device', 'funnel', 'step', 'visitors'],
    filledBy: 'rollDay',
    answers: BY_DEVICE,
    recount: (from, to) =>
      `WITH reached AS (SELECT ${DAY} AS day, name AS funnel, json_extract(props, '$.step') AS step, session,
            ${DEVICE} AS device, min(visitor) AS visitor
          FROM events WHERE ${inRange(from, to)} AND type = 'step' AND name IS NOT NULL AND ${HUMAN}
          GROUP BY day, funnel, step, session, device)
        SELECT ?1 AS site, day, device, funnel, step, count(DISTINCT visitor) AS visitors FROM reached
        GROUP BY day, device, funnel, step
        UNION ALL SELECT ?1, day, ${ALL_DEVICES}, funnel, step, count(DISTINCT visitor) FROM reached
        GROUP BY day, funnel, step`,
  },
  roll_paths: {
    grain: 'pageviews of a raw path on a day and device (top paths, which the path rules then name)',
    columns: ['site', 'day', 'path', 'device', 'pageviews'],
    filledBy: 'rollDay',
    answers: BY_DEVICE,
    recount: (from, to) =>
      `SELECT ?1 AS site, ${DAY} AS day, ${pathSql('url')} AS path, ${DEVICE} AS device, count(*) AS pageviews
        FROM events WHERE ${inRange(from, to)} AND type = 'pageview' AND ${HUMAN} GROUP BY day, path, device`,
  },
  roll_page_days: {
    grain: "pageviews of a page as the site's rules name it, by a visitor on a day and device (no session)",
    columns: ['site', 'day', 'page', 'device', 'visitor', 'pageviews'],
    filledBy: 'nameDay',
    answers: BY_DEVICE,
    recount: (from, to) =>
      `SELECT site, day, page, device, visitor, sum(pageviews) AS pageviews FROM (
          SELECT p.site AS site, p.day AS day, ${renamedSql('p.path')} AS page, p.device AS device,
            p.visitor AS visitor, p.pageviews AS pageviews
          FROM (${pagesRecount(from, to)}) p)
        GROUP BY day, page, device, visitor`,
  },
  roll_entries: {
    grain:
      "the first pageview of a session on a day and device, its page named by the site's rules; `lead` = 1 on " +
      'the first of all its rows (by time, then day, then device)',
    columns: [
      'site',
      'day',
      'session',
      'device',
      'visitor',
      'entry_ts',
      'page',
      'source',
      'utm_source',
      'utm_medium',
      'utm_campaign',
      'lead',
    ],
    filledBy: 'nameDay',
    // The referrer: a session's source in a window is that of its first row there (its lead row
    // unless it began before the window).
    answers: ['everyone', 'device', 'referrer'],
    // `lead` is counted among the rows of the range: recount the whole history to compare.
    recount: (from, to) =>
      `SELECT ?1 AS site, e.day AS day, e.session AS session, e.device AS device, e.visitor AS visitor,
          e.entry_ts AS entry_ts, ${renamedSql('e.entry')} AS page, e.source AS source, e.utm_source AS utm_source,
          e.utm_medium AS utm_medium, e.utm_campaign AS utm_campaign,
          row_number() OVER (PARTITION BY e.session ORDER BY e.entry_ts, e.day, e.device) = 1 AS lead
        FROM (${entriesRecount(from, to)}) e`,
  },
} as const satisfies Record<string, RollupTable>

export type TableName = keyof typeof ROLLUP_TABLES

/** The tables of roll_ that hold no counts: what is rolled up, and how. */
export const ROLLUP_BOOKKEEPING = {
  roll_days: 'the days rolled up, when, and under which path rules they were named (`paths`)',
  roll_marks: 'how far late arrivals (by received_at) have been looked for',
  roll_names: 'the pages the path rules give the raw paths of named days, per rules',
} as const

export const tableNames = () => Object.keys(ROLLUP_TABLES) as TableName[]
