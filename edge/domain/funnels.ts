/**
 * @module funnels: onboarding funnels from step counts. Pure.
 * A step's visitors are those who reached it (in order: domain/funnel-steps.ts); conversion is against the funnel's first step,
 * drop-off against the previous one. The bottleneck is the step that loses the largest share of
 * the previous step's visitors (on a tie in share, the one losing more visitors; then the first).
 */
import type { FunnelConfig } from '../../snippet/contract/wire'

export interface StepCounts {
  step: string
  visitors: number
  stalls: number
}

export interface FunnelReport {
  id: string
  steps: {
    id: string
    maxSeconds: number | null
    visitors: number
    /** Share of the first step's visitors who reached this step (0..1). */
    conversion: number
    /** Share of the previous step's visitors who did not reach this one (0..1). */
    dropOff: number
    /** Visitors who reached this step and not the next (0 for the last): those listed by `?dropped=`. */
    dropped: number
    /** Visitors who stayed on this step past its maxSeconds. */
    stalls: number
    /** The step as the ad hoc syntax writes it (`step:onboarding/account`, `page:/pricing`, `track:signup`). */
    match: string
    /** Seconds from the previous step (median, 90th percentile) of those who reached this one; null for the first. */
    fromPrevious: { median: number; p90: number } | null
    /** Of those who reached this step and not the next: their next event (top 5; null: nothing after). */
    next: { event: string | null; visitors: number }[]
  }[]
  /** Days from a visitor's first step within which the later steps count. */
  window: number
  /** More than STEP_VISITORS (store/insights/ordered.ts) who started did step 2 too: only that many were followed. */
  truncated: boolean
  /** The step that loses the largest share of the visitors who reached the previous one, or null when nobody was lost. */
  bottleneck: string | null
}

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1000) / 1000 : 0)

/** What ordered funnels add to a step (domain/funnel-steps.ts), by step index. */
export interface StepOrder {
  match: string
  fromPrevious: { median: number; p90: number } | null
  next: { event: string | null; visitors: number }[]
}

/**
 * The report of a funnel: `counts` by step id (for an ordered funnel, its cohort's visitors),
 * and per step in order what ordered funnels add.
 */
export function funnelReport(
  funnel: FunnelConfig,
  counts: StepCounts[],
  order: StepOrder[] = [],
  more: { window?: number; truncated?: boolean } = {},
): FunnelReport {
  const by = new Map(counts.map((c) => [c.step, c]))
  const first = by.get(funnel.steps[0]?.id ?? '')?.visitors ?? 0
  let prev = first
  let worst = { share: 0, lost: 0 }
  let bottleneck: string | null = null
  const steps = funnel.steps.map((s, i) => {
    const c = by.get(s.id)
    const visitors = c?.visitors ?? 0
    const lost = i === 0 ? 0 : Math.max(0, prev - visitors)
    const share = prev > 0 ? lost / prev : 0
    if (lost > 0 && (share > worst.share || (share === worst.share && lost > worst.lost)))
      ((worst = { share, lost }), (bottleneck = s.id))
    const row = {
      id: s.id,
      maxSeconds: s.maxSeconds ?? null,
      visitors,
      conversion: ratio(visitors, first),
      dropOff: i === 0 ? 0 : ratio(lost, prev),
      dropped: 0,
      stalls: c?.stalls ?? 0,
      match: order[i]?.match ?? `step:${funnel.id}/${s.id}`,
      fromPrevious: order[i]?.fromPrevious ?? null,
      next: order[i]?.next ?? [],
    }
    prev = visitors
    return row
  })
  // Ordered: who reached the next step reached this one, so the difference is who stopped here.
  steps.forEach((s, i) => (s.dropped = i + 1 < steps.length ? Math.max(0, s.visitors - steps[i + 1]!.visitors) : 0))
  return {
    id: funnel.id,
    steps,
    bottleneck,
    window: more.window ?? funnel.window ?? 7,
    truncated: more.truncated ?? false,
  }
}

/** The 75th percentile (nearest rank), as web-vitals reports are judged. */
export function p75(values: number[]): number | null {
  if (!values.length) return null
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.ceil(sorted.length * 0.75) - 1]!
}
