/**
 * @module segments: named rules over a visitor's profile (`returning`, `pricing-curious`,
 * `stuck-in-onboarding`, `detractors`), evaluated at the edge. Pure.
 *
 * A rule is `{all: [...]}`, `{any: [...]}`, `{not: rule}`, `{segment: id}` or a condition
 * `{field, op, value}` over one of FIELDS. `within` takes days and a time field: true when the
 * time is at most that many days ago. A missing field fails every comparison but `ne` (and
 * `exists` false): "not a detractor" holds for a visitor who never answered.
 */
import type { SegmentConfig, SegmentRule } from '../../snippet/core/wire'
import { HALF_LIFE_MS } from './interests'
import type { Profile } from './profile'

type Value = string | number | boolean | undefined
const DAY = 86_400_000

/**
 * Fields a condition may read: a fixed name, or a prefix followed by a key the site chooses
 * (a topic, a funnel id, a trait). Documented in ARCHITECTURE.md.
 */
const FIELDS: { [name: string]: (p: Profile, now: number) => Value } = {
  sessions: (p) => p.sessions,
  pageviews: (p) => p.pageviews,
  events: (p) => p.events,
  firstSeen: (p) => p.firstSeen,
  lastSeen: (p) => p.lastSeen,
  returning: (p) => p.sessions > 1,
  user: (p) => p.user?.id,
  topInterest: (p) => topInterest(p),
  'nps.score': (p) => p.nps?.score,
  'nps.group': (p) => p.nps?.group,
  'nps.at': (p) => p.nps?.at,
  'csat.score': (p) => p.csat?.score,
  'csat.at': (p) => p.csat?.at,
  'entry.path': (p) => p.entry?.path,
  'entry.referrer': (p) => p.entry?.referrer,
  'entry.source': (p) => p.entry?.source,
  'entry.medium': (p) => p.entry?.medium,
  'entry.campaign': (p) => p.entry?.campaign,
  device: (p) => p.device,
  country: (p) => p.country,
}
const FRICTION = ['rage', 'dead', 'error', 'abandon', 'stall']

/** `interests.<topic>` (decayed to now), `funnels.<id>` (steps reached), `funnels.<id>.step|at`,
 * `friction.<kind>` (count), `friction.<kind>.last`, `traits.<key>`, `exp.<slot>` (variant). */
function reader(field: string): ((p: Profile, now: number) => Value) | null {
  const fixed = FIELDS[field]
  if (fixed) return fixed
  const [head, key, sub, ...more] = field.split('.')
  if (!key || more.length) return null
  switch (head) {
    case 'interests':
      return sub ? null : (p, now) => decayed(p, key, now)
    case 'funnels':
      if (!sub) return (p) => (p.funnels[key] ? p.funnels[key]!.i + 1 : 0)
      return sub === 'step' ? (p) => p.funnels[key]?.step : sub === 'at' ? (p) => p.funnels[key]?.at : null
    case 'friction':
      if (!FRICTION.includes(key)) return null
      if (!sub) return (p) => p.friction[key as 'rage']?.n ?? 0
      return sub === 'last' ? (p) => p.friction[key as 'rage']?.last : null
    case 'traits':
      return sub ? null : (p) => plain(p.user?.traits?.[key])
    case 'exp':
      return sub ? null : (p) => p.exp[key]?.variant
    case 'propensity':
      // Added where the profile is read, from the site's model (domain/propensity.ts); missing
      // while the site has too little data for one, so every comparison but `ne` fails.
      return sub ? null : (p) => p.propensity?.[key]
  }
  return null
}

const plain = (x: unknown): Value =>
  typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean' ? x : undefined

function decayed(p: Profile, topic: string, now: number): number {
  const s = p.interests.scores[topic] ?? 0
  return s * 0.5 ** (Math.max(0, now - p.interests.at) / HALF_LIFE_MS)
}

export function topInterest(p: Profile): string | undefined {
  let best: string | undefined
  let top = 0
  for (const [t, s] of Object.entries(p.interests.scores))
    if (s > top || (s === top && best !== undefined && t < best)) ((best = t), (top = s))
  return best
}

const TIME_FIELD = /^(firstSeen|lastSeen|nps\.at|csat\.at|funnels\.[^.]+\.at|friction\.[^.]+\.last)$/

/** Segment id → whether the visitor is in it, for every segment of the site, memoised per call. */
export function segmentsOf(segments: SegmentConfig[] | undefined, p: Profile, now: number): string[] {
  const test = matcher(segments, p, now)
  return (segments ?? []).filter((s) => test({ segment: s.id })).map((s) => s.id)
}

/** A function telling whether the profile matches a rule (segments evaluated once each). */
export function matcher(
  segments: SegmentConfig[] | undefined,
  p: Profile,
  now: number,
): (rule: SegmentRule | string) => boolean {
  const byId = new Map((segments ?? []).map((s) => [s.id, s.rule]))
  const memo = new Map<string, boolean>()
  const test = (r: SegmentRule | string): boolean => {
    if (typeof r === 'string') r = { segment: r }
    if ('all' in r) return r.all.every(test)
    if ('any' in r) return r.any.some(test)
    if ('not' in r) return !test(r.not)
    if ('segment' in r) {
      let m = memo.get(r.segment)
      if (m === undefined) {
        memo.set(r.segment, false) // a cycle (refused on save) cannot recurse for ever
        const rule = byId.get(r.segment)
        m = rule ? test(rule) : false
        memo.set(r.segment, m)
      }
      return m
    }
    return compare(reader(r.field)?.(p, now), r.op, r.value, now)
  }
  return test
}

function compare(x: Value, op: string, want: unknown, now: number): boolean {
  switch (op) {
    case 'exists':
      return (x !== undefined && x !== '') === (want ?? true)
    case 'ne':
      return x !== want
    case 'in':
      return x !== undefined && Array.isArray(want) && want.includes(x as string)
    case 'within':
      return typeof x === 'number' && x > 0 && now - x <= (want as number) * DAY
    case 'contains':
      return typeof x === 'string' && x.toLowerCase().includes(String(want).toLowerCase())
  }
  if (op === 'eq') return x === want
  if (typeof x !== 'number') return false
  switch (op) {
    case 'gt':
      return x > (want as number)
    case 'gte':
      return x >= (want as number)
    case 'lt':
      return x < (want as number)
    case 'lte':
      return x <= (want as number)
  }
  return false
}

const OPS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'exists', 'within', 'contains']
const MAX_DEPTH = 8
const MAX_CONDITIONS = 50

/**
 * Why a rule is wrong, or null: unknown field or operator, a value of the wrong kind, a
 * segment that does not exist, too deep or too large. `where` names it in the message.
 * `funnels`, when given, are the site's funnels: `propensity.<id>` must name one of them.
 */
export function ruleProblem(
  rule: unknown,
  known: ReadonlySet<string>,
  where: string,
  funnels?: ReadonlySet<string>,
): string | null {
  let count = 0
  const check = (r: unknown, path: string, depth: number): string | null => {
    if (depth > MAX_DEPTH) return `${path} nests more than ${MAX_DEPTH} levels`
    if (typeof r === 'string') return known.has(r) ? null : `${path} names the unknown segment '${r}'`
    if (!r || typeof r !== 'object' || Array.isArray(r)) return `${path} must be a rule object`
    const o = r as { [k: string]: unknown }
    const keys = Object.keys(o)
    if (++count > MAX_CONDITIONS) return `${where} has more than ${MAX_CONDITIONS} conditions`
    for (const k of ['all', 'any'])
      if (k in o) {
        if (keys.length !== 1) return `${path} must hold only '${k}'`
        const list = o[k]
        if (!Array.isArray(list) || !list.length) return `${path}.${k} must be a non-empty list of rules`
        for (let i = 0; i < list.length; i++) {
          const e = check(list[i], `${path}.${k}[${i}]`, depth + 1)
          if (e) return e
        }
        return null
      }
    if ('not' in o) return keys.length !== 1 ? `${path} must hold only 'not'` : check(o.not, `${path}.not`, depth + 1)
    if ('segment' in o) {
      if (keys.length !== 1) return `${path} must hold only 'segment'`
      return typeof o.segment === 'string' && known.has(o.segment)
        ? null
        : `${path} names the unknown segment '${String(o.segment)}'`
    }
    const extra = keys.find((k) => !['field', 'op', 'value'].includes(k))
    if (extra) return `${path} has the unknown key '${extra}' (a rule is all, any, not, segment or field/op/value)`
    const { field, op, value } = o
    if (typeof field !== 'string' || !reader(field))
      return `${path}.field '${String(field)}' is not a profile field (see ARCHITECTURE.md, "Segments")`
    if (typeof op !== 'string' || !OPS.includes(op)) return `${path}.op must be one of ${OPS.join(', ')}`
    if (field.startsWith('propensity.')) {
      const id = field.slice('propensity.'.length)
      if (funnels && !funnels.has(id))
        return `${path}.field '${field}' names no funnel of this site (funnels: ${[...funnels].join(', ') || 'none'})`
      if (['gt', 'gte', 'lt', 'lte'].includes(op) && !(typeof value === 'number' && value >= 0 && value <= 1))
        return `${path}.value must be a chance from 0 to 1 for '${field}'`
    }
    const scalar = (x: unknown) =>
      (typeof x === 'string' && x.length <= 200) ||
      (typeof x === 'number' && Number.isFinite(x)) ||
      typeof x === 'boolean'
    if (op === 'exists')
      return value === undefined || typeof value === 'boolean' ? null : `${path}.value must be true or false`
    if (op === 'within') {
      if (!TIME_FIELD.test(field)) return `${path}: 'within' needs a time field (firstSeen, lastSeen, nps.at, …)`
      return typeof value === 'number' && value > 0 && value <= 3650 ? null : `${path}.value must be a number of days`
    }
    if (op === 'in')
      return Array.isArray(value) && value.length && value.length <= 100 && value.every(scalar)
        ? null
        : `${path}.value must be a non-empty list of values`
    if (['gt', 'gte', 'lt', 'lte'].includes(op))
      return typeof value === 'number' && Number.isFinite(value) ? null : `${path}.value must be a number`
    return scalar(value) ? null : `${path}.value must be a string, number or true/false`
  }
  return check(rule, where, 0)
}

/** Why a site's segments are wrong (a bad rule, an unknown or circular reference), or null. */
export function segmentsProblem(
  segments: { id: string; rule: unknown }[],
  funnels?: ReadonlySet<string>,
): string | null {
  const known = new Set(segments.map((s) => s.id))
  for (const [i, s] of segments.entries()) {
    const e = ruleProblem(s.rule, known, `segments[${i}] '${s.id}': rule`, funnels)
    if (e) return e
  }
  // Circular references: a segment that (through others) names itself.
  const refs = (r: unknown, out: string[] = []): string[] => {
    if (typeof r === 'string') out.push(r)
    else if (r && typeof r === 'object') {
      const o = r as { [k: string]: unknown }
      if (typeof o.segment === 'string') out.push(o.segment)
      for (const k of ['all', 'any']) if (Array.isArray(o[k])) for (const x of o[k] as unknown[]) refs(x, out)
      if (o.not) refs(o.not, out)
    }
    return out
  }
  const graph = new Map(segments.map((s) => [s.id, refs(s.rule)]))
  const state = new Map<string, 1 | 2>()
  const visit = (id: string, trail: string[]): string | null => {
    if (state.get(id) === 2) return null
    if (state.get(id) === 1) return `segments '${[...trail, id].join("' → '")}' refer to each other in a circle`
    state.set(id, 1)
    for (const n of graph.get(id) ?? []) {
      const e = visit(n, [...trail, id])
      if (e) return e
    }
    state.set(id, 2)
    return null
  }
  for (const s of segments) {
    const e = visit(s.id, [])
    if (e) return e
  }
  return null
}

/** The profile fields for the docs and the dashboard. */
export const FIELD_NAMES = [
  ...Object.keys(FIELDS),
  'interests.<topic>',
  'funnels.<id>',
  'funnels.<id>.step',
  'funnels.<id>.at',
  ...FRICTION.flatMap((f) => [`friction.${f}`, `friction.${f}.last`]),
  'traits.<key>',
  'exp.<slot>',
  'propensity.<funnel>',
]
