/**
 * The dashboard's calls to the worker, through hono's typed client: the answers' types come
 * from the worker's routes (`AppType`), so nothing here can drift from what the API sends. What
 * the dashboard sends is typed by the worker's own types too (the site's schema, the wire
 * types). Every call can be aborted (`signal`), and every refusal is an ApiError.
 */
import { hc, type ClientRequestOptions, type InferRequestType, type InferResponseType } from 'hono/client'
import type { AppType } from '../index'
import type { SiteInput } from '../domain/site'
import type { SiteConfig } from '../../snippet/contract/wire'

const client = (token: string) => hc<AppType>('/', { headers: { authorization: `Bearer ${token}` } })
type Client = ReturnType<typeof client>
type Ok<F> = InferResponseType<F, 200>
type Insight = Client['v1']['insights']
type Sites = Client['v1']['admin']['sites']

export type Overview = Ok<Insight['overview']['$get']>
export type Funnels = Ok<Insight['funnels']['$get']>
export type Friction = Ok<Insight['friction']['$get']>
export type Vitals = Ok<Insight['vitals']['$get']>
export type Surveys = Ok<Insight['surveys']['$get']>
export type VisitorList = Ok<Insight['visitors']['$get']>
export type VisitorSummary = VisitorList['visitors'][number]
export type Personalisation = Ok<Insight['personalisation']['$get']>
export type Trends = Ok<Insight['trends']['$get']>
export type Pages = Ok<Insight['pages']['$get']>
export type Sources = Ok<Insight['sources']['$get']>
export type CustomEvents = Ok<Insight['events']['$get']>
export type Journeys = Ok<Insight['journeys']['$get']>
export type Breakdown = Ok<Insight['breakdown']['$get']>
export type Retention = Ok<Insight['retention']['$get']>
export type Propensity = Ok<Insight['propensity']['$get']>
export type Timeline = Ok<Insight['visitors'][':id']['$get']>
export type ErasePage = Ok<Client['v1']['visitors'][':id']['$delete']>

/** Each insight by the path of its endpoint (`/v1/insights/<path>`). */
export interface InsightAnswers {
  overview: Overview
  funnels: Funnels
  friction: Friction
  vitals: Vitals
  surveys: Surveys
  visitors: VisitorList
  personalisation: Personalisation
  trends: Trends
  pages: Pages
  sources: Sources
  events: CustomEvents
  journeys: Journeys
  propensity: Propensity
  breakdown: Breakdown
  retention: Retention
}
export type InsightPath = keyof InsightAnswers
/** An insight's query: `site`, `days`, the segment's fields, and the insight's own. */
export type Query = Record<string, string>

/** A segment of the insights: the query parameters every insight takes (empty: everyone). */
export interface Segment {
  referrer?: string
  device?: string
  visitor?: string
  /** A named segment of the site config. */
  segment?: string
}
export const SEGMENT_FIELDS = ['referrer', 'device', 'visitor', 'segment'] as const

/** The segment as query parameters (with `prefix`, e.g. 'vs.' for a funnel's comparison). */
export function segmentQuery(s: Segment, prefix = ''): Query {
  const q: Query = {}
  for (const k of SEGMENT_FIELDS) if (s[k]) q[prefix + k] = s[k]!
  return q
}

/** The query of an insight of a site over the last `days`, narrowed to `segment`. */
export const insightQuery = (site: string, days: number, segment: Segment = {}, more: Query = {}): Query => ({
  site,
  days: String(days),
  ...segmentQuery(segment),
  ...more,
})

/** The funnels' query comparing `segment` with `vs` (the `vs.` fields; present even when `vs` is everyone). */
export const compareQuery = (site: string, days: number, segment: Segment, vs: Segment): Query =>
  insightQuery(site, days, segment, { 'vs.device': '', ...segmentQuery(vs, 'vs.') })

/** An answer the dashboard can show as is: the worker's own error message, and the field it names. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The field at fault (`config.surveys[4].trigger.path`), when the worker names one. */
    readonly path?: string,
  ) {
    super(message)
  }
}

export { messageOf } from './problem'

/** The answer's body, or an ApiError with the worker's message. */
export async function body<T>(call: Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>): Promise<T> {
  const r = await call
  const b = (await r.json().catch(() => ({}))) as { error?: unknown; path?: unknown }
  if (!r.ok)
    throw new ApiError(
      r.status,
      typeof b.error === 'string' ? b.error : `the worker answered ${r.status}`,
      typeof b.path === 'string' ? b.path : undefined,
    )
  return b as T
}

/** Request options: abortable. */
const within = (signal?: AbortSignal): ClientRequestOptions => ({ init: { signal } })
/** One insight of a site. */
export function insight<P extends InsightPath>(
  token: string,
  path: P,
  query: Query,
  signal?: AbortSignal,
): Promise<InsightAnswers[P]> {
  return body<InsightAnswers[P]>(client(token).v1.insights[path].$get({ query }, within(signal)))
}

/** Everything the insights view shows at once (the sections with controls of their own load theirs). */
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

export async function loadInsights(token: string, query: Query, signal?: AbortSignal): Promise<Insights> {
  const get = <P extends InsightPath>(path: P) => insight(token, path, query, signal)
  const [overview, funnels, friction, vitals, surveys, trends, pages, sources, events, personalisation] =
    await Promise.all([
      get('overview'),
      get('funnels'),
      get('friction'),
      get('vitals'),
      get('surveys'),
      get('trends'),
      get('pages'),
      get('sources'),
      get('events'),
      get('personalisation'),
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

/** One visitor: profile, attributes, interests, answers, friction, events by session. */
export const loadVisitor = (token: string, site: string, id: string, signal?: AbortSignal) =>
  body<Timeline>(client(token).v1.insights.visitors[':id'].$get({ param: { id }, query: { site } }, within(signal)))

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

/** Retrains the site's propensity models now (scope `manage`), as the hourly job does. */
export const trainPropensity = (token: string, site: string) =>
  body<Ok<Insight['propensity']['train']['$post']>>(
    client(token).v1.insights.propensity.train.$post({ query: { site } }),
  )

/** The sites the token may see. */
export type SiteList = Ok<Sites['$get']>
/**
 * A site as the worker keeps it (`GET /v1/admin/sites/:key`): name, origins, config, settings,
 * version. Its config is the wire type itself: hono's JSON typing of the answer flattens the
 * recursive segment rules into any JSON value, and the config is JSON through and through.
 */
export type Site = Omit<Ok<Sites[':key']['$get']>, 'config'> & { config: SiteConfig }
export type CreatedSite = InferResponseType<Sites['$post'], 201>
export type Version = Ok<Sites[':key']['versions']['$get']>['versions'][number]
export type ApiKey = Ok<Sites[':key']['keys']['$get']>['keys'][number]
export type NewKey = InferResponseType<Sites[':key']['keys']['$post'], 201>
export type Alert = Ok<Sites[':key']['alerts']['$get']>['alerts'][number]
export type SegmentCount = Ok<Sites[':key']['segments']['count']['$post']>
export type AlertTest = InferResponseType<Sites[':key']['alerts']['test']['$post'], 202>
export type SavedView = InferResponseType<Sites[':key']['views']['$post'], 201>
/** A view to save: a name and the dashboard's state, in the worker's own types (domain/saved-views.ts). */
export type NewView = InferRequestType<Sites[':key']['views']['$post']>['json']

/** A JSON Merge Patch of T (RFC 7396): objects merge, `null` deletes, arrays and other values replace. */
export type MergePatch<T> = {
  [K in keyof T]?:
    | (NonNullable<T[K]> extends readonly unknown[]
        ? T[K]
        : NonNullable<T[K]> extends object
          ? MergePatch<NonNullable<T[K]>>
          : T[K])
    | null
}
/** A save: a merge patch of the site's editable fields, in the worker's own types. */
export type SitePatch = MergePatch<Pick<SiteInput, 'name' | 'origins' | 'config' | 'settings'>>
/** A new site: its name and its pages' origins (the worker makes its key). */
export type NewSite = Pick<SiteInput, 'name' | 'origins'>

/** The admin API of the token's sites: Settings' only way to the worker. */
export function adminClient(token: string) {
  const sites = client(token).v1.admin.sites
  const at = (key: string) => ({ param: { key } })
  return {
    sites: (signal?: AbortSignal) => body<SiteList>(sites.$get(undefined, within(signal))),
    create: (site: NewSite) => body<CreatedSite>(sites.$post({ json: site })),
    site: (key: string, signal?: AbortSignal) => body<Site>(sites[':key'].$get(at(key), within(signal))),
    /** One PATCH: the worker refuses it whole or saves it whole, answering the site saved. */
    save: (key: string, patch: SitePatch) => body<Site>(sites[':key'].$patch({ ...at(key), json: patch })),
    versions: (key: string, signal?: AbortSignal) =>
      body<{ versions: Version[] }>(sites[':key'].versions.$get(at(key), within(signal))),
    restore: (key: string, version: number) =>
      body<Site>(sites[':key'].versions[':version'].restore.$post({ param: { key, version: String(version) } })),
    keys: (key: string, signal?: AbortSignal) =>
      body<{ keys: ApiKey[] }>(sites[':key'].keys.$get(at(key), within(signal))),
    createKey: (key: string, json: { name: string; scopes: ApiKey['scopes'] }) =>
      body<NewKey>(sites[':key'].keys.$post({ ...at(key), json })),
    revokeKey: (key: string, id: string) =>
      body<{ revoked: string }>(sites[':key'].keys[':id'].$delete({ param: { key, id } })),
    /** How many of the visitors of the last `days` days (as the insights count them) a segment rule matches now. */
    countSegment: (key: string, rule: unknown, days = 30) =>
      body<SegmentCount>(
        sites[':key'].segments.count.$post({ ...at(key), query: { days: String(days) }, json: { rule } }),
      ),
    alerts: (key: string, query: { days: string; limit: string }) => {
      // The route reads its query itself (no validator), so the client's type does not list it.
      const args = { ...at(key), query }
      return body<{ alerts: Alert[] }>(sites[':key'].alerts.$get(args))
    },
    /** A made-up alert through the real queue; its id, to find it in the delivery log. */
    testAlert: (key: string) => body<AlertTest>(sites[':key'].alerts.test.$post(at(key))),
    /** The site's saved views, by name. */
    views: (key: string, signal?: AbortSignal) =>
      body<{ views: SavedView[] }>(sites[':key'].views.$get(at(key), within(signal))),
    saveView: (key: string, json: NewView) => body<SavedView>(sites[':key'].views.$post({ ...at(key), json })),
    deleteView: (key: string, id: string) =>
      body<{ deleted: string }>(sites[':key'].views[':id'].$delete({ param: { key, id } })),
  }
}
export type Admin = ReturnType<typeof adminClient>
