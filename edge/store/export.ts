/**
 * @module store/export: a site's events by event time, a page at a time, in (ts, id) order
 * (the insights index gives ts order; SQLite sorts only events of the same millisecond by id).
 */
import { eventRow, type StoredEvent } from './visitors'

export interface ExportCursor {
  ts: number
  id: string
}

/** The next `limit` events with from ≤ ts < to after the cursor (null: from the start). */
export async function eventsPage(
  db: D1Database,
  site: string,
  from: number,
  to: number,
  after: ExportCursor | null,
  limit: number,
): Promise<StoredEvent[]> {
  const { results } = await db
    .prepare(
      `SELECT id, visitor, session, type, name, url, ts, client_ts, received_at, props, flags FROM events
       WHERE site = ?1 AND ts >= ?2 AND ts < ?3 AND (ts > ?4 OR (ts = ?4 AND id > ?5))
       ORDER BY ts, id LIMIT ?6`,
    )
    .bind(site, after ? Math.max(from, after.ts) : from, to, after?.ts ?? from - 1, after?.id ?? '', limit)
    .all<Record<string, any>>()
  return results.map(eventRow)
}
