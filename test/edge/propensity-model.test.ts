import { describe, expect, it } from 'vitest'
import { applyEvents, profileEvent } from '../../edge/domain/profile'
import { auc, fitLogistic, heldOut, MIN_PER_CLASS, scoreProfile, train, withScores } from '../../edge/domain/propensity'

import { DAY, FUNNELS, noise, ONBOARDING, profile, separable, T, type Shape } from './propensity-data'
import { random } from './helpers'

describe('the propensity model', () => {
  it('learns a separable set: AUC above 0.9 on the visitors it did not see', () => {
    const t = train(separable(1000), ONBOARDING, FUNNELS)
    expect(t.model).not.toBeNull()
    expect(t.holdout).toBeGreaterThan(150)
    expect(t.holdout).toBeLessThan(350)
    expect(t.auc!).toBeGreaterThan(0.9)
    // Browsing raises the chance, rage clicks lower it.
    const w = (f: string) => t.model!.weights[t.model!.features.indexOf(f)]!
    expect(w('pageviews')).toBeGreaterThan(0)
    expect(w('friction.rage')).toBeLessThan(0)
  })

  it('finds nothing in random labels: AUC about 0.5', () => {
    const t = train(noise(2000), ONBOARDING, FUNNELS)
    expect(t.model).not.toBeNull()
    expect(Math.abs(t.auc! - 0.5)).toBeLessThan(0.08)
  })

  it('is deterministic: the same profiles give the same model and the same held-out visitors', () => {
    const a = train(separable(600), ONBOARDING, FUNNELS)
    const b = train(separable(600), ONBOARDING, FUNNELS)
    expect(JSON.stringify(b)).toBe(JSON.stringify(a))
    const c = train(separable(600).reverse(), ONBOARDING, FUNNELS)
    expect(c.auc).toBe(a.auc)
    c.model!.weights.forEach((w, j) => expect(w).toBeCloseTo(a.model!.weights[j]!, 4))
    expect(heldOut('v1', 'onboarding')).toBe(heldOut('v1', 'onboarding'))
  })

  it('reads converters as they were before the goal: what they did after it cannot leak', () => {
    const r = random(3)
    const rows = Array.from({ length: 1000 }, (_, i) => {
      const y = r() < 0.5
      const before: Shape = { pageviews: 1 + Math.floor(r() * 10), sessions: 1 + Math.floor(r() * 3), rage: 0 }
      // After the goal, converters use the product a lot: the current profile would give them away.
      const now: Shape = y ? { ...before, pageviews: before.pageviews + 50, sessions: before.sessions + 5 } : before
      return { id: `v${i}`, profile: profile(now, y, before) }
    })
    const t = train(rows, ONBOARDING, FUNNELS)
    expect(Math.abs(t.auc! - 0.5)).toBeLessThan(0.1)
    // The same visitors read as they are now (had the snapshot been what the profile says now):
    // what converters did after converting gives every one of them away.
    const now = rows.map((r) => {
      const b = r.profile.before?.onboarding
      if (!b) return r
      return {
        ...r,
        profile: {
          ...r.profile,
          before: {
            onboarding: {
              ...b,
              pageviews: r.profile.pageviews,
              sessions: r.profile.sessions,
              events: r.profile.events,
            },
          },
        },
      }
    })
    expect(train(now, ONBOARDING, FUNNELS).auc).toBeGreaterThan(0.99)
    // The funnel's own progress stops before the goal: a converter reads as 3 of 4 steps at most.
    const m = t.model!
    const goalFeature = m.features.indexOf('funnels.onboarding')
    expect(goalFeature).toBeGreaterThanOrEqual(0)
  })

  it('has no model with fewer than 50 visitors of either kind, and says why', () => {
    const rows = separable(1000).filter((r) => r.profile.funnels.onboarding!.i < 3)
    const few = [
      ...rows,
      ...separable(1000, 9)
        .filter((r) => r.profile.funnels.onboarding!.i === 3)
        .slice(0, 49),
    ]
    const t = train(few, ONBOARDING, FUNNELS)
    expect(t.model).toBeNull()
    expect(t.auc).toBeNull()
    expect(t.converters).toBe(49)
    expect(t.reason).toMatch(
      /^Too little data: 49 visitors reached 'done' and \d+ did not; a model needs at least 50 of each\.$/,
    )
    expect(MIN_PER_CLASS).toBe(50)
  })

  it('leaves out converters whose profile has no snapshot from before the goal', () => {
    const rows = separable(400).map((r) => ({ ...r, profile: { ...r.profile, before: undefined } }))
    const t = train(rows, ONBOARDING, FUNNELS)
    expect(t.converters).toBe(0)
    expect(t.model).toBeNull()
  })

  it('scores a likely converter above an unlikely one, and a converter at 1', () => {
    const m = train(separable(1000), ONBOARDING, FUNNELS).model!
    const keen = profile({ pageviews: 20, sessions: 3, rage: 0 }, false)
    const cross = profile({ pageviews: 2, sessions: 1, rage: 4 }, false)
    const [a, b] = [scoreProfile(m, keen), scoreProfile(m, cross)]
    expect(a).toBeGreaterThan(0.8)
    expect(b).toBeLessThan(0.2)
    expect(scoreProfile(m, profile({ pageviews: 2, sessions: 1, rage: 4 }, true))).toBe(1)
    expect(withScores(keen, [m]).propensity).toEqual({ onboarding: a })
    expect(keen.propensity).toBeUndefined()
  })
})

describe('the fit and the measure', () => {
  it('AUC counts ties as half and needs both classes', () => {
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75)
    expect(auc([0.5, 0.5], [0, 1])).toBe(0.5)
    expect(auc([0.5, 0.7], [1, 1])).toBeNull()
  })

  it('keeps weights finite on a perfectly separable set (the L2 penalty)', () => {
    const x = [[-2], [-1], [1], [2]]
    const w = fitLogistic(x, [0, 0, 1, 1])
    expect(w[0]).toBeGreaterThan(0.5)
    expect(Number.isFinite(w[0]!)).toBe(true)
    expect(Math.abs(w[1]!)).toBeLessThan(1e-6)
  })
})

describe('the profile before the goal', () => {
  it('is kept when a visitor first reaches the goal, from what they had done until then', () => {
    const spec = { funnels: [{ id: 'onboarding', steps: ONBOARDING.steps }] }
    let k = 0
    const ev = (type: string, ts: number, props: Record<string, unknown> = {}, name?: string) =>
      profileEvent({
        id: `e${++k}`,
        type,
        ts,
        url: 'https://shop.example/',
        props: props as never,
        flags: 0,
        ...(name && { name }),
      })
    let p = applyEvents(null, [ev('pageview', T), ev('pageview', T + 1), ev('rage_click', T + 2)], 's1', T, spec)
    p = applyEvents(
      p,
      [
        ev('pageview', T + DAY),
        ev('step', T + DAY + 1, { step: 'invite' }, 'onboarding'),
        ev('step', T + DAY + 2, { step: 'done' }, 'onboarding'),
        ev('pageview', T + DAY + 3),
      ],
      's2',
      T + DAY,
      spec,
    )
    const b = p.before!.onboarding!
    expect(b).toMatchObject({ sessions: 2, pageviews: 3, events: 5, at: T + DAY + 2, funnels: { onboarding: 2 } })
    expect(b.friction.rage!.n).toBe(1)
    expect(p.pageviews).toBe(4)
    // Reaching the goal again later keeps the first snapshot.
    const again = applyEvents(p, [ev('step', T + 2 * DAY, { step: 'done' }, 'onboarding')], 's3', T + 2 * DAY, spec)
    expect(again.before!.onboarding).toEqual(b)
  })
})
