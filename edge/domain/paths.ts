/**
 * @module paths: page URLs as the team reads them. Pure. A URL becomes its path (no query, no
 * fragment); ids and hashes collapse so one page is one row (`/projects/123` → `/projects/:id`);
 * the site's own patterns (`settings.paths`, e.g. `/u/:name` or `/docs/*`) win over that.
 */

export interface PathRules {
  /** Patterns: `:name` matches one segment, a final `*` the rest. A matching path becomes the pattern. */
  patterns?: string[]
  /** Collapse numbers, UUIDs and long hex or random-looking segments (default true). */
  ids?: boolean
}

/** The path of a URL (or the text itself when it is not one), without query or fragment. */
export function pathOf(url: string): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/i.exec(url)
  const path = m ? m[1]! : url.replace(/[?#].*$/, '')
  return path || '/'
}

const NUMBER = /^\d+$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const HEX = /^[0-9a-f]{12,}$/i
/** Long tokens mixing letters and digits (slugs with words stay). */
const TOKEN = /^(?=.*\d)(?=.*[a-z])[a-z0-9_-]{16,}$/i

function segment(s: string): string {
  if (NUMBER.test(s) || UUID.test(s)) return ':id'
  if (HEX.test(s) || (TOKEN.test(s) && !s.includes('-'))) return ':hash'
  return s
}

/** Whether a path is of a pattern (`:name` one segment, a final `*` the rest). */
export function pathMatches(pattern: string, path: string): boolean {
  const p = pattern.split('/')
  const s = path.split('/')
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '*' && i === p.length - 1) return s.length >= p.length - 1
    if (i >= s.length) return false
    if (p[i]!.startsWith(':') ? s[i] === '' : p[i] !== s[i]) return false
  }
  return s.length === p.length
}

/** The page a URL is, as insights group it. */
export function normalisePath(url: string, rules: PathRules = {}): string {
  const path = pathOf(url)
  for (const p of rules.patterns ?? []) if (pathMatches(p, path)) return p
  if (rules.ids === false) return path
  return path.split('/').map(segment).join('/')
}

/** The rules as one string: rollups named under other rules are named again (store/named.ts). */
export function rulesKey(rules: PathRules = {}): string {
  return JSON.stringify([rules.patterns ?? [], rules.ids !== false])
}

/** raw path → page, for the raw paths that the rules rename. */
export function renames(paths: string[], rules: PathRules = {}): [string, string][] {
  const names: [string, string][] = []
  for (const p of paths) {
    const n = normalisePath(p, rules)
    if (n !== p) names.push([p, n])
  }
  return names
}
