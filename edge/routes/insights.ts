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
import { abandonedForms, frictionHotspots, hotspotClause } from '../store/insights/friction'
import { vitalValues } from '../store/insights/vitals'
import { surveyAnswers } from '../store/insights/surveys'
import { listVisitors, getVisitor, visitorsByIds, type VisitorRow } from '../store/visitors'
import { funnelVisitors } from '../store/insights/funnel-visitors'
import { pageVisitors } from '../store/insights/page-visitors'
import { exposedVisitors } from '../store/insights/exposed'
import { armsOf } from '../domain/experiments'
import { surveyDetails, surveyReport } from '../domain/surveys'
import { GROUP_NAMES, scaleOf, whoSaid } from '../domain/survey-groups'
import { alertStatuses, surveyAnswerRows } from '../store/surveys'
import { topInterests } from '../domain/visitors'
import { allow } from '../middleware/auth'
import { namedSite } from '../middleware/site'
import {
  periodExposures,
  periodProfiles,
  periodVisitorsPage,
  SEGMENT_SAMPLE,
  type PeriodProfiles,
} from '../store/insights/period'
import { experimentReports, membersOf, segmentSizes } from '../domain/personalisation'
import { DAY_MS, periodOf } from '../domain/spans'
import { describeFilter, filterEntries, filterOf, given, type Filter } from '../domain/filters'
import { filterSql } from '../store/filters'
import { nps, split, trendPeriod, type Metric } from '../domain/trends'
import { trendCounts } from '../store/insights/trends'
import { overview } from '../store/insights/overview'
import { funnelStalls } from '../store/insights/funnels'
import { plan } from '../store/planner'
import { NEXT_VISITORS, STEP_VISITORS, nextEvents, stepHits } from '../store/insights/ordered'
import { nextLabel } from '../domain/went'
import {
  adHocSteps,
  orderedPaths,
  orderedSteps,
  reachedStep,
  ruleOf,
  ruleText,
  stoppedAt,
  topOf,
} from '../domain/funnel-steps'
import type { FunnelConfig } from '../../snippet/contract/wire'
import { pagesAndEntries } from '../store/insights/pages'
import { sources } from '../store/insights/sources'
import { customEvents } from '../store/insights/events'
import { JOURNEY_SESSIONS, sessionPaths } from '../store/insights/journeys'
import { normalisePath } from '../domain/paths'
import { journeyReport, type SessionPath } from '../domain/journeys'
import { momentsBefore, TIMELINE_EVENTS, visitorTimeline } from '../store/timeline'
import { FLAG } from '../domain/flags'
import type { SiteRow } from '../store/sites'
import { loadModels } from '../store/propensity'
import { scoreProfile, withScores, type PropensityModel } from '../domain/propensity'
import { siteModels, usesPropensity } from '../models'
import { drilledBreakdown, drilledCohort, drilledEntries, drilledPoint, oneNumber } from './drilled'
import { trendVisitors } from '../store/insights/trend-visitors'
import { breakdownVisitors } from '../store/insights/breakdown'
import { cohortVisitors } from '../store/insights/retention'
import { entryVisitors } from '../store/insights/entry-visitors'
import type { VisitorsPage } from '../store/insights/paged-visitors'
import { dimensionText, eventText } from '../domain/breakdown'

/** The query every insight takes: the period (`days`) and the filter (domain/filters.ts), checked in this order. */
export const Query = v.object({
  site: textParam('site'),
  days: wholeParam('days', 30, 1, 365),
  ...filterEntries(''),
})
type Checked = v.InferOutput<typeof Query>
const SiteQuery = v.object({ site: textParam('site') })
const WINDOW = '?window must be a whole number of days from 1 to 90'
/**
 * Funnels also take a second filter to compare with, `vs.referrer` and so on; an ad hoc funnel
 * (`steps=page:/pricing,track:signup_started,step:onboarding/done`, domain/funnel-steps.ts); and
 * a conversion window in days for every funnel answered (`window`, else each funnel's own).
 */
/** An ad hoc funnel's steps (domain/funnel-steps.ts), as the funnels and the visitors behind their numbers take them. */
const StepsParam = v.optional(
  v.pipe(
    v.string('?steps must be given once'),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      const r = adHocSteps(dataset.value)
      if ('problem' in r) {
        addIssue({ message: r.problem })
        return NEVER
      }
      return r.steps
    }),
  ),
)
const WindowParam = v.optional(
  v.pipe(v.string(WINDOW), v.transform(Number), v.integer(WINDOW), v.minValue(1, WINDOW), v.maxValue(90, WINDOW)),
)
const FunnelQuery = v.object({
  ...Query.entries,
  ...filterEntries('vs.'),
  steps: StepsParam,
  window: WindowParam,
})
const PAGE = '?page must be a page path starting with / (as the Hotspots table names it)'
const ELEMENT = '?element must be an element as the Hotspots table names it (300 characters at most)'
const SCORE = `?score must be a group of a survey's scores: ${GROUP_NAMES.join(', ')}`
const THEME = '?theme must be a theme as the survey names it (200 characters at most)'
const ANSWERED = '?answered must be a day (YYYY-MM-DD) of the survey’s score by day'
const CONVERTED = '?converted must be 1 (those of the arm who reached its goal)'
const VIEWED = '?viewed must be a page path starting with / (as the Pages table names it)'
/**
 * The visitors list: the period's visitors under the filter, or those behind one number: a
 * funnel's step (`funnel` and `step`: who reached it; `stalled`: who stalled at it; `dropped`:
 * who stopped at it), or an ad hoc funnel's (`steps`, `window` and `step` or `dropped`, the step
 * named as the funnels answer names it); or a survey's, an experiment arm's, a page's, a hotspot's;
 * or a trend's point, a breakdown's row, a retention cell, an entry page (routes/drilled.ts).
 * Paged: `limit` from `offset`; the answer's `total` is the number (or, where it counts sessions,
 * pageviews or events, `measure` is).
 */
const VisitorsQuery = v.object({
  ...Query.entries,
  limit: wholeParam('limit', 50, 1, 500),
  offset: wholeParam('offset', 0, 0, 1_000_000),
  user: textParam('user'),
  funnel: textParam('funnel'),
  steps: StepsParam,
  window: WindowParam,
  step: textParam('step'),
  stalled: textParam('stalled'),
  dropped: textParam('dropped'),
  // A trend's point (`bucket`, `metric`), a breakdown's row (`event`, `by`, `value` or `other`, `top`),
  // a retention cell (`cohort`, `week`, `weeks`, `event`), an entry page (`entry`): routes/drilled.ts.
  ...drilledEntries,
  // A hotspot (both or neither): the visitors who met friction on that element of that page.
  page: given(
    v.pipe(
      v.string(),
      v.check((s) => s.startsWith('/') && s.length <= 500, PAGE),
    ),
    PAGE,
  ),
  element: given(v.pipe(v.string(), v.maxLength(300, ELEMENT)), ELEMENT),
  /** A row of the Pages table: who viewed that page. */
  viewed: given(
    v.pipe(
      v.string(),
      v.check((s) => s.startsWith('/') && s.length <= 500, VIEWED),
    ),
    VIEWED,
  ),
  /** A survey's number: who gave a score of a group (`score`), or wrote an answer with a theme (`theme`). */
  survey: textParam('survey'),
  score: given(v.picklist(GROUP_NAMES, SCORE), SCORE),
  theme: given(v.pipe(v.string(), v.maxLength(200, THEME)), THEME),
  /** A point of a survey's NPS or CSAT by day: who answered its scale that UTC day. */
  answered: given(v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/, ANSWERED)), ANSWERED),
  /** An experiment's arm (`default`: the default content, `holdout`), and those of it who converted. */
  experiment: textParam('experiment'),
  arm: textParam('arm'),
  converted: given(v.picklist(['1'], CONVERTED), CONVERTED),
})
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

/**
 * Each named segment's members among the window's visitors (whatever the filter), as the
 * personalisation insight sizes them: [visitor, segment id] (a breakdown by segment).
 */
export async function segmentMembers(c: Context<App>, w: { from: number; to: number; now: number }) {
  const site = c.get('site')
  const [period, models] = await Promise.all([
    periodProfiles(c.env.DB, site.key, { from: w.from, to: w.to, filter: {} }, SEGMENT_SAMPLE),
    usesPropensity(site.config) ? siteModels(c.env, site.key, w.now) : [],
  ])
  const profiles = scored(period, models, w.now)
  return (site.config.segments ?? []).flatMap((s) =>
    membersOf(site.config.segments, s.id, profiles, w.now).map((id): [string, string] => [id, s.id]),
  )
}

/** The filter as SQL for this request's site and window. */
const clause = (site: string, w: { from: number; to: number; filter: Filter }, alias?: string) =>
  filterSql(w.filter, site, w.from, w.to, alias)

export const segmentOf = (f: Filter) => ({ ...f, label: describeFilter(f) })

/**
 * The report of each funnel: its ordered cohort (domain/funnel-steps.ts) and stalls from the
 * rollups, and for those who stopped at a step what they did next (raw events). `adhoc`: the one
 * funnel asked by `steps=`, which counts no stalls (they are sent by a saved funnel's steps), so
 * a saved funnel whose id is the ad hoc one's (`adhoc`) keeps its stalls to itself.
 */
async function funnelsOf(
  db: D1Database,
  site: SiteRow,
  funnels: FunnelConfig[],
  w: Awaited<ReturnType<typeof window>>,
  adhoc: boolean,
) {
  const p = await plan(db, site.key, w)
  return Promise.all(
    funnels.map(async (fn) => {
      const rules = fn.steps.map((s) => ruleOf(fn.id, s))
      const days = fn.window ?? 7
      const [stalls, read] = await Promise.all([
        adhoc ? new Map<string, number>() : funnelStalls(db, site.key, fn.id, p),
        stepHits(db, site.key, rules, p),
      ])
      const paths = orderedPaths(rules, read.visitors, days * DAY_MS)
      const steps = orderedSteps(paths, rules.length, read.firstOnly.visitors)
      const stopped = stoppedAt(paths, rules.length, NEXT_VISITORS, read.firstOnly.latest)
      const next = await nextEvents(db, site.key, stopped.flat())
      const page = (url: string) => normalisePath(url, site.settings.paths)
      let at = 0
      const order = rules.map((r, k) => {
        const labels = next.slice(at, (at += stopped[k]!.length)).map((e) => nextLabel(e, page))
        return { match: ruleText(r), fromPrevious: steps[k]!.fromPrevious, next: topOf(labels) }
      })
      const counts = fn.steps.map((s, k) => ({
        step: s.id,
        visitors: steps[k]!.visitors,
        stalls: stalls.get(s.id) ?? 0,
      }))
      return funnelReport(fn, counts, order, { window: days, truncated: read.truncated })
    }),
  )
}

/**
 * The funnel step a visitors list drills into (null: none asked for): of a saved funnel
 * (`funnel`) or an ad hoc one (`steps`), with `window` for its own as the funnels answer takes it;
 * 400 naming what is wrong.
 */
function drilledStep(
  site: SiteRow,
  q: {
    funnel?: string
    steps?: FunnelConfig['steps']
    window?: number
    step?: string
    stalled?: string
    dropped?: string
    user?: string
  },
) {
  // Who reached a step, who stalled at it, who stopped there (reached it, not the next).
  const asked = (['step', 'stalled', 'dropped'] as const).filter((k) => q[k] !== undefined)
  if (q.funnel && q.steps)
    refuse(400, '?steps asks an ad hoc funnel: it takes no ?funnel (a saved one)', { path: 'steps' })
  if (!q.funnel && !q.steps) {
    if (asked.length)
      refuse(400, `?${asked[0]} needs ?funnel (a saved funnel) or ?steps (an ad hoc one), the funnel it is a step of`, {
        path: 'funnel',
      })
    if (q.window !== undefined)
      refuse(400, '?window is the conversion window of ?funnel or ?steps: it needs one', { path: 'window' })
    return null
  }
  const asks = q.steps ? '?steps' : '?funnel'
  if (q.user) refuse(400, `?user lists every visitor of a user: it takes no ${asks}`, { path: 'user' })
  // An ad hoc funnel is answered as the funnels endpoint answers it (`adhoc`), its steps named by their text.
  const f = q.steps ? { id: 'adhoc', steps: q.steps } : site.config.funnels?.find((x) => x.id === q.funnel)
  if (!f) refuse(400, `?funnel: site '${site.key}' has no funnel '${q.funnel}'`, { path: 'funnel' })
  const fn: FunnelConfig = q.window ? { ...f!, window: q.window } : f!
  const name = asked[0]
  if (asked.length !== 1 || !q[name!])
    refuse(
      400,
      q.steps
        ? '?steps needs one of ?step (who reached it) or ?dropped (who stopped at it)'
        : '?funnel needs one of ?step (who reached it), ?stalled (who stalled at it) or ?dropped (who stopped at it)',
      { path: 'step' },
    )
  // Stalls are sent by a saved funnel's steps (ciel('stall')): an ad hoc funnel counts none.
  if (q.steps && name === 'stalled')
    refuse(400, '?stalled: an ad hoc funnel counts no stalls: ask ?step or ?dropped', { path: 'stalled' })
  const step = q[name!]!
  const of = q.steps ? `the ad hoc funnel (${fn.steps.map((s) => s.id).join(',')})` : `funnel '${fn.id}'`
  const at = fn.steps.findIndex((s) => s.id === step)
  if (at < 0) refuse(400, `?${name}: ${of} has no step '${step}'`, { path: name })
  if (name === 'dropped' && at === fn.steps.length - 1)
    refuse(400, `?dropped: '${step}' is the last step of ${of}: who reached it completed the funnel`, {
      path: 'dropped',
    })
  return { fn, adhoc: !!q.steps, funnel: fn.id, step, stalled: name === 'stalled', dropped: name === 'dropped' }
}

/** The survey number a visitors list drills into (null: none asked for); 400 naming what is wrong. */
function drilledSurvey(
  site: SiteRow,
  q: { survey?: string; score?: string; theme?: string; answered?: string; funnel?: string },
) {
  if (!q.survey) {
    if (q.score || q.theme || q.answered)
      refuse(400, `?${q.score ? 'score' : q.theme ? 'theme' : 'answered'} needs ?survey, the survey it is of`, {
        path: 'survey',
      })
    return null
  }
  if (q.funnel) refuse(400, "?survey lists a survey's visitors: it takes no ?funnel", { path: 'survey' })
  const s = site.config.surveys?.find((x) => x.id === q.survey)
  if (!s) refuse(400, `?survey: site '${site.key}' has no survey '${q.survey}'`, { path: 'survey' })
  if ([q.score, q.theme, q.answered].filter((x) => x !== undefined).length !== 1)
    refuse(
      400,
      '?survey needs one of ?score (a group of scores), ?theme (a theme of written answers) or ?answered (a day of its score)',
      { path: 'score' },
    )
  const groups = scaleOf(s!)?.groups.map(([g]) => g as string) ?? []
  if (q.score && !groups.includes(q.score))
    refuse(
      400,
      groups.length
        ? `?score: survey '${s!.id}' groups its scores as ${groups.join(', ')}`
        : `?score: survey '${s!.id}' asks for no NPS or CSAT score`,
      { path: 'score' },
    )
  if (q.answered && !groups.length)
    refuse(400, `?answered: survey '${s!.id}' asks for no NPS or CSAT score`, { path: 'answered' })
  return { survey: s!, score: q.score, theme: q.theme, answered: q.answered }
}

/** The experiment arm a visitors list drills into (null: none asked for); 400 naming what is wrong. */
function drilledArm(
  site: SiteRow,
  q: { experiment?: string; arm?: string; converted?: string; funnel?: string; survey?: string },
) {
  if (!q.experiment) {
    if (q.arm !== undefined || q.converted)
      refuse(400, `?${q.arm !== undefined ? 'arm' : 'converted'} needs ?experiment, the experiment it is of`, {
        path: 'experiment',
      })
    return null
  }
  if (q.funnel || q.survey)
    refuse(400, `?experiment lists an arm's visitors: it takes no ?${q.funnel ? 'funnel' : 'survey'}`, {
      path: 'experiment',
    })
  const slot = site.config.slots?.find((s) => s.experiment?.id === q.experiment)
  if (!slot) refuse(400, `?experiment: site '${site.key}' has no experiment '${q.experiment}'`, { path: 'experiment' })
  const x = slot!.experiment!
  // Arms as the Experiments table names them: `default` for the default content, and the holdout.
  const names = [...armsOf(x).map((a) => a || 'default'), ...(x.holdout ? ['holdout'] : [])]
  if (!q.arm || !names.includes(q.arm))
    refuse(400, `?arm: experiment '${x.id}' has the arms ${names.join(', ')}`, { path: 'arm' })
  const holdout = q.arm === 'holdout' && !x.variants.includes('holdout')
  const variant = q.arm === 'default' && !x.variants.includes('default') ? '' : q.arm!
  return { slot: slot!.id, experiment: x.id, variant, holdout, converted: q.converted === '1', arm: q.arm! }
}

/**
 * Who reached a step of a funnel (or, `dropped`, reached it and not the next), as its ordered
 * count counts them (funnelsOf): the steps before it done in order within the funnel's window
 * from a step 1 in the period. A page of them, the latest to reach it first, and how many.
 */
async function reachedVisitors(
  db: D1Database,
  site: string,
  fn: FunnelConfig,
  stepId: string,
  dropped: boolean,
  w: Awaited<ReturnType<typeof window>>,
  page: { limit: number; offset: number },
) {
  const rules = fn.steps.map((s) => ruleOf(fn.id, s))
  const k = fn.steps.findIndex((s) => s.id === stepId)
  const read = await stepHits(db, site, rules, await plan(db, site, w), k === 0 ? STEP_VISITORS : 0)
  const paths = orderedPaths(rules, read.visitors, (fn.window ?? 7) * DAY_MS)
  const all = dropped
    ? stoppedAt(paths, rules.length, Infinity, read.firstOnly.latest)[k]!
    : reachedStep(paths, k, read.firstOnly.latest)
  const shown = all.slice(page.offset, page.offset + page.limit)
  return { ids: shown.map((r) => r.visitor), total: all.length, shown }
}

/** A visitor counted whose row the ingest consumer has not written yet: the id alone. */
const unseenVisitor = (id: string): VisitorRow => ({
  id,
  userId: null,
  traits: null,
  interests: null,
  firstSeen: 0,
  lastSeen: 0,
  sessions: 0,
  profile: null,
})

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
    const query = c.req.valid('query')
    const w = await window(c, query)
    const site = c.get('site')
    const vs = await window(c, query, 'vs.')
    const compare = Object.keys(c.req.query()).some((k) => k.startsWith('vs.'))
    // An ad hoc funnel is answered alone; `window` stands for every funnel's own.
    const asked = query.steps ? [{ id: 'adhoc', steps: query.steps }] : (site.config.funnels ?? [])
    const fns = asked.map((fn) => (query.window ? { ...fn, window: query.window } : fn))
    const [funnels, other] = await Promise.all([
      funnelsOf(c.env.DB, site, fns, w, !!query.steps),
      compare ? funnelsOf(c.env.DB, site, fns, vs, !!query.steps) : Promise.resolve(null),
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
    const site = c.get('site')
    const key = site.key
    const f = clause(key, w)
    const [hotspots, forms] = await Promise.all([
      frictionHotspots(c.env.DB, key, w.from, 50, f, site.settings.paths),
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
      const details = surveyDetails(s, rows, alerts, site.config.language)
      // Visitors behind each group of scores and each theme: what `?survey=&score=` and `&theme=` list.
      const who = whoSaid(s, rows)
      return {
        ...r,
        ...details,
        /** The scale question's groups of scores (NPS promoters…, CSAT satisfied…): visitors who gave one. */
        groups: (scaleOf(s)?.groups ?? []).map(([group, from, to]) => ({
          group,
          from,
          to,
          visitors: who.groups.get(group)!.length,
        })),
        themes: details.themes.map((t) => ({ ...t, visitors: who.themes.get(t.theme)?.length ?? 0 })),
      }
    })
    return c.json({ days: w.days, segment: segmentOf(w.filter), surveys })
  })
  .get('/visitors', queryOf(VisitorsQuery), async (c) => {
    const query = c.req.valid('query')
    const site = c.get('site')
    const step = drilledStep(site, query)
    const said = drilledSurvey(site, query)
    const arm = drilledArm(site, query)
    const now = Date.now()
    const point = drilledPoint(site, query, trendPeriod(query.days, now))
    const broken = drilledBreakdown(query)
    const cohort = drilledCohort(query, now)
    const { limit, offset } = query
    const user = query.user || undefined
    if (point || broken || cohort || query.entry)
      oneNumber([
        ['bucket', point],
        ['event', broken],
        ['cohort', cohort],
        ['entry', query.entry],
        [step?.adhoc ? 'steps' : 'funnel', step],
        ['survey', said],
        ['experiment', arm],
        ['viewed', query.viewed],
        ['page', query.page ?? query.element],
        ['user', user],
      ])
    // A retention cell is of the retention's window (its weeks), not of `days`.
    const w = await window(c, cohort ? { ...query, days: cohort.days } : query)
    const key = site.key
    if (!query.page !== !query.element)
      refuse(400, '?page and ?element name a hotspot together: give both or neither', {
        path: query.page ? 'element' : 'page',
      })
    if (query.viewed && (step || said || arm || query.page || user))
      refuse(
        400,
        `?viewed lists a page's visitors: it takes no ?${step ? (step.adhoc ? 'steps' : 'funnel') : said ? 'survey' : arm ? 'experiment' : query.page ? 'page' : 'user'}`,
        {
          path: 'viewed',
        },
      )
    const filter = clause(key, w, 'e')
    const spot =
      query.page && query.element
        ? await hotspotClause(c.env.DB, key, w.from, { page: query.page, element: query.element }, site.settings.paths)
        : null
    if (spot) ((filter.sql += spot.sql), filter.args.push(...spot.args))
    /** A page of the number's visitors (ids in order, and how many it counts), with their rows. */
    const rowsOf = async ({ ids, total, measure }: VisitorsPage) => {
      const rows = new Map((await visitorsByIds(c.env.DB, key, ids)).map((r) => [r.id, r]))
      return { rows: ids.map((id) => rows.get(id) ?? unseenVisitor(id)), total, measure }
    }
    /** Who gave a survey's group of scores or wrote a theme: from the answers its numbers count. */
    const saidBy = async (x: NonNullable<typeof said>) => {
      const who = whoSaid(x.survey, await surveyAnswerRows(c.env.DB, key, w.from, clause(key, w, 'e')))
      const all =
        (x.score ? who.groups.get(x.score) : x.answered ? who.days.get(x.answered) : who.themes.get(x.theme!)) ?? []
      return { ids: all.slice(offset, offset + limit), total: all.length }
    }
    /** All of a short list (a user's devices, a hotspot's visitors), paged here. */
    const paged = (all: VisitorRow[]) => ({
      rows: all.slice(offset, offset + limit),
      total: all.length,
      measure: undefined,
    })
    const pageAsked = { limit, offset }
    const reached =
      step && !step.stalled
        ? await reachedVisitors(c.env.DB, key, step.fn, step.step, step.dropped, w, { limit, offset })
        : null
    // Where those who stopped at a step went instead: each one's next event after it (a page's worth).
    const instead = reached && step!.dropped ? await nextEvents(c.env.DB, key, reached.shown) : null
    /** The page of the number's visitors asked for, of whichever number the query names. */
    const listOf = async () => {
      if (point)
        return rowsOf(
          await trendVisitors(c.env.DB, key, w, trendPeriod(w.days, w.now), point.bucket, point.metric, pageAsked),
        )
      if (broken) {
        const ask = {
          event: broken.event,
          // The event's visitors whatever the dimension: by device, which needs no join.
          by: broken.by ?? 'device',
          top: broken.top,
          unit: trendPeriod(w.days, w.now).unit,
          rules: site.settings.paths,
          members: broken.by === 'segment' ? await segmentMembers(c, w) : undefined,
        }
        return rowsOf(await breakdownVisitors(c.env.DB, key, w, ask, broken.pick, pageAsked))
      }
      if (cohort) return rowsOf(await cohortVisitors(c.env.DB, key, w, cohort.event, cohort.c, cohort.week, pageAsked))
      if (query.entry) return rowsOf(await entryVisitors(c.env.DB, key, w, query.entry, site.settings.paths, pageAsked))
      if (reached) return rowsOf(reached)
      if (step) return rowsOf(await funnelVisitors(c.env.DB, key, step, w, pageAsked))
      if (arm) return rowsOf(await exposedVisitors(c.env.DB, key, w, arm, pageAsked))
      if (said) return rowsOf(await saidBy(said))
      if (query.viewed)
        return rowsOf(await pageVisitors(c.env.DB, key, w, query.viewed, site.settings.paths, pageAsked))
      if (spot) return paged(await listVisitors(c.env.DB, key, { ...w, user, limit: 500, filter }))
      // A user's devices: all of them, whenever seen (a handful).
      if (user) return paged(await listVisitors(c.env.DB, key, { from: w.from, to: w.to, user, limit: 500 }))
      // The period's visitors from the rows the overview counts: the list is its number.
      return rowsOf(await periodVisitorsPage(c.env.DB, key, w, pageAsked))
    }
    const listed = await listOf()
    // Behind a hotspot: each visitor's moments before their latest click on it.
    const before =
      spot &&
      (await momentsBefore(
        c.env.DB,
        key,
        listed.rows.map((r) => r.id),
        w.from,
        w.to,
        filter,
      ))
    const page = (url: string) => normalisePath(url, site.settings.paths)
    const visitors = listed.rows.map(({ interests, profile: _, ...v }, i) => ({
      ...v,
      interests: topInterests(interests, w.now),
      ...(before && { before: before.get(v.id) ?? [] }),
      /** Stopped at a step: what they did next, as the funnel's "then" names it (null: nothing). */
      ...(instead && { next: nextLabel(instead[i] ?? null, page) }),
    }))
    const next = offset + visitors.length < listed.total ? offset + visitors.length : null
    return c.json({
      days: w.days,
      segment: segmentOf(w.filter),
      /** The number listed: a funnel step's visitors (or stalls), else the period's (or bucket's) visitors under the filter. */
      of: step
        ? {
            // An ad hoc funnel: its steps (as the funnels answer names them) and window, for the funnel's id.
            ...(step.adhoc
              ? { steps: step.fn.steps.map((s) => s.id).join(','), window: step.fn.window ?? 7 }
              : { funnel: step.funnel }),
            step: step.step,
            stalled: step.stalled,
            ...(step.dropped && { dropped: true }),
          }
        : null,
      bucket: point?.bucket ?? null,
      /** The trend the point is of (its metric's id), or null. */
      metric: point?.name ?? null,
      /** The breakdown's number listed: the event's row by a dimension (its value, or `other`), or the event's visitors (`by` null). */
      breakdown: broken
        ? {
            event: eventText(broken.event),
            by: broken.by ? dimensionText(broken.by) : null,
            value: 'value' in broken.pick ? broken.pick.value : null,
            other: 'other' in broken.pick,
            top: broken.top,
          }
        : null,
      /** The retention cell listed: the cohort (its week's start), the week after it (null: the cohort's size). */
      cohort: cohort
        ? {
            start: cohort.start,
            week: cohort.week ?? null,
            weeks: cohort.weeks,
            event: cohort.event ? eventText(cohort.event) : 'any',
          }
        : null,
      /** The entry page whose visitors are listed (the Entry pages table's name for it), or null. */
      entry: query.entry ?? null,
      /** The experiment arm listed (`converted`: those of it who reached the goal), or null. */
      arm: arm ? { experiment: arm.experiment, arm: arm.arm, converted: arm.converted } : null,
      /** The survey number listed: its group of scores, theme or day of its score (null: none). */
      survey: said
        ? {
            id: said.survey.id,
            score: said.score ?? null,
            theme: said.theme ?? null,
            answered: said.answered ?? null,
          }
        : null,
      /** The page whose visitors are listed (the Pages table's name for it), or null. */
      viewed: query.viewed ?? null,
      total: listed.total,
      /**
       * Where the number counts something else than visitors, its count of those listed: a trend
       * point's sessions, pageviews, friction signals or NPS answers, a breakdown row's events, an
       * entry page's sessions (null: the number is `total`).
       */
      measure: listed.measure ?? null,
      offset,
      /** The offset of the next page (null: this is the last). */
      next,
      visitors,
    })
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
