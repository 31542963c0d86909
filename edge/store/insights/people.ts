/**
 * @module store/insights/people: distinct visitors and sessions of a window split in two periods (the
 * trends' previous and current one; the overview puts its whole window in the second), counted
 * from roll_sessions for rolled-up days and from raw events for the rest. Exact.
 *
 * Why not `count(DISTINCT visitor)` over the window's rows: over 90 days that sorts a row per
 * session and day (100,000 in the bench) for each count. Read in visitor (or session) order from
 * an index, the rows group with no sort, but the read covers every day the site has rolled up;
 * so the window's own rows are sorted when it holds a small share of those days.
 */
import type { Spans } from '../../domain/spans'
import { int, sessionKeysRecount } from '../rollup-tables'

/** A row of peopleSql: distinct visitors ('visitor') or sessions ('session') of each period. */
export interface PeopleRow {
  people: 'visitor' | 'session'
  cur: number
  prev: number
}

export interface PeopleCounts {
  visitors: { cur: number; prev: number }
  sessions: { cur: number; prev: number }
}

/**
 * @param split the first day of the second period (days before it are the first)
 * @param device device bits to count only (undefined: every device)
 * @param walk read in visitor/session order (long windows) rather than by day (Plan.walk)
 */
export function peopleSql(s: Spans, split: number, device: number | undefined, walk: boolean): string {
  const [d0, d1] = s.days
  const dev = (alias: string) => (device === undefined ? '' : ` AND ${alias}.device = ${int(device)}`)
  const count = (key: 'visitor' | 'session') => {
    const parts: string[] = []
    if (d1 > d0)
      parts.push(`SELECT ${key} AS k, max(day >= ${split}) AS c, max(day < ${split}) AS p
        FROM roll_sessions x INDEXED BY ${walk ? `roll_sessions_by_${key}` : 'roll_sessions_by_day'}
        WHERE site = ?1 AND day >= ${d0} AND day < ${d1}${dev('x')} GROUP BY ${key}`)
    if (s.raw.length) {
      // Raw days add the people the rolled-up days of the same period did not have.
      const raw = s.raw
        .map(
          ([
            a,
            b,
          ]) => `SELECT ${key} AS k, day >= ${split} AS c, day < ${split} AS p FROM (${sessionKeysRecount(a, b)}) x
          WHERE 1${dev('x')}`,
        )
        .join(' UNION ALL ')
      const seen = (
        from: number,
        to: number,
      ) => `EXISTS (SELECT 1 FROM roll_sessions y INDEXED BY roll_sessions_by_${key}
        WHERE y.site = ?1 AND y.${key} = r.k AND y.day >= ${from} AND y.day < ${to}${dev('y')})`
      parts.push(`SELECT k, c AND NOT ${seen(Math.max(split, d0), d1)} AS c, p AND NOT ${seen(d0, Math.min(split, d1))} AS p
        FROM (SELECT k, max(c) AS c, max(p) AS p FROM (${raw}) GROUP BY k) r`)
    }
    return `SELECT '${key}' AS people, coalesce(sum(c), 0) AS cur, coalesce(sum(p), 0) AS prev
      FROM (${parts.join(' UNION ALL ')})`
  }
  return `${count('visitor')} UNION ALL ${count('session')}`
}

export function peopleOf(rows: PeopleRow[]): PeopleCounts {
  const of = (k: PeopleRow['people']) => {
    const r = rows.find((x) => x.people === k)
    return { cur: r?.cur ?? 0, prev: r?.prev ?? 0 }
  }
  return { visitors: of('visitor'), sessions: of('session') }
}
