/**
 * @module store/planner: which rollup table (store/rollup-tables.ts) answers an insight's read
 * for a filter's shape, and which part of its window comes from stored rows. Every read of the
 * insights goes through `plan`: one look at roll_days gives the window's spans (rolled-up days
 * from stored rows, the rest recounted from raw events: domain/spans.ts) and whether the named
 * tables can answer; `source` then takes, of the tables that hold what a read needs, the first
 * (the coarsest) whose rows answer the filter, and raw events when none does.
 *
 * Why coarse first: a 90-day answer from the session-level rows groups a row per session
 * (~100,000 in the bench) or per session and page (~385,000); the day totals and named rows
 * answer everyone and a device without that (ARCHITECTURE.md, "Rollups").
 */
import { DAY_MS, spansOf, type Spans } from '../domain/spans'
import { shapeOf, type Shape } from '../domain/filter-shape'
import type { Filter } from '../domain/filters'
import { rulesKey, type PathRules } from '../domain/paths'
import { ROLLUP_TABLES, type TableName } from './rollup-tables'

/** An insight's window [from, to) and filter. */
export interface RollWindow {
  from: number
  to: number
  filter: Filter
}

/**
 * What the insights read where more than one table holds it, and those tables, the coarsest
 * first. (Funnel steps, custom events per name, journeys and distinct people over a period read
 * the one session-level table holding them, roll_steps, roll_tracks or roll_sessions, which
 * answers every filter.)
 */
export const READS = {
  /** Per day: distinct visitors and sessions, pageviews, friction, NPS answers. */
  dayTotals: ['roll_totals', 'roll_sessions'],
  /** Events per type. */
  eventTypes: ['roll_types', 'roll_sessions'],
  /** Pageviews per raw path. */
  paths: ['roll_paths', 'roll_pages'],
  /** Pageviews and visitors per page as the site's rules name it. */
  pages: ['roll_page_days', 'roll_pages'],
  /** Each session's first pageview in the window, by page as named (entry pages). */
  entryPages: ['roll_entries', 'roll_sessions'],
  /** Each session's first pageview in the window, by source and UTM tags. */
  sources: ['roll_entries', 'roll_sessions'],
  /** Custom events' prop values (no session-level table holds them: raw events otherwise). */
  props: ['roll_props'],
} as const satisfies Record<string, readonly TableName[]>

export type Read = keyof typeof READS
/** A rollup table, or raw events ('events'). */
export type Source = TableName | 'events'

/** Reads of page names: the named tables answer them only when named under the site's current rules. */
const READS_NAMES: ReadonlySet<Read> = new Set<Read>(['pages', 'entryPages'])

export interface Plan {
  window: RollWindow
  shape: Shape
  /** The window's rolled-up days (stored rows) and raw ranges (recounted). */
  spans: Spans
  /**
   * The same for roll_hits (ordered funnels), which days rolled up before migration 0014 lack
   * until the job fills them (store/rollups.ts fillHits): those are read raw.
   */
  hitSpans: Spans
  /** The site's rolled-up days, [first, end) (0, 0: none). */
  rolled: { first: number; end: number }
  /**
   * The window holds a quarter or more of the site's rolled-up days: reading rows in key order
   * (visitor, page...) by a covering index pays, though it covers every day the site has.
   */
  walk: boolean
  /** The table that answers `read` for the filter (or another shape of it), or 'events'. */
  source(read: Read, shape?: Shape): Source
}

/**
 * The plan of an insight's reads over `w`. `rules`: the site's path rules (for reads of page
 * names); `unit`: 'hour' for buckets finer than the tables' day (then every read is raw).
 */
export async function plan(
  db: D1Database,
  site: string,
  w: RollWindow,
  opts: { rules?: PathRules; unit?: 'day' | 'hour' } = {},
): Promise<Plan> {
  const shape = shapeOf(w.filter)
  if (opts.unit === 'hour') {
    const spans = spansOf(w.from, w.to, 0)
    const none = { first: 0, end: 0 }
    return { window: w, shape, spans, hitSpans: spans, rolled: none, walk: false, source: () => 'events' }
  }
  const first = Math.ceil(w.from / DAY_MS)
  const today = Math.floor(w.to / DAY_MS)
  const r = await db
    .prepare(
      `SELECT min(day) AS first, max(day) AS last,
         coalesce(sum(day >= ?2 AND day < ?3 AND paths IS NULL), 0) AS unnamed,
         coalesce(sum(day >= ?2 AND day < ?3 AND paths IS NOT ?4), 0) AS renamed,
         max(CASE WHEN day >= ?2 AND day < ?3 AND hits IS NULL THEN day END) AS unhit
       FROM roll_days WHERE site = ?1`,
    )
    .bind(site, first, today, opts.rules ? rulesKey(opts.rules) : null)
    .first<{ first: number | null; last: number | null; unnamed: number; renamed: number; unhit: number | null }>()
  const rolled = r?.last == null ? { first: 0, end: 0 } : { first: r.first!, end: r.last + 1 }
  const spans = spansOf(w.from, w.to, rolled.end)
  const hitSpans = r?.unhit == null ? spans : spansOf(w.from, w.to, rolled.end, r.unhit + 1)
  // The named tables hold each session's first row of all days: a window must start at a
  // midnight (no raw head, where a session's first pageview could be) and every rolled-up day
  // of it be named (under the current rules, for names).
  const aligned = first * DAY_MS === w.from
  const named = aligned && r?.unnamed === 0
  const namedUnderRules = aligned && !!opts.rules && r?.renamed === 0
  const source = (read: Read, of: Shape = shape): Source => {
    for (const name of READS[read]) {
      const table = ROLLUP_TABLES[name]
      if (!(table.answers as readonly Shape[]).includes(of)) continue
      if (table.filledBy === 'nameDay' && !(READS_NAMES.has(read) ? namedUnderRules : named)) continue
      return name
    }
    return 'events'
  }
  const walk = (spans.days[1] - spans.days[0]) * 4 >= rolled.end - rolled.first
  return { window: w, shape, spans, hitSpans, rolled, walk, source }
}
