/** @module store/usage: counters per site and day: refused requests, failed authentication, loss. */
import { dayOf } from '../domain/ingest'

/** Adds requests refused for the site's quota or rate. */
export async function countRefused(db: D1Database, site: string, at: number, n: number): Promise<void> {
  await db
    .prepare(
      `INSERT INTO usage (site, day, refused) VALUES (?, ?, ?)
       ON CONFLICT (site, day) DO UPDATE SET refused = refused + excluded.refused`,
    )
    .bind(site, dayOf(at), n)
    .run()
}

/** Logs a failed team authentication against the site it named ('' when none). */
export async function countAuthFailure(db: D1Database, site: string, at: number): Promise<void> {
  await db
    .prepare(
      `INSERT INTO auth_failures (site, day, n) VALUES (?, ?, 1) ON CONFLICT (site, day) DO UPDATE SET n = n + 1`,
    )
    .bind(site, dayOf(at))
    .run()
}

/** Per day since `from`: events stored, requests refused, failed logins, reported loss. */
export async function usageSince(db: D1Database, site: string, from: number) {
  const day = dayOf(from)
  const { results } = await db
    .prepare(
      `SELECT d.day, coalesce(u.events, 0) AS events, coalesce(u.refused, 0) AS refused,
              coalesce(a.n, 0) AS authFailures, coalesce(l.evicted, 0) AS evicted, coalesce(l.dropped, 0) AS dropped,
              coalesce(l.rejected, 0) AS rejected
       FROM (SELECT day FROM usage WHERE site = ?1 AND day >= ?2 UNION SELECT day FROM auth_failures WHERE site = ?1 AND day >= ?2
             UNION SELECT day FROM ingest_loss WHERE site = ?1 AND day >= ?2) d
       LEFT JOIN usage u ON u.site = ?1 AND u.day = d.day
       LEFT JOIN auth_failures a ON a.site = ?1 AND a.day = d.day
       LEFT JOIN ingest_loss l ON l.site = ?1 AND l.day = d.day
       ORDER BY d.day`,
    )
    .bind(site, day)
    .all<{
      day: string
      events: number
      refused: number
      authFailures: number
      evicted: number
      dropped: number
      rejected: number
    }>()
  return results
}
