/**
 * @module store/filters: the SQL of the insights' shared parts: which events are people's
 * (bots left out), which match a filter (domain/segments.ts), the page path, referrer host and
 * URL parameters of an event, and the friction signals, computed in SQL so that grouping by
 * them is exact.
 */
import { FLAG } from '../domain/flags'
import type { Filter } from '../domain/filters'

/** Bot-flagged events stay out of every insight. */
export const HUMAN = (e = 'events') => `(${e}.flags & ${FLAG.bot}) = 0`

/** The host of a URL held in `x` (lower case, without `www.`), '' for none. */
export function hostSql(x: string): string {
  const rest = `substr(${x}, instr(${x}, '://') + 3)`
  const host = `lower(substr(${rest}, 1, instr(${rest} || '/', '/') - 1))`
  return `(CASE WHEN ${x} IS NULL OR instr(${x}, '://') = 0 THEN '' WHEN ${host} LIKE 'www.%' THEN substr(${host}, 5) ELSE ${host} END)`
}

/** The path of a URL held in `x`, without query and fragment ('/' for none). */
export function pathSql(x: string): string {
  const rest = `substr(${x}, instr(${x}, '://') + 3)`
  const p0 = `substr(${rest}, instr(${rest} || '/', '/'))`
  const p1 = `substr(${p0}, 1, instr(${p0} || '?', '?') - 1)`
  const p2 = `substr(${p1}, 1, instr(${p1} || '#', '#') - 1)`
  return `coalesce(nullif(${p2}, ''), '/')`
}

/**
 * Where a pageview came from: the referrer's host, or 'direct' when there is none or it is the
 * site itself (a click from page to page).
 */
export function sourceSql(e = 'events'): string {
  const ref = hostSql(`json_extract(${e}.props, '$.ref')`)
  return `(CASE WHEN ${ref} = '' OR ${ref} = ${hostSql(`${e}.url`)} THEN 'direct' ELSE ${ref} END)`
}

/** A query parameter of the URL held in `x` (still URL-encoded), or null. */
export function paramSql(x: string, name: string): string {
  const at = `instr(${x}, '${name}=')`
  const tail = `substr(${x}, ${at} + ${name.length + 1})`
  return `(CASE WHEN ${at} > 0 AND substr(${x}, ${at} - 1, 1) IN ('?', '&')
    THEN substr(${tail}, 1, instr(${tail} || '&', '&') - 1) END)`
}

/**
 * The identity of the element a click event's props (`p`) describe, as its team would name it,
 * whatever selector reached it (classes toggled, a wrapper added): its id (`#learn-more`), else
 * its name for analytics or tests (`data-ciel-name`, `data-testid`: `name hero-cta`), else its
 * label (`label “Close”`), else its role, explicit or a button's or link's, with its text
 * (`button “Learn more”`), else its short path. Hotspots group by it (store/insights/friction.ts).
 */
export function elementSql(p = 'props'): string {
  const x = (k: string) => `nullif(${p} ->> '$.${k}', '')`
  const role = `coalesce(${x('role')}, CASE ${x('tag')} WHEN 'a' THEN 'link' WHEN 'button' THEN 'button' WHEN 'summary' THEN 'button' END)`
  return `(CASE WHEN ${x('id')} IS NOT NULL THEN '#' || ${x('id')}
    WHEN ${x('name')} IS NOT NULL THEN 'name ' || ${x('name')}
    WHEN ${x('label')} IS NOT NULL THEN 'label “' || ${x('label')} || '”'
    WHEN ${x('text')} IS NOT NULL AND ${role} IS NOT NULL THEN ${role} || ' “' || ${x('text')} || '”'
    ELSE coalesce(${x('path')}, ${x('tag')}, '?') END)`
}

/** Friction signals: what a visitor does when the product is in their way. */
export const FRICTION = ['rage_click', 'dead_click', 'error_click', 'form_abandon', 'u_turn', 'stall']

/**
 * The friction signals among rows of events, in SQL (`n`: each row's count, for rows already
 * grouped). A `form_submit` takes back one `form_abandon`: the snippet sends it only when a form
 * it reported abandoned (a phone's hidden tab is reported at once) is submitted after all.
 */
export const frictionSum = (n = '1') =>
  `sum(CASE WHEN type IN (${FRICTION.map((t) => `'${t}'`).join(', ')}) THEN ${n} WHEN type = 'form_submit' THEN -${n} ELSE 0 END)`

export interface Clause {
  sql: string
  args: unknown[]
}

/** ` AND …` for an event of alias `e` on the filter's device, or ''. */
export function deviceSql(f: Filter, e = 'events'): string {
  if (!f.device) return ''
  const bits = f.device === 'mobile' ? FLAG.mobile : f.device === 'tablet' ? FLAG.tablet : 0
  return ` AND (${e}.flags & ${FLAG.mobile | FLAG.tablet}) = ${bits}`
}

/**
 * The conditions an event of alias `e` must meet to be in the filter, as ` AND …` with its
 * arguments (in order). `from`/`to` is the period: a referrer is the source of the session's
 * first pageview in it, a person's, on the filter's device (a device keeps its own events only,
 * as the rollups' rows per session and device do: ARCHITECTURE.md, "Insights and rollups").
 */
export function filterSql(f: Filter, site: string, from: number, to: number, e = 'events'): Clause {
  let sql = deviceSql(f, e)
  const args: unknown[] = []
  if (f.referrer) {
    sql += ` AND ${e}.session IN (SELECT session FROM (
        SELECT s.session, ${sourceSql('s')} AS source, min(s.ts) FROM events s
        WHERE s.site = ? AND s.type = 'pageview' AND s.ts >= ? AND s.ts < ? AND ${HUMAN('s')}${deviceSql(f, 's')}
        GROUP BY s.session
      ) WHERE source = ?)`
    args.push(site, from, to, f.referrer)
  }
  if (f.visitor) {
    sql += ` AND ${e}.visitor ${f.visitor === 'new' ? 'IN' : 'NOT IN'} (
        SELECT id FROM visitors WHERE site = ? AND first_seen >= ? AND sessions <= 1)`
    args.push(site, from)
  }
  if (f.visitors) {
    sql += ` AND ${e}.visitor IN (SELECT value FROM json_each(?))`
    args.push(JSON.stringify(f.visitors))
  }
  return { sql, args }
}
