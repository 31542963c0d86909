/**
 * @module store/insights/sources: where sessions came from: the referrer of their first pageview
 * in the window, and its UTM tags. From the named lead rows (roll_entries) once the window's
 * days are named, else from the session rows.
 */
import { batch, query } from '../batch'
import { plan, type Plan, type RollWindow } from '../planner'
import { firstCounts, restOfFirsts, type Where } from './entries'
import { deviceIs, entryRowsOf, whereOf, withRows } from './rows'

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
export interface Sources {
  referrers: SourceRow[]
  campaigns: CampaignRow[]
}

export async function sources(db: D1Database, site: string, w: RollWindow, limit = 20): Promise<Sources> {
  const p = await plan(db, site, w)
  return p.source('sources') === 'roll_entries' ? namedSources(db, site, p, limit) : sessionSources(db, site, p, limit)
}

interface CampaignKeyRow {
  utm_source: string
  utm_medium: string | null
  utm_campaign: string | null
  sessions: number
  visitors: number
}

/**
 * From the named rows' entry columns (no page read: the entry's raw path stands in for it). A
 * referrer (alone) narrows them to its sessions, whose first pageview came from it.
 */
async function namedSources(db: D1Database, site: string, p: Plan, limit: number): Promise<Sources> {
  const s = p.spans
  const f = p.window.filter
  const device: Where = (alias) => deviceIs(f, alias)
  // ?2: the referrer, if any.
  const where: Where = (alias) => `${device(alias)}${f.referrer ? ` AND ${alias}.source = ?2` : ''}`
  const args = f.referrer ? [site, f.referrer] : [site]
  const rest = `WITH ${restOfFirsts(s, device, (path) => path)},`
  const [referrers, campaigns] = await batch(db, [
    query<SourceRow>(
      db,
      `${rest} ${firstCounts(s, ['source'], 'roll_entries_by_source', p.walk, where, `sessions DESC, source LIMIT ${limit}`)}`,
      ...args,
    ),
    query<CampaignKeyRow>(
      db,
      `${rest} ${firstCounts(
        s,
        ['utm_source', 'utm_medium', 'utm_campaign'],
        'roll_entries_by_campaign',
        p.walk,
        (alias) => `${where(alias)} AND ${alias}.utm_source IS NOT NULL`,
        `sessions DESC, utm_source LIMIT ${limit}`,
      )}`,
      ...args,
    ),
  ])
  return {
    referrers,
    campaigns: campaigns.map((r) => ({
      source: r.utm_source,
      medium: r.utm_medium,
      campaign: r.utm_campaign,
      sessions: r.sessions,
      visitors: r.visitors,
    })),
  }
}

/**
 * From the session rows: each session's first row with a pageview in the window, both lists in
 * one statement. Without a segment, from the rows' entry columns only.
 */
async function sessionSources(db: D1Database, site: string, p: Plan, limit: number): Promise<Sources> {
  const where = whereOf(p, 'x')
  const entryColumnsOnly = p.shape === 'everyone' || p.shape === 'device'
  const sessions = entryColumnsOnly ? `WITH sessions AS (${entryRowsOf(p.spans)})` : withRows(p, { sessions: true })
  const { results } = await db
    .prepare(
      `${sessions}, firsts AS MATERIALIZED (SELECT visitor, source, utm_source, utm_medium, utm_campaign, min(entry_ts)
           FROM sessions x WHERE entry_ts IS NOT NULL${where.sql} GROUP BY session)
       SELECT * FROM (SELECT 0 AS list, source, NULL AS medium, NULL AS campaign, count(*) AS sessions,
           count(DISTINCT visitor) AS visitors FROM firsts GROUP BY source ORDER BY sessions DESC, source LIMIT ${limit})
       UNION ALL
       SELECT * FROM (SELECT 1 AS list, utm_source AS source, utm_medium AS medium, utm_campaign AS campaign,
           count(*) AS sessions, count(DISTINCT visitor) AS visitors FROM firsts WHERE utm_source IS NOT NULL
           GROUP BY utm_source, utm_medium, utm_campaign ORDER BY sessions DESC, source LIMIT ${limit})
       ORDER BY list, sessions DESC, source`,
    )
    .bind(site, ...where.args)
    .all<CampaignRow & { list: 0 | 1 }>()
  return {
    referrers: results
      .filter((r) => r.list === 0)
      .map(({ source, sessions, visitors }): SourceRow => ({ source, sessions, visitors })),
    campaigns: results
      .filter((r) => r.list === 1)
      .map(({ source, medium, campaign, sessions, visitors }): CampaignRow => ({
        source,
        medium,
        campaign,
        sessions,
        visitors,
      })),
  }
}
