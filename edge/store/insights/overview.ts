/**
 * @module store/insights/overview: the overview's headline numbers, events by type, bot events,
 * reported loss and when the site last sent. Without a segment (or by device) people come from
 * the session rows read in visitor order (insights/people.ts) and pageviews and events from the
 * day totals; under a segment, from the session rows that match it. New and returning visitors:
 * the new visitors' rows (few, by the visitor index) and, for returning, everyone's counts less
 * theirs.
 */
import { DAY_MS, type Spans } from '../../domain/spans'
import { shapeOf } from '../../domain/filter-shape'
import type { Filter } from '../../domain/filters'
import { batch, query } from '../batch'
import { plan, type RollWindow } from '../planner'
import { int, ROLLUP_TABLES, sessionKeysRecount } from '../rollup-tables'
import { peopleSql } from './people'
import { deviceIs, deviceOf, rowsOf, whereOf, withRows } from './rows'

export interface Overview {
  visitors: number
  sessions: number
  pageviews: number
  botEvents: number
  events: Record<string, number>
  lost: { evicted: number; dropped: number; rejected: number }
  /** When the worker last received a batch for this site (any time), or null: never. */
  lastReceived: number | null
  /** The last UTC day rolled up (insights read later days from raw events), or null: none yet. */
  rolledUpTo: string | null
}

interface CountsRow {
  visitors: number | null
  sessions: number | null
  pageviews: number | null
}
interface TypeRow {
  type: string
  n: number
}
interface SumRow {
  n: number | null
}
interface LossRow {
  evicted: number | null
  dropped: number | null
  rejected: number | null
}
/** A count of the new visitors' rows: `k` is visitors, sessions, only, pageviews or type:<type>. */
interface NewCountRow {
  k: string
  n: number | null
}

export async function overview(db: D1Database, site: string, w: RollWindow): Promise<Overview> {
  const p = await plan(db, site, w)
  const s = p.spans
  const f = w.filter
  // New or returning: the device's counts, less (or only) the new visitors' rows.
  const byVisitor = p.shape === 'visitor'
  const counted = byVisitor ? shapeOf({ device: f.device }) : p.shape
  const where = whereOf(p, 'x')
  const dev = f.device === undefined ? undefined : deviceOf(f)
  const totals =
    p.source('dayTotals', counted) === 'roll_totals'
      ? query<CountsRow>(
          db,
          `WITH people AS (${peopleSql(s, s.days[0], dev, p.walk)}
              UNION ALL SELECT 'pageviews', sum(pageviews), 0 FROM (${rowsOf('roll_totals', s)}) WHERE device = ${deviceOf(f)})
            SELECT sum(CASE people WHEN 'visitor' THEN cur END) AS visitors,
              sum(CASE people WHEN 'session' THEN cur END) AS sessions,
              sum(CASE people WHEN 'pageviews' THEN cur END) AS pageviews FROM people`,
          site,
        )
      : query<CountsRow>(
          db,
          `${withRows(p, { sessions: true })} SELECT count(DISTINCT visitor) AS visitors,
            count(DISTINCT session) AS sessions, sum(pageviews) AS pageviews FROM sessions x WHERE 1${where.sql}`,
          site,
          ...where.args,
        )
  const types =
    p.source('eventTypes', counted) === 'roll_types'
      ? query<TypeRow>(
          db,
          `${withRows(p, { types: true, sessions: false })} SELECT type, sum(events) AS n FROM types x
            WHERE bot = 0${deviceIs(f, 'x')} GROUP BY type ORDER BY n DESC`,
          site,
        )
      : // Under a segment, from each session's events by type.
        query<TypeRow>(
          db,
          `${withRows(p, { sessions: 'all' })} SELECT j.key AS type, sum(j.value) AS n
            FROM sessions x, json_each(x.types) j WHERE 1${where.sql} GROUP BY type ORDER BY n DESC`,
          site,
          ...where.args,
        )
  const [[t0], typeRows, [bots], [loss], [last], news] = await batch(db, [
    totals,
    types,
    // Bot events: the device filter applies; a segment (referrer, new/returning) is people's.
    query<SumRow>(
      db,
      `${withRows(p, { types: true, sessions: false })} SELECT sum(events) AS n FROM types x
        WHERE bot = 1${deviceIs(f, 'x')}`,
      site,
    ),
    query<LossRow>(
      db,
      `SELECT sum(evicted) AS evicted, sum(dropped) AS dropped, sum(rejected) AS rejected
        FROM ingest_loss WHERE site = ? AND day >= ?`,
      site,
      new Date(w.from).toISOString().slice(0, 10),
    ),
    query<{ at: number | null }>(db, 'SELECT max(last_seen) AS at FROM visitors WHERE site = ?', site),
    // (Nothing to read unless new or returning visitors are asked for.)
    byVisitor ? query<NewCountRow>(db, newVisitorsSql(s, w.from, f), site) : query<NewCountRow>(db, 'SELECT 1 WHERE 0'),
  ])
  let t = { visitors: t0?.visitors ?? 0, sessions: t0?.sessions ?? 0, pageviews: t0?.pageviews ?? 0 }
  let events = typeRows.map((r): [string, number] => [r.type, r.n])
  if (byVisitor) {
    const n = new Map(news.map((r) => [r.k, r.n ?? 0]))
    const of = (k: string) => n.get(k) ?? 0
    const theirs = [...n].filter(([k]) => k.startsWith('type:')).map(([k, v]): [string, number] => [k.slice(5), v])
    if (f.visitor === 'new') {
      t = { visitors: of('visitors'), sessions: of('sessions'), pageviews: of('pageviews') }
      events = theirs
    } else {
      t = {
        visitors: t.visitors - of('visitors'),
        sessions: t.sessions - of('only'),
        pageviews: t.pageviews - of('pageviews'),
      }
      const less = new Map(theirs)
      events = events.map(([k, v]): [string, number] => [k, v - (less.get(k) ?? 0)]).filter(([, v]) => v > 0)
    }
    events.sort((a, b) => b[1] - a[1])
  }
  const end = p.rolled.end
  return {
    ...t,
    botEvents: bots?.n ?? 0,
    events: Object.fromEntries(events),
    lost: { evicted: loss?.evicted ?? 0, dropped: loss?.dropped ?? 0, rejected: loss?.rejected ?? 0 },
    lastReceived: last?.at ?? null,
    rolledUpTo: end ? new Date((end - 1) * DAY_MS).toISOString().slice(0, 10) : null,
  }
}

/**
 * The counts of the window's new visitors (first seen in it, one session), as rows (k, n):
 * visitors, sessions, sessions only theirs ('only': no row in the window of anyone else),
 * pageviews and 'type:<type>' events. Their rows are read by the visitor index.
 */
function newVisitorsSql(s: Spans, from: number, f: Filter) {
  const [d0, d1] = s.days
  const theirs = [
    `SELECT visitor, session, pageviews, types FROM roll_sessions x INDEXED BY roll_sessions_by_visitor
     WHERE x.site = ?1 AND x.visitor IN (SELECT id FROM new_visitors) AND x.day >= ${d0} AND x.day < ${d1}${deviceIs(f, 'x')}`,
    ...s.raw.map(
      ([a, b]) =>
        `SELECT visitor, session, pageviews, types FROM (${ROLLUP_TABLES.roll_sessions.recount(a, b)}) x
         WHERE x.visitor IN (SELECT id FROM new_visitors)${deviceIs(f, 'x')}`,
    ),
  ].join(' UNION ALL ')
  // Sessions with a raw row of someone else are not only theirs.
  const othersRaw = s.raw.map(
    ([a, b]) =>
      ` AND NOT EXISTS (SELECT 1 FROM (${sessionKeysRecount(a, b)}) r WHERE r.session = o.session
        AND r.visitor NOT IN (SELECT id FROM new_visitors)${deviceIs(f, 'r')})`,
  )
  return `WITH new_visitors AS MATERIALIZED (SELECT id FROM visitors WHERE site = ?1 AND first_seen >= ${int(Math.trunc(from))}
        AND sessions <= 1),
      their_rows AS MATERIALIZED (${theirs})
    SELECT 'visitors' AS k, count(DISTINCT visitor) AS n FROM their_rows
    UNION ALL SELECT 'sessions', count(DISTINCT session) FROM their_rows
    UNION ALL SELECT 'only', count(*) FROM (SELECT DISTINCT session FROM their_rows) o
      WHERE NOT EXISTS (SELECT 1 FROM roll_sessions y INDEXED BY roll_sessions_by_session WHERE y.site = ?1
        AND y.session = o.session AND y.day >= ${d0} AND y.day < ${d1}${deviceIs(f, 'y')}
        AND y.visitor NOT IN (SELECT id FROM new_visitors))
        ${othersRaw.join('')}
    UNION ALL SELECT 'pageviews', sum(pageviews) FROM their_rows
    UNION ALL SELECT 'type:' || j.key, sum(j.value) FROM their_rows, json_each(their_rows.types) j GROUP BY j.key`
}
