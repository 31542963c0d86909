/**
 * @module store/insights/funnel-visitors: the visitors behind one number of a funnel: those who
 * stalled at a step (or sent a step, in any order), in the window and under the filter. Who
 * reached a step in order is listed from the ordered funnel's own read (routes/insights.ts). Read from the very rows
 * funnelCounts counts (roll_steps over the plan's spans, the same filter), so the list is the
 * number: its `total` is the step's `visitors` (or `stalls`). A page at a time, the most recently
 * seen first.
 */
import { plan, type RollWindow } from '../planner'
import { whereOf, withRows } from './rows'

export interface FunnelVisitors {
  /** The page's visitor ids, in order. */
  ids: string[]
  /** How many visitors the number counts. */
  total: number
}

export async function funnelVisitors(
  db: D1Database,
  site: string,
  q: { funnel: string; step: string; stalled: boolean },
  w: RollWindow,
  page: { limit: number; offset: number },
): Promise<FunnelVisitors> {
  const p = await plan(db, site, w)
  const where = whereOf(p, 'x')
  const counted = `${withRows(p, { steps: true })},
    counted AS (SELECT DISTINCT visitor FROM steps x WHERE funnel = ? AND type = ? AND step = ?${where.sql})`
  const args = [site, q.funnel, q.stalled ? 'stall' : 'step', q.step, ...where.args]
  const [list, count] = await db.batch([
    db
      .prepare(
        `${counted}
         SELECT c.visitor AS id FROM counted c LEFT JOIN visitors v ON v.site = ?1 AND v.id = c.visitor
         ORDER BY v.last_seen DESC, c.visitor LIMIT ? OFFSET ?`,
      )
      .bind(...args, page.limit, page.offset),
    db.prepare(`${counted} SELECT count(*) AS n FROM counted`).bind(...args),
  ])
  return {
    ids: (list!.results as { id: string }[]).map((r) => r.id),
    total: (count!.results[0] as { n: number } | undefined)?.n ?? 0,
  }
}
