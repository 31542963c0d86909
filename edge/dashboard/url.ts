/**
 * @module dashboard/url: what the reader is looking at lives in the page's URL, so a reload, a
 * link or the browser's back and forward buttons bring the same view back:
 * `?view=settings&site=demo&days=7&device=mobile&vs.visitor=new&from=/pricing&open=v1`
 * (`spot=/pricing #learn-more`: the hotspot whose visitors are listed; `who=funnel%3Donboarding%26step%3Daccount`:
 * the number whose visitors are listed, as its drill-down's query; `steps=page:/pricing,track:signup&window=7`:
 * the funnel asked in Explore, as `GET /v1/insights/funnels` takes it; `breakdown=track:signup&by=prop:plan&top=5`:
 * the breakdown asked; `returning=track:login&weeks=12`: the retention asked).
 * Values left at their default are left out of the URL.
 */
import { useEffect, useState } from 'preact/hooks'
import { SEGMENT_FIELDS, type Segment } from './api'

export const SECTIONS = ['insights', 'settings'] as const
export type Section = (typeof SECTIONS)[number]
/** The periods offered, in days. */
export const PERIODS = [1, 7, 30, 90] as const
const DEFAULT_DAYS = 30
/** The retention's windows offered, in weeks. */
export const WEEKS = [4, 8, 12, 26] as const

/** Explore's breakdown: an event type or `track:NAME`, by a dimension or `prop:NAME`, its top N. */
export interface BreakdownAsk {
  event: string
  by: string
  top: number
}
/** Explore's retention: returning on `any` event, a type or `track:NAME`, over the last `weeks`. */
export interface RetentionAsk {
  event: string
  weeks: number
}
const BREAKDOWN: BreakdownAsk = { event: 'pageview', by: 'page', top: 10 }
const RETENTION: RetentionAsk = { event: 'any', weeks: 8 }

export interface View {
  view: Section
  /** The site's key ('': the first the token may see). */
  site: string
  days: number
  /** What every insight is narrowed to. */
  segment: Segment
  /** The segment whose funnels are shown beside (null: no comparison). */
  vs: Segment | null
  /** Journeys: from this page, towards this event. */
  from: string
  goal: string
  /** Visitors: those identified as this user. */
  user: string
  /** The visitor whose timeline is open. */
  open: string
  /** The friction hotspot whose visitors are shown: its page and element, a space between. */
  spot: string
  /** The number whose visitors are listed, as the query of its drill-down (behind.tsx; '': none). */
  who: string
  /** The ad hoc funnel asked (adhoc-funnel.tsx), in the API's `steps=` syntax ('': none), and its window in days ('': 7). */
  steps: string
  window: string
  breakdown: BreakdownAsk
  retention: RetentionAsk
}

function segmentOf(q: URLSearchParams, prefix = ''): Segment {
  const s: Segment = {}
  for (const k of SEGMENT_FIELDS) {
    const value = q.get(prefix + k)
    if (value) s[k] = value
  }
  return s
}

/** The view a query string names; what it lacks or gets wrong is the default. */
export function readView(search: string): View {
  const q = new URLSearchParams(search)
  const view = SECTIONS.find((s) => s === q.get('view')) ?? 'insights'
  const days = PERIODS.find((d) => String(d) === q.get('days')) ?? DEFAULT_DAYS
  const vs = segmentOf(q, 'vs.')
  const comparing = q.has('vs') || Object.keys(vs).length > 0
  const text = (k: string) => q.get(k) ?? ''
  const top = Number(q.get('top'))
  return {
    view,
    site: text('site'),
    days,
    segment: segmentOf(q),
    vs: comparing ? vs : null,
    from: text('from'),
    goal: text('goal'),
    user: text('user'),
    open: text('open'),
    spot: text('spot'),
    who: text('who'),
    steps: text('steps'),
    window: text('window'),
    // A wrong event or dimension is the API's to refuse (the section says why); a wrong number is the default.
    breakdown: {
      event: text('breakdown') || BREAKDOWN.event,
      by: text('by') || BREAKDOWN.by,
      top: Number.isInteger(top) && top >= 1 && top <= 50 ? top : BREAKDOWN.top,
    },
    retention: {
      event: text('returning') || RETENTION.event,
      weeks: WEEKS.find((w) => String(w) === q.get('weeks')) ?? RETENTION.weeks,
    },
  }
}

/** The query string of a view ('' for the default one). */
export function viewSearch(v: View): string {
  const q = new URLSearchParams()
  const put = (k: string, value: string) => {
    if (value) q.set(k, value)
  }
  if (v.view !== 'insights') put('view', v.view)
  put('site', v.site)
  if (v.days !== DEFAULT_DAYS) put('days', String(v.days))
  for (const k of SEGMENT_FIELDS) put(k, v.segment[k] ?? '')
  if (v.vs) {
    for (const k of SEGMENT_FIELDS) put(`vs.${k}`, v.vs[k] ?? '')
    // Compared with everyone: the comparison itself has to show.
    if (!SEGMENT_FIELDS.some((k) => v.vs![k])) q.set('vs', 'everyone')
  }
  put('from', v.from)
  put('goal', v.goal)
  put('user', v.user)
  put('open', v.open)
  put('spot', v.spot)
  put('who', v.who)
  put('steps', v.steps)
  put('window', v.window)
  const b = v.breakdown
  if (b.event !== BREAKDOWN.event) put('breakdown', b.event)
  if (b.by !== BREAKDOWN.by) put('by', b.by)
  if (b.top !== BREAKDOWN.top) put('top', String(b.top))
  if (v.retention.event !== RETENTION.event) put('returning', v.retention.event)
  if (v.retention.weeks !== RETENTION.weeks) put('weeks', String(v.retention.weeks))
  const s = q.toString()
  return s ? `?${s}` : ''
}

/** Changes the view: a new history entry (back returns to this one), or in place with `replace`. */
export type Go = (change: Partial<View>, how?: 'push' | 'replace') => void

/** The view in the URL, and how to change it; back and forward change it too. */
export function useView(): [View, Go] {
  const [view, setView] = useState(() => readView(location.search))
  useEffect(() => {
    const back = () => setView(readView(location.search))
    addEventListener('popstate', back)
    return () => removeEventListener('popstate', back)
  }, [])
  const go: Go = (change, how = 'push') => {
    const next = readView(viewSearch({ ...readView(location.search), ...change }))
    const search = viewSearch(next)
    if (search !== location.search)
      history[how === 'push' ? 'pushState' : 'replaceState'](null, '', location.pathname + search)
    setView(next)
  }
  return [view, go]
}
