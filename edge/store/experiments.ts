/**
 * @module store/experiments: experiments' exposures and conversions, read from the visitors'
 * profile snapshots in D1 (each visitor's first exposure and first conversion, kept by their
 * shard: a replayed batch changes nothing). Grouped per day of first exposure: the periods the
 * lift and the bandit compare arms within, and the results' chart. These are all of the site's
 * (what adaptive allocation learns from); the insight reads a period's (store/insights/period.ts).
 */
import type { ExposureRow } from '../domain/personalisation'

export async function exposureRows(db: D1Database, site: string): Promise<ExposureRow[]> {
  const { results } = await db
    .prepare(
      `SELECT e.key AS slot, e.value ->> 'id' AS experiment, coalesce(e.value ->> 'variant', '') AS variant,
              coalesce(e.value ->> 'h', 0) AS holdout,
              strftime('%Y-%m-%d', (e.value ->> 'at') / 1000, 'unixepoch') AS day,
              count(*) AS exposed, count(e.value ->> 'conv') AS conversions, count(e.value ->> 'g') AS guarded
       FROM visitors v, json_each(v.profile, '$.exp') e
       WHERE v.site = ? AND v.profile IS NOT NULL AND v.profile ->> 'bot' IS NULL
       GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 5
       LIMIT 20000`,
    )
    .bind(site)
    .all<ExposureRow>()
  return results
}
