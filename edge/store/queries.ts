/**
 * @module queries: every SQL statement of the worker, in one place.
 * The schema lives in ./migrations; D1's batch() runs its statements as one transaction,
 * which is what makes "stored whole or not at all" true.
 */
import type { Batch, SiteConfig } from '../../snippet/core/wire'
import type { InterestState } from '../domain/interests'
import type { Identity } from '../domain/visitors'
import type { SurveyComment, SurveyCounts, SurveyScore } from '../domain/surveys'

export interface SiteRow {
  key: string
  name: string
  origins: string[]
  config: SiteConfig
  updatedAt: number
}

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

/** Bits of `events.flags`. */
export const FLAG = { bot: 1, future: 2 } as const

export async function getSite(db: D1Database, key: string): Promise<SiteRow | null> {
  const row = await db
    .prepare('SELECT key, name, origins, config, updated_at FROM sites WHERE key = ?')
    .bind(key)
    .first<{ key: string; name: string; origins: string; config: string; updated_at: number }>()
  if (!row) return null
  return {
    key: row.key,
    name: row.name,
    origins: JSON.parse(row.origins),
    config: JSON.parse(row.config),
    updatedAt: row.updated_at,
  }
}

export async function listSites(db: D1Database): Promise<{ key: string; name: string }[]> {
  const { results } = await db.prepare('SELECT key, name FROM sites ORDER BY key').all<{ key: string; name: string }>()
  return results
}

export async function putSite(db: D1Database, site: Omit<SiteRow, 'updatedAt'>, now: number): Promise<void> {
  await db
    .prepare(
      `INSERT INTO sites (key, name, origins, config, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET name = excluded.name, origins = excluded.origins,
         config = excluded.config, updated_at = excluded.updated_at`,
    )
    .bind(site.key, site.name, JSON.stringify(site.origins), JSON.stringify(site.config), now)
    .run()
}

export interface PreparedEvent {
  id: string
  type: string
  name?: string
  url: string
  ts: number
  clientTs: number
  props?: unknown
  flags: number
}

/**
 * Stores a batch's events once each, touches the visitor and records reported loss, all in
 * one transaction. Returns how many events were new.
 */
export async function insertBatch(
  db: D1Database,
  batch: Pick<Batch, 'site' | 'visitor' | 'session' | 'evicted' | 'dropped'>,
  events: PreparedEvent[],
  receivedAt: number,
): Promise<{ accepted: number; duplicates: number; fresh: Set<string> }> {
  const insert = db.prepare(
    `INSERT INTO events (site, id, visitor, session, type, name, url, ts, client_ts, received_at, props, flags)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (site, id) DO NOTHING`,
  )
  const stmts = events.map((e) =>
    insert.bind(
      batch.site,
      e.id,
      batch.visitor,
      batch.session,
      e.type,
      e.name ?? null,
      e.url,
      e.ts,
      e.clientTs,
      receivedAt,
      e.props === undefined ? null : JSON.stringify(e.props),
      e.flags,
    ),
  )
  const extra: D1PreparedStatement[] = [
    db
      .prepare(
        `INSERT INTO visitors (site, id, first_seen, last_seen) VALUES (?, ?, ?, ?)
         ON CONFLICT (site, id) DO UPDATE SET last_seen = max(last_seen, excluded.last_seen)`,
      )
      .bind(batch.site, batch.visitor, receivedAt, receivedAt),
  ]
  if (batch.evicted || batch.dropped) {
    extra.push(
      db
        .prepare(
          `INSERT INTO ingest_loss (site, day, evicted, dropped) VALUES (?, ?, ?, ?)
           ON CONFLICT (site, day) DO UPDATE SET evicted = evicted + excluded.evicted,
             dropped = dropped + excluded.dropped`,
        )
        .bind(batch.site, new Date(receivedAt).toISOString().slice(0, 10), batch.evicted ?? 0, batch.dropped ?? 0),
    )
  }
  const results = await db.batch([...stmts, ...extra])
  const fresh = new Set<string>()
  for (let i = 0; i < stmts.length; i++) if (results[i]!.meta.changes) fresh.add(events[i]!.id)
  return { accepted: fresh.size, duplicates: events.length - fresh.size, fresh }
}

/** Links a visitor to the user it was identified as (`ciel('identify', userId, traits)`). */
export async function saveIdentity(db: D1Database, site: string, visitor: string, who: Identity): Promise<void> {
  await db
    .prepare('UPDATE visitors SET user_id = ?, traits = ? WHERE site = ? AND id = ?')
    .bind(who.userId, who.traits ? JSON.stringify(who.traits) : null, site, visitor)
    .run()
}

/**
 * Stores a visitor's interests. Concurrent batches of one visitor may lose an increment:
 * scores are a heuristic, and the events themselves are never lost.
 */
export async function saveInterests(
  db: D1Database,
  site: string,
  visitor: string,
  state: InterestState,
): Promise<void> {
  await db
    .prepare('UPDATE visitors SET interests = ? WHERE site = ? AND id = ?')
    .bind(JSON.stringify(state), site, visitor)
    .run()
}

export async function getInterests(db: D1Database, site: string, visitor: string): Promise<InterestState | null> {
  const row = await db
    .prepare('SELECT interests FROM visitors WHERE site = ? AND id = ?')
    .bind(site, visitor)
    .first<{ interests: string }>()
  return interestState(row?.interests ?? null)
}

/** A JSON column's value; null when empty or unreadable. */
function json(text: string | null): any {
  try {
    return text ? JSON.parse(text) : null
  } catch {
    return null
  }
}

/** The interests column, or null when it holds no scored state yet. */
function interestState(text: string | null): InterestState | null {
  const parsed = json(text)
  return parsed && typeof parsed.at === 'number' ? parsed : null
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
  return results.map((r) => ({
    id: r.id,
    visitor: r.visitor,
    session: r.session,
    type: r.type,
    name: r.name,
    url: r.url,
    ts: r.ts,
    clientTs: r.client_ts,
    receivedAt: r.received_at,
    props: r.props ? JSON.parse(r.props) : null,
    flags: r.flags,
  }))
}

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
}

const visitorRow = (r: Record<string, any>): VisitorRow => ({
  id: r.id,
  userId: r.user_id,
  traits: json(r.traits),
  interests: interestState(r.interests),
  firstSeen: r.first_seen,
  lastSeen: r.last_seen,
})

/** Visitors seen since `from`, the most recent first; or every visitor identified as `user`. */
export async function listVisitors(
  db: D1Database,
  site: string,
  q: { from: number; user?: string; limit: number },
): Promise<VisitorRow[]> {
  const stmt = q.user
    ? db
        .prepare(`SELECT * FROM visitors WHERE site = ? AND user_id = ? ORDER BY last_seen DESC LIMIT ?`)
        .bind(site, q.user, q.limit)
    : db
        .prepare(`SELECT * FROM visitors WHERE site = ? AND last_seen >= ? ORDER BY last_seen DESC LIMIT ?`)
        .bind(site, q.from, q.limit)
  const { results } = await stmt.all<Record<string, any>>()
  return results.map(visitorRow)
}

export async function getVisitor(db: D1Database, site: string, id: string): Promise<VisitorRow | null> {
  const r = await db.prepare('SELECT * FROM visitors WHERE site = ? AND id = ?').bind(site, id).first()
  return r ? visitorRow(r) : null
}

/** Erases everything stored about these visitors of one site, in one transaction; returns the events removed. */
export async function deleteVisitors(db: D1Database, site: string, visitors: string[]): Promise<number> {
  if (!visitors.length) return 0
  const results = await db.batch(
    visitors.flatMap((v) => [
      db.prepare('DELETE FROM events WHERE site = ? AND visitor = ?').bind(site, v),
      db.prepare('DELETE FROM visitors WHERE site = ? AND id = ?').bind(site, v),
    ]),
  )
  return results.filter((_, i) => i % 2 === 0).reduce((n, r) => n + (r.meta.changes ?? 0), 0)
}

/** Bot-flagged events stay out of every insight. */
const HUMAN = `(flags & ${FLAG.bot}) = 0`

/** Visitors who reached each step of a funnel, and the stalls per step, since `from`. */
export async function funnelCounts(db: D1Database, site: string, funnel: string, from: number) {
  const [reached, stalls] = await db.batch<{ step: string; n: number }>([
    db
      .prepare(
        `SELECT json_extract(props, '$.step') AS step, count(DISTINCT visitor) AS n FROM events
         WHERE site = ? AND type = 'step' AND name = ? AND ts >= ? AND ${HUMAN} GROUP BY step`,
      )
      .bind(site, funnel, from),
    db
      .prepare(
        `SELECT json_extract(props, '$.step') AS step, count(DISTINCT visitor) AS n FROM events
         WHERE site = ? AND type = 'stall' AND name = ? AND ts >= ? AND ${HUMAN} GROUP BY step`,
      )
      .bind(site, funnel, from),
  ])
  const stalled = new Map(stalls!.results.map((r) => [r.step, r.n]))
  const steps = new Set([...reached!.results.map((r) => r.step), ...stalled.keys()])
  return [...steps].map((step) => ({
    step,
    visitors: reached!.results.find((r) => r.step === step)?.n ?? 0,
    stalls: stalled.get(step) ?? 0,
  }))
}

export interface Hotspot {
  type: string
  page: string
  path: string | null
  text: string | null
  events: number
  visitors: number
}

/** Where visitors rage-click, dead-click and hit errors on click: the worst spots first. */
export async function frictionHotspots(db: D1Database, site: string, from: number, limit = 50): Promise<Hotspot[]> {
  const { results } = await db
    .prepare(
      `SELECT type, url AS page, json_extract(props, '$.path') AS path, json_extract(props, '$.text') AS text,
              count(*) AS events, count(DISTINCT visitor) AS visitors
       FROM events WHERE site = ? AND type IN ('rage_click', 'dead_click', 'error_click') AND ts >= ? AND ${HUMAN}
       GROUP BY type, page, path ORDER BY visitors DESC, events DESC LIMIT ?`,
    )
    .bind(site, from, limit)
    .all<Hotspot>()
  return results
}

/** Forms left unsubmitted, by form and the field visitors stopped at. */
export async function abandonedForms(db: D1Database, site: string, from: number, limit = 20) {
  const { results } = await db
    .prepare(
      `SELECT url AS page, json_extract(props, '$.form') AS form, json_extract(props, '$.last') AS lastField,
              count(DISTINCT visitor) AS visitors
       FROM events WHERE site = ? AND type = 'form_abandon' AND ts >= ? AND ${HUMAN}
       GROUP BY page, form, lastField ORDER BY visitors DESC LIMIT ?`,
    )
    .bind(site, from, limit)
    .all<{ page: string; form: string | null; lastField: string | null; visitors: number }>()
  return results
}

/** Recent values of each web vital (the newest 2,000 per metric at most). */
export async function vitalValues(db: D1Database, site: string, from: number) {
  const { results } = await db
    .prepare(
      `SELECT name, json_extract(props, '$.value') AS value FROM events
       WHERE site = ? AND type = 'vitals' AND ts >= ? AND ${HUMAN} ORDER BY ts DESC LIMIT 10000`,
    )
    .bind(site, from)
    .all<{ name: string; value: number }>()
  const by: { [metric: string]: number[] } = {}
  for (const r of results)
    if (typeof r.value === 'number') (by[r.name] ??= []).length < 2000 && by[r.name]!.push(r.value)
  return by
}

/** Headline numbers since `from`, and when the site last sent anything (is the tag installed?). */
export async function overview(db: D1Database, site: string, from: number) {
  const [totals, types, loss, last] = await db.batch<any>([
    db
      .prepare(
        `SELECT count(DISTINCT visitor) AS visitors, count(DISTINCT session) AS sessions,
                sum(type = 'pageview') AS pageviews, sum((flags & ${FLAG.bot}) != 0) AS botEvents
         FROM events WHERE site = ? AND ts >= ?`,
      )
      .bind(site, from),
    db
      .prepare(
        `SELECT type, count(*) AS n FROM events WHERE site = ? AND ts >= ? AND ${HUMAN} GROUP BY type ORDER BY n DESC`,
      )
      .bind(site, from),
    db
      .prepare(`SELECT sum(evicted) AS evicted, sum(dropped) AS dropped FROM ingest_loss WHERE site = ? AND day >= ?`)
      .bind(site, new Date(from).toISOString().slice(0, 10)),
    // The visitors index answers this without reading the events.
    db.prepare('SELECT max(last_seen) AS at FROM visitors WHERE site = ?').bind(site),
  ])
  const t = totals!.results[0] ?? {}
  const l = loss!.results[0] ?? {}
  return {
    visitors: t.visitors ?? 0,
    sessions: t.sessions ?? 0,
    pageviews: t.pageviews ?? 0,
    botEvents: t.botEvents ?? 0,
    events: Object.fromEntries(types!.results.map((r: { type: string; n: number }) => [r.type, r.n])),
    lost: { evicted: l.evicted ?? 0, dropped: l.dropped ?? 0 },
    /** When the worker last received a batch for this site (any time), or null: never. */
    lastReceived: (last!.results[0]?.at as number | null) ?? null,
  }
}

/** When this visitor was last offered each survey. */
export async function surveysShown(db: D1Database, site: string, visitor: string): Promise<{ [id: string]: number }> {
  const { results } = await db
    .prepare(
      `SELECT name, max(ts) AS ts FROM events WHERE site = ? AND visitor = ? AND type = 'survey_shown' GROUP BY name`,
    )
    .bind(site, visitor)
    .all<{ name: string | null; ts: number }>()
  return Object.fromEntries(results.filter((r) => r.name).map((r) => [r.name, r.ts]))
}

/** Survey reach, scores and the newest written answers since `from`. */
export async function surveyAnswers(db: D1Database, site: string, from: number) {
  const [counts, scores, comments] = await db.batch<any>([
    db
      .prepare(
        `SELECT name AS survey, type, count(DISTINCT visitor) AS visitors FROM events
         WHERE site = ? AND type IN ('survey_shown', 'survey_answer', 'survey_dismiss') AND ts >= ? AND ${HUMAN}
         GROUP BY name, type`,
      )
      .bind(site, from),
    db
      .prepare(
        `SELECT name AS survey, json_extract(props, '$.score') AS score, count(*) AS n FROM events
         WHERE site = ? AND type = 'survey_answer' AND ts >= ? AND ${HUMAN} AND score IS NOT NULL
         GROUP BY name, score`,
      )
      .bind(site, from),
    db
      .prepare(
        `SELECT name AS survey, json_extract(props, '$.text') AS text, json_extract(props, '$.score') AS score, url, ts
         FROM events WHERE site = ? AND type IN ('survey_answer', 'survey_comment') AND ts >= ? AND ${HUMAN}
           AND text IS NOT NULL
         ORDER BY ts DESC LIMIT 500`,
      )
      .bind(site, from),
  ])
  return {
    counts: counts!.results as SurveyCounts[],
    scores: scores!.results as SurveyScore[],
    comments: (comments!.results as SurveyComment[]).filter((c) => typeof c.text === 'string' && c.text.trim()),
  }
}
