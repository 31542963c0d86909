/**
 * @module store/ingest: what the ingest queue's consumer writes to D1, for many batches in one
 * transaction: events (each once, by (site, id); never for an erased visitor), visitor rows
 * from profile snapshots (the one that has seen the most events wins), identities, cookieless links, reported loss and daily usage.
 */
import type { IngestMessage } from '../jobs/messages'
import { dayOf } from '../domain/ingest'
import { FLAG } from '../domain/flags'

/** Bound parameters stay well under D1's 2 MB per value. */
const CHUNK_CHARS = 1_000_000

interface Row {
  site: string
  id: string
  visitor: string
  session: string
  type: string
  name: string | null
  url: string
  ts: number
  clientTs: number
  receivedAt: number
  props?: unknown
  flags: number
}

/** The statements that store these messages; run them with db.batch (one transaction). */
export function ingestStatements(db: D1Database, messages: IngestMessage[]): D1PreparedStatement[] {
  const stmts: D1PreparedStatement[] = []
  let chunk: Row[] = []
  let chars = 0
  const insert = () => {
    if (!chunk.length) return
    stmts.push(
      db
        .prepare(
          `INSERT INTO events (site, id, visitor, session, type, name, url, ts, client_ts, received_at, props, flags)
           SELECT j.value ->> 'site', j.value ->> 'id', j.value ->> 'visitor', j.value ->> 'session',
                  j.value ->> 'type', j.value ->> 'name', j.value ->> 'url', j.value ->> 'ts', j.value ->> 'clientTs',
                  j.value ->> 'receivedAt', j.value -> 'props', j.value ->> 'flags'
           FROM json_each(?) j
           WHERE NOT EXISTS (SELECT 1 FROM erased x WHERE x.site = j.value ->> 'site' AND x.visitor = j.value ->> 'visitor')
           ON CONFLICT (site, id) DO NOTHING`,
        )
        .bind(JSON.stringify(chunk)),
    )
    chunk = []
    chars = 0
  }
  const identities: [string, string, string, number][] = []
  const links: [string, string, string][] = []
  const usage = new Map<string, number>()
  const loss = new Map<string, [number, number, number]>()
  const profiles = new Map<string, IngestMessage>()
  for (const m of messages) {
    for (const e of m.events) {
      const r: Row = {
        site: m.site,
        id: e.id,
        visitor: m.visitor,
        session: m.session,
        type: e.type,
        name: e.name ?? null,
        url: e.url,
        ts: e.ts,
        clientTs: e.clientTs,
        receivedAt: m.receivedAt,
        props: e.props,
        flags: e.flags,
      }
      const size = JSON.stringify(r).length
      if (chars + size > CHUNK_CHARS) insert()
      chunk.push(r)
      chars += size
      if (e.type === 'identify' && e.name && !(e.flags & FLAG.unverified))
        identities.push([m.site, e.name, m.visitor, e.ts])
      const from = e.type === 'consent' ? e.props?.from : undefined
      if (typeof from === 'string' && from && from !== m.visitor) links.push([m.site, from, m.visitor])
    }
    const day = `${m.site} ${dayOf(m.receivedAt)}`
    if (m.fresh) usage.set(day, (usage.get(day) ?? 0) + m.fresh)
    if (m.loss) {
      const l = loss.get(day) ?? [0, 0, 0]
      loss.set(day, [l[0] + m.loss.evicted, l[1] + m.loss.dropped, l[2] + m.loss.rejected])
    }
    if (m.profile) {
      const key = `${m.site} ${m.visitor}`
      const seen = profiles.get(key)
      if (!seen || seen.profile!.events <= m.profile.events) profiles.set(key, m)
    }
  }
  insert()
  const notErased = `NOT EXISTS (SELECT 1 FROM erased x WHERE x.site = ?1 AND x.visitor = ?3)`
  for (const [site, user, visitor, at] of identities)
    stmts.push(
      db
        .prepare(
          `INSERT INTO identities (site, user_id, visitor, at) SELECT ?1, ?2, ?3, ?4 WHERE ${notErased}
           ON CONFLICT DO UPDATE SET at = max(at, excluded.at)`,
        )
        .bind(site, user, visitor, at),
    )
  for (const [site, alias, visitor] of links)
    stmts.push(
      db
        .prepare(`INSERT INTO links (site, alias, visitor) SELECT ?1, ?2, ?3 WHERE ${notErased} ON CONFLICT DO NOTHING`)
        .bind(site, alias, visitor),
    )
  for (const m of profiles.values()) {
    const p = m.profile!
    stmts.push(
      db
        .prepare(
          `INSERT INTO visitors (site, id, user_id, traits, interests, first_seen, last_seen, sessions, profile)
           SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9
           WHERE NOT EXISTS (SELECT 1 FROM erased x WHERE x.site = ?1 AND x.visitor = ?2)
           ON CONFLICT (site, id) DO UPDATE SET user_id = excluded.user_id, traits = excluded.traits,
             interests = excluded.interests, first_seen = min(first_seen, excluded.first_seen),
             last_seen = max(last_seen, excluded.last_seen), sessions = excluded.sessions, profile = excluded.profile
           WHERE coalesce(json_extract(excluded.profile, '$.events'), 0) >= coalesce(json_extract(visitors.profile, '$.events'), 0)`,
        )
        .bind(
          m.site,
          m.visitor,
          p.user?.id ?? null,
          p.user?.traits ? JSON.stringify(p.user.traits) : null,
          JSON.stringify(p.interests),
          p.firstSeen,
          p.lastSeen,
          p.sessions,
          JSON.stringify(p),
        ),
    )
  }
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
