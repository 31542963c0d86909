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
