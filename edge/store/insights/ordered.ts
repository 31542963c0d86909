/**
 * @module store/insights/ordered: the raw events that ordered funnels read (domain/funnel-steps.ts),
 * and what a visitor did next after a step. The rollups keep no time within a day, so order
 * needs raw events: each kind of step reads its own index (events_by_type, or the pageviews'),
 * bounded by STEP_EVENTS.
 */
import type { StepEvent, StepRule } from '../../domain/funnel-steps'
import type { Filter } from '../../domain/filters'
import { filterSql, HUMAN, pathSql } from '../filters'
import { int } from '../rollup-tables'

/** At most this many step events are read per funnel (the earliest of the period). */
export const STEP_EVENTS = 200_000
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

/** The events of the period that may be a step of `rules`, by visitor and time. */
export async function stepEvents(
  db: D1Database,
  site: string,
  rules: StepRule[],
  w: { from: number; to: number; filter: Filter },
): Promise<{ events: StepEvent[]; truncated: boolean }> {
  const f = filterSql(w.filter, site, w.from, w.to, 'e')
  const range = `e.site = ? AND e.ts >= ${int(w.from)} AND e.ts < ${int(w.to)} AND ${HUMAN('e')}${f.sql}`
  const parts: string[] = []
  const args: unknown[] = []
  // Only pageviews' URLs are read (to match their paths): less to carry for the other kinds.
  const cols = (url: string) => `e.visitor AS visitor, e.ts AS ts, e.type AS type, e.name AS name, ${url} AS url`
  const steps = rules.flatMap((r) => (r.kind === 'step' ? [r.funnel] : []))
  if (steps.length) {
    parts.push(`SELECT ${cols("''")}, json_extract(e.props, '$.step') AS step FROM events e INDEXED BY events_by_type
      WHERE e.type = 'step' AND e.name IN (SELECT value FROM json_each(?)) AND ${range}`)
    args.push(JSON.stringify([...new Set(steps)]), site, ...f.args)
  }
  const tracks = rules.flatMap((r) => (r.kind === 'track' ? [r.name] : []))
  if (tracks.length) {
    parts.push(`SELECT ${cols("''")}, NULL AS step FROM events e INDEXED BY events_by_type
      WHERE e.type = 'track' AND e.name IN (SELECT value FROM json_each(?)) AND ${range}`)
    args.push(JSON.stringify([...new Set(tracks)]), site, ...f.args)
  }
  const pages = rules.flatMap((r) => (r.kind === 'page' ? [prefixGlob(r.pattern)] : []))
  if (pages.length) {
    // A superset by the pattern's literal start; the exact match is domain/paths.ts's.
    parts.push(`SELECT ${cols('e.url')}, NULL AS step FROM events e
      WHERE e.type = 'pageview' AND ${range}
        AND EXISTS (SELECT 1 FROM json_each(?) g WHERE ${pathSql('e.url')} GLOB g.value)`)
    args.push(site, ...f.args, JSON.stringify([...new Set(pages)]))
  }
  const { results } = await db
    .prepare(`SELECT * FROM (${parts.join(' UNION ALL ')}) ORDER BY ts LIMIT ${STEP_EVENTS}`)
    .bind(...args)
    .all<StepEvent>()
  return { events: results, truncated: results.length === STEP_EVENTS }
}

/** What an event was, as the ad hoc steps write it (`page:/x`, `track:name`, `step:funnel/step`) or its type. */
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
