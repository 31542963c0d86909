/**
 * @module store/insights/ordered: the rows ordered funnels read (domain/funnel-steps.ts), and
 * what a visitor did next after a step. A funnel's steps are read from roll_hits (the times of
 * the events that can be a step, per key, session and day: store/rollup-tables.ts) for
 * rolled-up days and recounted from raw events for the rest, like every rollup read
 * (store/insights/rows.ts): only the keys of the funnel's steps, grouped by visitor.
 */
import { keysOf, maskOf, type FirstOnly, type StepRule } from '../../domain/funnel-steps'
import { CLICK_TYPES, WENT_TYPES, type NextEvent } from '../../domain/went'
import { elementSql, HUMAN, hostSql } from '../filters'
import type { Plan } from '../planner'
import { hitsRecount, int } from '../rollup-tables'
import { rowFilter, withRows } from './rows'

/** At most this many visitors' step events are read per funnel. */
export const STEP_VISITORS = 50_000
/** At most this many visitors per step are looked up for what they did next (the latest to stop). */
export const NEXT_VISITORS = 200

/** The event type of each kind of step. */
const TYPE_OF = { page: 'pageview', track: 'track', step: 'step' } as const satisfies Record<StepRule['kind'], string>

/** Above every key that starts with a prefix (the largest code point: keys are URL paths and names). */
const AFTER = 'char(1114111)'

/** The keys and prefixes of `rules` (a prefix within another left out: its keys are read with it). */
function keysAndPrefixes(rules: StepRule[]) {
  const all = rules.map(keysOf)
  const prefixes = [...new Set(all.flatMap((k) => ('prefix' in k ? [k.prefix] : [])))]
  return {
    keys: [...new Set(all.flatMap((k) => ('key' in k ? [k.key] : [])))],
    prefixes: prefixes.filter((p) => !prefixes.some((q) => q !== p && p.startsWith(q))),
  }
}

/**
 * One condition on column `key` for every key of `rules` (a superset for page patterns), its
 * values bound by `bind` (which answers their parameters).
 */
function anyKey(rules: StepRule[], key: string, bind: (v: unknown) => string): string {
  const { keys, prefixes } = keysAndPrefixes(rules)
  return [
    ...keys.map((k) => `${key} = ${bind(k)}`),
    ...prefixes.map((p) => `(${key} >= ${bind(p)} AND ${key} < ${bind(p)} || ${AFTER})`),
  ].join(' OR ')
}

/** Page patterns' keys listed at most this many (beyond, their rows are read by the prefix). */
const PREFIX_KEYS = 10_000

/**
 * The stored keys starting with `prefix` (what a page pattern may match), of any day, found by
 * one seek each along the primary key rather than by reading every row under the prefix; null
 * for more than PREFIX_KEYS.
 */
async function storedKeys(db: D1Database, site: string, prefix: string): Promise<string[] | null> {
  const within = `site = ?1 AND key < ?2 || ${AFTER}`
  const { results } = await db
    .prepare(
      `WITH RECURSIVE k(key) AS (SELECT min(key) FROM roll_hits WHERE ${within} AND key >= ?2
         UNION ALL SELECT (SELECT min(key) FROM roll_hits WHERE ${within} AND key > k.key) FROM k
         WHERE k.key IS NOT NULL LIMIT ${PREFIX_KEYS + 2})
       SELECT key FROM k WHERE key IS NOT NULL`,
    )
    .bind(site, prefix)
    .all<{ key: string }>()
  return results.length > PREFIX_KEYS ? null : results.map((r) => r.key)
}

/** What a funnel's read gives: visitors to follow through the steps, and those counted in SQL. */
export interface StepHits {
  /**
   * Visitors with a step-1 event and a step-2 event on that day or after (at most
   * STEP_VISITORS): their rows of the funnel's keys in the period, each as the steps it is (a
   * mask; for rows recounted from raw events, their key, for domain/funnel-steps.ts to match)
   * and its times, in one flat array.
   */
  visitors: { visitor: string; rows: (number | string | number[])[] }[]
  /** Those with a step-1 event and no step-2 event then or after: they reached step 1 only. */
  firstOnly: FirstOnly
  truncated: boolean
}

/**
 * The rows of a funnel's steps in the plan's window: roll_hits for rolled-up days, recounted from raw
 * events for the rest. Most visitors who start a funnel never do its step 2 after: those are
 * counted here (with the latest of them to start), and only the others' rows are sent, as one JSON text
 * per visitor built in SQL from the stored times (none parsed there: sending and parsing every
 * starter's rows cost more than reading them).
 */
export async function stepHits(
  db: D1Database,
  site: string,
  rules: StepRule[],
  p: Plan,
  /** How many of those who reached step 1 only are listed (the latest to start first). */
  firstOnlyListed = NEXT_VISITORS,
): Promise<StepHits> {
  const w = p.window
  const s = p.hitSpans
  const filter = rowFilter(w.filter, w, 'x')
  const parts: string[] = []
  // Numbered in the order bound: the filter's plain `?` then take the next numbers, as long as
  // each part's come after its own bound values in the text.
  const args: unknown[] = [site]
  const bind = (v: unknown) => `?${args.push(v)}`
  if (s.days[1] > s.days[0]) {
    // Stored rows, by the keys of each set of steps: a page pattern's keys are those stored
    // under its literal start that it matches (or, when too many, every row under it).
    const { keys, prefixes } = keysAndPrefixes(rules)
    const listed = await Promise.all(prefixes.map((p) => storedKeys(db, site, p)))
    const ranged = prefixes.filter((_, i) => listed[i] === null)
    const byMask = new Map<number, string[]>()
    for (const key of new Set([...keys, ...listed.flatMap((k) => k ?? [])])) {
      if (ranged.some((p) => key.startsWith(p))) continue
      const mask = maskOf(rules, key)
      if (mask) byMask.set(mask, [...(byMask.get(mask) ?? []), key])
    }
    const days = `x.day >= ${int(s.days[0])} AND x.day < ${int(s.days[1])}`
    for (const [mask, keys] of byMask) {
      parts.push(`SELECT '${int(mask)}' AS steps, ${mask % 2} AS first, ${Math.floor(mask / 2) % 2} AS second, x.day AS day,
          x.visitor AS visitor, x.at AS at, x.times AS times
        FROM roll_hits x WHERE x.site = ?1 AND x.key IN (SELECT value FROM json_each(${bind(JSON.stringify(keys))}))
          AND ${days}${filter.sql}`)
      args.push(...filter.args)
    }
    for (const prefix of ranged) {
      const first = anyKey(rules.slice(0, 1), 'x.key', bind)
      parts.push(`SELECT json_quote(x.key) AS steps, ${first} AS first, 1 AS second, x.day AS day, x.visitor AS visitor,
          x.at AS at, x.times AS times
        FROM roll_hits x WHERE x.site = ?1 AND x.key >= ${bind(prefix)} AND x.key < ${bind(prefix)} || ${AFTER}
          AND ${days}${filter.sql}`)
      args.push(...filter.args)
    }
  }
  for (const [a, b] of s.raw) {
    // Keys of page patterns are a superset here (read by the pattern's literal start): their
    // visitors are followed in domain/funnel-steps.ts, which matches them exactly.
    const first = anyKey(rules.slice(0, 1), 'x.key', bind)
    const types = [...new Set(rules.map((r) => `'${TYPE_OF[r.kind]}'`))].join(', ')
    const range = `site = ?1 AND ts >= ${int(a)} AND ts < ${int(b)} AND type IN (${types})`
    parts.push(`SELECT json_quote(x.key) AS steps, ${first} AS first, 1 AS second, x.day AS day, x.visitor AS visitor,
        x.at AS at, x.times AS times
      FROM (${hitsRecount(range, anyKey(rules, 'key', bind))}) x WHERE 1${filter.sql}`)
    args.push(...filter.args)
  }
  const none = { visitors: [], firstOnly: { visitors: 0, latest: [] }, truncated: false }
  if (!parts.length) return none
  // The referrer of a filter reads the sessions' rows (withRows).
  const head = w.filter.referrer ? `${withRows(p, {})}, ` : 'WITH '
  // One grouping by visitor gives both: each starter's rows (a flat JSON array: steps, times,
  // steps, times...) and whether they did step 2 on their first step 1's day or after (rows of
  // raw events and of page patterns read by their start are taken as maybe step 2).
  const { results } = await db
    .prepare(
      `${head}starters AS MATERIALIZED (SELECT visitor, min(CASE WHEN first THEN day END) AS start_day,
           max(CASE WHEN second THEN day END) AS second_day, min(CASE WHEN first THEN at END) AS ts,
           '[' || group_concat(steps || ',[' || times || ']', ',') || ']' AS rows
         FROM (${parts.join(' UNION ALL ')}) GROUP BY visitor HAVING start_day IS NOT NULL),
       first_only AS (SELECT visitor, ts FROM starters WHERE second_day IS NULL OR second_day < start_day)
       SELECT * FROM (SELECT visitor, rows FROM starters WHERE second_day >= start_day LIMIT ${STEP_VISITORS})
       UNION ALL SELECT NULL, json_object('visitors', (SELECT count(*) FROM first_only),
         'latest', (SELECT json_group_array(json_array(visitor, ts)) FROM (
           SELECT visitor, ts FROM first_only ORDER BY ts DESC, visitor LIMIT ${int(firstOnlyListed)})))`,
    )
    .bind(...args)
    .all<{ visitor: string | null; rows: string }>()
  const visitors = results.flatMap((r) =>
    r.visitor === null ? [] : [{ visitor: r.visitor, rows: JSON.parse(r.rows) as (number | string | number[])[] }],
  )
  const summary = JSON.parse(results.find((r) => r.visitor === null)!.rows) as {
    visitors: number
    latest: [string, number][]
  }
  return {
    visitors,
    firstOnly: { visitors: summary.visitors, latest: summary.latest.map(([visitor, ts]) => ({ visitor, ts })) },
    truncated: visitors.length === STEP_VISITORS,
  }
}

const quoted = (types: readonly string[]) => types.map((t) => `'${t}'`).join(', ')

/**
 * Each visitor's first event after a time that counts as where they went (domain/went.ts: bots'
 * and the snippet's own events left out, and clicks on links within the site, whose page follows),
 * or null when none followed.
 */
export async function nextEvents(
  db: D1Database,
  site: string,
  after: { visitor: string; ts: number }[],
): Promise<(NextEvent | null)[]> {
  if (!after.length) return []
  const href = `(e.props ->> '$.href')`
  const { results } = await db
    .prepare(
      `SELECT j.key AS i, (SELECT json_object('type', e.type, 'name', e.name, 'url', e.url,
            'step', CASE WHEN e.type = 'step' THEN json_extract(e.props, '$.step') END,
            'element', CASE WHEN e.type IN (${quoted(CLICK_TYPES)}) THEN ${elementSql('e.props')} END,
            'form', CASE WHEN e.type IN ('form_abandon', 'form_submit') THEN e.props ->> '$.form' END)
          FROM events e INDEXED BY events_by_visitor
          WHERE e.site = ?1 AND e.visitor = json_extract(j.value, '$[0]') AND e.ts > json_extract(j.value, '$[1]')
            AND ${HUMAN('e')} AND e.type IN (${quoted(WENT_TYPES)})
            AND NOT (e.type = 'click' AND ${href} IS NOT NULL AND ${hostSql(href)} = ${hostSql('e.url')})
          ORDER BY e.ts LIMIT 1) AS next
       FROM json_each(?2) j LIMIT ${int(after.length)}`,
    )
    .bind(site, JSON.stringify(after.map((a) => [a.visitor, a.ts])))
    .all<{ i: number; next: string | null }>()
  const out: (NextEvent | null)[] = after.map(() => null)
  for (const r of results) out[r.i] = r.next ? (JSON.parse(r.next) as NextEvent) : null
  return out
}
