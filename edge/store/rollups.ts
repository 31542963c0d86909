/**
 * @module store/rollups: the job's side of the rollup tables (store/rollup-tables.ts): a day
 * rolled up (rollDay: the tables it fills get the day's rows replaced by a recount of its raw
 * events, in one transaction), the days still to roll up, and the days that received late
 * events since the last look. What the naming derives from them: store/named.ts.
 */
import { DAY_MS } from '../domain/spans'
import { ROLLUP_TABLES, tableNames, type TableName } from './rollup-tables'

/** The rows of `table` recounted from the raw events of ?1 in [from, to): what rollDay stores for a day. */
export const rawRows = (table: TableName, from: number, to: number): string => ROLLUP_TABLES[table].recount(from, to)

/** The day after the last one rolled up for the site (0: none yet). */
export async function rolledTo(db: D1Database, site: string): Promise<number> {
  const r = await db
    .prepare('SELECT max(day) AS day FROM roll_days WHERE site = ?')
    .bind(site)
    .first<{ day: number | null }>()
  return r?.day == null ? 0 : r.day + 1
}

/**
 * Rolls up one day (a day number) of a site: its rows in every table are replaced by a recount
 * of its raw events, in one transaction. Running it again, or after a replayed batch (stored
 * once), changes nothing.
 */
export async function rollDay(db: D1Database, site: string, day: number, now: number): Promise<void> {
  const from = day * DAY_MS
  const stmts: D1PreparedStatement[] = []
  for (const table of tableNames().filter((t) => ROLLUP_TABLES[t].filledBy === 'rollDay')) {
    const { columns } = ROLLUP_TABLES[table]
    stmts.push(db.prepare(`DELETE FROM ${table} WHERE site = ?1 AND day = ?2`).bind(site, day))
    stmts.push(
      db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) ${rawRows(table, from, from + DAY_MS)}`).bind(site),
    )
  }
  stmts.push(
    db
      // Its named rows (store/named.ts) are named again from the new rows: until then, not read.
      .prepare(
        `INSERT INTO roll_days (site, day, at, hits) VALUES (?, ?, ?, 1)
         ON CONFLICT DO UPDATE SET at = excluded.at, paths = NULL, hits = 1`,
      )
      .bind(site, day, now),
  )
  await db.batch(stmts)
}

/**
 * The next days (numbers) to roll up for the first time: after the last one rolled up, before
 * `before`, holding events; oldest first, at most `max`. Each step is one index seek.
 */
export async function daysToRoll(db: D1Database, site: string, before: number, max: number): Promise<number[]> {
  const days: number[] = []
  let from = (await rolledTo(db, site)) * DAY_MS
  while (days.length < max) {
    const r = await db
      .prepare('SELECT min(ts) AS at FROM events WHERE site = ? AND ts >= ?')
      .bind(site, from)
      .first<{ at: number | null }>()
    if (r?.at == null) break
    const day = Math.floor(r.at / DAY_MS)
    if (day >= before) break
    days.push(day)
    from = (day + 1) * DAY_MS
  }
  return days
}

/**
 * Days already rolled up that received events since the last look (late events from an offline
 * outbox): they are rolled up again. Days before `oldest` are left as they are (retention may
 * have deleted part of their raw events). A day rolled up (roll_days.at) `settleMs` or more after
 * the last of those events was received has counted them: not again. So when the days do not fit
 * in one run, the next run goes on with the rest (the mark is saved only once all are done), not
 * with the same ones again. Answers the days and the mark to save after them.
 */
export async function lateDays(
  db: D1Database,
  site: string,
  until: number,
  oldest: number,
  settleMs: number,
): Promise<{ days: number[]; mark: number }> {
  const [mark, to] = await db.batch<{ received?: number; day?: number | null }>([
    db.prepare('SELECT received FROM roll_marks WHERE site = ?').bind(site),
    db.prepare('SELECT max(day) + 1 AS day FROM roll_days WHERE site = ?').bind(site),
  ])
  // No mark yet: the days rolled up so far were counted from everything stored then.
  const since = mark!.results[0]?.received
  const end = to!.results[0]?.day ?? null
  if (since == null || end == null) return { days: [], mark: until }
  const { results } = await db
    .prepare(
      `SELECT e.day AS day FROM (
         SELECT ts / ${DAY_MS} AS day, max(received_at) AS last FROM events INDEXED BY events_by_received
         WHERE site = ?1 AND received_at >= ?2 AND received_at < ?3 AND ts < ?4 AND ts >= ?5 GROUP BY day) e
       LEFT JOIN roll_days r ON r.site = ?1 AND r.day = e.day
       WHERE r.at IS NULL OR e.last >= r.at - ?6 ORDER BY e.day`,
    )
    .bind(site, since, until, end * DAY_MS, oldest * DAY_MS, settleMs)
    .all<{ day: number }>()
  return { days: results.map((r) => r.day), mark: until }
}

export async function saveMark(db: D1Database, site: string, mark: number): Promise<void> {
  await db
    .prepare(
      'INSERT INTO roll_marks (site, received) VALUES (?, ?) ON CONFLICT DO UPDATE SET received = excluded.received',
    )
    .bind(site, mark)
    .run()
}

/**
 * Rolled-up days whose roll_hits rows were never filled (rolled up before migration 0014),
 * newest first (the ones a funnel reads most), at most `max`.
 */
export async function daysWithoutHits(db: D1Database, site: string, max: number): Promise<number[]> {
  const { results } = await db
    .prepare('SELECT day FROM roll_days WHERE site = ?1 AND hits IS NULL ORDER BY day DESC LIMIT ?2')
    .bind(site, max)
    .all<{ day: number }>()
  return results.map((r) => r.day)
}

/**
 * Fills roll_hits for one rolled-up day from its raw events (what rollDay does for that table
 * alone: the other tables keep their rows, which may be all that is left of a day past
 * retention) and marks the day filled.
 */
export async function fillHits(db: D1Database, site: string, day: number): Promise<void> {
  const from = day * DAY_MS
  const { columns } = ROLLUP_TABLES.roll_hits
  await db.batch([
    db.prepare('DELETE FROM roll_hits WHERE site = ?1 AND day = ?2').bind(site, day),
    db.prepare(`INSERT INTO roll_hits (${columns.join(', ')}) ${rawRows('roll_hits', from, from + DAY_MS)}`).bind(site),
    db.prepare('UPDATE roll_days SET hits = 1 WHERE site = ?1 AND day = ?2').bind(site, day),
  ])
}
