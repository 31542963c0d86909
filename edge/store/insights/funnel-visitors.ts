/**
 * @module store/insights/funnel-visitors: the visitors behind one number of a funnel: those who
 * stalled at a step (or sent a step, in any order), in the window and under the filter. Who
 * reached a step in order is listed from the ordered funnel's own read (routes/insights.ts). Read from the very rows
 * funnelCounts counts (roll_steps over the plan's spans, the same filter), so the list is the
 * number: its `total` is the step's `visitors` (or `stalls`). A page at a time, the most recently
 * seen first.
 */
import { plan, type RollWindow } from '../planner'
import { pagedVisitors, type VisitorsPage } from './paged-visitors'
import { whereOf, withRows } from './rows'

export async function funnelVisitors(
  db: D1Database,
  site: string,
  q: { funnel: string; step: string; stalled: boolean },
  w: RollWindow,
  page: { limit: number; offset: number },
): Promise<VisitorsPage> {
  const p = await plan(db, site, w)
  const where = whereOf(p, 'x')
  const counted = `${withRows(p, { steps: true })},
    counted AS (SELECT DISTINCT visitor FROM steps x WHERE funnel = ? AND type = ? AND step = ?${where.sql})`
  const args = [site, q.funnel, q.stalled ? 'stall' : 'step', q.step, ...where.args]
  return pagedVisitors(db, counted, args, page)
}
