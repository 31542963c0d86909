/**
 * @module store/insights/ordered: the raw events that ordered funnels read (domain/funnel-steps.ts),
 * and what a visitor did next after a step. The rollups keep no time within a day, so order
 * needs raw events: each kind of step reads its own index (events_by_type, or the pageviews'),
 * and only visitors with a step 1 in the period are answered, each as one row of their hits.
 */
import type { Hit, StepRule } from '../../domain/funnel-steps'
import type { Filter } from '../../domain/filters'
import { filterSql, HUMAN, pathSql } from '../filters'
import { int } from '../rollup-tables'

/** At most this many visitors' step events are read per funnel. */
export const STEP_VISITORS = 50_000
/** At most this many visitors per step are looked up for what they did next (the latest to stop). */
export const NEXT_VISITORS = 200
/** Events that are not something a visitor chose to do next. */
const NOT_NEXT = ['page_leave', 'vitals', 'stall']

/** The GLOB of the literal start of a path pattern: every path of the pattern matches it (and a few more). */
function prefixGlob(pattern: string): string {
  const i = pattern.search(/\/(:|\*)/)
  const literal = i < 0 ? pattern : pattern.slice(0, i)
  return literal.replace(/[[*?]/g, (c) => `[${c}]`) + (i < 0 ? '' : '*')
}

/** Step k's bit in a hit's mask (2^k: up to 50 steps stay exact in SQLite's and JS's numbers). */
const bit = (k: number) => int(2 ** k)

/**
 * Per visitor with a step-1 event in the period, the events of the period that may be a step of
 * `rules`: time, the mask of steps each may be, and a pageview's path (its page bits are a
 * superset by the pattern's literal start; domain/funnel-steps.ts matches exactly).
 */
export async function stepHits(
  db: D1Database,
  site: string,
  rules: StepRule[],
  w: { from: number; to: number; filter: Filter },
): Promise<{ visitors: { visitor: string; hits: Hit[] }[]; truncated: boolean }> {
  const f = filterSql(w.filter, site, w.from, w.to, 'e')
  const range = `e.site = ? AND e.ts >= ${int(w.from)} AND e.ts < ${int(w.to)} AND ${HUMAN('e')}${f.sql}`
  const parts: string[] = []
  const args: unknown[] = []
  const of = (kind: StepRule['kind']) => rules.flatMap((r, k) => (r.kind === kind ? [{ r, k }] : []))
  const steps = of('step') as { r: Extract<StepRule, { kind: 'step' }>; k: number }[]
  if (steps.length) {
    const mask = steps.map(({ k }) => `(CASE WHEN name = ? AND step = ? THEN ${bit(k)} ELSE 0 END)`).join(' + ')
    parts.push(`SELECT visitor, ts, ${mask} AS mask, NULL AS path FROM (
        SELECT e.visitor, e.ts, e.name, json_extract(e.props, '$.step') AS step FROM events e INDEXED BY events_by_type
        WHERE e.type = 'step' AND e.name IN (SELECT value FROM json_each(?)) AND ${range})`)
    args.push(...steps.flatMap(({ r }) => [r.funnel, r.step]))
    args.push(JSON.stringify([...new Set(steps.map(({ r }) => r.funnel))]), site, ...f.args)
  }
  const tracks = of('track') as { r: Extract<StepRule, { kind: 'track' }>; k: number }[]
  if (tracks.length) {
    const mask = tracks.map(({ k }) => `(CASE WHEN e.name = ? THEN ${bit(k)} ELSE 0 END)`).join(' + ')
    parts.push(`SELECT e.visitor, e.ts, ${mask} AS mask, NULL AS path FROM events e INDEXED BY events_by_type
      WHERE e.type = 'track' AND e.name IN (SELECT value FROM json_each(?)) AND ${range}`)
    args.push(...tracks.map(({ r }) => r.name))
    args.push(JSON.stringify([...new Set(tracks.map(({ r }) => r.name))]), site, ...f.args)
  }
  const pages = of('page') as { r: Extract<StepRule, { kind: 'page' }>; k: number }[]
  if (pages.length) {
    const mask = pages.map(({ k }) => `(CASE WHEN path GLOB ? THEN ${bit(k)} ELSE 0 END)`).join(' + ')
    parts.push(`SELECT visitor, ts, ${mask} AS mask, path FROM (
        SELECT e.visitor, e.ts, ${pathSql('e.url')} AS path FROM events e WHERE e.type = 'pageview' AND ${range})`)
    args.push(...pages.map(({ r }) => prefixGlob(r.pattern)))
    args.push(site, ...f.args)
  }
  const { results } = await db
    .prepare(
      // Visitors who may have started, found first: grouping only theirs cost a fifth less than
      // HAVING over everyone's (1M events, 90 days).
      `WITH h AS MATERIALIZED (${parts.join(' UNION ALL ')})
       SELECT visitor, json_group_array(json_array(ts, mask, path)) AS hits FROM h
       WHERE mask > 0 AND visitor IN (SELECT visitor FROM h WHERE mask & 1)
       GROUP BY visitor LIMIT ${STEP_VISITORS}`,
    )
    .bind(...args)
    .all<{ visitor: string; hits: string }>()
  const visitors = results.map((r) => ({
    visitor: r.visitor,
    hits: (JSON.parse(r.hits) as [number, number, string | null][]).map(([ts, mask, path]) => ({ ts, mask, path })),
  }))
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
