/**
 * @module personalisation: what the slots' experiments achieve, and how large each segment
 * is. Pure: from exposure counts (read by store/experiments.ts) and visitor profiles.
 *
 * Per experiment: a verdict (verdict.ts), the sample-ratio check (sample-ratio.ts) and the
 * visitors still needed (sample-size.ts). Per arm: visitors exposed, conversions (once per
 * visitor, within the window), the rate with a 95% Wilson interval, the probability to be best
 * and the expected loss (Beta posteriors), and the lift against the control (the default
 * content, or the first variant when it is no arm) with an always-valid interval (lift.ts),
 * compared within each day of first exposure. Against the holdout only once it has enough
 * visitors to say anything, and never for the default arm (the holdout's own content).
 * Conversions are counted on the day of exposure, so the cumulative chart compares cohorts.
 */
import type { ExperimentConfig, SegmentConfig, SegmentRule, SiteConfig } from '../../snippet/contract/wire'
import { armsOf, posteriorOf, wilson, type ArmStats } from './experiments'
import { liftOf, TAUS, type Counts, type Lift } from './lift'
import { sampleRatio } from './sample-ratio'
import { visitorsPerArm } from './sample-size'
import { verdictOf, type ArmLift, type VerdictFacts } from './verdict'
import type { Profile } from './profile'
import { matcher, segmentsOf } from './segments'

/** Exposures and conversions of one arm of one slot's experiment on one day (store/experiments.ts reads them). */
export interface ExposureRow {
  slot: string
  experiment: string
  variant: string
  holdout: number
  day: string
  exposed: number
  conversions: number
  /** Exposed visitors who did the guardrail event within the window. */
  guarded: number
}

/** The holdout's lift is shown from this many visitors and conversions on: fewer say nothing. */
export const HOLDOUT_MIN = { exposed: 100, conversions: 10 }

const round = (x: number) => Math.round(x * 10_000) / 10_000
const roundLift = (l: Lift): Lift => ({
  lift: l.lift === null ? null : round(l.lift),
  interval: [round(l.interval[0]), l.interval[1] === null ? null : round(l.interval[1])],
})
const roundArm = (a: ArmLift): ArmLift => ({ arm: a.arm, ...roundLift(a) })
/** The verdict's facts with their numbers as the rest of the report rounds them. */
function roundFacts(f: VerdictFacts): VerdictFacts {
  switch (f.kind) {
    case 'sampleRatioMismatch':
      return { ...f, p: Number(f.p.toPrecision(3)) }
    case 'winner':
      return {
        ...f,
        ...roundLift(f),
        expectedLoss: Number(f.expectedLoss.toPrecision(3)),
        guardrail: f.guardrail && { event: f.guardrail.event, ...roundLift(f.guardrail) },
      }
    case 'controlWins':
    case 'noDifference':
      return { ...f, arms: f.arms.map(roundArm) }
    case 'keepRunning':
      return {
        ...f,
        baseRate: f.baseRate === null ? null : round(f.baseRate),
        lead: f.lead && roundArm(f.lead),
      }
    default:
      return f
  }
}

function summary(s: ArmStats) {
  const [lo, hi] = wilson(s.conversions, s.exposed)
  return {
    variant: s.variant,
    exposed: s.exposed,
    conversions: s.conversions,
    rate: s.exposed ? round(s.conversions / s.exposed) : 0,
    interval: [round(lo), round(hi)] as [number, number],
  }
}

/** One arm's counts per day (days in `days` order), for the goal or the guardrail. */
type Daily = Map<string, Counts>
const add = (m: Daily, day: string, exposed: number, conversions: number) => {
  const c = m.get(day) ?? { exposed: 0, conversions: 0 }
  m.set(day, { exposed: c.exposed + exposed, conversions: c.conversions + conversions })
}
const pairs = (days: string[], control: Daily, arm: Daily) =>
  days.map((d) => ({
    control: control.get(d) ?? { exposed: 0, conversions: 0 },
    arm: arm.get(d) ?? { exposed: 0, conversions: 0 },
  }))

/** The split a fixed experiment serves, holdout first: what the sample-ratio check expects. */
function servedShares(x: ExperimentConfig, arms: string[]): number[] {
  const h = x.holdout ?? 0
  const w = x.weights && x.weights.length === arms.length ? x.weights : arms.map(() => 1)
  const total = w.reduce((a, b) => a + b, 0)
  return [h, ...w.map((v) => ((1 - h) * v) / total)]
}

export function experimentReports(config: SiteConfig, rows: ExposureRow[]) {
  return (config.slots ?? []).flatMap((slot) => {
    const x = slot.experiment
    if (!x) return []
    const mine = rows.filter((r) => r.slot === slot.id && r.experiment === x.id)
    const names = armsOf(x)
    const arms: ArmStats[] = names.map((variant) => ({ variant, exposed: 0, conversions: 0 }))
    const holdout: ArmStats = { variant: '', exposed: 0, conversions: 0 }
    const goal = names.map((): Daily => new Map())
    const harm = names.map((): Daily => new Map())
    const held: Daily = new Map()
    const heldHarm: Daily = new Map()
    const days = [...new Set(mine.map((r) => r.day))].sort()
    const cumulative: { day: string; rates: { [variant: string]: number }; holdout: number | null }[] = []
    for (const day of days) {
      for (const r of mine.filter((r) => r.day === day)) {
        const i = names.indexOf(r.variant)
        if (!r.holdout && i < 0) continue // a variant since removed from the experiment
        const a = r.holdout ? holdout : arms[i]!
        a.exposed += r.exposed
        a.conversions += r.conversions
        add(r.holdout ? held : goal[i]!, day, r.exposed, r.conversions)
        add(r.holdout ? heldHarm : harm[i]!, day, r.exposed, r.guarded)
      }
      cumulative.push({
        day,
        rates: Object.fromEntries(arms.map((a) => [a.variant, a.exposed ? round(a.conversions / a.exposed) : 0])),
        holdout: holdout.exposed ? round(holdout.conversions / holdout.exposed) : null,
      })
    }
    const guarded = names.map((_, i) => [...harm[i]!.values()].reduce((n, c) => n + c.conversions, 0))
    // The control: the default content, or the first variant when the default is no arm (armsOf's order).
    const c = 0
    const comparisons = Math.max(1, names.length - 1)
    // Bonferroni: the verdict may pick any of the variants, so each interval is at 5% / variants.
    const alpha = 0.05 / comparisons
    const vsControl = names.map((_, i) => (i === c ? null : liftOf(pairs(days, goal[c]!, goal[i]!), alpha)))
    const guardVs = names.map((_, i) =>
      i === c || !x.guardrail ? null : liftOf(pairs(days, harm[c]!, harm[i]!), alpha),
    )
    const holdoutSays = holdout.exposed >= HOLDOUT_MIN.exposed && holdout.conversions >= HOLDOUT_MIN.conversions
    const { probabilityBest, expectedLoss } = posteriorOf(arms)
    const h = x.holdout ?? 0
    const srm =
      x.allocation === 'thompson'
        ? h > 0
          ? sampleRatio([holdout.exposed, arms.reduce((n, a) => n + a.exposed, 0)], [h, 1 - h])
          : { p: null, flagged: false }
        : sampleRatio([holdout.exposed, ...arms.map((a) => a.exposed)], servedShares(x, names))
    const minimumLift = x.minimumLift ?? 0.1
    const converted = arms.reduce((n, a) => n + a.conversions, 0)
    const exposed = arms.reduce((n, a) => n + a.exposed, 0)
    const base = arms[c]!.conversions ? arms[c]!.conversions / arms[c]!.exposed : converted ? converted / exposed : null
    const undecided = names.filter((_, i) => {
      const l = vsControl[i]
      return !l || !(l.interval[0] > 0 || (l.interval[1] !== null && l.interval[1] < 0))
    })
    // A rate too high to rise by the minimum lift is asked to fall by as much instead.
    const perArm =
      base === null
        ? null
        : visitorsPerArm(base, base * (1 + minimumLift) < 1 ? base * (1 + minimumLift) : base / (1 + minimumLift), {
            alpha,
            taus: TAUS,
          })
    const fewest = Math.min(...arms.filter((a) => undecided.includes(a.variant)).map((a) => a.exposed))
    const needed = perArm === null ? null : Math.max(0, perArm - fewest)
    const verdict = verdictOf({
      control: names[c]!,
      arms: names.map((v, i) => ({
        name: v,
        vsControl: vsControl[i]!,
        expectedLoss: expectedLoss[i]!,
        guardrail: guardVs[i]!,
      })),
      exposed,
      srm,
      minimumLift,
      guardrail: x.guardrail ? [x.guardrail.type, x.guardrail.name, x.guardrail.step].filter(Boolean).join(' ') : null,
      visitorsNeeded: needed,
      baseRate: base,
    })
    return [
      {
        slot: slot.id,
        experiment: x.id,
        on: x.on !== false,
        allocation: x.allocation ?? 'split',
        goal: x.goal,
        guardrail: x.guardrail ?? null,
        windowDays: x.windowDays ?? 14,
        holdoutShare: h,
        minimumLift,
        /** The arm lift is measured against ('' is the default content). */
        control: names[c]!,
        /** What to do now, in English. */
        verdict: verdict.text,
        /** The same as data (verdict.ts), for a client that says it in its own words. */
        verdictFacts: roundFacts(verdict.facts),
        /** The verdict says the experiment can stop. */
        decided: verdict.decided,
        srm: { p: srm.p === null ? null : Number(srm.p.toPrecision(3)), flagged: srm.flagged },
        /** More visitors per arm to detect `minimumLift` (0 once decided); null before any conversion. */
        visitorsNeeded: verdict.decided ? 0 : needed,
        arms: arms.map((a, i) => ({
          ...summary(a),
          probabilityBest: round(probabilityBest[i]!),
          expectedLoss: Number(expectedLoss[i]!.toPrecision(3)),
          vsControl: vsControl[i] ? roundLift(vsControl[i]!) : null,
          vsHoldout: holdoutSays && a.variant !== '' ? roundLift(liftOf(pairs(days, held, goal[i]!))) : null,
          guardrail: x.guardrail
            ? {
                visitors: guarded[i]!,
                rate: a.exposed ? round(guarded[i]! / a.exposed) : 0,
                vsControl: guardVs[i] ? roundLift(guardVs[i]!) : null,
              }
            : null,
        })),
        holdout: holdout.exposed ? summary(holdout) : null,
        cumulative,
      },
    ]
  })
}

/**
 * Visitors per segment among the period's profiles, each judged as of `at` (the period's end):
 * the same judgement as a segment used as a filter (membersOf).
 */
export function segmentSizes(config: SiteConfig, profiles: (Profile | null)[], at: number) {
  const counts = new Map((config.segments ?? []).map((s) => [s.id, 0]))
  for (const p of profiles)
    if (p) for (const id of segmentsOf(config.segments, p, at)) counts.set(id, counts.get(id)! + 1)
  return (config.segments ?? []).map((s) => ({
    id: s.id,
    description: s.description ?? null,
    visitors: counts.get(s.id)!,
  }))
}

/** The visitors (of the period's profiles) in segment or rule `rule` as of `at` (the period's end). */
export function membersOf(
  segments: SegmentConfig[] | undefined,
  rule: SegmentRule | string,
  profiles: { id: string; profile: Profile | null }[],
  at: number,
): string[] {
  return profiles.filter((r) => r.profile && matcher(segments, r.profile, at)(rule)).map((r) => r.id)
}
