/**
 * @module breakdown: an event's counts split by one dimension, the top values and the rest as
 * "other", over the period and per bucket of it (`GET /v1/insights/breakdown`). Pure: what the
 * query may name, and the answer assembled from the rows store/insights/breakdown.ts counts.
 */
import * as v from 'valibot'
import { LIMITS } from '../../snippet/contract/limits'

/** An event type (`pageview`, `rage_click`…), or the custom events of one `track` name. */
export type EventSpec = { type: string; name?: undefined } | { type: 'track'; name: string }

/** What an event can be split by: a dimension, or the value of one of its props. */
export const DIMENSIONS = ['page', 'source', 'device', 'country', 'language', 'segment'] as const
export type Dimension = (typeof DIMENSIONS)[number] | { prop: string }

const TYPE = new RegExp(`^[a-z][a-z0-9_]{0,${LIMITS.typeLength - 1}}$`)
const PROP = /^[^\s.$"'[\]\\]{1,64}$/

export const EVENT_MESSAGE = '?event must be an event type (pageview, click, rage_click…) or track:NAME'
export const BY_MESSAGE = `?by must be one of ${DIMENSIONS.join(', ')} or prop:NAME`

/** `track:signup` → the track events named signup; `pageview` → every pageview. */
export function eventOf(s: string): EventSpec | undefined {
  if (s.startsWith('track:')) {
    const name = s.slice(6)
    return name.length >= 1 && name.length <= 200 ? { type: 'track', name } : undefined
  }
  return TYPE.test(s) ? { type: s } : undefined
}

export function dimensionOf(s: string): Dimension | undefined {
  if ((DIMENSIONS as readonly string[]).includes(s)) return s as Dimension
  if (s.startsWith('prop:') && PROP.test(s.slice(5))) return { prop: s.slice(5) }
  return undefined
}

/** The query parameter `name` checked by `parse`, with `message` when it does not parse. */
const parsed = <T>(parse: (s: string) => T | undefined, fallback: string, message: string) =>
  v.pipe(
    v.optional(v.string(message), fallback),
    v.transform((s) => s || fallback),
    v.check((s) => parse(s) !== undefined, message),
    v.transform((s) => parse(s)!),
  )

/** `?event=` (default pageview). */
export const eventParam = (fallback = 'pageview') => parsed(eventOf, fallback, EVENT_MESSAGE)
/** `?by=` (default page). */
export const dimensionParam = () => parsed(dimensionOf, 'page', BY_MESSAGE)

/** How an event or dimension is written in a query. */
export const eventText = (e: EventSpec) => (e.name === undefined ? e.type : `track:${e.name}`)
export const dimensionText = (d: Dimension) => (typeof d === 'string' ? d : `prop:${d.prop}`)

/** The value of rows with none: a session without a pageview has no source, a visitor no country. */
export const NONE = '(none)'

/**
 * A row counted by the store: a value's events and distinct visitors over the period (t null),
 * or its events in time bucket t (visitors null).
 */
export interface BreakdownRow {
  /** The value; null for the rows of "other" (every value after the top). */
  k: string | null
  /** Time bucket, or null: the whole period. */
  t: number | null
  events: number
  visitors: number | null
}

export interface BreakdownValue {
  value: string
  events: number
  visitors: number
  /** Events per time bucket (as the trends: start + i × size); null: still to come. */
  series: { events: (number | null)[] }
}

export interface Breakdown {
  /** The top values, most events first. */
  values: BreakdownValue[]
  /** Every other value together, or null when the top holds them all. */
  other: (BreakdownValue & { values: number }) | null
  /** The event's count in the period, and its distinct visitors. */
  total: { events: number; visitors: number }
}

/**
 * The answer from the store's rows: the top values (the rows with a key), "other" (key null),
 * the period's totals (`total`), and `others`: how many values "other" holds.
 * `open`: buckets from this one on are still to come (null).
 */
export function breakdownOf(
  rows: BreakdownRow[],
  total: { events: number; visitors: number },
  others: number,
  buckets: number,
  open = buckets,
): Breakdown {
  const make = (k: string | null): BreakdownValue => {
    const events: (number | null)[] = Array.from({ length: buckets }, (_, i) => (i < open ? 0 : null))
    let sum = { events: 0, visitors: 0 }
    for (const r of rows)
      if (r.k === k) {
        if (r.t === null) sum = { events: r.events, visitors: r.visitors ?? 0 }
        else if (r.t >= 0 && r.t < buckets) events[r.t] = r.events
      }
    return { value: k ?? 'other', ...sum, series: { events } }
  }
  const keys = [...new Set(rows.filter((r) => r.k !== null && r.t === null).map((r) => r.k!))]
  const values = keys.map(make).sort((a, b) => b.events - a.events || (a.value < b.value ? -1 : 1))
  const rest = rows.some((r) => r.k === null && r.t === null) ? { ...make(null), values: others } : null
  return { values, other: rest, total }
}
