/**
 * @module store/insights/funnels: visitors who reached each step of a funnel in the window, and
 * the stalls per step (domain/funnels.ts makes the report).
 */
import { plan, type RollWindow } from '../planner'
import { whereOf, withRows } from './rows'

export interface StepCount {
  step: string
  visitors: number
  stalls: number
}

export async function funnelCounts(db: D1Database, site: string, funnel: string, w: RollWindow): Promise<StepCount[]> {
  const p = await plan(db, site, w)
  // roll_steps answers every filter.
  const where = whereOf(p, 'x')
  const { results } = await db
    .prepare(
      `${withRows(p, { steps: true })}
       SELECT type, step, count(DISTINCT visitor) AS n FROM steps x WHERE funnel = ?${where.sql} GROUP BY type, step`,
    )
    .bind(site, funnel, ...where.args)
    .all<{ type: 'step' | 'stall'; step: string; n: number }>()
  const steps = [...new Set(results.map((r) => r.step))]
  const n = (type: string, step: string) => results.find((r) => r.type === type && r.step === step)?.n ?? 0
  return steps.map((step) => ({ step, visitors: n('step', step), stalls: n('stall', step) }))
}
