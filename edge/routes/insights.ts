/**
 * @module routes/insights: what the product team reads (scope `read`).
 * Every answer covers the last `days` days (default 30, at most 365) and leaves bots out.
 */
import { Hono, type Context } from 'hono'
import type { App } from '../env'
import * as v from 'valibot'
import { fail, queryOf, refuse } from '../http'
import { funnelReport, p75 } from '../domain/funnels'
import { abandonedForms, frictionHotspots, funnelCounts, overview, surveyAnswers, vitalValues } from '../store/insights'
import { listVisitors } from '../store/visitors'
import { surveyDetails, surveyReport } from '../domain/surveys'
import { alertStatuses, surveyAnswerRows } from '../store/surveys'
import { sentimentModel } from '../ai/sentiment'
import { topInterests } from '../domain/visitors'
import { allow } from '../middleware/auth'
import { namedSite } from '../middleware/site'
import { exposureRows, recentProfiles } from '../store/experiments'
import { experimentReports, segmentSizes } from '../domain/personalisation'

/** Segment sizes are counted over this many of the most recently seen visitors at most. */
const SEGMENT_SAMPLE = 20_000

const DAY = 86_400_000
/** The query every insight takes (checked in detail where it is read). */
const Query = v.object({
  site: v.optional(v.string()),
  days: v.optional(v.string()),
  limit: v.optional(v.string()),
  user: v.optional(v.string()),
})

/** The time window of a request (a 400 when `days` is wrong). */
function window(c: Context<App>): { from: number; days: number } {
  const days = Number(c.req.query('days') ?? 30)
  if (!Number.isInteger(days) || days < 1 || days > 365) refuse(400, 'days must be a whole number from 1 to 365')
  return { from: Date.now() - days * DAY, days }
}

export const insights = new Hono<App>()
  .use(namedSite(), allow('read'))
  .get('/overview', queryOf(Query), async (c) => {
    const w = window(c)
    return c.json({ days: w.days, ...(await overview(c.env.DB, c.get('site').key, w.from)) })
  })
  .get('/funnels', queryOf(Query), async (c) => {
    const w = window(c)
    const site = c.get('site')
    const funnels = await Promise.all(
      (site.config.funnels ?? []).map(async (f) =>
        funnelReport(f, await funnelCounts(c.env.DB, site.key, f.id, w.from)),
      ),
    )
    return c.json({ days: w.days, funnels })
  })
  .get('/friction', queryOf(Query), async (c) => {
    const w = window(c)
    const key = c.get('site').key
    const [hotspots, forms] = await Promise.all([
      frictionHotspots(c.env.DB, key, w.from),
      abandonedForms(c.env.DB, key, w.from),
    ])
    return c.json({ days: w.days, hotspots, forms })
  })
  .get('/vitals', queryOf(Query), async (c) => {
    const w = window(c)
    const values = await vitalValues(c.env.DB, c.get('site').key, w.from)
    const metrics = Object.entries(values).map(([name, v]) => ({ name, p75: p75(v), samples: v.length }))
    return c.json({ days: w.days, metrics: metrics.sort((a, b) => (a.name < b.name ? -1 : 1)) })
  })
  .get('/surveys', queryOf(Query), async (c) => {
    const w = window(c)
    const site = c.get('site')
    const a = await surveyAnswers(c.env.DB, site.key, w.from)
    const [rows, alerts] = await Promise.all([
      surveyAnswerRows(c.env.DB, site.key, w.from),
      alertStatuses(c.env.DB, site.key, w.from),
    ])
    const written = rows.filter((r) => typeof r.props?.text === 'string' && r.props.text.trim())
    const model = sentimentModel(c.env)
    const polarities = await model.classify(
      written.map((r) => ({
        text: String(r.props!.text),
        lang: String(r.props!.lang ?? site.config.language ?? 'en'),
      })),
    )
    const sentiments = new Map(written.map((r, i) => [r.id, polarities[i]!]))
    const report = surveyReport(
      site.config.surveys,
      a.counts,
      a.scores,
      a.comments,
      20,
      site.config.language,
      a.unsigned,
    )
    const surveys = report.map((r) => {
      const s = site.config.surveys!.find((x) => x.id === r.id)!
      return { ...r, ...surveyDetails(s, rows, sentiments, alerts, site.config.language) }
    })
    return c.json({ days: w.days, sentimentBy: model.name, surveys })
  })
  .get('/visitors', queryOf(Query), async (c) => {
    const w = window(c)
    const limit = Number(c.req.query('limit') ?? 50)
    if (!Number.isInteger(limit) || limit < 1 || limit > 500)
      return fail(c, 400, 'limit must be a whole number from 1 to 500')
    const user = c.req.query('user') || undefined
    const now = Date.now()
    const rows = await listVisitors(c.env.DB, c.get('site').key, { from: w.from, user, limit })
    const visitors = rows.map(({ interests, profile: _, ...v }) => ({ ...v, interests: topInterests(interests, now) }))
    return c.json({ days: w.days, visitors })
  })
  .get('/personalisation', queryOf(Query), async (c) => {
    const w = window(c)
    const site = c.get('site')
    const [rows, profiles] = await Promise.all([
      exposureRows(c.env.DB, site.key),
      site.config.segments?.length ? recentProfiles(c.env.DB, site.key, w.from, SEGMENT_SAMPLE) : [],
    ])
    return c.json({
      days: w.days,
      experiments: experimentReports(site.config, rows),
      segments: segmentSizes(site.config, profiles, Date.now()),
      /** Segment sizes count this many visitors seen in the window (the most recent, when capped). */
      visitorsCounted: profiles.length,
      capped: profiles.length === SEGMENT_SAMPLE,
    })
  })
