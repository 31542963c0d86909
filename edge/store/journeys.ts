/**
 * @module store/journeys: the pageviews of the period's newest sessions (at most 30 each), and
 * when each reached a goal event: what domain/journeys.ts turns into paths.
 */
import type { Window } from './traffic'
import { filterSql, HUMAN } from './filters'

/** Sessions read for journeys: the newest of the period. */
export const JOURNEY_SESSIONS = 5000

export async function sessionPages(db: D1Database, site: string, w: Window, goal?: string) {
  const f = filterSql(w.filter, site, w.from, w.to)
  const where = `events.site = ? AND events.ts >= ? AND events.ts < ? AND ${HUMAN()}${f.sql}`
  const args = [site, w.from, w.to, ...f.args]
  const { results } = await db
    .prepare(
      `WITH recent AS (
         SELECT events.session AS session FROM events WHERE ${where} AND events.type = 'pageview'
         GROUP BY events.session ORDER BY max(events.ts) DESC LIMIT ${JOURNEY_SESSIONS}),
       rows AS (
         SELECT events.session AS session, events.type AS type, events.url AS url, events.ts AS ts,
                row_number() OVER (PARTITION BY events.session ORDER BY events.ts, events.id) AS i
         FROM events JOIN recent ON recent.session = events.session
         WHERE ${where} AND (events.type = 'pageview' OR (events.type = 'track' AND events.name = ?)))
       SELECT session, type, url FROM rows WHERE i <= 30 ORDER BY session, i`,
    )
    .bind(...args, ...args, goal ?? null)
    .all<{ session: string; type: string; url: string }>()
  return results
}
