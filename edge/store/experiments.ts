/**
 * @module store/experiments: experiments' exposures and conversions, read from the visitors'
 * profile snapshots in D1 (each visitor's first exposure and first conversion, kept by their
 * shard: a replayed batch changes nothing). Grouped per day of first exposure: the periods the
 * lift and the bandit compare arms within, and the results' chart.
 */
import type { Profile } from '../domain/profile'
import type { SegmentConfig } from '../../snippet/contract/wire'
import { matcher } from '../domain/segments'
import { withScores, type PropensityModel } from '../domain/propensity'
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

/** The profiles of the site's most recently seen visitors (segment sizes), at most `limit`. */
export async function recentProfiles(db: D1Database, site: string, from: number, limit: number) {
  const { results } = await db
    .prepare(
      `SELECT profile FROM visitors WHERE site = ? AND last_seen >= ? AND profile IS NOT NULL
         AND profile ->> 'bot' IS NULL
       ORDER BY last_seen DESC LIMIT ?`,
    )
    .bind(site, from, limit)
    .all<{ profile: string }>()
  return results.map((r) => JSON.parse(r.profile) as Profile)
}

/**
 * The visitors seen since `from` whose profile is in segment `id` now (of the 20,000 most
 * recently seen: an insight filtered by a segment is about them). `models`: the site's
 * propensity models, when its segments read the scores.
 */
export async function segmentVisitors(
  db: D1Database,
  site: string,
  segments: SegmentConfig[] | undefined,
  id: string,
  from: number,
  now: number,
  models: PropensityModel[] = [],
): Promise<string[]> {
  const { results } = await db
    .prepare(
      `SELECT id, profile FROM visitors WHERE site = ? AND last_seen >= ? AND profile IS NOT NULL
         AND profile ->> 'bot' IS NULL
       ORDER BY last_seen DESC LIMIT 20000`,
    )
    .bind(site, from)
    .all<{ id: string; profile: string }>()
  return results
    .filter((r) => matcher(segments, withScores(JSON.parse(r.profile) as Profile, models), now)(id))
    .map((r) => r.id)
}
