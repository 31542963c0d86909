/**
 * @module store/visitors: visitors as the team reads them (rows written by the ingest
 * consumer from each visitor's profile), the raw events of one visitor or site, and erasure.
 */
import type { InterestState } from '../domain/interests'
import type { Profile } from '../domain/profile'
import { json } from './json'
import { FLAG } from '../domain/flags'
import type { Clause } from './filters'

export interface StoredEvent {
  id: string
  visitor: string
  session: string
  type: string
  name: string | null
  url: string
  ts: number
  clientTs: number
  receivedAt: number
  props: Record<string, unknown> | null
  flags: number
}

export interface EventQuery {
  type?: string
  visitor?: string
  limit: number
}

/** The WHERE clause of an event query: the site, and the type and visitor when given. */
function eventFilter(site: string, q: Omit<EventQuery, 'limit'>) {
  const where = ['site = ?']
  const args: unknown[] = [site]
  if (q.type) (where.push('type = ?'), args.push(q.type))
  if (q.visitor) (where.push('visitor = ?'), args.push(q.visitor))
  return { sql: where.join(' AND '), args }
}

export async function listEvents(db: D1Database, site: string, q: EventQuery): Promise<StoredEvent[]> {
  const f = eventFilter(site, q)
  const { results } = await db
    .prepare(
      `SELECT id, visitor, session, type, name, url, ts, client_ts, received_at, props, flags
       FROM events WHERE ${f.sql} ORDER BY ts DESC, id LIMIT ?`,
    )
    .bind(...f.args, q.limit)
    .all<Record<string, any>>()
  return results.map(eventRow)
}

/** An events row as the API and the exports name its fields. */
export const eventRow = (r: Record<string, any>): StoredEvent => ({
  id: r.id,
  visitor: r.visitor,
  session: r.session,
  type: r.type,
  name: r.name,
  url: r.url,
  ts: r.ts,
  clientTs: r.client_ts,
  receivedAt: r.received_at,
  props: json(r.props),
  flags: r.flags,
})

/** How many events match the same filter as listEvents (without its limit). */
export async function countEvents(db: D1Database, site: string, q: Omit<EventQuery, 'limit'> = {}): Promise<number> {
  const f = eventFilter(site, q)
  const row = await db
    .prepare(`SELECT count(*) AS n FROM events WHERE ${f.sql}`)
    .bind(...f.args)
    .first<{ n: number }>()
  return row?.n ?? 0
}

export interface VisitorRow {
  id: string
  userId: string | null
  traits: Record<string, unknown> | null
  interests: InterestState | null
  firstSeen: number
  lastSeen: number
  sessions: number
  profile: Profile | null
}

const visitorRow = (r: Record<string, any>): VisitorRow => {
  const interests = json<InterestState>(r.interests)
  return {
    id: r.id,
    userId: r.user_id,
    traits: json(r.traits),
    interests: interests && typeof interests.at === 'number' ? interests : null,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    sessions: r.sessions ?? 0,
    profile: json(r.profile),
  }
}

/**
 * Visitors in the period [from, to) (an event of a person in it, as every insight counts them:
 * store/insights/period.ts), the most recent first; or every visitor ever identified as `user`.
 */
export async function listVisitors(
  db: D1Database,
  site: string,
  q: { from: number; to: number; user?: string; limit: number; filter?: Clause },
): Promise<VisitorRow[]> {
  const f = q.filter ?? { sql: '', args: [] }
  const stmt = q.user
    ? db
        .prepare(
          `SELECT v.* FROM visitors v JOIN identities i ON i.site = v.site AND i.visitor = v.id
           WHERE i.site = ? AND i.user_id = ? ORDER BY v.last_seen DESC LIMIT ?`,
        )
        .bind(site, q.user, q.limit)
    : db
        .prepare(
          `SELECT * FROM visitors v WHERE site = ? AND last_seen >= ?
             -- By visitor: without statistics SQLite would rather scan the site's covering time index.
             AND EXISTS (SELECT 1 FROM events e INDEXED BY events_by_visitor
                         WHERE e.site = v.site AND e.visitor = v.id AND e.ts >= ? AND e.ts < ?
                           AND (e.flags & ${FLAG.bot}) = 0${f.sql})
           ORDER BY last_seen DESC LIMIT ?`,
        )
        .bind(site, q.from, q.from, q.to, ...f.args, q.limit)
  const { results } = await stmt.all<Record<string, any>>()
  return results.map(visitorRow)
}

/** The rows of these visitors (those the consumer has written), in no particular order. */
export async function visitorsByIds(db: D1Database, site: string, ids: string[]): Promise<VisitorRow[]> {
  if (!ids.length) return []
  const { results } = await db
    .prepare('SELECT * FROM visitors WHERE site = ? AND id IN (SELECT value FROM json_each(?))')
    .bind(site, JSON.stringify(ids))
    .all<Record<string, any>>()
  return results.map(visitorRow)
}

export async function getVisitor(db: D1Database, site: string, id: string): Promise<VisitorRow | null> {
  const r = await db.prepare('SELECT * FROM visitors WHERE site = ? AND id = ?').bind(site, id).first()
  return r ? visitorRow(r) : null
}
