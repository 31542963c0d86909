/**
 * @module spans: which part of an insight's window is read from daily rollups and which from
 * raw events. Pure. Rollups hold whole UTC days (day number = ms / 86,400,000); a window
 * [from, to) is read as: raw events from `from` to the first midnight, rolled-up days from
 * there up to the first day not rolled up yet (or today, which is never rolled up), raw
 * events after that. Raw events thus cover at most the partial first day, the open day and
 * whatever the job has not rolled up yet.
 */
export const DAY_MS = 86_400_000

/**
 * The period of `days` at `now`, as every view counts it: today and the `days − 1` UTC days
 * before it, [from, to) up to now (so whole days come from the rollups, today from raw events).
 */
export function periodOf(days: number, now: number): { from: number; to: number } {
  return { from: Math.floor(now / DAY_MS) * DAY_MS - (days - 1) * DAY_MS, to: now + 1 }
}

export interface Spans {
  /** Rolled-up days read: day numbers [first, end); empty when end <= first. */
  days: [number, number]
  /** Time ranges [from, to) read from raw events (at most two: the head and the tail). */
  raw: [number, number][]
}

/**
 * @param rolledTo the day after the last day rolled up (days before it are in the rollups),
 *   or 0 when nothing is.
 * @param rolledFrom the first day a table holds, for a table filled from a later day on than
 *   the others (the days before it are read raw, with the head).
 */
export function spansOf(from: number, to: number, rolledTo: number, rolledFrom = 0): Spans {
  const first = Math.max(Math.ceil(from / DAY_MS), rolledFrom)
  const end = Math.min(rolledTo, Math.floor(to / DAY_MS))
  if (end <= first) return { days: [first, first], raw: [[from, to]] }
  const raw: [number, number][] = []
  if (from < first * DAY_MS) raw.push([from, first * DAY_MS])
  if (end * DAY_MS < to) raw.push([end * DAY_MS, to])
  return { days: [first, end], raw }
}
