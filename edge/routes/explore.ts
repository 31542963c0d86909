/**
 * @module routes/explore: questions the fixed report does not ask (scope `read`), with the
 * query every insight takes (`days` and the filter, routes/insights.ts):
 * `GET /v1/insights/breakdown?event=&by=&top=`: an event type or `track:NAME` by a dimension
 * (page, source, device, country, language, segment, prop:NAME), the top N and "other", over the
 * period and per day (per hour for 1–2 days);
 * `GET /v1/insights/retention?weeks=&event=`: weekly cohorts by first visit, the share active in
 * each week after (on any event, or the chosen one).
 */
import { Hono } from 'hono'
import * as v from 'valibot'
import type { App } from '../env'
import { queryOf, wholeParam } from '../http'
import { Query, segmentMembers, segmentOf, window } from './insights'
import {
  breakdownOf,
  dimensionParam,
  dimensionText,
  eventOf,
  eventParam,
  eventText,
  EVENT_MESSAGE,
} from '../domain/breakdown'
import { breakdownCounts } from '../store/insights/breakdown'
import { trendPeriod } from '../domain/trends'
import { cohortsOf, retentionWindow } from '../domain/retention'
import { retentionCounts } from '../store/insights/retention'

const BreakdownQuery = v.object({
  ...Query.entries,
  event: eventParam(),
  by: dimensionParam(),
  top: wholeParam('top', 10, 1, 50),
})

const RetentionQuery = v.object({
  ...Query.entries,
  weeks: wholeParam('weeks', 8, 1, 26),
  event: v.pipe(
    v.optional(v.string(EVENT_MESSAGE), ''),
    v.check((s) => s === '' || s === 'any' || eventOf(s) !== undefined, EVENT_MESSAGE),
    v.transform((s) => (s === '' || s === 'any' ? undefined : eventOf(s))),
  ),
})

/** Mounted after routes/insights.ts at the same path: its middleware (the site, scope `read`) runs first. */
export const explore = new Hono<App>()
  .get('/breakdown', queryOf(BreakdownQuery), async (c) => {
    const q = c.req.valid('query')
    const w = await window(c, q)
    const site = c.get('site')
    const p = trendPeriod(w.days, w.now)
    // Each segment's members among the period's visitors, as the personalisation insight sizes them.
    const members = q.by === 'segment' ? await segmentMembers(c, w) : undefined
    const counts = await breakdownCounts(c.env.DB, site.key, w, {
      event: q.event,
      by: q.by,
      top: q.top,
      unit: p.unit,
      rules: site.settings.paths,
      members,
    })
    // Buckets after now are still to come (hours of today).
    const open = Math.min(p.buckets, Math.floor((w.now - p.start) / p.size) + 1)
    const shown = counts.values - Math.min(counts.values, q.top)
    return c.json({
      days: w.days,
      segment: segmentOf(w.filter),
      event: eventText(q.event),
      by: dimensionText(q.by),
      top: q.top,
      unit: p.unit,
      /** Start of the first bucket (ms); bucket i starts at start + i × size. */
      start: p.start,
      size: p.size,
      buckets: p.buckets,
      ...breakdownOf(counts.rows, counts.total, shown, p.buckets, open),
    })
  })
  .get('/retention', queryOf(RetentionQuery), async (c) => {
    const q = c.req.valid('query')
    const now = Date.now()
    const { first, days } = retentionWindow(q.weeks, now)
    const w = await window(c, { ...q, days })
    const rows = await retentionCounts(c.env.DB, c.get('site').key, w, q.event)
    return c.json({
      weeks: q.weeks,
      segment: segmentOf(w.filter),
      event: q.event ? eventText(q.event) : 'any',
      /** Cohorts, oldest first: each week's new visitors and who of them was active in each week after. */
      cohorts: cohortsOf(rows, first, q.weeks),
    })
  })
