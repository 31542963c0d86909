/**
 * @module store/insights/retention: weekly cohorts by first visit and who of them was active in
 * each later week (domain/retention.ts). From roll_sessions over the planner's spans (stored rows
 * of rolled-up days, recounted raw events for the rest), so it counts days past raw retention and
 * late batches once the job has recounted their days (until then, from raw events, by the
 * events' own time). A visitor's first visit is their first day with a person's event of all the
 * site's history: rows of the window, and none before it (roll_sessions by visitor, raw events
 * of days not rolled up). The filter picks the visitors as every insight does: those with a row
 * matching it in the window (store/insights/period.ts); their activity is any of their events,
 * or the chosen one.
 */
import type { EventSpec } from '../../domain/breakdown'
import type { CohortRow } from '../../domain/retention'
import { DAY_MS } from '../../domain/spans'
import { FLAG } from '../../domain/flags'
import { plan, type RollWindow } from '../planner'
import { int, sessionKeysRecount } from '../rollup-tables'
import { whereOf, withRows } from './rows'
import { pagedVisitors, type VisitorsPage } from './paged-visitors'

/**
 * `WITH … cohort, act`: each new visitor's cohort (`cohort`: visitor, c, the week from the
 * window's first day) and the days each visitor was active (`act`: day, visitor), with the
 * arguments and the window's first day.
 */
async function cohortCtes(db: D1Database, site: string, w: RollWindow, event: EventSpec | undefined) {
  const p = await plan(db, site, w)
  const [d0, d1] = p.spans.days
  const first = Math.floor(w.from / DAY_MS)
  const stored = d1 > d0 ? `site = ?1 AND day >= ${int(d0)} AND day < ${int(d1)}` : ''
  const args: unknown[] = [site]
  const keyParts = p.spans.raw.map(([a, b]) => sessionKeysRecount(a, b))
  if (stored) keyParts.unshift(`SELECT day, session, device, visitor FROM roll_sessions WHERE ${stored}`)
  const where = whereOf(p, 'x')
  args.push(...where.args)
  // Raw events the rollups do not hold, before the window: a visitor with one is not new in it.
  const before: [number, number][] = []
  if (p.rolled.end > p.rolled.first) {
    before.push([0, p.rolled.first * DAY_MS])
    if (p.rolled.end * DAY_MS < w.from) before.push([p.rolled.end * DAY_MS, w.from])
  } else before.push([0, w.from])
  const seenBefore = [
    `EXISTS (SELECT 1 FROM roll_sessions y INDEXED BY roll_sessions_by_visitor
      WHERE y.site = ?1 AND y.visitor = f.visitor AND y.day < ${int(first)})`,
    ...before.map(
      ([
        a,
        b,
      ]) => `EXISTS (SELECT 1 FROM events e INDEXED BY events_by_visitor WHERE e.site = ?1 AND e.visitor = f.visitor
        AND e.ts >= ${int(a)} AND e.ts < ${int(b)} AND (e.flags & ${FLAG.bot}) = 0)`,
    ),
  ].join(' OR ')
  // Activity: the chosen event's days per visitor, or any event's.
  let act = `SELECT DISTINCT day, visitor FROM keys`
  if (event) {
    const parts: string[] = []
    args.push(event.name ?? event.type)
    const n = `?${args.length}`
    if (event.name !== undefined && stored)
      parts.push(`SELECT day, visitor FROM roll_tracks WHERE ${stored} AND name = ${n}`)
    else if (stored)
      parts.push(`SELECT day, visitor FROM roll_sessions WHERE ${stored} AND json_extract(types, '$.' || ${n}) > 0`)
    const what = event.name !== undefined ? `type = 'track' AND name = ${n}` : `type = ${n}`
    for (const [a, b] of p.spans.raw)
      parts.push(`SELECT ts / ${DAY_MS} AS day, visitor FROM events WHERE site = ?1 AND ts >= ${int(a)} AND ts < ${int(b)}
        AND (flags & ${FLAG.bot}) = 0 AND ${what}`)
    act = `SELECT DISTINCT day, visitor FROM (${parts.join(' UNION ALL ')})`
  }
  const withs = w.filter.referrer ? `${withRows(p, { sessions: true })}, ` : 'WITH '
  const sql = `${withs}keys AS MATERIALIZED (${keyParts.join(' UNION ALL ')}),
    people AS MATERIALIZED (SELECT DISTINCT visitor FROM keys x WHERE 1${where.sql}),
    firsts AS MATERIALIZED (SELECT k.visitor AS visitor, min(k.day) AS day FROM keys k
      WHERE k.visitor IN (SELECT visitor FROM people) GROUP BY k.visitor),
    cohort AS MATERIALIZED (SELECT f.visitor AS visitor, (f.day - ${int(first)}) / 7 AS c FROM firsts f
      WHERE NOT (${seenBefore})),
    act AS MATERIALIZED (${act})`
  return { sql, args, first }
}

export async function retentionCounts(
  db: D1Database,
  site: string,
  w: RollWindow,
  event: EventSpec | undefined,
): Promise<CohortRow[]> {
  const { sql: ctes, args, first } = await cohortCtes(db, site, w, event)
  const sql = `${ctes}
    SELECT c, -1 AS k, count(*) AS n FROM cohort GROUP BY c
    UNION ALL SELECT h.c AS c, (a.day - ${int(first)}) / 7 - h.c AS k, count(DISTINCT a.visitor) AS n
      FROM cohort h JOIN act a ON a.visitor = h.visitor GROUP BY 1, 2
    LIMIT 10000`
  const { results } = await db
    .prepare(sql)
    .bind(...args)
    .all<CohortRow>()
  return results
}

/**
 * The visitors behind a cell of the triangle: cohort `c`'s visitors (its size), or (`week` k)
 * those of them active in its week k, as retentionCounts counts them. A page at a time, the most
 * recently seen first.
 */
export async function cohortVisitors(
  db: D1Database,
  site: string,
  w: RollWindow,
  event: EventSpec | undefined,
  c: number,
  week: number | undefined,
  page: { limit: number; offset: number },
): Promise<VisitorsPage> {
  const { sql, args, first } = await cohortCtes(db, site, w, event)
  const counted =
    week === undefined
      ? `${sql}, counted AS (SELECT visitor FROM cohort WHERE c = ${int(c)})`
      : `${sql}, counted AS (SELECT DISTINCT h.visitor AS visitor FROM cohort h JOIN act a ON a.visitor = h.visitor
          WHERE h.c = ${int(c)} AND (a.day - ${int(first)}) / 7 - h.c = ${int(week)})`
  return pagedVisitors(db, counted, args, page)
}
