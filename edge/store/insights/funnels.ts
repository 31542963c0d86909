/**
 * @module store/insights/funnels: the visitors who stalled at each step of a funnel in the window
 * (stayed past its maxSeconds). Who reached a step is counted in order from raw events
 * (store/insights/ordered.ts); stalls are counted alone, so the rollups answer them.
 */
import { plan, type RollWindow } from '../planner'
import { whereOf, withRows } from './rows'

/** Visitors who stalled, by step id. */
export async function funnelStalls(
  db: D1Database,
  site: string,
  funnel: string,
  w: RollWindow,
): Promise<Map<string, number>> {
  const p = await plan(db, site, w)
  // roll_steps answers every filter.
  const where = whereOf(p, 'x')
  const { results } = await db
    .prepare(
      `${withRows(p, { steps: true })}
       SELECT step, count(DISTINCT visitor) AS n FROM steps x WHERE funnel = ? AND type = 'stall'${where.sql}
       GROUP BY step LIMIT 100`,
    )
    .bind(site, funnel, ...where.args)
    .all<{ step: string; n: number }>()
  return new Map(results.map((r) => [r.step, r.n]))
}
