/**
 * @module retention: weekly cohorts by first visit, and the share of each that came back in
 * each week after (`GET /v1/insights/retention`). Pure. Weeks are UTC weeks from Monday; a
 * visitor's cohort is the week of their first event as a person (by the event's own time, so a
 * batch that arrives late lands in the week it happened); week k of a cohort is its k-th week
 * after that one (week 0: the first week itself). The current week is still running: the last
 * cell of every cohort.
 */
import { DAY_MS } from './spans'

/** The first day (day number) of the UTC week, from Monday, that holds day `d` (day 0, 1970-01-01, was a Thursday). */
export const weekOf = (d: number) => d - ((((d + 3) % 7) + 7) % 7)

/** The retention window at `now`: `weeks` whole weeks, the current one last; its first day and the days it spans. */
export function retentionWindow(weeks: number, now: number): { first: number; days: number } {
  const today = Math.floor(now / DAY_MS)
  const first = weekOf(today) - 7 * (weeks - 1)
  return { first, days: today - first + 1 }
}

/** What the store counts: a cohort's size (k = -1), or its visitors active in its week k. */
export interface CohortRow {
  c: number
  k: number
  n: number
}

export interface Cohort {
  /** Start of the cohort's week (ms, a Monday 00:00 UTC). */
  start: number
  /** Visitors first seen that week. */
  visitors: number
  /** Of them, how many were active in week 0, 1, … (as far as the weeks have come: a triangle). */
  returning: number[]
  /** The same as shares of `visitors` (0..1), null for an empty cohort. */
  shares: (number | null)[]
}

export function cohortsOf(rows: CohortRow[], first: number, weeks: number): Cohort[] {
  return Array.from({ length: weeks }, (_, c) => {
    const visitors = rows.find((r) => r.c === c && r.k === -1)?.n ?? 0
    const returning = Array.from({ length: weeks - c }, (_, k) => rows.find((r) => r.c === c && r.k === k)?.n ?? 0)
    return {
      start: (first + 7 * c) * DAY_MS,
      visitors,
      returning,
      shares: returning.map((n) => (visitors ? n / visitors : null)),
    }
  })
}
