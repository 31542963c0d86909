/**
 * @module store/timeline: one visitor as the team drills into them: their newest events (by
 * session), every survey answer, the friction they met, and where they came from.
 */
import { eventRow, type StoredEvent } from './visitors'
import { FRICTION, sourceSql } from './filters'

/**
 * Events of one visitor read for the timeline (the newest). Every statement here seeks by
 * visitor (INDEXED BY: without statistics SQLite would pick a site-wide index by type or time).
 */
export const TIMELINE_EVENTS = 500

export async function visitorTimeline(db: D1Database, site: string, visitor: string) {
  const [events, answers, friction, first, total] = await db.batch<any>([
    db
      .prepare(
        `SELECT id, visitor, session, type, name, url, ts, client_ts, received_at, props, flags FROM events INDEXED BY events_by_visitor
         WHERE site = ? AND visitor = ? ORDER BY ts DESC, id LIMIT ${TIMELINE_EVENTS}`,
      )
      .bind(site, visitor),
    db
      .prepare(
        `SELECT name AS survey, type, json_extract(props, '$.kind') AS kind, json_extract(props, '$.score') AS score,
                json_extract(props, '$.text') AS text, url, ts
         FROM events INDEXED BY events_by_visitor WHERE site = ? AND visitor = ? AND type IN ('survey_answer', 'survey_comment')
         ORDER BY ts DESC LIMIT 100`,
      )
      .bind(site, visitor),
    db
      .prepare(
        `SELECT type, count(*) AS events, max(ts) AS last FROM events INDEXED BY events_by_visitor
         WHERE site = ? AND visitor = ? AND type IN (${[...FRICTION, 'form_submit'].map((t) => `'${t}'`).join(', ')})
         GROUP BY type ORDER BY events DESC`,
      )
      .bind(site, visitor),
    db
      .prepare(
        `SELECT ${sourceSql()} AS source, url, flags FROM events INDEXED BY events_by_visitor
         WHERE site = ? AND visitor = ? AND type = 'pageview' ORDER BY ts LIMIT 1`,
      )
      .bind(site, visitor),
    db
      .prepare('SELECT count(*) AS n FROM events INDEXED BY events_by_visitor WHERE site = ? AND visitor = ?')
      .bind(site, visitor),
  ])
  return {
    events: (events!.results as Record<string, any>[]).map(eventRow) as StoredEvent[],
    answers: answers!.results as {
      survey: string
      type: string
      kind: string | null
      score: number | null
      text: string | null
      url: string
      ts: number
    }[],
    friction: netFriction(friction!.results as { type: string; events: number; last: number }[]),
    first: (first!.results[0] ?? null) as { source: string; url: string; flags: number } | null,
    total: (total!.results[0]?.n as number) ?? 0,
  }
}

/** A form submitted after all takes back its abandonment (see `frictionSum` in store/filters.ts). */
function netFriction(rows: { type: string; events: number; last: number }[]) {
  const submits = rows.find((r) => r.type === 'form_submit')?.events ?? 0
  return rows
    .map((r) => (r.type === 'form_abandon' ? { ...r, events: r.events - submits } : r))
    .filter((r) => r.type !== 'form_submit' && r.events > 0)
}
