/**
 * @module personalisation: what the slots' experiments achieve, and how large each segment
 * is. Pure: from exposure counts (read by store/experiments.ts) and visitor profiles.
 *
 * Per arm: visitors exposed, conversions (once per visitor, within the window), the rate with
 * a 95% Wilson interval, the probability to be best, and the lift against the holdout (or,
 * without one, against the default content) with its interval. Conversions are counted on the
 * day of exposure, so the cumulative chart compares cohorts fairly.
 */
import type { SegmentConfig, SegmentRule, SiteConfig } from '../../snippet/contract/wire'
import { armsOf, lift, probabilityBest, wilson, type ArmStats } from './experiments'
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
}

const round = (x: number) => Math.round(x * 10_000) / 10_000

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

export function experimentReports(config: SiteConfig, rows: ExposureRow[]) {
  return (config.slots ?? []).flatMap((slot) => {
    const x = slot.experiment
    if (!x) return []
    const mine = rows.filter((r) => r.slot === slot.id && r.experiment === x.id)
    const arms: ArmStats[] = armsOf(x).map((variant) => ({ variant, exposed: 0, conversions: 0 }))
    const holdout: ArmStats = { variant: '', exposed: 0, conversions: 0 }
    const days = [...new Set(mine.map((r) => r.day))].sort()
    const cumulative: { day: string; rates: { [variant: string]: number } }[] = []
    for (const day of days) {
      for (const r of mine.filter((r) => r.day === day)) {
        const a = r.holdout ? holdout : arms.find((a) => a.variant === r.variant)
        if (!a) continue // a variant since removed from the experiment
        a.exposed += r.exposed
        a.conversions += r.conversions
      }
      cumulative.push({
        day,
        rates: Object.fromEntries(arms.map((a) => [a.variant, a.exposed ? round(a.conversions / a.exposed) : 0])),
      })
    }
    const baseline = holdout.exposed ? holdout : x.control === false ? null : arms[0]!
    const best = probabilityBest(arms)
    return [
      {
        slot: slot.id,
        experiment: x.id,
        on: x.on !== false,
        allocation: x.allocation ?? 'split',
        goal: x.goal,
        windowDays: x.windowDays ?? 14,
        holdoutShare: x.holdout ?? 0,
        /** What lift is measured against. */
        baseline: holdout.exposed ? ('holdout' as const) : baseline ? ('default' as const) : null,
        arms: arms.map((a, i) => {
          const l = baseline && a !== baseline ? lift(a, baseline) : null
          return {
            ...summary(a),
            probabilityBest: best[i]!,
            lift: l && { lift: round(l.lift), interval: l.interval.map(round) as [number, number] },
          }
        }),
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
