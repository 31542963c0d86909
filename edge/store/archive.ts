/**
 * @module store/archive: what ages raw events out without losing what they said: the R2
 * export of each received day (NDJSON, gzip), and retention. (The rollups that outlive raw
 * events: store/rollups.ts.)
 */
import { eventRow, type StoredEvent } from './visitors'

export const DAY_MS = 86_400_000
export const dayStart = (day: string) => Date.parse(`${day}T00:00:00Z`)

/** One line of an export: the event as stored, in the API's names, with its site. */
export type ExportLine = StoredEvent & { site: string }

export interface ExportProgress {
  day: string
  parts: number
  events: number
  afterAt: number
  afterId: string
  done: boolean
}

export async function exportProgress(db: D1Database, site: string, day: string): Promise<ExportProgress> {
  const r = await db.prepare('SELECT * FROM exports WHERE site = ? AND day = ?').bind(site, day).first<any>()
  return r
    ? { day, parts: r.parts, events: r.events, afterAt: r.after_at, afterId: r.after_id, done: !!r.done }
    : { day, parts: 0, events: 0, afterAt: 0, afterId: '', done: false }
}

export async function saveProgress(db: D1Database, site: string, p: ExportProgress, now: number): Promise<void> {
  await db
    .prepare(
      `INSERT INTO exports (site, day, parts, events, after_at, after_id, done, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (site, day) DO UPDATE SET parts = excluded.parts, events = excluded.events,
         after_at = excluded.after_at, after_id = excluded.after_id, done = excluded.done, at = excluded.at`,
    )
    .bind(site, p.day, p.parts, p.events, p.afterAt, p.afterId, p.done ? 1 : 0, now)
    .run()
}

/** The next page of a received day's events, in (received_at, id) order after the cursor. */
export async function exportPage(
  db: D1Database,
  site: string,
  p: ExportProgress,
  limit: number,
): Promise<ExportLine[]> {
  const from = dayStart(p.day)
  const { results } = await db
    .prepare(
      `SELECT * FROM events WHERE site = ?1 AND received_at >= ?2 AND received_at < ?3
         AND (received_at > ?4 OR (received_at = ?4 AND id > ?5))
       ORDER BY received_at, id LIMIT ?6`,
    )
    .bind(site, Math.max(from, p.afterAt), from + DAY_MS, p.afterAt, p.afterId, limit)
    .all<Record<string, any>>()
  return results.map((r) => ({ site: r.site, ...eventRow(r) }))
}

/**
 * The next `max` received days (UTC) after the last one done that hold raw events and come
 * before `before`, oldest first. Each step is one index seek, so empty stretches cost nothing.
 */
async function nextDays(
  db: D1Database,
  site: string,
  lastDone: string | null,
  before: string,
  max: number,
): Promise<string[]> {
  const days: string[] = []
  let from = lastDone ? dayStart(lastDone) + DAY_MS : 0
  while (days.length < max) {
    const r = await db
      .prepare('SELECT min(received_at) AS at FROM events WHERE site = ? AND received_at >= ?')
      .bind(site, from)
      .first<{ at: number | null }>()
    if (r?.at == null) break
    const day = new Date(r.at).toISOString().slice(0, 10)
    if (day >= before) break
    days.push(day)
    from = dayStart(day) + DAY_MS
  }
  return days
}

/** Received days with raw events not exported yet (the one in progress first), before `before`. */
export async function daysToExport(db: D1Database, site: string, before: string, max: number): Promise<string[]> {
  const last = await db
    .prepare('SELECT max(day) AS day FROM exports WHERE site = ? AND done = 1')
    .bind(site)
    .first<{ day: string | null }>()
  return nextDays(db, site, last?.day ?? null, before, max)
}

/** Deletes up to `limit` raw events received before `before`; answers how many it deleted. */
export async function deleteReceivedBefore(
  db: D1Database,
  site: string,
  before: number,
  limit: number,
): Promise<number> {
  const r = await db
    .prepare(
      `DELETE FROM events WHERE site = ?1 AND id IN
         (SELECT id FROM events WHERE site = ?1 AND received_at < ?2 LIMIT ?3)`,
    )
    .bind(site, before, limit)
    .run()
  return r.meta.changes ?? 0
}
