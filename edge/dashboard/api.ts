/**
 * The dashboard's calls to the worker, through hono's typed client: the answers' types come
 * from the worker's routes (`AppType`), so nothing here can drift from what the API sends.
 */
import { hc, type InferResponseType } from 'hono/client'
import type { AppType } from '../index'

const client = (token: string) => hc<AppType>('/', { headers: { authorization: `Bearer ${token}` } })
type Client = ReturnType<typeof client>
type Ok<F> = F extends (...a: any[]) => any ? InferResponseType<F, 200> : never

export type Overview = Ok<Client['v1']['insights']['overview']['$get']>
export type Funnels = Ok<Client['v1']['insights']['funnels']['$get']>
export type Friction = Ok<Client['v1']['insights']['friction']['$get']>
export type Vitals = Ok<Client['v1']['insights']['vitals']['$get']>
export type Surveys = Ok<Client['v1']['insights']['surveys']['$get']>
export type VisitorSummary = Ok<Client['v1']['insights']['visitors']['$get']>['visitors'][number]
export type Personalisation = Ok<Client['v1']['insights']['personalisation']['$get']>
export type Trends = Ok<Client['v1']['insights']['trends']['$get']>
export type Pages = Ok<Client['v1']['insights']['pages']['$get']>
export type Sources = Ok<Client['v1']['insights']['sources']['$get']>
export type CustomEvents = Ok<Client['v1']['insights']['events']['$get']>
export type Journeys = Ok<Client['v1']['insights']['journeys']['$get']>
export type Timeline = Ok<Client['v1']['insights']['visitors'][':id']['$get']>

/** A segment of the insights: the query parameters every insight takes (empty: everyone). */
export interface Segment {
  referrer?: string
  device?: string
  visitor?: string
  /** A named segment of the site config. */
  segment?: string
}

/** The segment as query parameters (with `prefix`, e.g. 'vs.' for a funnel's comparison). */
export function segmentQuery(s: Segment, prefix = ''): Record<string, string> {
  const q: Record<string, string> = {}
  for (const k of ['referrer', 'device', 'visitor', 'segment'] as const) if (s[k]) q[prefix + k] = s[k]!
  return q
}
export type ErasePage = Ok<Client['v1']['visitors'][':id']['$delete']>

export interface Insights {
  overview: Overview
  funnels: Funnels['funnels']
  friction: Friction
  vitals: Vitals
  surveys: Surveys['surveys']
  personalisation: Personalisation
  trends: Trends
  pages: Pages
  sources: Sources
  events: CustomEvents['events']
}

/** An answer the dashboard can show as is: the worker's own error message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

/** The answer's body, or an ApiError with the worker's message. */
export async function body<T>(call: Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>): Promise<T> {
  const r = await call
  const b = (await r.json().catch(() => ({}))) as { error?: string }
  if (!r.ok) throw new ApiError(r.status, b.error ?? `the worker answered ${r.status}`)
  return b as T
}

export const listSites = (token: string) =>
  body<Ok<Client['v1']['admin']['sites']['$get']>>(client(token).v1.admin.sites.$get())

export async function loadInsights(
  token: string,
  site: string,
  days: number,
  segment: Segment = {},
): Promise<Insights> {
  const query = { site, days: String(days), ...segmentQuery(segment) }
  const i = client(token).v1.insights
  const [overview, funnels, friction, vitals, surveys, trends, pages, sources, events, personalisation] =
    await Promise.all([
      body<Overview>(i.overview.$get({ query })),
      body<Funnels>(i.funnels.$get({ query })),
      body<Friction>(i.friction.$get({ query })),
      body<Vitals>(i.vitals.$get({ query })),
      body<Surveys>(i.surveys.$get({ query })),
      body<Trends>(i.trends.$get({ query })),
      body<Pages>(i.pages.$get({ query })),
      body<Sources>(i.sources.$get({ query })),
      body<CustomEvents>(i.events.$get({ query })),
      body<Personalisation>(i.personalisation.$get({ query })),
    ])
  return {
    personalisation,
    overview,
    funnels: funnels.funnels,
    friction,
    vitals,
    surveys: surveys.surveys,
    trends,
    pages,
    sources,
    events: events.events,
  }
}

/** The funnels of two segments, side by side. */
export async function compareFunnels(token: string, site: string, days: number, a: Segment, b: Segment) {
  const query = { site, days: String(days), ...segmentQuery(a), 'vs.device': '', ...segmentQuery(b, 'vs.') }
  return body<Funnels>(client(token).v1.insights.funnels.$get({ query }))
}

/** Journeys from a page (or every entry page), towards a goal event if given. */
export async function loadJourneys(
  token: string,
  site: string,
  days: number,
  segment: Segment,
  o: { from?: string; goal?: string },
) {
  const query: Record<string, string> = { site, days: String(days), ...segmentQuery(segment) }
  if (o.from) query.from = o.from
  if (o.goal) query.goal = o.goal
  return body<Journeys>(client(token).v1.insights.journeys.$get({ query }))
}

/** One visitor: profile, attributes, interests, answers, friction, events by session. */
export const loadVisitor = (token: string, site: string, id: string) =>
  body<Timeline>(client(token).v1.insights.visitors[':id'].$get({ param: { id }, query: { site } }))

/** The most recent visitors of the period, or every visitor identified as `user`. */
export async function findVisitors(token: string, site: string, days: number, user: string, segment: Segment = {}) {
  const query: Record<string, string> = {
    site,
    days: String(days),
    limit: '20',
    ...(user ? {} : segmentQuery(segment)),
  }
  if (user) query.user = user
  type List = Ok<Client['v1']['insights']['visitors']['$get']>
  return (await body<List>(client(token).v1.insights.visitors.$get({ query }))).visitors
}

/**
 * Erases one visitor, or (with `user`) every visitor identified as that user: one page of
 * events per request, repeated until none remain; `progress` hears after each page.
 */
export async function erase(
  token: string,
  site: string,
  target: { visitor: string } | { user: string },
  progress: (erased: number, remaining: number) => void = () => {},
): Promise<{ visitors: number; erased: number }> {
  const v = client(token).v1.visitors
  let erased = 0
  for (;;) {
    const page = await body<ErasePage>(
      'user' in target
        ? v.$delete({ query: { site, user: target.user } })
        : v[':id'].$delete({ param: { id: target.visitor }, query: { site } }),
    )
    erased += page.erased
    progress(erased, page.remaining)
    if (!page.remaining) return { visitors: page.visitors, erased }
  }
}

export type Propensity = Ok<Client['v1']['insights']['propensity']['$get']>

/** Each funnel's propensity model, its likeliest converters and the visitors at risk. */
export const loadPropensity = (token: string, site: string, days: number) =>
  body<Propensity>(client(token).v1.insights.propensity.$get({ query: { site, days: String(days) } }))

/** Retrains the site's propensity models now (scope `manage`), as the hourly job does. */
export const trainPropensity = (token: string, site: string) =>
  body<Ok<Client['v1']['insights']['propensity']['train']['$post']>>(
    client(token).v1.insights.propensity.train.$post({ query: { site } }),
  )
