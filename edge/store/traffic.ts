/**
 * @module store/traffic: top pages, entry pages, sources (referrers, UTM) and custom events,
 * people only, exact, each list bounded. Pages are grouped by their normalised path
 * (domain/paths.ts): the raw paths of the period are read first (the 5,000 most viewed), named
 * in JavaScript, and handed back to SQL as a map, so distinct visitors stay exact.
 */
import type { Filter } from '../domain/filters'
import { filterSql, HUMAN, pathSql, sourceSql } from './filters'

export interface Window {
  from: number
  to: number
  filter: Filter
}

const pageviews = (site: string, w: Window) => {
  const f = filterSql(w.filter, site, w.from, w.to)
  return {
    sql: `events.site = ? AND events.type = 'pageview' AND events.ts >= ? AND events.ts < ? AND ${HUMAN()}${f.sql}`,
    args: [site, w.from, w.to, ...f.args],
  }
}

/** The period's raw paths, most viewed first (at most 5,000). */
export async function rawPaths(db: D1Database, site: string, w: Window): Promise<string[]> {
  const pv = pageviews(site, w)
  const { results } = await db
    .prepare(
      `SELECT ${pathSql('events.url')} AS p, count(*) AS n FROM events WHERE ${pv.sql} GROUP BY p ORDER BY n DESC LIMIT 5000`,
    )
    .bind(...pv.args)
    .all<{ p: string }>()
  return results.map((r) => r.p)
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

/** Top pages and entry pages (a session's first pageview), by `names`: raw path → page. */
export async function pagesAndEntries(db: D1Database, site: string, w: Window, names: [string, string][], limit = 20) {
  const pv = pageviews(site, w)
  // The map is materialised once (SQLite indexes it for the join); events are first grouped by
  // raw path, so the join sees one row per (path, visitor) or per session, not per event.
  const map = `m AS MATERIALIZED (SELECT value ->> 0 AS raw, value ->> 1 AS norm FROM json_each(?1))`
  // ?1 is the map; the plain ? after it number on from ?2, in order.
  const args = [JSON.stringify(names), ...pv.args]
  const [pages, entries] = await db.batch<any>([
    db
      .prepare(
        `WITH ${map},
           pv AS (SELECT ${pathSql('events.url')} AS raw, events.visitor AS visitor, count(*) AS n FROM events
                  WHERE ${pv.sql} GROUP BY raw, events.visitor)
         SELECT coalesce(m.norm, pv.raw) AS page, sum(pv.n) AS pageviews, count(DISTINCT pv.visitor) AS visitors
         FROM pv LEFT JOIN m ON m.raw = pv.raw
         GROUP BY page ORDER BY visitors DESC, pageviews DESC, page LIMIT ${limit}`,
      )
      .bind(...args),
    db
      .prepare(
        `WITH ${map},
           firsts AS (SELECT ${pathSql('events.url')} AS raw, events.visitor AS visitor, min(events.ts) FROM events
                      WHERE ${pv.sql} GROUP BY events.session)
         SELECT coalesce(m.norm, firsts.raw) AS page, count(*) AS sessions, count(DISTINCT firsts.visitor) AS visitors
         FROM firsts LEFT JOIN m ON m.raw = firsts.raw
         GROUP BY page ORDER BY sessions DESC, page LIMIT ${limit}`,
      )
      .bind(...args),
  ])
  return { pages: pages!.results as PageRow[], entries: entries!.results as EntryRow[] }
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

/** Where sessions came from: the referrer of their first pageview, and its UTM tags. */
export async function sources(db: D1Database, site: string, w: Window, limit = 20) {
  const pv = pageviews(site, w)
  const firsts = `SELECT events.visitor AS visitor, ${sourceSql()} AS source,
      ${paramSql("substr(events.url, 1, instr(events.url || '#', '#') - 1)", 'utm_source')} AS utm_source,
      ${paramSql("substr(events.url, 1, instr(events.url || '#', '#') - 1)", 'utm_medium')} AS utm_medium,
      ${paramSql("substr(events.url, 1, instr(events.url || '#', '#') - 1)", 'utm_campaign')} AS utm_campaign,
      min(events.ts) FROM events WHERE ${pv.sql} GROUP BY events.session`
  const [referrers, campaigns] = await db.batch<any>([
    db
      .prepare(
        `SELECT source, count(*) AS sessions, count(DISTINCT visitor) AS visitors FROM (${firsts})
         GROUP BY source ORDER BY sessions DESC, source LIMIT ${limit}`,
      )
      .bind(...pv.args),
    db
      .prepare(
        `SELECT utm_source AS source, utm_medium AS medium, utm_campaign AS campaign, count(*) AS sessions,
                count(DISTINCT visitor) AS visitors
         FROM (${firsts}) WHERE utm_source IS NOT NULL
         GROUP BY utm_source, utm_medium, utm_campaign ORDER BY sessions DESC, source LIMIT ${limit}`,
      )
      .bind(...pv.args),
  ])
  return { referrers: referrers!.results as SourceRow[], campaigns: campaigns!.results as CampaignRow[] }
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
