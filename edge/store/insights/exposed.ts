/**
 * @module store/insights/exposed: the visitors behind an experiment arm's numbers: the window's
 * visitors under the filter first exposed in the window to that arm (or held out), and those of
 * them who converted. Read from the rows and profiles periodExposures counts (store/insights/period.ts),
 * so the list's `total` is the arm's `exposed` (or `conversions`). A page at a time, the latest
 * exposed first.
 */
import { int } from '../rollup-tables'
import type { RollWindow } from '../planner'
import { pagedVisitors, type VisitorsPage } from './paged-visitors'
import { peopleCte } from './period'

export interface Arm {
  slot: string
  experiment: string
  /** The variant ('' the default content); ignored for the holdout. */
  variant: string
  holdout: boolean
  converted: boolean
}

export async function exposedVisitors(
  db: D1Database,
  site: string,
  w: RollWindow,
  arm: Arm,
  page: { limit: number; offset: number },
): Promise<VisitorsPage> {
  const people = await peopleCte(db, site, w)
  // ?2 slot, ?3 experiment, ?4 variant: numbered after the filter's own arguments.
  const args = [site, ...people.args]
  const n = args.length
  args.push(arm.slot, arm.experiment)
  if (!arm.holdout) args.push(arm.variant)
  const counted = `${people.sql}, counted AS (SELECT p.visitor AS visitor, e.value ->> 'at' AS at
    FROM people p JOIN visitors v ON v.site = ?1 AND v.id = p.visitor, json_each(v.profile, '$.exp') e
    WHERE v.profile IS NOT NULL AND e.key = ?${n + 1} AND e.value ->> 'id' = ?${n + 2}
      AND (e.value ->> 'at') >= ${int(w.from)} AND (e.value ->> 'at') < ${int(w.to)}
      AND ${arm.holdout ? `coalesce(e.value ->> 'h', 0) = 1` : `coalesce(e.value ->> 'h', 0) = 0 AND coalesce(e.value ->> 'variant', '') = ?${n + 3}`}
      ${arm.converted ? `AND (e.value ->> 'conv') IS NOT NULL` : ''})`
  return pagedVisitors(db, counted, args, page, 'at')
}
