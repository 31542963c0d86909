/**
 * @module store/insights/ordered: the rows ordered funnels read (domain/funnel-steps.ts), and
 * what a visitor did next after a step. A funnel's steps are read from roll_hits (the times of
 * the events that can be a step, per key, session and day: store/rollup-tables.ts) for
 * rolled-up days and recounted from raw events for the rest, like every rollup read
 * (store/insights/rows.ts): only the keys of the funnel's steps, gathered by visitor here.
 */
import { BY_START, gatherHits, LISTED, type Gathered, type HitRows } from '../../domain/funnel-hits'
import { keysOf, maskOf, type StepRule } from '../../domain/funnel-steps'
import { DAY_MS } from '../../domain/spans'
import { CLICK_TYPES, WENT_TYPES, type NextEvent } from '../../domain/went'
import { elementSql, HUMAN, hostSql } from '../filters'
import type { Plan } from '../planner'
import { hitsRecount, int } from '../rollup-tables'
import { rowFilter, withRows } from './rows'

/** At most this many visitors are followed through a funnel's steps (the first by id). */
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

/**
 * A condition on raw events that every event of `rules` meets (a pageview's URL holds the
 * literal start of its path, a custom event has its name): their key, a long expression of the
 * URL, is worked out only for those.
 */
function mayBe(rules: StepRule[], bind: (v: unknown) => string): string {
  const { keys, prefixes } = keysAndPrefixes(rules)
  const paths = [...keys, ...prefixes].filter((k) => k.startsWith('page:')).map((k) => k.slice(5))
  const names = keys.filter((k) => k.startsWith('track:')).map((k) => k.slice(6))
  return [
    ...(paths.length ? [`(type = 'pageview' AND (${paths.map((p) => `instr(url, ${bind(p)})`).join(' OR ')}))`] : []),
    ...(names.length ? [`(type = 'track' AND name IN (${names.map(bind).join(', ')}))`] : []),
    ...(rules.some((r) => r.kind === 'step') ? [`type = 'step'`] : []),
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

/** What a funnel's read gives (domain/funnel-hits.ts). */
export type StepHits = Gathered

/**
 * The rows of a funnel's steps in the plan's window: roll_hits for rolled-up days, recounted from
 * raw events for the rest. Sending each row cost more than reading it, and grouping them by
 * visitor in SQL (a sort of every row) most of a read: the rows are read in the primary key's
 * order and sent per day as one text, each key's rows in it, and gathered by visitor in the
 * worker (domain/funnel-hits.ts). Those who did step 1 and no step 2 on that day or after are
 * counted (with the latest of them to start); only the others are followed.
 */
export async function stepHits(
  db: D1Database,
  site: string,
  rules: StepRule[],
  p: Plan,
  /** How many of those who reached step 1 only are listed (the latest to start first). */
  firstOnlyListed = NEXT_VISITORS,
): Promise<StepHits> {
  let rows: HitRows[]
  try {
    rows = await readHits(db, site, rules, p, false)
  } catch (e) {
    // A day's text (or one key's on one day) longer than a value may be (D1: 2 MB): one row each.
    if (!String((e as Error).message ?? e).includes('SQLITE_TOOBIG')) throw e
    rows = await readHits(db, site, rules, p, true)
  }
  return gatherHits(rules, rows, firstOnlyListed, STEP_VISITORS)
}

/** D1 allows at most this many SELECTs in a compound one (`UNION ALL`). */
const TERMS = 5

/**
 * The read's SQL and what it answers: per source and day, the JSON text (without its brackets)
 * of its rows' visitors and times, each key's after the key when the row gives no mask (its
 * rows' steps); `fine`: one row of roll_hits each instead.
 */
async function readHits(db: D1Database, site: string, rules: StepRule[], p: Plan, fine: boolean) {
  const w = p.window
  const s = p.hitSpans
  const filter = rowFilter(w.filter, w, 'x')
  const parts: string[] = []
  // Numbered in the order bound: the filter's plain `?` then take the next numbers, as long as
  // each part's come after its own bound values in the text.
  const args: unknown[] = [site]
  const bind = (v: unknown) => `?${args.push(v)}`
  // Each key's rows of a day (in the primary key's order: no sort), then the day's keys as one
  // text; each key's rows after the key (`["key"]`) unless all are of one `mask`.
  const grouped = (src: number, mask: number | null, rows: string) => {
    // A row of one time (most) sends it as from its day's midnight: shorter, and a small number to parse.
    const item = `json_quote(x.visitor) || ',' || iif(instr(x.times, ','), x.times, x.at - x.day * ${DAY_MS})`
    const keyed = (r: string) => (mask === null ? `json_array(key) || ',' || ${r}` : r)
    return fine
      ? `SELECT ${src} AS src, ${mask === null ? 'NULL' : int(mask)} AS mask, day, ${keyed('r')} AS r FROM (
          SELECT x.key AS key, x.day AS day, ${item} AS r FROM ${rows})`
      : `SELECT ${src} AS src, ${mask === null ? 'NULL' : int(mask)} AS mask, day, group_concat(${keyed('r')}) AS r FROM (
          SELECT x.key AS key, x.day AS day, group_concat(${item}) AS r FROM ${rows} GROUP BY x.key, x.day)
        GROUP BY day`
  }
  if (s.days[1] > s.days[0]) {
    // Stored rows of the keys of the steps: a page pattern's keys are those stored under its
    // literal start that it matches (or, when too many, every row under it, matched here).
    const { keys, prefixes } = keysAndPrefixes(rules)
    const listed = await Promise.all(prefixes.map((p) => storedKeys(db, site, p)))
    const ranged = prefixes.filter((_, i) => listed[i] === null)
    const byMask = new Map<number, string[]>()
    for (const key of new Set([...keys, ...listed.flatMap((k) => k ?? [])])) {
      if (ranged.some((p) => key.startsWith(p))) continue
      const mask = maskOf(rules, key)
      if (mask) byMask.set(mask, [...(byMask.get(mask) ?? []), key])
    }
    // A SELECT per mask while D1 allows (no key in the text), those of the fewest keys together.
    const own = TERMS - s.raw.length - (ranged.length ? 1 : 0)
    const masks = [...byMask].sort((a, b) => b[1].length - a[1].length)
    const apart = masks.length > own ? masks.slice(0, own - 1) : masks
    const together = masks.slice(apart.length).flatMap(([, keys]) => keys)
    const days = `x.day >= ${int(s.days[0])} AND x.day < ${int(s.days[1])}`
    const stored = (mask: number | null, keys: string[]) => {
      parts.push(
        grouped(
          LISTED,
          mask,
          `roll_hits x WHERE x.site = ?1 AND x.key IN (SELECT value FROM json_each(${bind(JSON.stringify(keys))}))
            AND ${days}${filter.sql}`,
        ),
      )
      args.push(...filter.args)
    }
    for (const [mask, keys] of apart) stored(mask, keys)
    if (together.length) stored(null, together)
    if (ranged.length) {
      const under = ranged.map((p) => `(x.key >= ${bind(p)} AND x.key < ${bind(p)} || ${AFTER})`).join(' OR ')
      parts.push(grouped(BY_START, null, `roll_hits x WHERE x.site = ?1 AND (${under}) AND ${days}${filter.sql}`))
      args.push(...filter.args)
    }
  }
  for (const [a, b] of s.raw) {
    // Keys of page patterns are a superset here (read by the pattern's literal start), matched here.
    const types = [...new Set(rules.map((r) => `'${TYPE_OF[r.kind]}'`))].join(', ')
    const range = `site = ?1 AND ts >= ${int(a)} AND ts < ${int(b)} AND type IN (${types}) AND (${mayBe(rules, bind)})`
    parts.push(grouped(BY_START, null, `(${hitsRecount(range, anyKey(rules, 'key', bind))}) x WHERE 1${filter.sql}`))
    args.push(...filter.args)
  }
  if (!parts.length) return []
  // The referrer of a filter reads the sessions' rows (withRows).
  const head = w.filter.referrer ? `${withRows(p, {})} ` : ''
  const { results } = await db
    .prepare(`${head}${parts.join(' UNION ALL ')}`)
    .bind(...args)
    .all<HitRows>()
  return results
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
