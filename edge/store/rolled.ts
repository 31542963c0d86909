/**
 * @module store/rolled: the insights that read daily rollups (store/rollups.ts) for whole days
 * and raw events for the rest of their window: overview, funnels, trends, pages, sources and
 * custom events. The same answers as from raw events alone (test/edge/rollups.test.ts holds
 * them to it: before the job rolls a day up, after, and with the raw days deleted). Where a rollup cannot
 * answer a filter, the raw query is used (noted at each). Without a segment (no filter, or the
 * device only) they read the coarse tables and only the columns they need, so that 90 days do
 * not group a row per session; a segment reads the session-level rows.
 */
import type { FunnelConfig } from '../../snippet/core/wire'
import type { Filter } from '../domain/filters'
import { DAY_MS, spansOf, type Spans } from '../domain/spans'
import type { TrendPeriod } from '../domain/trends'
import { FLAG } from '../domain/flags'
import {
  ALL_DEVICES,
  entriesOf,
  rawRows,
  rawSessionKeys,
  TABLES,
  JOURNEY_PAGES,
  rollFilter,
  rolledRange,
  rowsOf,
  sessionRowsOf,
  spansFor,
  type RollWindow,
} from './rollups'
import { peopleOf, peopleSql, walks } from './people'
import { JOURNEY_SESSIONS } from './journeys'
import { namedSources } from './named'
import {
  customEvents,
  type CampaignRow,
  type EntryRow,
  type PageRow,
  type PropRow,
  type SourceRow,
  type TrackRow,
} from './traffic'

/** roll_sessions' columns but its JSON ones (events by type, pages, goals): what most reads need. */
const SESSION_COLUMNS = TABLES.roll_sessions.filter((c) => !['types', 'pages', 'goals'].includes(c)).join(', ')

/**
 * The CTEs of the tables a query reads, for the window's spans. `sess` keeps the session rows
 * without their JSON columns unless it is 'all': it is materialised, and copying those columns
 * cost about a third of a segment's reads over 90 days.
 */
const ctes = (s: Spans, t: Partial<Record<'pg' | 'st' | 'tr' | 'tp' | 'pr', boolean> & { sess: boolean | 'all' }>) => {
  const defs: string[] = []
  if (t.sess === 'all') defs.push(`sess AS MATERIALIZED (${rowsOf('roll_sessions', s)})`)
  else if (t.sess) defs.push(`sess AS MATERIALIZED (SELECT ${SESSION_COLUMNS} FROM (${rowsOf('roll_sessions', s)}))`)
  if (t.pg) defs.push(`pg AS (${rowsOf('roll_pages', s)})`)
  if (t.st) defs.push(`st AS (${rowsOf('roll_steps', s)})`)
  if (t.tr) defs.push(`tr AS (${rowsOf('roll_tracks', s)})`)
  if (t.tp) defs.push(`tp AS (${rowsOf('roll_types', s)})`)
  if (t.pr) defs.push(`pr AS (${rowsOf('roll_props', s)})`)
  return `WITH ${defs.join(', ')}`
}

/** Does the filter need more than the device (which every rollup row has)? */
const beyondDevice = (f: Filter) => !!(f.referrer || f.visitor || f.visitors)

/** The `device` of the coarse tables' rows for a filter's device (or all of them). */
const deviceOf = (f: Filter) =>
  f.device === undefined ? ALL_DEVICES : f.device === 'mobile' ? FLAG.mobile : f.device === 'tablet' ? FLAG.tablet : 0

/** Headline numbers of the window, events by type, bots apart, loss, when the site last sent. */
export async function rolledOverview(db: D1Database, site: string, w: RollWindow) {
  const rolled = await rolledRange(db, site)
  const end = rolled.end
  const s = spansOf(w.from, w.to, end)
  const f = rollFilter(w.filter, w)
  const device = rollFilter({ device: w.filter.device }, w)
  // Under a device filter or none, people from the session rows read in visitor order and
  // pageviews from the daily totals; under a segment, from the session rows that match it.
  // New/returning (with the device or alone): the new visitors' rows (few, by the visitor
  // index) and, for returning, everyone's counts less theirs.
  const byVisitor = !!w.filter.visitor && !w.filter.referrer && !w.filter.visitors
  const coarse = !beyondDevice(w.filter) || byVisitor
  const dev = w.filter.device === undefined ? undefined : deviceOf(w.filter)
  const [totals, types, bots, loss, last, news] = await db.batch<any>([
    coarse
      ? db
          .prepare(
            `${peopleSql(s, s.days[0], dev, walks(s, rolled))} UNION ALL SELECT 'pageviews', sum(pageviews), 0
             FROM (${rowsOf('roll_totals', s)}) WHERE device = ${deviceOf(w.filter)}`,
          )
          .bind(site)
      : db
          .prepare(
            `${ctes(s, { sess: true })} SELECT count(DISTINCT visitor) AS visitors, count(DISTINCT session) AS sessions,
               sum(pageviews) AS pageviews FROM sess x WHERE 1${f.sql}`,
          )
          .bind(site, ...f.args),
    coarse
      ? db
          .prepare(
            `${ctes(s, { tp: true })} SELECT type, sum(events) AS n FROM tp x WHERE bot = 0${device.sql}
             GROUP BY type ORDER BY n DESC`,
          )
          .bind(site)
      : // Under a segment, from each session's events by type.
        db
          .prepare(
            `${ctes(s, { sess: 'all' })} SELECT j.key AS type, sum(j.value) AS n FROM sess x, json_each(x.types) j
             WHERE 1${f.sql} GROUP BY type ORDER BY n DESC`,
          )
          .bind(site, ...f.args),
    // Bot events: the device filter applies; a segment (referrer, new/returning) is people's.
    db.prepare(`${ctes(s, { tp: true })} SELECT sum(events) AS n FROM tp x WHERE bot = 1${device.sql}`).bind(site),
    db
      .prepare(
        `SELECT sum(evicted) AS evicted, sum(dropped) AS dropped, sum(rejected) AS rejected
         FROM ingest_loss WHERE site = ? AND day >= ?`,
      )
      .bind(site, new Date(w.from).toISOString().slice(0, 10)),
    db.prepare('SELECT max(last_seen) AS at FROM visitors WHERE site = ?').bind(site),
    ...(byVisitor ? [db.prepare(newVisitorsSql(s, w.from, device.sql)).bind(site)] : []),
  ])
  let t = coarse
    ? (() => {
        const p = peopleOf(totals!.results)
        const pageviews = totals!.results.find((r: { people: string }) => r.people === 'pageviews')?.cur
        return { visitors: p.visitors.cur, sessions: p.sessions.cur, pageviews }
      })()
    : (totals!.results[0] ?? {})
  let events: [string, number][] = types!.results.map((r: { type: string; n: number }) => [r.type, r.n])
  if (news) {
    const n = new Map<string, number>(news.results.map((r: { k: string; n: number | null }) => [r.k, r.n ?? 0]))
    const of = (k: string) => n.get(k) ?? 0
    const theirs = [...n].filter(([k]) => k.startsWith('type:')).map(([k, v]): [string, number] => [k.slice(5), v])
    if (w.filter.visitor === 'new') {
      t = { visitors: of('visitors'), sessions: of('sessions'), pageviews: of('pageviews') }
      events = theirs
    } else {
      t = {
        visitors: (t.visitors ?? 0) - of('visitors'),
        sessions: (t.sessions ?? 0) - of('only'),
        pageviews: (t.pageviews ?? 0) - of('pageviews'),
      }
      const less = new Map(theirs)
      events = events.map(([k, v]): [string, number] => [k, v - (less.get(k) ?? 0)]).filter(([, v]) => v > 0)
    }
    events.sort((a, b) => b[1] - a[1])
  }
  const l = loss!.results[0] ?? {}
  return {
    visitors: t.visitors ?? 0,
    sessions: t.sessions ?? 0,
    pageviews: t.pageviews ?? 0,
    botEvents: bots!.results[0]?.n ?? 0,
    events: Object.fromEntries(events),
    lost: { evicted: l.evicted ?? 0, dropped: l.dropped ?? 0, rejected: l.rejected ?? 0 },
    /** When the worker last received a batch for this site (any time), or null: never. */
    lastReceived: (last!.results[0]?.at as number | null) ?? null,
    /** The last UTC day rolled up (insights read later days from raw events), or null: none yet. */
    rolledUpTo: end ? new Date((end - 1) * DAY_MS).toISOString().slice(0, 10) : null,
  }
}

/**
 * The overview's counts of the window's new visitors (first seen in it, one session), as rows
 * (k, n): visitors, sessions, sessions only theirs ('only': no row in the window of anyone
 * else), pageviews and 'type:<type>' events. Their rows are read by the visitor index.
 */
function newVisitorsSql(s: Spans, from: number, device: string) {
  const [d0, d1] = s.days
  const dev = (x: string) => device.replaceAll('x.', `${x}.`)
  const raw = s.raw.map(([a, b]) => rawRows('roll_sessions', a, b))
  const keys = s.raw.map(([a, b]) => rawSessionKeys(a, b))
  const rows = [
    `SELECT visitor, session, pageviews, types FROM roll_sessions x INDEXED BY roll_sessions_by_visitor
     WHERE x.site = ?1 AND x.visitor IN (SELECT id FROM nv) AND x.day >= ${d0} AND x.day < ${d1}${dev('x')}`,
    ...raw.map(
      (r) =>
        `SELECT visitor, session, pageviews, types FROM (${r}) x WHERE x.visitor IN (SELECT id FROM nv)${dev('x')}`,
    ),
  ].join(' UNION ALL ')
  const others = keys.map(
    (k) =>
      ` AND NOT EXISTS (SELECT 1 FROM (${k}) r WHERE r.session = o.session AND r.visitor NOT IN (SELECT id FROM nv)${dev('r')})`,
  )
  return `WITH nv AS MATERIALIZED (SELECT id FROM visitors WHERE site = ?1 AND first_seen >= ${Math.trunc(from)} AND sessions <= 1),
      n AS MATERIALIZED (${rows})
    SELECT 'visitors' AS k, count(DISTINCT visitor) AS n FROM n
    UNION ALL SELECT 'sessions', count(DISTINCT session) FROM n
    UNION ALL SELECT 'only', count(*) FROM (SELECT DISTINCT session FROM n) o
      WHERE NOT EXISTS (SELECT 1 FROM roll_sessions y INDEXED BY roll_sessions_by_session WHERE y.site = ?1
        AND y.session = o.session AND y.day >= ${d0} AND y.day < ${d1}${dev('y')} AND y.visitor NOT IN (SELECT id FROM nv))
        ${others.join('')}
    UNION ALL SELECT 'pageviews', sum(pageviews) FROM n
    UNION ALL SELECT 'type:' || j.key, sum(j.value) FROM n, json_each(n.types) j GROUP BY j.key`
}

/** Visitors who reached each step of a funnel, and the stalls per step, in the window. */
export async function rolledFunnelCounts(db: D1Database, site: string, funnel: string, w: RollWindow) {
  const s = await spansFor(db, site, w.from, w.to)
  const f = rollFilter(w.filter, w)
  const { results } = await db
    .prepare(
      `${ctes(s, { st: true, sess: !!w.filter.referrer })}
       SELECT type, step, count(DISTINCT visitor) AS n FROM st x WHERE funnel = ?${f.sql} GROUP BY type, step`,
    )
    .bind(site, funnel, ...f.args)
    .all<{ type: string; step: string; n: number }>()
  const steps = [...new Set(results.map((r) => r.step))]
  const n = (type: string, step: string) => results.find((r) => r.type === type && r.step === step)?.n ?? 0
  return steps.map((step) => ({ step, visitors: n('step', step), stalls: n('stall', step) }))
}

/**
 * The trends' counts per day of both periods (the previous first), NPS included. Periods by the hour (≤ 2 days) are not rolled up: the
 * caller reads them raw (store/trends.ts).
 */
export async function rolledTrendCounts(
  db: D1Database,
  site: string,
  p: TrendPeriod,
  filter: Filter,
  funnels: FunnelConfig[],
) {
  if (!beyondDevice(filter)) return coarseTrendCounts(db, site, p, filter, funnels)
  const s = await spansFor(db, site, p.previousStart, p.end)
  const first = p.previousStart / DAY_MS
  const startDay = p.start / DAY_MS
  const cur = rollFilter(filter, { from: p.start, to: p.end })
  const prev = rollFilter(filter, { from: p.previousStart, to: p.start })
  const both = `((x.day >= ${startDay}${cur.sql}) OR (x.day < ${startDay}${prev.sql}))`
  const args = [...cur.args, ...prev.args]
  const counts = `count(DISTINCT visitor) AS visitors, count(DISTINCT session) AS sessions, sum(pageviews) AS pageviews,
    sum(friction) AS friction`
  const goals = JSON.stringify(funnels.map((fn) => [fn.id, fn.steps[fn.steps.length - 1]!.id]))
  const goal = `JOIN json_each(?) g ON g.value ->> 0 = x.funnel AND g.value ->> 1 = x.step`
  const npsCounts = `sum(nps) AS answers, sum(promoters) AS promoters, sum(detractors) AS detractors`
  // One pass over the sessions per grouping: counts and NPS answers together.
  const [buckets, totals, conversions, converted] = await db.batch<any>([
    db
      .prepare(
        `${ctes(s, { sess: true })} SELECT x.day - ${first} AS b, ${counts}, ${npsCounts} FROM sess x WHERE ${both}
         GROUP BY b`,
      )
      .bind(site, ...args),
    db
      .prepare(
        `${ctes(s, { sess: true })} SELECT x.day >= ${startDay} AS cur, ${counts}, ${npsCounts} FROM sess x
         WHERE ${both} GROUP BY cur`,
      )
      .bind(site, ...args),
    db
      .prepare(
        `${ctes(s, { st: true, sess: !!filter.referrer })} SELECT x.day - ${first} AS b, g.value ->> 0 AS funnel,
           count(DISTINCT x.visitor) AS n FROM st x ${goal} WHERE x.type = 'step' AND ${both} GROUP BY b, funnel`,
      )
      .bind(site, goals, ...args),
    db
      .prepare(
        `${ctes(s, { st: true, sess: !!filter.referrer })} SELECT x.day >= ${startDay} AS cur, g.value ->> 0 AS funnel,
           count(DISTINCT x.visitor) AS n FROM st x ${goal} WHERE x.type = 'step' AND ${both} GROUP BY cur, funnel`,
      )
      .bind(site, goals, ...args),
  ])
  return {
    buckets: buckets!.results,
    totals: totals!.results,
    conversions: conversions!.results as { b: number; funnel: string; n: number }[],
    converted: converted!.results as { cur: number; funnel: string; n: number }[],
    /** NPS per bucket and period (answers 0: none, which reads as no NPS). */
    answers: buckets!.results,
    answered: totals!.results,
  }
}

/**
 * The trends' counts without a segment (or by device only): days from the daily totals, each
 * period's distinct visitors and sessions by store/people.ts, conversions over a period by the
 * funnel-step index. The same answers as from the session rows (rollups.test.ts).
 */
async function coarseTrendCounts(
  db: D1Database,
  site: string,
  p: TrendPeriod,
  filter: Filter,
  funnels: FunnelConfig[],
) {
  const rolled = await rolledRange(db, site)
  const s = spansOf(p.previousStart, p.end, rolled.end)
  const first = p.previousStart / DAY_MS
  const startDay = p.start / DAY_MS
  const device = deviceOf(filter)
  const goals = JSON.stringify(funnels.map((fn) => [fn.id, fn.steps[fn.steps.length - 1]!.id]))
  const goal = `JOIN json_each(?2) g ON g.value ->> 0 = x.funnel AND g.value ->> 1 = x.step`
  const isGoal = `(funnel, step) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?2))`
  const [buckets, people, conversions, converted] = await db.batch<any>([
    db
      .prepare(
        `SELECT x.day - ${first} AS b, visitors, sessions, pageviews, friction, nps AS answers, promoters, detractors
         FROM (${rowsOf('roll_totals', s)}) x WHERE device = ${device}`,
      )
      .bind(site),
    db.prepare(peopleSql(s, startDay, filter.device === undefined ? undefined : device, walks(s, rolled))).bind(site),
    db
      .prepare(
        `SELECT x.day - ${first} AS b, g.value ->> 0 AS funnel, x.visitors AS n FROM (${rowsOf('roll_funnel_days', s)}) x
         ${goal} WHERE x.device = ${device}`,
      )
      .bind(site, goals),
    db
      .prepare(
        `SELECT x.day >= ${startDay} AS cur, g.value ->> 0 AS funnel, count(DISTINCT x.visitor) AS n
         FROM (${rowsOf('roll_steps', s, { index: 'roll_steps_by_step', where: `type = 'step' AND ${isGoal}` })}) x
         ${goal} WHERE x.type = 'step'${filter.device === undefined ? '' : ` AND x.device = ${device}`} GROUP BY cur, funnel`,
      )
      .bind(site, goals),
  ])
  const counts = peopleOf(people!.results)
  // A period's pageviews, friction and NPS answers are the sums of its days.
  const totals = [0, 1].map((cur) => {
    const days = buckets!.results.filter((r: { b: number }) => (r.b >= p.buckets ? 1 : 0) === cur)
    const sum = (k: 'pageviews' | 'friction' | 'answers' | 'promoters' | 'detractors') =>
      days.reduce((n: number, r: Record<string, number>) => n + r[k]!, 0)
    const pick = (k: 'visitors' | 'sessions') => (cur ? counts[k].cur : counts[k].prev)
    return {
      cur,
      visitors: pick('visitors'),
      sessions: pick('sessions'),
      pageviews: sum('pageviews'),
      friction: sum('friction'),
      answers: sum('answers'),
      promoters: sum('promoters'),
      detractors: sum('detractors'),
    }
  })
  return {
    buckets: buckets!.results,
    totals,
    conversions: conversions!.results as { b: number; funnel: string; n: number }[],
    converted: converted!.results as { cur: number; funnel: string; n: number }[],
    answers: buckets!.results,
    answered: totals,
  }
}

/** The window's raw paths, most viewed first (at most 5,000). */
export async function rolledRawPaths(db: D1Database, site: string, w: RollWindow): Promise<string[]> {
  const s = await spansFor(db, site, w.from, w.to)
  const f = rollFilter(w.filter, w)
  // Without a segment, from the pageviews per path and day (roll_paths), not per session.
  const { results } = await db
    .prepare(
      beyondDevice(w.filter)
        ? `${ctes(s, { pg: true, sess: !!w.filter.referrer })}
           SELECT path AS p, sum(pageviews) AS n FROM pg x WHERE 1${f.sql} GROUP BY p ORDER BY n DESC LIMIT 5000`
        : `SELECT path AS p, sum(pageviews) AS n FROM (${rowsOf('roll_paths', s)}) x WHERE 1${f.sql}
           GROUP BY p ORDER BY n DESC LIMIT 5000`,
    )
    .bind(site, ...f.args)
    .all<{ p: string }>()
  return results.map((r) => r.p)
}

/** Top pages and entry pages (a session's first pageview), by `names`: raw path → page. */
export async function rolledPagesAndEntries(
  db: D1Database,
  site: string,
  w: RollWindow,
  names: [string, string][],
  limit = 20,
) {
  const s = await spansFor(db, site, w.from, w.to)
  const f = rollFilter(w.filter, w)
  const map = `m AS MATERIALIZED (SELECT value ->> 0 AS raw, value ->> 1 AS norm FROM json_each(?))`
  const [pages, entries] = await db.batch<any>([
    db
      .prepare(
        `${ctes(s, { pg: true, sess: !!w.filter.referrer })}, ${map},
           pv AS (SELECT path AS raw, visitor, sum(pageviews) AS n FROM pg x WHERE 1${f.sql} GROUP BY raw, visitor)
         SELECT coalesce(m.norm, pv.raw) AS page, sum(pv.n) AS pageviews, count(DISTINCT pv.visitor) AS visitors
         FROM pv LEFT JOIN m ON m.raw = pv.raw
         GROUP BY page ORDER BY visitors DESC, pageviews DESC, page LIMIT ${limit}`,
      )
      .bind(site, JSON.stringify(names), ...f.args),
    db
      .prepare(
        // Without a segment, from the session rows' entry columns only (not the whole rows).
        `${beyondDevice(w.filter) ? `${ctes(s, { sess: true })}, ` : `WITH sess AS (${entriesOf(s)}), `}${map},
           firsts AS (SELECT entry AS raw, visitor, min(entry_ts) FROM sess x WHERE entry_ts IS NOT NULL${f.sql}
                      GROUP BY session)
         SELECT coalesce(m.norm, firsts.raw) AS page, count(*) AS sessions, count(DISTINCT firsts.visitor) AS visitors
         FROM firsts LEFT JOIN m ON m.raw = firsts.raw
         GROUP BY page ORDER BY sessions DESC, page LIMIT ${limit}`,
      )
      .bind(site, JSON.stringify(names), ...f.args),
  ])
  return { pages: pages!.results as PageRow[], entries: entries!.results as EntryRow[] }
}

/** Where sessions came from: the referrer of their first pageview in the window, and its UTM tags. */
export async function rolledSources(db: D1Database, site: string, w: RollWindow, limit = 20) {
  // Without a segment, from the sessions' first rows (store/named.ts) once their days are named.
  const named = await namedSources(db, site, w, limit)
  if (named) return named
  const s = await spansFor(db, site, w.from, w.to)
  const f = rollFilter(w.filter, w)
  // Without a segment, from the session rows' entry columns only, both lists in one statement.
  const rows = beyondDevice(w.filter) ? `${ctes(s, { sess: true })},` : `WITH sess AS (${entriesOf(s)}),`
  const { results } = await db
    .prepare(
      `${rows} firsts AS MATERIALIZED (SELECT visitor, source, utm_source, utm_medium, utm_campaign, min(entry_ts)
           FROM sess x WHERE entry_ts IS NOT NULL${f.sql} GROUP BY session)
       SELECT * FROM (SELECT 0 AS list, source, NULL AS medium, NULL AS campaign, count(*) AS sessions,
           count(DISTINCT visitor) AS visitors FROM firsts GROUP BY source ORDER BY sessions DESC, source LIMIT ${limit})
       UNION ALL
       SELECT * FROM (SELECT 1 AS list, utm_source AS source, utm_medium AS medium, utm_campaign AS campaign,
           count(*) AS sessions, count(DISTINCT visitor) AS visitors FROM firsts WHERE utm_source IS NOT NULL
           GROUP BY utm_source, utm_medium, utm_campaign ORDER BY sessions DESC, source LIMIT ${limit})
       ORDER BY list, sessions DESC, source`,
    )
    .bind(site, ...f.args)
    .all<CampaignRow & { list: number }>()
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

/**
 * Custom events: names with counts and visitors, and the top 5 values of each prop of the top
 * names. Prop values are rolled up by day and device only: under a referrer, new/returning or
 * named-segment filter they are counted from raw events (slower over long windows).
 */
export async function rolledCustomEvents(db: D1Database, site: string, w: RollWindow, limit = 20) {
  const s = await spansFor(db, site, w.from, w.to)
  const f = rollFilter(w.filter, w)
  const names = db
    .prepare(
      `${ctes(s, { tr: true, sess: !!w.filter.referrer })} SELECT name, sum(events) AS events,
         count(DISTINCT visitor) AS visitors FROM tr x WHERE 1${f.sql} GROUP BY name ORDER BY events DESC, name LIMIT ${limit}`,
    )
    .bind(site, ...f.args)
  if (beyondDevice(w.filter)) {
    const [n, raw] = await Promise.all([names.all<TrackRow>(), customEvents(db, site, w, limit)])
    return { names: n.results, props: raw.props }
  }
  const [n, props] = await db.batch<any>([
    names,
    db
      .prepare(
        `${ctes(s, { tr: true, pr: true })},
           top AS (SELECT name FROM tr x WHERE 1${f.sql} GROUP BY name ORDER BY sum(events) DESC, name LIMIT ${limit}),
           vals AS (SELECT name, key, value AS val, sum(events) AS events FROM pr x
                    WHERE name IN (SELECT name FROM top)${f.sql} GROUP BY name, key, value)
         SELECT name, key, value, events FROM (
           SELECT name, key, val AS value, events, row_number() OVER (PARTITION BY name, key ORDER BY events DESC, val) AS r,
                  dense_rank() OVER (PARTITION BY name ORDER BY key) AS k FROM vals)
         WHERE r <= 5 AND k <= 20 ORDER BY name, key, events DESC, value`,
      )
      .bind(site),
  ])
  return { names: n!.results as TrackRow[], props: props!.results as PropRow[] }
}

/**
 * Which stored rows can hold the window's newest sessions: those from the time at which, read
 * newest first by the last_ts index, they name `limit` sessions (a session newer than
 * that has a row at least as new). Read in growing steps: a session may have several rows.
 */
async function newestRows(db: D1Database, site: string, s: Spans, device: string, limit: number) {
  const index = 'roll_sessions_by_last'
  if (s.days[1] <= s.days[0]) return {}
  for (let n = limit; ; n *= 4) {
    const r = await db
      .prepare(
        `SELECT count(DISTINCT session) AS sessions, count(*) AS n, min(last_ts) AS at FROM (
           SELECT session, last_ts FROM roll_sessions x INDEXED BY ${index}
           WHERE site = ?1 AND last_ts IS NOT NULL AND day >= ${s.days[0]} AND day < ${s.days[1]}${device}
           ORDER BY last_ts DESC LIMIT ${n})`,
      )
      .bind(site)
      .first<{ sessions: number; n: number; at: number | null }>()
    if (r?.at == null) return {}
    if (r.sessions >= limit || r.n < n) return { index, where: `last_ts >= ${r.at}` }
  }
}

/**
 * The pages (raw paths, at most 30) of the window's newest 5,000 sessions with pageviews, and
 * where each first reached the `goal` event: index in `pages` after which it happened, or -1.
 */
export async function rolledSessionPaths(
  db: D1Database,
  site: string,
  w: RollWindow,
  goal?: string,
  limit = JOURNEY_SESSIONS,
) {
  const s = await spansFor(db, site, w.from, w.to)
  const f = rollFilter(w.filter, w)
  type Row = { session: string; pageviews: number; pages: string | null; goal: number | null }
  // Without a segment, the newest sessions from the rows' entry columns, then only their rows.
  const { results } = beyondDevice(w.filter)
    ? await db
        .prepare(
          `${ctes(s, { sess: 'all' })},
         recent AS (SELECT session, max(last_ts) AS at FROM sess x WHERE pageviews > 0${f.sql}
                    GROUP BY session ORDER BY at DESC, session LIMIT ${limit})
       SELECT x.session AS session, x.pageviews AS pageviews, x.pages AS pages,
              (SELECT value FROM json_each(x.goals) WHERE key = ?) AS goal
       FROM sess x JOIN recent ON recent.session = x.session WHERE 1${f.sql}
       ORDER BY x.session, x.day, coalesce(x.entry_ts, 0)`,
        )
        .bind(site, ...f.args, goal ?? null, ...f.args)
        .all<Row>()
    : await db
        .prepare(
          `WITH recent AS MATERIALIZED (SELECT session, max(last_ts) AS at
             FROM (${entriesOf(s, await newestRows(db, site, s, f.sql, limit))}) x WHERE 1${f.sql}
             GROUP BY session ORDER BY at DESC, session LIMIT ${limit})
           SELECT x.session AS session, x.pageviews AS pageviews, x.pages AS pages,
             (SELECT value FROM json_each(x.goals) WHERE key = ?2) AS goal
           FROM (${sessionRowsOf(s, 'SELECT session FROM recent')}) x WHERE 1${f.sql}
           ORDER BY x.session, x.day, coalesce(x.entry_ts, 0)`,
        )
        .bind(site, goal ?? null)
        .all<Row>()
  const paths = new Map<string, { pages: string[]; goalAfter: number; seen: number }>()
  for (const r of results) {
    const p = paths.get(r.session) ?? { pages: [], goalAfter: -1, seen: 0 }
    paths.set(r.session, p)
    // The goal counts when it came within the first 30 pageviews (as the raw rows are cut).
    if (r.goal != null && p.goalAfter < 0 && p.seen + r.goal < JOURNEY_PAGES)
      p.goalAfter = Math.max(0, p.seen + r.goal - 1)
    for (const page of r.pages ? (JSON.parse(r.pages) as string[]) : [])
      if (p.pages.length < JOURNEY_PAGES) p.pages.push(page)
    p.seen += r.pageviews
  }
  return [...paths.values()].map(({ pages, goalAfter }) => ({ pages, goalAfter }))
}
