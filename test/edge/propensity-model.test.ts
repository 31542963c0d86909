/**
 * The prediction models tested forward (issue 23): trained at earlier cutoffs, measured at a later
 * one, on visitors as they were at the cutoff. The bounds on AUC are statistical (fixed seeds).
 */
import { describe, expect, it } from 'vitest'
import { applyEvents, profileEvent } from '../../edge/domain/profile'
import { LEAK_AUC, planFor, profileFrom, timelineOf, trainChurn, trainGoal, type Plan } from '../../edge/domain/forward'
import { auc, calibration, fitLogistic } from '../../edge/domain/logistic'
import { chanceOf, scoreProfile } from '../../edge/domain/propensity'
import { simulateSite, SIM_END, SIM_FUNNEL } from '../../scripts/propensity-sim'
import {
  DAY,
  inviteThenDone,
  ONBOARDING,
  partnerAlwaysConverts,
  shardProfile,
  snapshotStepAuc,
  type History,
} from './propensity-data'

const END = Date.UTC(2026, 5, 1)
const timelines = (rows: History[], plan: Plan) => rows.map((h) => timelineOf(h.id, h.events, plan, [ONBOARDING]))
const weight = (m: { features: string[]; weights: number[] }, f: string) => m.weights[m.features.indexOf(f)]!

describe('prediction looking forward', () => {
  it('does not measure the leak the snapshot before the goal measured', () => {
    const rows = inviteThenDone(1500, 11, END)
    // Read as the old model read them (converters just before their goal), the current step
    // alone tells converters apart perfectly: they had just invited their team.
    expect(snapshotStepAuc(rows)).toBeGreaterThan(0.98)
    const plan = planFor(END)
    const t = trainGoal(timelines(rows, plan), plan, ONBOARDING, [ONBOARDING])
    expect(t.model).not.toBeNull()
    expect(t.holdoutPositives).toBeGreaterThanOrEqual(10)
    // Forward, nobody before a cutoff shows who finishes next: about a coin, and no warning.
    expect(Math.abs(t.auc! - 0.5)).toBeLessThan(0.1)
    expect(Math.abs(t.baselines.step! - 0.5)).toBeLessThan(0.1)
    expect(t.warning).toBeNull()
  })

  it('scores only visitors who had not reached the goal by the cutoff, from their events before it', () => {
    const plan = planFor(END)
    const c = plan.cutoff
    // Reached the goal before the cutoff: not among the holdout's visitors.
    const early = { id: 'early', events: inviteThenDone(1, 1, c - DAY, 1)[0]!.events }
    early.events.push({
      id: 'x',
      session: 'x',
      type: 'step',
      name: 'onboarding',
      ts: c - 1000,
      props: { step: 'done' },
      flags: 0,
    })
    const [t] = timelines([early], plan)
    expect(t!.states[plan.train.length]!.done).toEqual(['onboarding'])
    // What happens after the cutoff never reaches the features at it.
    const late = {
      id: 'late',
      events: [
        { id: 'a', session: 's', type: 'pageview', ts: c - 2 * DAY, url: 'https://shop.example/', flags: 0 },
        ...Array.from({ length: 30 }, (_, i) => ({
          id: `b${i}`,
          session: `s${i}`,
          type: 'pageview',
          ts: c + i * 1000,
          flags: 0,
        })),
      ],
    }
    const [l] = timelines([late], plan)
    expect(l!.states[plan.train.length]!.view).toMatchObject({
      sessions: 1,
      pageviews: 1,
      at: c,
      lastSeen: c - 2 * DAY,
    })
    expect(l!.states[plan.train.length + 1]!.view.pageviews).toBe(31)
  })

  it('warns when the AUC at the holdout cutoff is 0.98 or more', () => {
    const plan = planFor(END)
    const t = trainGoal(timelines(partnerAlwaysConverts(1000, 5, END), plan), plan, ONBOARDING, [ONBOARDING])
    expect(t.auc).toBeGreaterThanOrEqual(LEAK_AUC)
    expect(t.warning).toMatch(/^AUC 1\.000 at the holdout cutoff is at least 0\.98: check for leakage/)
    expect(weight(t.model!, 'entry.source=partner')).toBeGreaterThan(0)
  })

  it('says there is too little data, with the counts at the training cutoffs', () => {
    const plan = planFor(END)
    const t = trainGoal(timelines(inviteThenDone(200, 3, END), plan), plan, ONBOARDING, [ONBOARDING])
    expect(t.model).toBeNull()
    expect(t.auc).toBeNull()
    expect(t.reason).toBe(
      `Too little data: at the training cutoffs (2026-03-23 to 2026-05-04) ${t.positives} visitors reached 'done' ` +
        `within 14 days and ${t.negatives} did not; a model needs at least 50 of each.`,
    )
    expect(t.positives).toBeLessThan(50)
  })

  it('is deterministic: the same events in any order give the same model', () => {
    const rows = inviteThenDone(1500, 11, END)
    const plan = planFor(END)
    const a = trainGoal(timelines(rows, plan), plan, ONBOARDING, [ONBOARDING])
    const shuffled = [...rows].reverse().map((h) => ({ ...h, events: [...h.events].reverse() }))
    const b = trainGoal(timelines(shuffled, plan), plan, ONBOARDING, [ONBOARDING])
    expect(b.auc).toBe(a.auc)
    b.model!.weights.forEach((w, j) => expect(w).toBeCloseTo(a.model!.weights[j]!, 4))
  })
})

/** The simulated site of `npm run propensity` (its defaults), read at its plan's moments; made once. */
const simPlan = planFor(SIM_END)
const sims = new Map<boolean, ReturnType<typeof timelineOf>[]>()
const site = (intent: boolean) => {
  if (!sims.has(intent))
    sims.set(
      intent,
      simulateSite({ visitors: 10_000, seed: 42, intent, days: 120 }).map((h) =>
        timelineOf(h.id, h.events, simPlan, [SIM_FUNNEL]),
      ),
    )
  return sims.get(intent)!
}

describe('on the simulated site of npm run propensity (10,000 visitors, seed 42)', () => {
  const plan = simPlan

  it('with intent: beats the current step alone, and the drivers have the signs intent gives them', () => {
    const t = site(true)
    const goal = trainGoal(t, plan, SIM_FUNNEL, [SIM_FUNNEL])
    expect(goal.auc! - goal.baselines.step!).toBeGreaterThan(0.03)
    expect(goal.auc!).toBeGreaterThan(goal.baselines.visits!)
    expect(goal.warning).toBeNull()
    // Intent brings visitors back more often and makes them answer NPS more: both raise the chance.
    expect(weight(goal.model!, 'sessions')).toBeGreaterThan(0)
    expect(weight(goal.model!, 'nps.answered')).toBeGreaterThan(0)
    expect(weight(goal.model!, 'friction.rage')).toBeLessThan(0)
    expect(weight(goal.model!, 'funnels.onboarding')).toBeGreaterThan(0)
    // Calibrated: the Brier score beats saying the base rate to everyone.
    expect(goal.calibration!.brier).toBeLessThan(goal.calibration!.brierBaseRate)
    const churn = trainChurn(t, plan, [SIM_FUNNEL])
    expect(churn.auc!).toBeGreaterThan(churn.baselines.recency!)
    expect(churn.auc!).toBeGreaterThan(0.65)
  })

  it('without intent: the AUC of conversion and churn is within 0.05 of 0.5', () => {
    const t = site(false)
    const goal = trainGoal(t, plan, SIM_FUNNEL, [SIM_FUNNEL])
    const churn = trainChurn(t, plan, [SIM_FUNNEL])
    expect(goal.holdoutPositives).toBeGreaterThan(200)
    expect(Math.abs(goal.auc! - 0.5)).toBeLessThan(0.05)
    expect(Math.abs(churn.auc! - 0.5)).toBeLessThan(0.05)
  })
})

describe('scoring as of now', () => {
  it('lowers the chance of a visitor not seen for weeks, and gives 1 to one who reached the goal', () => {
    const m = trainGoal(site(true), simPlan, SIM_FUNNEL, [SIM_FUNNEL]).model!
    const spec = { funnels: [SIM_FUNNEL] }
    let k = 0
    const ev = (type: string, ts: number, props = {}, name?: string) =>
      profileEvent({ id: `e${++k}`, type, ts, url: 'https://demo.example/', props, flags: 0, ...(name && { name }) })
    const p = applyEvents(
      null,
      [ev('pageview', SIM_END), ev('pageview', SIM_END + 1), ev('step', SIM_END + 2, { step: 'invite' }, 'onboarding')],
      's1',
      SIM_END,
      spec,
    )
    const now = scoreProfile(m, p, SIM_END + DAY)
    const weeksLater = scoreProfile(m, p, SIM_END + 40 * DAY)
    expect(now).toBeGreaterThan(weeksLater)
    expect(chanceOf(m, p, SIM_END + DAY)).toBe(now)
    const done = applyEvents(p, [ev('step', SIM_END + 3, { step: 'done' }, 'onboarding')], 's1', SIM_END, spec)
    expect(scoreProfile(m, done, SIM_END + DAY)).toBe(1)
  })
})

describe('the fit and the measures', () => {
  it('AUC counts ties as half and needs both classes', () => {
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75)
    expect(auc([0.5, 0.5], [0, 1])).toBe(0.5)
    expect(auc([0.5, 0.7], [1, 1])).toBeNull()
  })

  it('keeps weights finite on a perfectly separable set (the L2 penalty)', () => {
    const w = fitLogistic([[-2], [-1], [1], [2]], [0, 0, 1, 1])
    expect(w[0]).toBeGreaterThan(0.5)
    expect(Number.isFinite(w[0]!)).toBe(true)
    expect(Math.abs(w[1]!)).toBeLessThan(1e-6)
  })

  it('calibration: 10 bins of predicted against observed, and the Brier score against the base rate', () => {
    const c = calibration([0.05, 0.05, 0.95, 0.95, 1], [0, 1, 1, 1, 1], 0.5)
    expect(c.bins).toHaveLength(10)
    expect(c.bins[0]).toEqual({ from: 0, to: 0.1, n: 2, predicted: 0.05, observed: 0.5 })
    expect(c.bins[9]).toEqual({ from: 0.9, to: 1, n: 3, predicted: 0.9667, observed: 1 })
    expect(c.bins[5]).toMatchObject({ n: 0, predicted: null, observed: null })
    expect(c.brier).toBeCloseTo((0.05 ** 2 + 0.95 ** 2 + 0.05 ** 2 + 0.05 ** 2 + 0) / 5, 4)
    expect(c.brierBaseRate).toBe(0.25)
  })

  it('rebuilds the profile from events as the visitor shard did, whatever their order', () => {
    for (const h of inviteThenDone(20, 4, END)) {
      const p = profileFrom(h.id, [...h.events].reverse(), [ONBOARDING])!
      expect(p).toEqual(shardProfile(h))
      expect(p.lastSeen).toBe(Math.max(...h.events.map((e) => e.ts)))
    }
  })
})
