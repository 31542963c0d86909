/**
 * @module trends: time series of the insights, with the period before for comparison. Pure.
 * The current period is every view's (domain/spans.ts `periodOf`): today and the days before it,
 * by UTC day, or for periods of up to two days by the hour (the hours after now are still to come).
 */
import { periodOf } from './spans'

export const HOUR = 3_600_000
export const DAY = 86_400_000

export interface TrendPeriod {
  unit: 'day' | 'hour'
  /** Milliseconds per bucket. */
  size: number
  /** Buckets per period. */
  buckets: number
  /** Start of the current period's first bucket; the previous period is the same length before it. */
  start: number
  previousStart: number
  /** End of the current period's last bucket (after now). */
  end: number
}

export function trendPeriod(days: number, now: number): TrendPeriod {
  const [unit, size, buckets] = days <= 2 ? (['hour', HOUR, days * 24] as const) : (['day', DAY, days] as const)
  const start = periodOf(days, now).from
  return { unit, size, buckets, start, previousStart: start - buckets * size, end: start + buckets * size }
}

export interface Metric {
  id: string
  label: string
  /** Per bucket; null where it has no value (an NPS without answers). */
  current: (number | null)[]
  previous: (number | null)[]
  /** The whole period's figure (distinct visitors over the period, not a sum of days). */
  total: { current: number | null; previous: number | null }
}

/** NPS from answer counts: % promoters (9–10) minus % detractors (0–6); null without answers. */
export const nps = (promoters: number, detractors: number, answers: number): number | null =>
  answers ? Math.round(((promoters - detractors) / answers) * 100) : null

/**
 * Splits rows by bucket number (0 … 2 × buckets − 1, the previous period first) into the two
 * periods' series; buckets without a row are 0 (or what `empty` says).
 */
export function split<R extends { b: number }>(
  rows: R[],
  buckets: number,
  value: (r: R) => number | null,
  empty: number | null = 0,
): { current: (number | null)[]; previous: (number | null)[] } {
  const all: (number | null)[] = Array.from({ length: 2 * buckets }, () => empty)
  for (const r of rows) if (r.b >= 0 && r.b < 2 * buckets) all[r.b] = value(r)
  return { previous: all.slice(0, buckets), current: all.slice(buckets) }
}
