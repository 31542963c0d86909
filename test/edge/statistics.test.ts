/**
 * The experiments' statistics on small fixed cases, against published values where there are
 * some. How they behave over many simulated experiments (peeking, the bandit) is measured by
 * `npm run bench:experiments`, not here.
 */
import { describe, expect, it } from 'vitest'
import { posteriorOf, wilson } from '../../edge/domain/experiments'
import { alwaysValidP, liftOf, TAUS, type Period } from '../../edge/domain/lift'
import { chiSquareP, sampleRatio } from '../../edge/domain/sample-ratio'
import { visitorsPerArm } from '../../edge/domain/sample-size'
import { banditShares, sharesFromDays } from '../../edge/domain/bandit'
import { verdictOf, type VerdictInput } from '../../edge/domain/verdict'
import { normalCdf, normalQuantile } from '../../edge/domain/normal'

const day = (control: [number, number], arm: [number, number]): Period => ({
  control: { exposed: control[0], conversions: control[1] },
  arm: { exposed: arm[0], conversions: arm[1] },
})

describe('published values', () => {
  it('gives the normal quantiles and tail areas of the tables', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6)
    expect(normalQuantile(0.8)).toBeCloseTo(0.841621, 6)
    expect(normalCdf(-3)).toBeCloseTo(0.0013499, 7)
  })

  it("gives the chi-square table's critical values their p-values", () => {
    // Upper-tail critical values (NIST/SEMATECH e-Handbook, table 1.3.6.7.4).
    expect(chiSquareP(3.841, 1)).toBeCloseTo(0.05, 4)
    expect(chiSquareP(10.828, 1)).toBeCloseTo(0.001, 5)
    expect(chiSquareP(5.991, 2)).toBeCloseTo(0.05, 4)
    expect(chiSquareP(9.488, 4)).toBeCloseTo(0.05, 4)
    expect(chiSquareP(18.307, 10)).toBeCloseTo(0.05, 4)
    // With 2 degrees of freedom the tail is exactly e^(-x/2).
    expect(chiSquareP(20, 2)).toBeCloseTo(Math.exp(-10), 12)
  })

  it("gives Newcombe's (1998) Wilson intervals, 0 conversions included", () => {
    const four = (x: [number, number]) => x.map((v) => Math.round(v * 10_000) / 10_000)
    expect(four(wilson(81, 263))).toEqual([0.2553, 0.3662])
    expect(four(wilson(15, 148))).toEqual([0.0624, 0.1605])
    expect(four(wilson(0, 20))).toEqual([0, 0.1611])
    expect(four(wilson(1, 29))).toEqual([0.0061, 0.1718])
  })

  it("needs R's power.prop.test visitors for a fixed-horizon test, and more when it may be read any time", () => {
    // power.prop.test(p1 = .50, p2 = .75, power = .90): n = 76.7 per group.
    expect(visitorsPerArm(0.5, 0.75, { power: 0.9 })).toBe(77)
    const fixed = visitorsPerArm(0.05, 0.055)
    const anytime = visitorsPerArm(0.05, 0.055, { taus: TAUS })
    expect(fixed).toBe(31_234)
    expect(anytime / fixed).toBeGreaterThan(1.5)
    expect(anytime / fixed).toBeLessThan(3)
  })

  it('gives the expected loss and chance to be best of Beta posteriors', () => {
    // Two uniform posteriors: E[max(X, Y) − X] = 1/6. Beta(2, 1) against a uniform: P(best) 2/3,
    // losses 1/12 (shipping the Beta(2, 1) arm) and 1/4.
    const even = posteriorOf(
      [
        { variant: 'a', exposed: 0, conversions: 0 },
        { variant: 'b', exposed: 0, conversions: 0 },
      ],
      40_000,
    )
    expect(even.expectedLoss[0]).toBeCloseTo(1 / 6, 2)
    const one = posteriorOf(
      [
        { variant: 'a', exposed: 1, conversions: 1 },
        { variant: 'b', exposed: 0, conversions: 0 },
      ],
      40_000,
    )
    expect(one.probabilityBest[0]).toBeCloseTo(2 / 3, 2)
    expect(one.expectedLoss[0]).toBeCloseTo(1 / 12, 2)
    expect(one.expectedLoss[1]).toBeCloseTo(1 / 4, 2)
  })
})

describe('lift against the control', () => {
  it("is the defining mixture's p-value (a brute-force integral of it)", () => {
    // 1 / ∫ L(x)/L(0) N(x; 0, τ²) dx averaged over the spreads, L the converters' binomial.
    const brute = (kA: number, nA: number, kB: number, nB: number) => {
      const pi = nB / (nA + nB)
      const l = (x: number) => kB * x - (kA + kB) * Math.log(pi * Math.exp(x) + 1 - pi)
      let m = 0
      for (const t of TAUS) {
        let s = 0
        for (let x = -12 * t; x <= 12 * t; x += t / 2000)
          s += Math.exp(l(x) - l(0) - (x * x) / (2 * t * t)) * (t / 2000)
        m += s / (t * Math.sqrt(2 * Math.PI)) / TAUS.length
      }
      return 1 / m
    }
    expect(alwaysValidP([day([1000, 50], [1000, 100])])).toBeCloseTo(brute(50, 1000, 100, 1000), 6)
    expect(alwaysValidP([day([5000, 10], [1000, 9])])).toBeCloseTo(brute(10, 5000, 9, 1000), 6)
  })

  it('has an interval of some width at 0 conversions, which excludes no lift once the control has 20', () => {
    const none = liftOf([day([1000, 20], [1000, 0])])
    expect(none.lift).toBe(-1)
    expect(none.interval[0]).toBe(-1)
    expect(none.interval[1]).toBeLessThan(0)
    expect(none.interval[1]).toBeGreaterThan(-0.9)
    // With 2 conversions against 0 nothing can be said: the interval is unbounded above.
    expect(liftOf([day([100, 2], [100, 0])]).interval).toEqual([-1, null])
    // The control without conversions: no estimate, no upper end.
    const first = liftOf([day([100, 0], [100, 3])])
    expect(first.lift).toBeNull()
    expect(first.interval[1]).toBeNull()
  })

  it('is wider than a fixed-horizon interval: the price of reading it every day', () => {
    const l = liftOf([day([1000, 50], [1000, 100])])
    expect(l.lift).toBeCloseTo(1, 6)
    // The fixed-horizon 95% interval on the log ratio is 1 ± 1.96·√(1/50 + 1/100): 0.42 to 1.82.
    expect(l.interval[0]).toBeGreaterThan(0)
    expect(l.interval[0]).toBeLessThan(0.42)
    expect(l.interval[1]).toBeGreaterThan(1.82)
  })

  it('compares arms within each day, so a base rate that drifts while the split shifts fakes no lift', () => {
    // Equal arms: 3% on day 1 when the arm had a tenth of the traffic, 9% on day 2 when it had 90%.
    const days = [day([900, 27], [100, 3]), day([100, 9], [900, 81])]
    const pooled = 84 / 1000 / (36 / 1000) - 1
    expect(pooled).toBeGreaterThan(1.3)
    const l = liftOf(days)
    expect(l.lift).toBeCloseTo(0, 6)
    expect(l.interval[0]).toBeLessThan(0)
    expect(l.interval[1]).toBeGreaterThan(0)
  })
})

describe('sample ratio', () => {
  it('flags exposures all on one arm, and not a fair split', () => {
    expect(sampleRatio([0, 30, 0], [1, 1, 1])).toEqual({ p: expect.any(Number), flagged: true })
    expect(sampleRatio([0, 30, 0], [1, 1, 1]).p).toBeLessThan(1e-12)
    const fair = sampleRatio([98, 102], [1, 1])
    expect(fair.flagged).toBe(false)
    expect(fair.p).toBeCloseTo(0.7773, 4)
    // 50/30/20 against thirds: χ² = 14 on 2 degrees of freedom, p = e^-7 = 0.00091.
    const skewed = sampleRatio([50, 30, 20], [1, 1, 1])
    expect(skewed.p).toBeCloseTo(Math.exp(-7), 8)
    expect(skewed.flagged).toBe(true)
  })

  it('tests against the served split, holdout included, and waits for enough visitors', () => {
    // A 10% holdout and a 1:3 split of the rest.
    expect(sampleRatio([100, 225, 675], [0.1, 0.225, 0.675]).flagged).toBe(false)
    expect(sampleRatio([100, 450, 450], [0.1, 0.225, 0.675]).flagged).toBe(true)
    // An arm given no weight that still has visitors is a mismatch at any size.
    expect(sampleRatio([3, 0], [0, 1])).toEqual({ p: 0, flagged: true })
    expect(sampleRatio([2, 3, 4], [1, 1, 1])).toEqual({ p: null, flagged: false })
  })
})

describe('the bandit', () => {
  const counts = (...arms: [number, number][]) => arms.map(([exposed, conversions]) => ({ exposed, conversions }))

  it('gives a clearly better arm all but its floor, and equal arms equal shares', () => {
    const better = banditShares([{ age: 0, arms: counts([1000, 50], [1000, 100]) }], 2)
    expect(better[1]).toBeCloseTo(0.95, 3)
    expect(better[0]).toBeCloseTo(0.05, 3)
    const equal = banditShares([{ age: 0, arms: counts([1000, 50], [1000, 50]) }], 2)
    expect(equal[0]).toBeCloseTo(0.5, 6)
    const three = banditShares([{ age: 0, arms: counts([1000, 50], [1000, 50], [1000, 150]) }], 3)
    expect(three[2]).toBeGreaterThan(0.9)
    expect(three[0]! + three[1]! + three[2]!).toBeCloseTo(1, 9)
  })

  it("does not count today's exposures still inside their window as failures", () => {
    const past = { age: 10, arms: counts([500, 25], [500, 40]) }
    const before = banditShares([past], 2)
    // Today the second arm got most visitors, none converted yet: it is not punished for it.
    const today = banditShares([past, { age: 0, arms: counts([100, 0], [900, 0]) }], 2)
    expect(today[1]).toBeCloseTo(before[1]!, 9)
  })

  it('weighs recent days more: an arm that stopped being better loses its traffic', () => {
    const old = { age: 60, arms: counts([1000, 30], [1000, 60]) }
    const recent = { age: 1, arms: counts([1000, 60], [1000, 30]) }
    expect(banditShares([old, recent], 2)[0]).toBeGreaterThan(0.9)
  })

  it('reads shares from days of exposure, a variant since removed left out', () => {
    const now = Date.parse('2026-03-10T12:00:00Z')
    const rows = [
      { variant: '', day: '2026-03-09', exposed: 1000, conversions: 50 },
      { variant: 'trial', day: '2026-03-09', exposed: 1000, conversions: 100 },
      { variant: 'gone', day: '2026-03-09', exposed: 1000, conversions: 900 },
    ]
    expect(sharesFromDays(['', 'trial'], rows, now)[1]).toBeGreaterThan(0.9)
    expect(sharesFromDays(['', 'trial'], [], now)).toEqual([0.5, 0.5])
  })
})

describe('the verdict', () => {
  const base: VerdictInput = {
    control: 'default',
    arms: [],
    exposed: 2000,
    srm: { p: 0.4, flagged: false },
    minimumLift: 0.1,
    guardrail: null,
    visitorsNeeded: 1900,
    baseRate: 0.05,
  }
  const arm = (lift: number | null, lo: number, hi: number | null, loss = 0.001) => ({
    name: 'trial',
    vsControl: { lift, interval: [lo, hi] as [number, number | null] },
    expectedLoss: loss,
    guardrail: null,
  })
  const control = { name: 'default', vsControl: null, expectedLoss: 0.02, guardrail: null }

  it('names the winner, its lift and the expected loss, and says the test can stop', () => {
    expect(verdictOf({ ...base, arms: [control, arm(0.38, 0.12, 0.7)] })).toEqual({
      text: 'trial beats default: +38% (+12% to +70%); expected loss if you ship it 0.1 pt; you can stop.',
      decided: true,
      facts: {
        kind: 'winner',
        arm: 'trial',
        lift: 0.38,
        interval: [0.12, 0.7],
        expectedLoss: 0.001,
        rivals: [],
        guardrail: null,
      },
    })
  })

  it('says how many more visitors per arm a 10% lift needs while nothing is decided', () => {
    expect(verdictOf({ ...base, arms: [control, arm(0.05, -0.2, 0.4)] }).text).toBe(
      "Keep running: about 1,900 more visitors per arm to detect a 10% lift (at default's 5.0%). So far trial +5.0% (−20% to +40%).",
    )
  })

  it('warns of a sample ratio mismatch before anything else', () => {
    const v = verdictOf({ ...base, srm: { p: 1e-9, flagged: true }, arms: [control, arm(0.38, 0.12, 0.7)] })
    expect(v.decided).toBe(false)
    expect(v.text).toMatch(/^Sample ratio mismatch \(p = 1\.0e-9\)/)
  })

  it('keeps the control when every variant is worse, and stops when no difference is worth having', () => {
    expect(verdictOf({ ...base, arms: [control, arm(-0.2, -0.35, -0.04)] }).text).toBe(
      'default beats trial −20% (−35% to −4.0%); keep default; you can stop.',
    )
    expect(verdictOf({ ...base, arms: [control, arm(0.01, -0.06, 0.08)] }).text).toBe(
      'No variant changes the rate by 10% or more: trial +1.0% (−6.0% to +8.0%); you can stop.',
    )
  })

  it('does not call a winner whose guardrail rose', () => {
    const harmed = { ...arm(0.38, 0.12, 0.7), guardrail: { lift: 0.5, interval: [0.1, 1.2] as [number, number] } }
    const v = verdictOf({ ...base, guardrail: 'rage_click', arms: [control, harmed] })
    expect(v.decided).toBe(false)
    expect(v.text).toContain('But rage_click rose: +50% (+10% to +120%)')
  })
})
