/**
 * @module filters: who an insight is about. Pure. Every insight takes the same filter from its
 * query string: `referrer` (the host a session came from, as the Sources table names it, or
 * `direct`), `device` (`mobile`, `tablet`, `desktop`) and `visitor` (`new`: first seen in the
 * period, in one session so far; `returning`: everyone else) and `segment` (a named segment of
 * the site config, resolved by the route to the visitors in it). Funnels compare a second
 * filter given with the prefix `vs.`.
 */
import * as v from 'valibot'
import type { Result } from './batch'
import { pathOf } from './issues'

export interface Filter {
  referrer?: string
  device?: 'mobile' | 'tablet' | 'desktop'
  visitor?: 'new' | 'returning'
  /** A named segment of the site config. */
  segment?: string
  /** The visitors in `segment`, once resolved. */
  visitors?: string[]
}

export const DEVICES = ['mobile', 'tablet', 'desktop'] as const
export const VISITOR_KINDS = ['new', 'returning'] as const

export const HOST = /^(direct|[a-z0-9.-]{1,253}(:\d{1,5})?)$/

/** A query parameter that may be absent or empty (both mean "not given"), else checked by `schema`. */
export const given = <T>(schema: v.GenericSchema<string, T>, message: string) =>
  v.pipe(
    v.optional(v.string(message), ''),
    v.transform((s) => s || undefined),
    v.optional(schema),
  )

type Prefixed<P extends string, T> = { [K in keyof T & string as `${P}${K}`]: T[K] }

/**
 * The filter's query parameters as valibot entries (`prefix` = 'vs.' for a funnel's comparison),
 * in the order they are checked; messages name the parameter.
 */
export function filterEntries<P extends string>(prefix: P) {
  const segment = `?${prefix}segment must be a segment id`
  const referrer = `?${prefix}referrer must be a host name (like google.com) or direct`
  const device = `?${prefix}device must be mobile, tablet or desktop`
  const visitor = `?${prefix}visitor must be new or returning`
  const entries = {
    segment: given(v.pipe(v.string(), v.regex(/^[\w-]{1,64}$/, segment)), segment),
    referrer: given(
      v.pipe(
        v.string(),
        v.toLowerCase(),
        v.transform((s) => s.replace(/^www\./, '')),
        v.regex(HOST, referrer),
      ),
      referrer,
    ),
    device: given(v.picklist(DEVICES, device), device),
    visitor: given(v.picklist(VISITOR_KINDS, visitor), visitor),
  }
  return Object.fromEntries(Object.entries(entries).map(([k, s]) => [prefix + k, s])) as Prefixed<P, typeof entries>
}

/** The filter of a checked query (`prefix` as given to filterEntries). */
export function filterOf(query: Record<string, unknown>, prefix = ''): Filter {
  const q = query as { [k: string]: string | undefined }
  const f: Filter = {}
  const segment = q[`${prefix}segment`]
  const referrer = q[`${prefix}referrer`]
  const device = q[`${prefix}device`]
  const visitor = q[`${prefix}visitor`]
  if (segment !== undefined) f.segment = segment
  if (referrer !== undefined) f.referrer = referrer
  if (device !== undefined) f.device = device as Filter['device']
  if (visitor !== undefined) f.visitor = visitor as Filter['visitor']
  return f
}

const Unprefixed = v.object(filterEntries(''))

/** The filter of a query string as sent, or what is wrong with it (the parameter as `path`). */
export function parseFilter(query: Record<string, string | undefined>): Result<Filter> {
  const r = v.safeParse(Unprefixed, query)
  if (r.success) return { ok: true, value: filterOf(r.output) }
  return { ok: false, error: r.issues[0].message, path: pathOf(r.issues[0].path) }
}

/** "mobile · from google.com · new visitors", or "everyone". */
export function describeFilter(f: Filter): string {
  const parts: string[] = []
  if (f.segment) parts.push(`segment ${f.segment}`)
  if (f.device) parts.push(f.device)
  if (f.referrer) parts.push(f.referrer === 'direct' ? 'direct' : `from ${f.referrer}`)
  if (f.visitor) parts.push(`${f.visitor} visitors`)
  return parts.join(' · ') || 'everyone'
}
