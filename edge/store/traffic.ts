/**
 * @module store/traffic: the rows of top pages, entry pages, sources (referrers, UTM) and custom
 * events, and the custom events' props from raw events, people only, exact, each list bounded.
 * Pages, entries and sources are read from the rollups (store/rolled.ts).
 */
import type { Filter } from '../domain/filters'
import { filterSql, HUMAN } from './filters'

export interface Window {
  from: number
  to: number
  filter: Filter
}

export interface PageRow {
  page: string
  pageviews: number
  visitors: number
}
export interface EntryRow {
  page: string
  sessions: number
  visitors: number
}

export interface SourceRow {
  source: string
  sessions: number
  visitors: number
}
export interface CampaignRow {
  source: string
  medium: string | null
  campaign: string | null
  sessions: number
  visitors: number
}

/** A query parameter of the URL held in `x` (still URL-encoded), or null. */
export function paramSql(x: string, name: string): string {
  const at = `instr(${x}, '${name}=')`
  const tail = `substr(${x}, ${at} + ${name.length + 1})`
  return `(CASE WHEN ${at} > 0 AND substr(${x}, ${at} - 1, 1) IN ('?', '&')
    THEN substr(${tail}, 1, instr(${tail} || '&', '&') - 1) END)`
}

export interface TrackRow {
  name: string
  events: number
  visitors: number
}
export interface PropRow {
  name: string
  key: string
  value: string
  events: number
}

/** Custom events (`track`): names with counts and visitors; the top 5 values of each prop of the top names. */
export async function customEvents(db: D1Database, site: string, w: Window, limit = 20) {
  const f = filterSql(w.filter, site, w.from, w.to)
  const where = `events.site = ? AND events.type = 'track' AND events.ts >= ? AND events.ts < ? AND ${HUMAN()}${f.sql}`
  const args = [site, w.from, w.to, ...f.args]
  const [names, props] = await db.batch<any>([
    db
      .prepare(
        `SELECT events.name AS name, count(*) AS events, count(DISTINCT events.visitor) AS visitors FROM events
         WHERE ${where} GROUP BY events.name ORDER BY events DESC, name LIMIT ${limit}`,
      )
      .bind(...args),
    // Scalar props only (a nested object is not a value to count); 5 per prop, 20 props per name.
    db
      .prepare(
        `SELECT name, key, value, events FROM (
           SELECT name, key, val AS value, events, row_number() OVER (PARTITION BY name, key ORDER BY events DESC, val) AS r,
                  dense_rank() OVER (PARTITION BY name ORDER BY key) AS k
           FROM (SELECT events.name AS name, p.key AS key, count(*) AS events,
                        CASE p.type WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(p.value AS TEXT) END AS val
                 FROM events, json_each(events.props) p
                 WHERE ${where} AND p.type IN ('text', 'integer', 'real', 'true', 'false')
                   AND events.name IN (SELECT events.name FROM events WHERE ${where}
                                       GROUP BY events.name ORDER BY count(*) DESC, events.name LIMIT ${limit})
                 GROUP BY events.name, p.key, val))
         WHERE r <= 5 AND k <= 20 ORDER BY name, key, events DESC, value`,
      )
      .bind(...args, ...args),
  ])
  return { names: names!.results as TrackRow[], props: props!.results as PropRow[] }
}
