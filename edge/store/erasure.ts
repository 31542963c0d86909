/**
 * @module store/erasure: erasing visitors on request, completely and for good.
 *
 * Who: a visitor id, or every visitor ever identified as a user (identities), and the
 * cookieless page ids linked to any of them (links). First a tombstone for each, so nothing
 * of theirs is stored again (a replayed batch is acknowledged and dropped; the ingest consumer
 * checks tombstones too, and so does the alerts job). Then their events, in pages: one call
 * deletes at most `pageSize` events and answers how many remain; the caller repeats until none
 * do. Which tables hold what of a visitor, and what erasure does to each: store/personal-data.ts.
 */
import { releadSql } from './named'
import { holdings } from './personal-data'

const inList = (column: string) => `${column} IN (SELECT value FROM json_each(?2))`

export interface ErasePage {
  /** Visitor ids erased (the user's devices and their linked cookieless ids). */
  visitors: number
  /** Events deleted by this call. */
  erased: number
  /** Events still to delete: call again while this is above 0. */
  remaining: number
}

/** Every visitor id of a user (ever identified as them, verified where the site verifies). */
export async function visitorsOfUser(db: D1Database, site: string, user: string): Promise<string[]> {
  const { results } = await db
    .prepare(
      `SELECT visitor FROM identities WHERE site = ?1 AND user_id = ?2
       UNION SELECT id FROM visitors WHERE site = ?1 AND user_id = ?2`,
    )
    .bind(site, user)
    .all<{ visitor: string }>()
  return results.map((r) => r.visitor)
}

/** The visitors and every cookieless id linked to them (links can chain: followed to a fixpoint). */
export async function withLinked(db: D1Database, site: string, visitors: string[]): Promise<string[]> {
  const all = new Set(visitors)
  let frontier = [...all]
  while (frontier.length && all.size < 100_000) {
    const { results } = await db
      .prepare(
        `SELECT alias AS id FROM links WHERE site = ?1 AND visitor IN (SELECT value FROM json_each(?2))
         UNION SELECT visitor FROM links WHERE site = ?1 AND alias IN (SELECT value FROM json_each(?2))`,
      )
      .bind(site, JSON.stringify(frontier))
      .all<{ id: string }>()
    frontier = results.map((r) => r.id).filter((id) => !all.has(id))
    for (const id of frontier) all.add(id)
  }
  return [...all]
}

/** Tombstones first: from now on nothing of theirs is stored. Answers the ids not erased before. */
export async function tombstone(db: D1Database, site: string, visitors: string[], at: number): Promise<string[]> {
  const added: string[] = []
  for (let i = 0; i < visitors.length; i += 500) {
    const { results } = await db
      .prepare(
        `INSERT INTO erased (site, visitor, at) SELECT ?1, value, ?2 FROM json_each(?3) WHERE 1
         ON CONFLICT DO NOTHING RETURNING visitor`,
      )
      .bind(site, at, JSON.stringify(visitors.slice(i, i + 500)))
      .all<{ visitor: string }>()
    added.push(...results.map((r) => r.visitor))
  }
  return added
}

/** Was this visitor erased? (The alerts job asks before sending.) */
export async function isErased(db: D1Database, site: string, visitor: string): Promise<boolean> {
  return !!(await db.prepare('SELECT 1 AS x FROM erased WHERE site = ? AND visitor = ?').bind(site, visitor).first())
}

/**
 * Deletes up to `pageSize` of their events (the tables erased in pages), and their rows of every
 * other table once their events are gone.
 */
export async function erasePage(db: D1Database, site: string, visitors: string[], pageSize = 5000): Promise<ErasePage> {
  const ids = JSON.stringify(visitors)
  let erased = 0
  let remaining = 0
  for (const { name, visitor } of holdings('d1', 'paged')) {
    const theirs = visitor.map(inList).join(' OR ')
    const [deleted] = await db.batch([
      db
        .prepare(
          `DELETE FROM ${name} WHERE site = ?1 AND id IN (SELECT id FROM ${name} WHERE site = ?1 AND (${theirs}) LIMIT ?3)`,
        )
        .bind(site, ids, pageSize),
    ])
    erased += deleted!.meta.changes ?? 0
    const left = await db
      .prepare(`SELECT count(*) AS n FROM ${name} WHERE site = ?1 AND (${theirs})`)
      .bind(site, ids)
      .first<{ n: number }>()
    remaining += left?.n ?? 0
  }
  if (!remaining) {
    await eraseFromRollups(db, site, ids)
    await db.batch(
      holdings('d1', 'deleted').map(({ name, visitor }) =>
        db.prepare(`DELETE FROM ${name} WHERE site = ?1 AND (${visitor.map(inList).join(' OR ')})`).bind(site, ids),
      ),
    )
  }
  return { visitors: visitors.length, erased, remaining }
}

/**
 * Takes the visitors out of the daily rollups: their rows (which name them) are deleted, and the
 * coarse tables of those days, which count people without naming them, are counted again from
 * the rows that remain (as migration 0009 first filled them), so no total counts them either.
 * Rollups are the only record of days older than retention, so they are recounted from rollups,
 * not from raw events. Events per type and custom events' prop values (roll_types, roll_props)
 * hold neither ids nor people and keep their counts.
 */
async function eraseFromRollups(db: D1Database, site: string, ids: string) {
  const { results } = await db
    .prepare(
      `SELECT DISTINCT day FROM roll_sessions INDEXED BY roll_sessions_by_visitor
       WHERE site = ?1 AND visitor IN (SELECT value FROM json_each(?2))`,
    )
    .bind(site, ids)
    .all<{ day: number }>()
  if (!results.length) return
  const days = JSON.stringify(results.map((r) => r.day))
  // Sessions with one of their rows: the lead (first row) of what remains of them is set again.
  const sessions = await db
    .prepare(
      `SELECT DISTINCT session FROM roll_sessions INDEXED BY roll_sessions_by_visitor
       WHERE site = ?1 AND visitor IN (SELECT value FROM json_each(?2))`,
    )
    .bind(site, ids)
    .all<{ session: string }>()
  const these = `site = ?1 AND day IN (SELECT value FROM json_each(?3))`
  const theirs = `${these} AND visitor IN (SELECT value FROM json_each(?2))`
  const run = (sql: string) => db.prepare(sql).bind(site, ids, days)
  await db.batch([
    ...holdings('d1', 'rollup').map((t) => run(`DELETE FROM ${t.name} WHERE ${theirs}`)),
    db.prepare(releadSql).bind(site, JSON.stringify(sessions.results.map((r) => r.session))),
    // The coarse tables (holdings 'recounted'): each counted again below.
    ...['roll_totals', 'roll_paths', 'roll_funnel_days'].map((t) => run(`DELETE FROM ${t} WHERE ${these}`)),
    run(`INSERT INTO roll_totals (site, day, device, visitors, sessions, pageviews, friction, nps, promoters, detractors)
         SELECT site, day, device, count(DISTINCT visitor), count(*), sum(pageviews), sum(friction), sum(nps),
           sum(promoters), sum(detractors)
         FROM roll_sessions WHERE ${these} GROUP BY day, device
         UNION ALL
         SELECT site, day, -1, count(DISTINCT visitor), count(DISTINCT session), sum(pageviews), sum(friction),
           sum(nps), sum(promoters), sum(detractors)
         FROM roll_sessions WHERE ${these} GROUP BY day`),
    run(`INSERT INTO roll_paths (site, day, path, device, pageviews)
         SELECT site, day, path, device, sum(pageviews) FROM roll_pages WHERE ${these} GROUP BY day, path, device`),
    run(`INSERT INTO roll_funnel_days (site, day, device, funnel, step, visitors)
         SELECT site, day, device, funnel, step, count(DISTINCT visitor) FROM roll_steps
         WHERE ${these} AND type = 'step' GROUP BY day, device, funnel, step
         UNION ALL
         SELECT site, day, -1, funnel, step, count(DISTINCT visitor) FROM roll_steps
         WHERE ${these} AND type = 'step' GROUP BY day, funnel, step`),
  ])
}
