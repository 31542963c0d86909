/**
 * @module routes/propensity: `GET /v1/insights/propensity?site=` (scope `read`): per funnel, the
 * site's model of who reaches its goal within the horizon, and its churn model (who does not come
 * back), each with its forward test (trained at earlier cutoffs, measured at a later one: AUC
 * against two baselines, calibration, a leakage warning; domain/forward.ts); then, among visitors
 * seen in the period, the likeliest converters, the visitors at risk (in the funnel, lowest
 * chances) and the returning visitors likeliest to leave. A model with too little data says so
 * and lists nobody. `POST /v1/insights/propensity/train?site=&horizon=&cutoff=` (scope `manage`)
 * retrains now, as the hourly job would, with another horizon or holdout cutoff if asked.
 */
import { Hono } from 'hono'
import * as v from 'valibot'
import type { App } from '../env'
import { queryOf, refuse, wholeParam } from '../http'
import { allow } from '../middleware/auth'
import { namedSite } from '../middleware/site'
import { chanceOf, converted, drivers, scoreProfile } from '../domain/propensity'
import {
  ACTIVE_DAYS,
  HORIZON_DAYS,
  LEAK_AUC,
  MIN_HOLDOUT_PER_CLASS,
  MIN_PER_CLASS,
  tooLittle,
  type NoModel,
} from '../domain/forward'
import { timeOf } from '../domain/export'
import { loadChurn, loadModels, profilesForModels } from '../store/propensity'
import { retrain } from '../jobs/propensity'

const DAY = 86_400_000
/** Profiles scored per request (the most recently seen). */
const SCORED = 5_000
const MAX_HORIZON = 90

const Query = v.object({
  site: v.optional(v.string()),
  days: wholeParam('days', 30, 1, 365),
  limit: wholeParam('limit', 10, 1, 100),
})

const HORIZON = `horizon must be a whole number of days from 1 to ${MAX_HORIZON}`
const CUTOFF = 'cutoff must be a day (2026-05-01), an ISO time (2026-05-01T12:00:00Z) or milliseconds since 1970'
const TrainQuery = v.object({
  site: v.optional(v.string()),
  horizon: v.optional(
    v.pipe(
      v.string(HORIZON),
      v.transform(Number),
      v.integer(HORIZON),
      v.minValue(1, HORIZON),
      v.maxValue(MAX_HORIZON, HORIZON),
    ),
  ),
  cutoff: v.optional(
    v.pipe(
      v.string(CUTOFF),
      v.rawTransform(({ dataset, addIssue, NEVER }) => {
        const t = timeOf(dataset.value)
        if (t !== null) return t
        addIssue({ message: CUTOFF })
        return NEVER
      }),
    ),
  ),
})

const day = (t: number) => new Date(t).toISOString().slice(0, 10)

type Stored = Awaited<ReturnType<typeof loadModels>>[number]

/** A funnel's forward test as the API says it (zeros and nulls before any). */
function tested(e: Stored['evaluation']) {
  return {
    horizonDays: e?.horizonDays ?? null,
    cutoff: e?.cutoff ?? null,
    trainCutoffs: e?.trainCutoffs ?? [],
    n: e?.n ?? 0,
    converters: e?.positives ?? 0,
    others: e?.negatives ?? 0,
    holdout: e?.holdout ?? 0,
    holdoutConverters: e?.holdoutPositives ?? 0,
    auc: e?.auc ?? null,
    baselines: { step: e?.baselines.step ?? null, visits: e?.baselines.visits ?? null },
    calibration: e?.calibration ?? null,
    warning: e?.warning ?? null,
  }
}

export const propensity = new Hono<App>()
  .use(namedSite(), allow('read'))
  .post('/train', allow('manage'), queryOf(TrainQuery), async (c) => {
    const q = c.req.valid('query')
    const site = c.get('site')
    const now = Date.now()
    const horizonDays = q.horizon ?? (await loadChurn(c.env.DB, site.key))?.training.horizonDays ?? HORIZON_DAYS
    if (q.cutoff !== undefined && q.cutoff > now)
      refuse(400, `cutoff ${day(q.cutoff)} is in the future: the models learn from what happened after it`, {
        path: 'cutoff',
      })
    if (q.cutoff !== undefined && q.cutoff + horizonDays * DAY > now)
      refuse(
        400,
        `cutoff ${day(q.cutoff)} is less than ${horizonDays} days ago: the ${horizonDays} days after it have not all happened yet`,
        { path: 'cutoff' },
      )
    const run = (await retrain(c.env, site.key, now, { horizonDays, cutoff: q.cutoff }))!
    return c.json({
      horizonDays,
      cutoff: run.churn.cutoff,
      trained: run.funnels.map(({ model, ...r }) => ({ ...r, ready: model !== null })),
      churn: (({ model, ...r }) => ({ ...r, ready: model !== null }))(run.churn),
    })
  })
  .get('/', queryOf(Query), async (c) => {
    const { days, limit } = c.req.valid('query')
    const site = c.get('site')
    const now = Date.now()
    const funnels = site.config.funnels ?? []
    const [rows, churnRow, profiles] = await Promise.all([
      loadModels(c.env.DB, site.key),
      loadChurn(c.env.DB, site.key),
      profilesForModels(c.env.DB, site.key, SCORED),
    ])
    // Seen in the period, and at most ACTIVE_DAYS ago: the visitors the models learnt about.
    const recent = profiles.filter((r) => r.profile.lastSeen >= now - Math.min(days, ACTIVE_DAYS) * DAY)
    const visitor = (id: string, p: (typeof recent)[number]['profile'], score: number, funnel: string) => ({
      id,
      score,
      step: p.funnels[funnel]?.step ?? null,
      lastSeen: p.lastSeen,
      sessions: p.sessions,
    })
    type Listed = ReturnType<typeof visitor>
    const churn = churnRow?.training
    const churnModel = churn?.model
    const leaving = churnModel
      ? recent
          .filter((r) => r.profile.sessions > 1 || !!r.profile.user)
          .map((r) => ({
            id: r.id,
            score: chanceOf(churnModel, r.profile, now),
            lastSeen: r.profile.lastSeen,
            sessions: r.profile.sessions,
          }))
          .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
          .slice(0, limit)
      : []
    const churnFacts: NoModel | null = !churn
      ? { kind: 'untrained' }
      : churnModel
        ? null
        : (tooLittle(churn) ?? { kind: 'untrained' })
    return c.json({
      days,
      minPerClass: MIN_PER_CLASS,
      minHoldoutPerClass: MIN_HOLDOUT_PER_CLASS,
      activeDays: ACTIVE_DAYS,
      /** A model's `warning` is set from this AUC on (check for leakage). */
      leakAuc: LEAK_AUC,
      funnels: funnels.map((f) => {
        const row = rows.find((r) => r.funnel === f.id)
        const goal = f.steps[f.steps.length - 1]?.id ?? ''
        const base = { funnel: f.id, goal, trainedAt: row?.trainedAt ?? null, ...tested(row?.evaluation ?? null) }
        const m = row?.model
        if (!m || !row?.evaluation || m.goal !== goal) {
          // The message in English, and the same as data (domain/forward.ts) for the dashboard to say.
          const facts: NoModel = !row
            ? { kind: 'untrained' }
            : !row.evaluation
              ? { kind: 'untested' }
              : m
                ? { kind: 'goalChanged', goal }
                : f.steps.length < 2
                  ? { kind: 'tooFewSteps' }
                  : (tooLittle(row.evaluation) ?? { kind: 'untrained' })
          return {
            ...base,
            ready: false as const,
            message: !row
              ? 'Not trained yet: models are retrained every hour from the events in D1.'
              : !row.evaluation
                ? 'Trained before models were tested forward; the next hourly run retrains it.'
                : m
                  ? `The funnel's goal changed to '${goal}' since the last training; the next hourly run retrains it.`
                  : (row.reason ?? 'No model.'),
            messageFacts: facts,
            drivers: [] as ReturnType<typeof drivers>,
            likely: [] as Listed[],
            atRisk: [] as Listed[],
          }
        }
        const own = { id: f.id, steps: f.steps.length }
        const open = recent
          .filter((r) => !converted(r.profile, own))
          .map((r) => ({ r, score: scoreProfile(m, r.profile, now) }))
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
          messageFacts: null,
          drivers: drivers(m),
          likely: likely.map(out),
          atRisk: atRisk.map(out),
        }
      }),
      churn: {
        trainedAt: churnRow?.trainedAt ?? null,
        horizonDays: churn?.horizonDays ?? null,
        cutoff: churn?.cutoff ?? null,
        trainCutoffs: churn?.trainCutoffs ?? [],
        n: churn?.n ?? 0,
        churned: churn?.positives ?? 0,
        stayed: churn?.negatives ?? 0,
        holdout: churn?.holdout ?? 0,
        holdoutChurned: churn?.holdoutPositives ?? 0,
        auc: churn?.auc ?? null,
        baselines: { recency: churn?.baselines.recency ?? null, visits: churn?.baselines.visits ?? null },
        calibration: churn?.calibration ?? null,
        warning: churn?.warning ?? null,
        ready: !!churnModel,
        message: !churn
          ? 'Not trained yet: models are retrained every hour from the events in D1.'
          : churnModel
            ? null
            : (churn.reason ?? 'No model.'),
        messageFacts: churnFacts,
        drivers: churnModel ? drivers(churnModel) : [],
        leaving,
      },
    })
  })
