/**
 * @module store/timeline: one visitor as the team drills into them: their newest events (by
 * session), every survey answer, the friction they met, and where they came from.
 */
import { eventRow, type StoredEvent } from './visitors'
import { FRICTION, sourceSql } from './filters'
import { batch, query } from './batch'

/**
 * Events of one visitor read for the timeline (the newest). Every statement here seeks by
 * visitor (INDEXED BY: without statistics SQLite would pick a site-wide index by type or time).
 */
export const TIMELINE_EVENTS = 500

export interface TimelineAnswer {
  survey: string
  type: string
  kind: string | null
  score: number | null
  text: string | null
  url: string
  ts: number
}
interface FrictionRow {
  type: string
  events: number
  last: number
}
/** Where the visitor's first pageview came from. */
export interface FirstVisit {
  source: string
  url: string
  flags: number
}

export async function visitorTimeline(db: D1Database, site: string, visitor: string) {
  const byVisitor = <Row>(sql: string) => query<Row>(db, sql, site, visitor)
  const [events, answers, friction, [first], [total]] = await batch(db, [
    byVisitor<Record<string, unknown>>(
      `SELECT id, visitor, session, type, name, url, ts, client_ts, received_at, props, flags FROM events INDEXED BY events_by_visitor
        WHERE site = ? AND visitor = ? ORDER BY ts DESC, id LIMIT ${TIMELINE_EVENTS}`,
    ),
    byVisitor<TimelineAnswer>(
      `SELECT name AS survey, type, json_extract(props, '$.kind') AS kind, json_extract(props, '$.score') AS score,
               json_extract(props, '$.text') AS text, url, ts
        FROM events INDEXED BY events_by_visitor WHERE site = ? AND visitor = ? AND type IN ('survey_answer', 'survey_comment')
        ORDER BY ts DESC LIMIT 100`,
    ),
    byVisitor<FrictionRow>(
      `SELECT type, count(*) AS events, max(ts) AS last FROM events INDEXED BY events_by_visitor
        WHERE site = ? AND visitor = ? AND type IN (${[...FRICTION, 'form_submit'].map((t) => `'${t}'`).join(', ')})
        GROUP BY type ORDER BY events DESC`,
    ),
    byVisitor<FirstVisit>(
      `SELECT ${sourceSql()} AS source, url, flags FROM events INDEXED BY events_by_visitor
        WHERE site = ? AND visitor = ? AND type = 'pageview' ORDER BY ts LIMIT 1`,
    ),
    byVisitor<{ n: number }>(
      'SELECT count(*) AS n FROM events INDEXED BY events_by_visitor WHERE site = ? AND visitor = ?',
    ),
  ])
  return {
    events: events.map(eventRow) as StoredEvent[],
    answers,
    friction: netFriction(friction),
    first: first ?? null,
    total: total?.n ?? 0,
  }
}

/** A form submitted after all takes back its abandonment (see `frictionSum` in store/filters.ts). */
function netFriction(rows: FrictionRow[]) {
  const submits = rows.find((r) => r.type === 'form_submit')?.events ?? 0
  return rows
    .map((r) => (r.type === 'form_abandon' ? { ...r, events: r.events - submits } : r))
    .filter((r) => r.type !== 'form_submit' && r.events > 0)
}

/** Events shown before a visitor's click on a hotspot: what they were doing just before. */
const MOMENTS_BEFORE = 5

/**
 * For each visitor, their latest event matching `hotspot` (a clause on alias `e`, from
 * store/insights/friction.ts) in [from, to) and the MOMENTS_BEFORE events before it, oldest
 * first: the moments before the click. One round trip for all of them.
 */
export async function momentsBefore(
  db: D1Database,
  site: string,
  visitors: string[],
  from: number,
  to: number,
  hotspot: { sql: string; args: unknown[] },
): Promise<Map<string, StoredEvent[]>> {
  if (!visitors.length) return new Map()
  const rows = await batch(
    db,
    visitors.map((v) =>
      query<Record<string, unknown>>(
        db,
        `WITH hit AS (SELECT ts, id FROM events e INDEXED BY events_by_visitor
                      WHERE e.site = ? AND e.visitor = ? AND e.ts >= ? AND e.ts < ?${hotspot.sql}
                      ORDER BY e.ts DESC, e.id DESC LIMIT 1)
         SELECT id, visitor, session, type, name, url, ts, client_ts, received_at, props, flags
         FROM events INDEXED BY events_by_visitor
         WHERE site = ? AND visitor = ? AND ts <= (SELECT ts FROM hit) AND ts >= (SELECT ts FROM hit) - 600000
         ORDER BY ts DESC, id DESC LIMIT ${MOMENTS_BEFORE + 1}`,
        site,
        v,
        from,
        to,
        ...hotspot.args,
        site,
        v,
      ),
    ),
  )
  return new Map(visitors.map((v, i) => [v, rows[i]!.map(eventRow).reverse()]))
}
