/**
 * @module filters: who an insight is about. Pure. Every insight takes the same filter from its
 * query string: `referrer` (the host a session came from, as the Sources table names it, or
 * `direct`), `device` (`mobile`, `tablet`, `desktop`) and `visitor` (`new`: first seen in the
 * period, in one session so far; `returning`: everyone else) and `segment` (a named segment of
 * the site config, resolved by the route to the visitors in it). Funnels compare a second
 * filter given with the prefix `vs.`.
 */
import type { Result } from './batch'

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

const HOST = /^(direct|[a-z0-9.-]{1,253}(:\d{1,5})?)$/

/** The filter of a query string (`prefix` = 'vs.' for the comparison), or what is wrong with it. */
export function parseFilter(query: Record<string, string | undefined>, prefix = ''): Result<Filter> {
  const f: Filter = {}
  const p = (k: string) => {
    const value = query[prefix + k]
    return value === undefined || value === '' ? undefined : value
  }
  const segment = p('segment')
  if (segment !== undefined) {
    if (!/^[\w-]{1,64}$/.test(segment)) return { ok: false, error: `?${prefix}segment must be a segment id` }
    f.segment = segment
  }
  const referrer = p('referrer')
    ?.toLowerCase()
    .replace(/^www\./, '')
  if (referrer !== undefined) {
    if (!HOST.test(referrer))
      return { ok: false, error: `?${prefix}referrer must be a host name (like google.com) or direct` }
    f.referrer = referrer
  }
  const device = p('device')
  if (device !== undefined) {
    if (!(DEVICES as readonly string[]).includes(device))
      return { ok: false, error: `?${prefix}device must be mobile, tablet or desktop` }
    f.device = device as Filter['device']
  }
  const visitor = p('visitor')
  if (visitor !== undefined) {
    if (!(VISITOR_KINDS as readonly string[]).includes(visitor))
      return { ok: false, error: `?${prefix}visitor must be new or returning` }
    f.visitor = visitor as Filter['visitor']
  }
  return { ok: true, value: f }
}

/** Is the filter empty (everyone)? */
export const isEveryone = (f: Filter) => !f.referrer && !f.device && !f.visitor && !f.segment

/** "mobile · from google.com · new visitors", or "everyone". */
export function describeFilter(f: Filter): string {
  const parts: string[] = []
  if (f.segment) parts.push(`segment ${f.segment}`)
  if (f.device) parts.push(f.device)
  if (f.referrer) parts.push(f.referrer === 'direct' ? 'direct' : `from ${f.referrer}`)
  if (f.visitor) parts.push(`${f.visitor} visitors`)
  return parts.join(' · ') || 'everyone'
}
