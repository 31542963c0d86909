/**
 * @module store/ingest: what the ingest queue's consumer writes to D1, for many batches in one
 * transaction: events (each once, by (site, id); never for an erased visitor), visitor rows
 * from profile snapshots (the one that has seen the most events wins), identities, cookieless links, reported loss and daily usage.
 */
import type { IngestBatch } from '../jobs/messages'
import { dayOf } from '../domain/ingest'

/** Bound parameters stay well under D1's 2 MB per value. */
const CHUNK_CHARS = 1_000_000

/** The statements that store these messages; run them with db.batch (one transaction). */
export function ingestStatements(db: D1Database, messages: IngestBatch[]): D1PreparedStatement[] {
  const stmts: D1PreparedStatement[] = []
  // Events: the messages' row texts, wrapped (never parsed) into one JSON value per chunk.
  let parts: string[] = []
  let chars = 0
  const insert = () => {
    if (!parts.length) return
    stmts.push(
      db
        .prepare(
          // Each message's fields are read once and each event's JSON once (materialised):
          // read per row, m.value turned the whole message back into text for every
          // column of every event (a CPU profile of ingest put two thirds of D1's time there).
          `WITH m AS MATERIALIZED (
             SELECT value ->> 's' AS site, value ->> 'v' AS visitor, value ->> 'n' AS session,
                    value ->> 'r' AS received, value -> 'e' AS events
             FROM json_each(?)
             WHERE NOT EXISTS (SELECT 1 FROM erased x WHERE x.site = value ->> 's' AND x.visitor = value ->> 'v')),
           ev AS MATERIALIZED (SELECT m.site, m.visitor, m.session, m.received, e.value AS j FROM m, json_each(m.events) e)
           INSERT INTO events (site, id, visitor, session, type, name, url, ts, client_ts, received_at, props, flags)
           SELECT site, j ->> 'id', visitor, session, j ->> 'type', j ->> 'name', j ->> 'url', j ->> 'ts',
                  j ->> 'clientTs', received, j -> 'props', j ->> 'flags'
           FROM ev WHERE true
           ON CONFLICT (site, id) DO NOTHING`,
        )
        .bind(`[${parts.join(',')}]`),
    )
    parts = []
    chars = 0
  }
  const identities: [string, string, string, number][] = []
  const links: [string, string, string][] = []
  const usage = new Map<string, number>()
  const loss = new Map<string, [number, number, number]>()
  const profiles = new Map<string, { site: string; visitor: string; text: string; events: number }>()
  for (const m of messages) {
    if (m.rows.length > 2) {
      const part = `{"s":${JSON.stringify(m.site)},"v":${JSON.stringify(m.visitor)},"n":${JSON.stringify(m.session)},"r":${m.receivedAt},"e":${m.rows}}`
      if (chars + part.length > CHUNK_CHARS) insert()
      parts.push(part)
      chars += part.length
    }
    for (const [user, at] of m.identities ?? []) identities.push([m.site, user, m.visitor, at])
    for (const alias of m.aliases ?? []) links.push([m.site, alias, m.visitor])
    const day = `${m.site} ${dayOf(m.receivedAt)}`
    if (m.fresh) usage.set(day, (usage.get(day) ?? 0) + m.fresh)
    if (m.loss) {
      const l = loss.get(day) ?? [0, 0, 0]
      loss.set(day, [l[0] + m.loss.evicted, l[1] + m.loss.dropped, l[2] + m.loss.rejected])
    }
    const text = m.profileJson ?? (m.profile && JSON.stringify(m.profile))
    if (text) {
      const key = `${m.site} ${m.visitor}`
      const events = m.profileJson ? (m.profileEvents ?? 0) : (m.profile?.events ?? 0)
      const seen = profiles.get(key)
      if (!seen || seen.events <= events) profiles.set(key, { site: m.site, visitor: m.visitor, text, events })
    }
  }
  insert()
  const erasedCheck = (site: string, visitor: string) =>
    `NOT EXISTS (SELECT 1 FROM erased x WHERE x.site = ${site} AND x.visitor = ${visitor})`
  if (identities.length)
    stmts.push(
      db
        .prepare(
          `INSERT INTO identities (site, user_id, visitor, at)
           SELECT j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3 FROM json_each(?) j
           WHERE ${erasedCheck('j.value ->> 0', 'j.value ->> 2')}
           ON CONFLICT DO UPDATE SET at = max(at, excluded.at)`,
        )
        .bind(JSON.stringify(identities)),
    )
  if (links.length)
    stmts.push(
      db
        .prepare(
          `INSERT INTO links (site, alias, visitor)
           SELECT j.value ->> 0, j.value ->> 1, j.value ->> 2 FROM json_each(?) j
           WHERE ${erasedCheck('j.value ->> 0', 'j.value ->> 2')} ON CONFLICT DO NOTHING`,
        )
        .bind(JSON.stringify(links)),
    )
  // The profiles' JSON texts go in as they came (never parsed here); each row's profile is read
  // once (materialised), not turned back into text for every column.
  if (profiles.size)
    stmts.push(
      db
        .prepare(
          `WITH j AS MATERIALIZED (
             SELECT value ->> 'site' AS site, value ->> 'visitor' AS visitor, value -> 'profile' AS p FROM json_each(?)),
           r AS MATERIALIZED (
             SELECT site, visitor, p ->> '$.user.id' AS user_id, p -> '$.user.traits' AS traits,
                    p -> '$.interests' AS interests, p ->> '$.firstSeen' AS first_seen, p ->> '$.lastSeen' AS last_seen,
                    p ->> '$.sessions' AS sessions, p FROM j
             WHERE ${erasedCheck('j.site', 'j.visitor')})
           INSERT INTO visitors (site, id, user_id, traits, interests, first_seen, last_seen, sessions, profile)
           SELECT site, visitor, user_id, traits, interests, first_seen, last_seen, sessions, p FROM r WHERE true
           ON CONFLICT (site, id) DO UPDATE SET user_id = excluded.user_id, traits = excluded.traits,
             interests = excluded.interests, first_seen = min(first_seen, excluded.first_seen),
             last_seen = max(last_seen, excluded.last_seen), sessions = excluded.sessions, profile = excluded.profile
           WHERE coalesce(json_extract(excluded.profile, '$.events'), 0) >= coalesce(json_extract(visitors.profile, '$.events'), 0)`,
        )
        .bind(
          `[${[...profiles.values()].map((m) => `{"site":${JSON.stringify(m.site)},"visitor":${JSON.stringify(m.visitor)},"profile":${m.text}}`).join(',')}]`,
        ),
    )
  for (const [key, n] of usage) {
    const [site, day] = key.split(' ')
    stmts.push(
      db
        .prepare(
          `INSERT INTO usage (site, day, events) VALUES (?, ?, ?)
           ON CONFLICT (site, day) DO UPDATE SET events = events + excluded.events`,
        )
        .bind(site, day, n),
    )
  }
  for (const [key, [evicted, dropped, rejected]] of loss) {
    const [site, day] = key.split(' ')
    stmts.push(
      db
        .prepare(
          `INSERT INTO ingest_loss (site, day, evicted, dropped, rejected) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (site, day) DO UPDATE SET evicted = evicted + excluded.evicted,
             dropped = dropped + excluded.dropped, rejected = rejected + excluded.rejected`,
        )
        .bind(site, day, evicted, dropped, rejected),
    )
  }
  return stmts
}
