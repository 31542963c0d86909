/**
 * @module store/insights/ordered: the rows ordered funnels read (domain/funnel-steps.ts), and
 * what a visitor did next after a step. A funnel's steps are read from roll_hits (the times of
 * the events that can be a step, per key, session and day: store/rollup-tables.ts) for
 * rolled-up days and recounted from raw events for the rest, like every rollup read
 * (store/insights/rows.ts): only the keys of the funnel's steps, and only for visitors with a
 * step 1 in the period, each as one row of their keys' times.
 */
import { keysOf, type StepRule } from '../../domain/funnel-steps'
import type { Clause } from '../filters'
import { HUMAN } from '../filters'
import { plan, type RollWindow } from '../planner'
import { hitsRecount, int } from '../rollup-tables'
import { rowFilter, withRows } from './rows'

/** At most this many visitors' step events are read per funnel. */
export const STEP_VISITORS = 50_000
/** At most this many visitors per step are looked up for what they did next (the latest to stop). */
export const NEXT_VISITORS = 200
/** Events that are not something a visitor chose to do next. */
const NOT_NEXT = ['page_leave', 'vitals', 'stall']

/** Above every key that starts with a prefix (the largest code point: keys are URL paths and names). */
const AFTER = 'char(1114111)'

/**
 * The keys of `rules` as conditions on column `key`, one per distinct key or prefix (a key or a
 * prefix within another prefix is left out, so that no row is read twice).
 */
function keyConditions(rules: StepRule[], key: string): Clause[] {
  const spans = rules.map(keysOf)
  const prefixes = [...new Set(spans.flatMap((k) => ('prefix' in k ? [k.prefix] : [])))]
  const within = (x: string) => prefixes.some((p) => p !== x && x.startsWith(p))
  const keys = [...new Set(spans.flatMap((k) => ('key' in k ? [k.key] : [])))].filter((k) => !within(k))
  return [
    ...keys.map((k) => ({ sql: `${key} = ?`, args: [k] })),
    ...prefixes.filter((p) => !within(p)).map((p) => ({ sql: `${key} >= ? AND ${key} < ? || ${AFTER}`, args: [p, p] })),
  ]
}

/** One condition on column `key` for every key of `rules` (a superset for page patterns). */
function anyKey(rules: StepRule[], key: string): Clause {
  const c = keyConditions(rules, key)
  return { sql: c.map((x) => `(${x.sql})`).join(' OR '), args: c.flatMap((x) => x.args) }
}

/**
 * Per visitor with a step-1 event in the period (at most STEP_VISITORS), their rows of the
 * funnel's keys in the period: key and times. Keys of page patterns are a superset here, read
 * by the pattern's literal start: domain/funnel-steps.ts matches them exactly.
 */
export async function stepHits(
  db: D1Database,
  site: string,
  rules: StepRule[],
  w: RollWindow,
): Promise<{ visitors: { visitor: string; rows: [string, number[]][] }[]; truncated: boolean }> {
  const p = await plan(db, site, w)
  const s = p.hitSpans
  const filter = rowFilter(w.filter, w, 'x')
  const parts: string[] = []
  const args: unknown[] = []
  // Stored rows: one range of the primary key (site, key, day, ...) per key or prefix.
  if (s.days[1] > s.days[0])
    for (const c of keyConditions(rules, 'x.key')) {
      parts.push(`SELECT x.key AS key, x.visitor AS visitor, x.times AS times FROM roll_hits x
        WHERE x.site = ?1 AND ${c.sql} AND x.day >= ${int(s.days[0])}
          AND x.day < ${int(s.days[1])}${filter.sql}`)
      args.push(...c.args, ...filter.args)
    }
  for (const [a, b] of s.raw) {
    const keys = anyKey(rules, 'key')
    parts.push(
      `SELECT x.key AS key, x.visitor AS visitor, x.times AS times FROM (${hitsRecount(
        `site = ?1 AND ts >= ${int(a)} AND ts < ${int(b)}`,
        keys.sql,
      )}) x WHERE 1${filter.sql}`,
    )
    args.push(...keys.args, ...filter.args)
  }
  const first = anyKey(rules.slice(0, 1), 'key')
  args.push(...first.args)
  // The referrer of a filter reads the sessions' rows (withRows).
  const head = w.filter.referrer ? `${withRows(p, {})}, ` : 'WITH '
  const { results } = await db
    .prepare(
      `${head}hits AS MATERIALIZED (${parts.join(' UNION ALL ')})
       SELECT visitor, json_group_array(json_array(key, json(times))) AS rows FROM hits
       WHERE visitor IN (SELECT visitor FROM hits WHERE ${first.sql})
       GROUP BY visitor LIMIT ${STEP_VISITORS}`,
    )
    .bind(site, ...args)
    .all<{ visitor: string; rows: string }>()
  const visitors = results.map((r) => ({ visitor: r.visitor, rows: JSON.parse(r.rows) as [string, number[]][] }))
  return { visitors, truncated: results.length === STEP_VISITORS }
}

/** An event as stored, in the fields nextLabel (domain/funnel-steps.ts) names it by. */
export interface NextEvent {
  type: string
  name: string | null
  url: string
  step: string | null
}

/** Each visitor's first event after a time (bots' and NOT_NEXT's left out), or null when none followed. */
export async function nextEvents(
  db: D1Database,
  site: string,
  after: { visitor: string; ts: number }[],
): Promise<(NextEvent | null)[]> {
  if (!after.length) return []
  const { results } = await db
    .prepare(
      `SELECT j.key AS i, (SELECT json_object('type', e.type, 'name', e.name, 'url', e.url,
            'step', CASE WHEN e.type = 'step' THEN json_extract(e.props, '$.step') END)
          FROM events e INDEXED BY events_by_visitor
          WHERE e.site = ?1 AND e.visitor = json_extract(j.value, '$[0]') AND e.ts > json_extract(j.value, '$[1]')
            AND ${HUMAN('e')} AND e.type NOT IN (${NOT_NEXT.map((t) => `'${t}'`).join(', ')})
          ORDER BY e.ts LIMIT 1) AS next
       FROM json_each(?2) j LIMIT ${int(after.length)}`,
    )
    .bind(site, JSON.stringify(after.map((a) => [a.visitor, a.ts])))
    .all<{ i: number; next: string | null }>()
  const out: (NextEvent | null)[] = after.map(() => null)
  for (const r of results) out[r.i] = r.next ? (JSON.parse(r.next) as NextEvent) : null
  return out
}
