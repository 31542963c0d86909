/** The dashboard's calls to the insights API, with the team's admin token. */
import type { FunnelReport } from '../domain/funnels'
import type { Hotspot } from '../store/queries'
import type { SurveyReport } from '../domain/surveys'

export interface Overview {
  days: number
  visitors: number
  sessions: number
  pageviews: number
  botEvents: number
  events: { [type: string]: number }
  lost: { evicted: number; dropped: number }
  lastReceived: number | null
}
export interface Friction {
  hotspots: Hotspot[]
  forms: { page: string; form: string | null; lastField: string | null; visitors: number }[]
}
export interface Vitals {
  metrics: { name: string; p75: number | null; samples: number }[]
}
export interface Insights {
  overview: Overview
  funnels: FunnelReport[]
  friction: Friction
  vitals: Vitals
  surveys: SurveyReport[]
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

/** One API call with the token; a refusal becomes an ApiError with the worker's message. */
async function call<T>(path: string, token: string, method = 'GET'): Promise<T> {
  const r = await fetch(path, { method, headers: { authorization: `Bearer ${token}` } })
  const body = (await r.json().catch(() => ({}))) as { error?: string }
  if (!r.ok) throw new ApiError(r.status, body.error ?? `the worker answered ${r.status}`)
  return body as T
}

export const listSites = (token: string) => call<{ sites: { key: string; name: string }[] }>('/v1/admin/sites', token)

export async function loadInsights(token: string, site: string, days: number): Promise<Insights> {
  const q = `?site=${encodeURIComponent(site)}&days=${days}`
  const [overview, funnels, friction, vitals, surveys] = await Promise.all([
    call<Overview>(`/v1/insights/overview${q}`, token),
    call<{ funnels: FunnelReport[] }>(`/v1/insights/funnels${q}`, token),
    call<Friction>(`/v1/insights/friction${q}`, token),
    call<Vitals>(`/v1/insights/vitals${q}`, token),
    call<{ surveys: SurveyReport[] }>(`/v1/insights/surveys${q}`, token),
  ])
  return { overview, funnels: funnels.funnels, friction, vitals, surveys: surveys.surveys }
}

export interface VisitorSummary {
  id: string
  userId: string | null
  firstSeen: number
  lastSeen: number
  interests: { topic: string; score: number }[]
}

/** The most recent visitors of the period, or every visitor identified as `user`. */
export async function findVisitors(token: string, site: string, days: number, user: string) {
  const q =
    `?site=${encodeURIComponent(site)}&days=${days}&limit=20` + (user ? `&user=${encodeURIComponent(user)}` : '')
  return (await call<{ visitors: VisitorSummary[] }>(`/v1/insights/visitors${q}`, token)).visitors
}

/** Erases one visitor, or (with `user`) every visitor identified as that user. */
export function erase(token: string, site: string, target: { visitor: string } | { user: string }) {
  const s = `site=${encodeURIComponent(site)}`
  const path =
    'user' in target
      ? `/v1/visitors?${s}&user=${encodeURIComponent(target.user)}`
      : `/v1/visitors/${encodeURIComponent(target.visitor)}?${s}`
  return call<{ erased: number; visitors?: number }>(path, token, 'DELETE')
}
