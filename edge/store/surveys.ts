/**
 * @module store/surveys: what survey targeting reads of D1 (the surveys a user was shown on any
 * of their devices), and the alert delivery log.
 */

/**
 * Survey id → when it was last shown to any visitor identified as `user` (their other devices
 * included). Read only when a survey is about to be offered to an identified visitor.
 */
export async function userSurveysShown(db: D1Database, site: string, user: string): Promise<{ [id: string]: number }> {
  const { results } = await db
    .prepare(
      `SELECT e.name AS survey, max(e.ts) AS at FROM identities i
       JOIN events e ON e.site = i.site AND e.visitor = i.visitor
       WHERE i.site = ? AND i.user_id = ? AND e.type = 'survey_shown' AND e.name IS NOT NULL
       GROUP BY e.name`,
    )
    .bind(site, user)
    .all<{ survey: string; at: number }>()
  return Object.fromEntries(results.map((r) => [r.survey, r.at]))
}
