/**
 * @module store/insights/funnels: the visitors who stalled at each step of a funnel in the window
 * (stayed past its maxSeconds), from roll_steps. Who reached a step is counted in order from
 * roll_hits (store/insights/ordered.ts).
 */
import type { Plan } from '../planner'
import { whereOf, withRows } from './rows'

/** Visitors who stalled, by step id, over the plan's window. */
export async function funnelStalls(
  db: D1Database,
  site: string,
  funnel: string,
  p: Plan,
): Promise<Map<string, number>> {
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
