/**
 * @module routes/insights: what the product team reads (behind the admin token).
 * Every answer covers the last `days` days (default 30, at most 365) and leaves bots out.
 */
import { Hono, type Context } from 'hono'
import type { App } from '../env'
import { fail } from '../http'
import { funnelReport, p75 } from '../domain/funnels'
import {
  abandonedForms,
  frictionHotspots,
  funnelCounts,
  listVisitors,
  overview,
  surveyAnswers,
  vitalValues,
} from '../store/queries'
import { surveyReport } from '../domain/surveys'
import { topInterests } from '../domain/visitors'
import { siteOf } from './site-query'

export const insights = new Hono<App>()

const DAY = 86_400_000

/** The site and time window of a request, or an error answer. */
async function scope(c: Context<App>) {
  const s = await siteOf(c)
  if ('error' in s) return s
  const days = Number(c.req.query('days') ?? 30)
  if (!Number.isInteger(days) || days < 1 || days > 365)
    return { error: fail(c, 400, 'days must be a whole number from 1 to 365') }
  return { site: s.site, from: Date.now() - days * DAY, days }
}

insights.get('/overview', async (c) => {
  const s = await scope(c)
  if ('error' in s) return s.error
  return c.json({ days: s.days, ...(await overview(c.env.DB, s.site.key, s.from)) })
})

insights.get('/funnels', async (c) => {
  const s = await scope(c)
  if ('error' in s) return s.error
  const funnels = await Promise.all(
    (s.site.config.funnels ?? []).map(async (f) =>
      funnelReport(f, await funnelCounts(c.env.DB, s.site.key, f.id, s.from)),
    ),
  )
  return c.json({ days: s.days, funnels })
})

insights.get('/friction', async (c) => {
  const s = await scope(c)
  if ('error' in s) return s.error
  const [hotspots, forms] = await Promise.all([
    frictionHotspots(c.env.DB, s.site.key, s.from),
    abandonedForms(c.env.DB, s.site.key, s.from),
  ])
  return c.json({ days: s.days, hotspots, forms })
})

insights.get('/vitals', async (c) => {
  const s = await scope(c)
  if ('error' in s) return s.error
  const values = await vitalValues(c.env.DB, s.site.key, s.from)
  const metrics = Object.entries(values).map(([name, v]) => ({ name, p75: p75(v), samples: v.length }))
  return c.json({ days: s.days, metrics: metrics.sort((a, b) => (a.name < b.name ? -1 : 1)) })
})

insights.get('/surveys', async (c) => {
  const s = await scope(c)
  if ('error' in s) return s.error
  const a = await surveyAnswers(c.env.DB, s.site.key, s.from)
  return c.json({ days: s.days, surveys: surveyReport(s.site.config.surveys, a.counts, a.scores, a.comments) })
})

insights.get('/visitors', async (c) => {
  const s = await scope(c)
  if ('error' in s) return s.error
  const limit = Number(c.req.query('limit') ?? 50)
  if (!Number.isInteger(limit) || limit < 1 || limit > 500)
    return fail(c, 400, 'limit must be a whole number from 1 to 500')
  const user = c.req.query('user') || undefined
  const now = Date.now()
  const rows = await listVisitors(c.env.DB, s.site.key, { from: s.from, user, limit })
  const visitors = rows.map(({ interests, ...v }) => ({ ...v, interests: topInterests(interests, now) }))
  return c.json({ days: s.days, visitors })
})
