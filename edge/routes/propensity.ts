/**
 * @module routes/propensity: `GET /v1/insights/propensity?site=` (scope `read`): per funnel,
 * the site's propensity model (AUC on held-out visitors, how many it learnt from, when), the
 * likeliest converters among visitors seen in the last `days` who have not reached the goal,
 * and the visitors at risk (in the funnel, not at its goal, with the lowest scores). A funnel
 * with too little data says so and lists nobody. `POST /v1/insights/propensity/train?site=`
 * (scope `manage`) retrains now, as the hourly job would (after a change of funnels, or a demo).
 */
import { Hono } from 'hono'
import * as v from 'valibot'
import type { App } from '../env'
import { queryOf, wholeParam } from '../http'
import { allow } from '../middleware/auth'
import { namedSite } from '../middleware/site'
import { converted, drivers, MIN_PER_CLASS, scoreProfile } from '../domain/propensity'
import { loadModels, profilesForModels } from '../store/propensity'
import { retrain } from '../jobs/propensity'

const DAY = 86_400_000
/** Profiles scored per request (the most recently seen). */
const SCORED = 5_000

const Query = v.object({
  site: v.optional(v.string()),
  days: wholeParam('days', 30, 1, 365),
  limit: wholeParam('limit', 10, 1, 100),
})

export const propensity = new Hono<App>()
  .use(namedSite(), allow('read'))
  .post('/train', allow('manage'), async (c) => {
    const runs = await retrain(c.env, c.get('site').key, Date.now())
    return c.json({
      trained: runs.map(({ model, ...r }) => ({ ...r, ready: model !== null })),
    })
  })
  .get('/', queryOf(Query), async (c) => {
    const { days, limit } = c.req.valid('query')
    const site = c.get('site')
    const now = Date.now()
    const funnels = site.config.funnels ?? []
    const [rows, profiles] = await Promise.all([
      loadModels(c.env.DB, site.key),
      funnels.length ? profilesForModels(c.env.DB, site.key, SCORED) : [],
    ])
    const recent = profiles.filter((r) => r.profile.lastSeen >= now - days * DAY)
    const visitor = (id: string, p: (typeof recent)[number]['profile'], score: number, funnel: string) => ({
      id,
      score,
      step: p.funnels[funnel]?.step ?? null,
      lastSeen: p.lastSeen,
      sessions: p.sessions,
    })
    type Listed = ReturnType<typeof visitor>
    return c.json({
      days,
      minPerClass: MIN_PER_CLASS,
      funnels: funnels.map((f) => {
        const row = rows.find((r) => r.funnel === f.id)
        const goal = f.steps[f.steps.length - 1]?.id ?? ''
        const base = {
          funnel: f.id,
          goal,
          trainedAt: row?.trainedAt ?? null,
          n: row?.n ?? 0,
          converters: row?.converters ?? 0,
          others: row?.others ?? 0,
          holdout: row?.holdout ?? 0,
          auc: row?.auc ?? null,
        }
        const m = row?.model
        if (!m || m.goal !== goal)
          return {
            ...base,
            ready: false as const,
            message: !row
              ? 'Not trained yet: models are retrained every hour from the profiles in D1.'
              : m
                ? `The funnel's goal changed to '${goal}' since the last training; the next hourly run retrains it.`
                : (row.reason ?? 'No model.'),
            drivers: [] as ReturnType<typeof drivers>,
            likely: [] as Listed[],
            atRisk: [] as Listed[],
          }
        const own = { id: f.id, steps: f.steps.length }
        const open = recent
          .filter((r) => !converted(r.profile, own))
          .map((r) => ({ r, score: scoreProfile(m, r.profile) }))
        const byScore = (a: (typeof open)[number], b: (typeof open)[number]) =>
          b.score - a.score || (a.r.id < b.r.id ? -1 : 1)
        const likely = [...open].sort(byScore).slice(0, limit)
        const atRisk = open
          .filter((x) => x.r.profile.funnels[f.id])
          .sort((a, b) => byScore(b, a))
          .slice(0, limit)
        const out = (x: (typeof open)[number]) => visitor(x.r.id, x.r.profile, x.score, f.id)
        return {
          ...base,
          ready: true as const,
          message: null,
          drivers: drivers(m),
          likely: likely.map(out),
          atRisk: atRisk.map(out),
        }
      }),
    })
  })
