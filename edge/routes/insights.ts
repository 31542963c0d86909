/**
 * @module routes/insights: what the product team reads (scope `read`).
 * Every answer covers the last `days` UTC days, today included (default 30, at most 365), leaves bots out, and can
 * be narrowed to a segment by the query (domain/segments.ts): `referrer`, `device`, `visitor`
 * (`segment` is reserved for the named segments of the profiles work).
 */
import { Hono, type Context } from 'hono'
import type { App } from '../env'
import * as v from 'valibot'
import { queryOf, refuse, textParam, wholeParam } from '../http'
import { funnelReport, p75 } from '../domain/funnels'
import { abandonedForms, frictionHotspots } from '../store/insights/friction'
import { vitalValues } from '../store/insights/vitals'
import { surveyAnswers } from '../store/insights/surveys'
import { listVisitors, getVisitor } from '../store/visitors'
import { surveyDetails, surveyReport } from '../domain/surveys'
import { alertStatuses, surveyAnswerRows } from '../store/surveys'
import { topInterests } from '../domain/visitors'
import { allow } from '../middleware/auth'
import { namedSite } from '../middleware/site'
import { periodExposures, periodProfiles, SEGMENT_SAMPLE, type PeriodProfiles } from '../store/insights/period'
import { experimentReports, membersOf, segmentSizes } from '../domain/personalisation'
import { DAY_MS, periodOf } from '../domain/spans'
import { describeFilter, filterEntries, filterOf, given, type Filter } from '../domain/filters'
import { filterSql } from '../store/filters'
import { nps, split, trendPeriod, type Metric } from '../domain/trends'
import { trendCounts } from '../store/insights/trends'
import { overview } from '../store/insights/overview'
import { funnelCounts } from '../store/insights/funnels'
import { pagesAndEntries } from '../store/insights/pages'
import { sources } from '../store/insights/sources'
import { customEvents } from '../store/insights/events'
import { JOURNEY_SESSIONS, sessionPaths } from '../store/insights/journeys'
import { normalisePath } from '../domain/paths'
import { journeyReport, type SessionPath } from '../domain/journeys'
import { TIMELINE_EVENTS, visitorTimeline } from '../store/timeline'
import { FLAG } from '../domain/flags'
import type { SiteRow } from '../store/sites'
import { loadModels } from '../store/propensity'
import { scoreProfile, withScores, type PropensityModel } from '../domain/propensity'
import { siteModels, usesPropensity } from '../models'

/** The query every insight takes: the period (`days`) and the filter (domain/filters.ts), checked in this order. */
export const Query = v.object({
  site: textParam('site'),
  days: wholeParam('days', 30, 1, 365),
  ...filterEntries(''),
})
type Checked = v.InferOutput<typeof Query>
const SiteQuery = v.object({ site: textParam('site') })
/** Funnels also take a second filter to compare with, `vs.referrer` and so on. */
const FunnelQuery = v.object({ ...Query.entries, ...filterEntries('vs.') })
const VisitorsQuery = v.object({ ...Query.entries, limit: wholeParam('limit', 50, 1, 500), user: textParam('user') })
const FROM = '?from must be a page path starting with / (as the Pages table names it)'
const GOAL = '?goal must be a track event name (200 characters at most)'
const JourneyQuery = v.object({
  ...Query.entries,
  from: given(
    v.pipe(
      v.string(),
      v.check((s) => s.startsWith('/') && s.length <= 500, FROM),
    ),
    FROM,
  ),
  goal: given(v.pipe(v.string(), v.maxLength(200, GOAL)), GOAL),
})

/**
 * The time window and segment of a checked query (`prefix` 'vs.': the comparison's filter).
 * `previous`: a named segment's members are also sought among the visitors of the period before
 * (the trends compare both).
 */
export async function window(c: Context<App>, query: Checked, prefix = '', previous = false) {
  const days = query.days
  const now = Date.now()
  // Today and the days − 1 UTC days before it (as every view counts), so that every whole day
  // comes from the rollups and only today from raw events.
  const { from, to } = periodOf(days, now)
  const filter = filterOf(query, prefix)
  // A named segment of the site config: the visitors of the period whose profile is in it as of
  // the period's end (now), as the personalisation insight sizes it.
  if (filter.segment) {
    const site = c.get('site')
    if (!site.config.segments?.some((s) => s.id === filter.segment))
      refuse(400, `?${prefix}segment: site '${site.key}' has no segment '${filter.segment}'`, {
        path: `${prefix}segment`,
      })
    const seen = { from: previous ? from - days * DAY_MS : from, to, filter: {} }
    const [period, models] = await Promise.all([
      periodProfiles(c.env.DB, site.key, seen, SEGMENT_SAMPLE),
      // Segments over propensity scores are matched with the site's models, as decisions are.
      usesPropensity(site.config) ? siteModels(c.env, site.key, now) : [],
    ])
    filter.visitors = membersOf(site.config.segments, filter.segment, scored(period, models, now), now)
  }
  return { from, to, days, filter, now }
}

/** The period's profiles with the site's propensity scores as of `now` (segments may read them). */
export const scored = (period: PeriodProfiles, models: PropensityModel[], now: number) =>
  period.profiles.map((r) => ({ id: r.id, profile: r.profile && withScores(r.profile, models, now) }))

/** The filter as SQL for this request's site and window. */
const clause = (site: string, w: { from: number; to: number; filter: Filter }, alias?: string) =>
  filterSql(w.filter, site, w.from, w.to, alias)

export const segmentOf = (f: Filter) => ({ ...f, label: describeFilter(f) })

async function funnelsOf(db: D1Database, site: SiteRow, w: Awaited<ReturnType<typeof window>>) {
  return Promise.all(
    (site.config.funnels ?? []).map(async (fn) => funnelReport(fn, await funnelCounts(db, site.key, fn.id, w))),
  )
}

export const insights = new Hono<App>()
  .use(namedSite(), allow('read'))
  .get('/overview', queryOf(Query), async (c) => {
    const w = await window(c, c.req.valid('query'))
    const key = c.get('site').key
    return c.json({
      days: w.days,
      segment: segmentOf(w.filter),
      ...(await overview(c.env.DB, key, w)),
    })
  })
  .get('/funnels', queryOf(FunnelQuery), async (c) => {
    const w = await window(c, c.req.valid('query'))
    const site = c.get('site')
    const vs = await window(c, c.req.valid('query'), 'vs.')
    const compare = Object.keys(c.req.query()).some((k) => k.startsWith('vs.'))
    const [funnels, other] = await Promise.all([
      funnelsOf(c.env.DB, site, w),
      compare ? funnelsOf(c.env.DB, site, vs) : Promise.resolve(null),
    ])
    return c.json({
      days: w.days,
      segment: segmentOf(w.filter),
      funnels,
      /** The same funnels for the `vs.` filter, side by side (null when none was asked for). */
      compare: other && { segment: segmentOf(vs.filter), funnels: other },
    })
  })
  .get('/friction', queryOf(Query), async (c) => {
    const w = await window(c, c.req.valid('query'))
    const key = c.get('site').key
    const f = clause(key, w)
    const [hotspots, forms] = await Promise.all([
      frictionHotspots(c.env.DB, key, w.from, 50, f),
      abandonedForms(c.env.DB, key, w.from, 20, f),
    ])
    return c.json({ days: w.days, segment: segmentOf(w.filter), hotspots, forms })
  })
  .get('/vitals', queryOf(Query), async (c) => {
    const w = await window(c, c.req.valid('query'))
    const key = c.get('site').key
    const values = await vitalValues(c.env.DB, key, w.from, clause(key, w))
    const metrics = Object.entries(values).map(([name, v]) => ({ name, p75: p75(v), samples: v.length }))
    return c.json({
      days: w.days,
      segment: segmentOf(w.filter),
      metrics: metrics.sort((a, b) => (a.name < b.name ? -1 : 1)),
    })
  })
  .get('/surveys', queryOf(Query), async (c) => {
    const w = await window(c, c.req.valid('query'))
    const site = c.get('site')
    // What written answers say was scored when each arrived (jobs/score.ts): read, never computed here.
    const [a, rows, alerts] = await Promise.all([
      surveyAnswers(c.env.DB, site.key, w.from, clause(site.key, w)),
      surveyAnswerRows(c.env.DB, site.key, w.from, clause(site.key, w, 'e')),
      alertStatuses(c.env.DB, site.key, w.from),
    ])
    const report = surveyReport(
      site.config.surveys,
      a.counts,
      a.scores,
      a.comments,
      20,
      site.config.language,
      a.unsigned,
      a.extra,
    )
    const surveys = report.map((r) => {
      const s = site.config.surveys!.find((x) => x.id === r.id)!
      return { ...r, ...surveyDetails(s, rows, alerts, site.config.language) }
    })
    return c.json({ days: w.days, segment: segmentOf(w.filter), surveys })
  })
  .get('/visitors', queryOf(VisitorsQuery), async (c) => {
    const query = c.req.valid('query')
    const w = await window(c, query)
    const limit = query.limit
    const user = query.user || undefined
    const key = c.get('site').key
    const rows = await listVisitors(c.env.DB, key, { ...w, user, limit, filter: clause(key, w, 'e') })
    const visitors = rows.map(({ interests, profile: _, ...v }) => ({
      ...v,
      interests: topInterests(interests, w.now),
    }))
    return c.json({ days: w.days, segment: segmentOf(w.filter), visitors })
  })
  .get('/visitors/:id', queryOf(SiteQuery), async (c) => {
    const site = c.get('site').key
    const id = c.req.param('id')
    const [row, t] = await Promise.all([getVisitor(c.env.DB, site, id), visitorTimeline(c.env.DB, site, id)])
    if (!row && !t.total) refuse(404, `no visitor '${id}' on site '${site}'`)
    const { interests, profile, ...who } = row ?? {
      id,
      userId: null,
      traits: null,
      interests: null,
      firstSeen: t.events.at(-1)?.ts ?? 0,
      lastSeen: t.events[0]?.ts ?? 0,
      sessions: 0,
      profile: null,
    }
    const flags = t.first?.flags ?? t.events[0]?.flags ?? 0
    const models = profile
      ? (await loadModels(c.env.DB, site)).flatMap((r) => (r.model && r.evaluation ? [r.model] : []))
      : []
    // The newest events, by session (newest session first, events in order within each).
    const sessions: { id: string; start: number; end: number; events: typeof t.events }[] = []
    for (const e of t.events) {
      let s = sessions.find((x) => x.id === e.session)
      if (!s) sessions.push((s = { id: e.session, start: e.ts, end: e.ts, events: [] }))
      s.start = Math.min(s.start, e.ts)
      s.end = Math.max(s.end, e.ts)
      s.events.unshift(e)
    }
    return c.json({
      visitor: who,
      /** What segments can be built from (until named segments exist). */
      attributes: {
        device: flags & FLAG.tablet ? 'tablet' : flags & FLAG.mobile ? 'mobile' : 'desktop',
        source: t.first?.source ?? null,
        landing: t.first?.url ?? null,
        returning: (row?.sessions ?? 1) > 1,
        bot: t.events.length > 0 && t.events.every((e) => e.flags & FLAG.bot),
      },
      interests: topInterests(interests, Date.now(), 20),
      profile,
      /** Each funnel's chance of reaching its goal, from the site's propensity models. */
      propensity: models.map((m) => ({ funnel: m.funnel, goal: m.goal, score: scoreProfile(m, profile!, Date.now()) })),
      answers: t.answers,
      friction: t.friction,
      total: t.total,
      shown: Math.min(t.total, TIMELINE_EVENTS),
      sessions,
    })
  })
  .get('/trends', queryOf(Query), async (c) => {
    const w = await window(c, c.req.valid('query'), '', true)
    const site = c.get('site')
    const p = trendPeriod(w.days, w.now)
    const funnels = site.config.funnels ?? []
    // Days come from the rollups; hours (periods of up to 2 days) from raw events.
    const r = await trendCounts(c.env.DB, site.key, p, w.filter, funnels)
    const total = (cur: number, pick: (t: (typeof r.totals)[number]) => number | null) => {
      const row = r.totals.find((t) => t.cur === cur)
      return row ? pick(row) : 0
    }
    const count = (id: 'visitors' | 'sessions' | 'pageviews' | 'friction', label: string): Metric => ({
      id,
      label,
      ...split(r.buckets, p.buckets, (b) => b[id]),
      total: { current: total(1, (t) => t[id]), previous: total(0, (t) => t[id]) },
    })
    const npsOf = (t: { answers: number; promoters: number; detractors: number }) =>
      nps(t.promoters, t.detractors, t.answers)
    const metrics: Metric[] = [
      count('visitors', 'Visitors'),
      count('sessions', 'Sessions'),
      count('pageviews', 'Pageviews'),
      ...funnels.map((fn) => ({
        id: `funnel:${fn.id}`,
        label: `${fn.id}: completed`,
        ...split(
          r.conversions.filter((x) => x.funnel === fn.id),
          p.buckets,
          (x) => x.n,
        ),
        total: {
          current: r.converted.find((x) => x.cur === 1 && x.funnel === fn.id)?.n ?? 0,
          previous: r.converted.find((x) => x.cur === 0 && x.funnel === fn.id)?.n ?? 0,
        },
      })),
      count('friction', 'Friction signals'),
      {
        id: 'nps',
        label: 'NPS',
        ...split(r.answers, p.buckets, npsOf, null),
        total: {
          current: npsOf(r.answered.find((t) => t.cur === 1) ?? { answers: 0, promoters: 0, detractors: 0 }),
          previous: npsOf(r.answered.find((t) => t.cur === 0) ?? { answers: 0, promoters: 0, detractors: 0 }),
        },
      },
    ]
    // Hours of today still to come have no value yet (the period runs to the end of today).
    for (const m of metrics) for (let i = 0; i < p.buckets; i++) if (p.start + i * p.size > w.now) m.current[i] = null
    return c.json({
      days: w.days,
      segment: segmentOf(w.filter),
      unit: p.unit,
      /** Start of the current period's first bucket (ms); bucket i starts at start + i × size. */
      start: p.start,
      previousStart: p.previousStart,
      size: p.size,
      buckets: p.buckets,
      metrics,
    })
  })
  .get('/pages', queryOf(Query), async (c) => {
    const w = await window(c, c.req.valid('query'))
    const site = c.get('site')
    const r = await pagesAndEntries(c.env.DB, site.key, w, site.settings.paths)
    return c.json({ days: w.days, segment: segmentOf(w.filter), ...r })
  })
  .get('/sources', queryOf(Query), async (c) => {
    const w = await window(c, c.req.valid('query'))
    const r = await sources(c.env.DB, c.get('site').key, w)
    const decode = (s: string | null) => {
      if (s === null) return null
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '))
      } catch {
        return s
      }
    }
    return c.json({
      days: w.days,
      segment: segmentOf(w.filter),
      referrers: r.referrers,
      campaigns: r.campaigns.map((x) => ({
        ...x,
        source: decode(x.source)!,
        medium: decode(x.medium),
        campaign: decode(x.campaign),
      })),
    })
  })
  .get('/events', queryOf(Query), async (c) => {
    const w = await window(c, c.req.valid('query'))
    const r = await customEvents(c.env.DB, c.get('site').key, w)
    const events = r.names.map((n) => {
      const props: { key: string; values: { value: string; events: number }[] }[] = []
      for (const p of r.props.filter((p) => p.name === n.name)) {
        let prop = props.find((x) => x.key === p.key)
        if (!prop) props.push((prop = { key: p.key, values: [] }))
        prop.values.push({ value: p.value, events: p.events })
      }
      return { ...n, props }
    })
    return c.json({ days: w.days, segment: segmentOf(w.filter), events })
  })
  .get('/journeys', queryOf(JourneyQuery), async (c) => {
    const w = await window(c, c.req.valid('query'))
    const site = c.get('site')
    const { from, goal } = c.req.valid('query')
    // Raw paths from the rollups' sessions, each path named once.
    const named = new Map<string, string>()
    const name = (p: string) => named.get(p) ?? named.set(p, normalisePath(p, site.settings.paths)).get(p)!
    const sessions: SessionPath[] = (await sessionPaths(c.env.DB, site.key, w, goal)).map((s) => ({
      pages: s.pages.map(name),
      goalAfter: s.goalAfter,
    }))
    const report = journeyReport(
      sessions.filter((s) => s.pages.length),
      from,
    )
    return c.json({
      days: w.days,
      segment: segmentOf(w.filter),
      from: from ?? null,
      goal: goal ?? null,
      /** At most this many sessions are read: the newest of the period. */
      bound: JOURNEY_SESSIONS,
      ...report,
    })
  })
  .get('/personalisation', queryOf(Query), async (c) => {
    const w = await window(c, c.req.valid('query'))
    const site = c.get('site')
    const [rows, period, models] = await Promise.all([
      periodExposures(c.env.DB, site.key, w),
      periodProfiles(c.env.DB, site.key, w, site.config.segments?.length ? SEGMENT_SAMPLE : 0),
      usesPropensity(site.config) ? siteModels(c.env, site.key, w.now) : [],
    ])
    const counted = site.config.segments?.length ? period.profiles.length : period.visitors
    return c.json({
      days: w.days,
      segment: segmentOf(w.filter),
      /** Exposures and conversions of visitors first exposed in the period. */
      experiments: experimentReports(site.config, rows),
      /** Each segment's visitors in the period, members as of its end (now). */
      segments: segmentSizes(
        site.config,
        scored(period, models, w.now).map((r) => r.profile),
        w.now,
      ),
      /** The period's visitors under the filter (the overview's `visitors`): what sizes are of. */
      visitors: period.visitors,
      /** Sizes count this many of them (the most recently seen, when capped). */
      visitorsCounted: counted,
      capped: counted < period.visitors,
    })
  })
