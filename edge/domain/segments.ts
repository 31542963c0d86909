/**
 * @module segments: named rules over a visitor's profile (`returning`, `pricing-curious`,
 * `stuck-in-onboarding`, `detractors`), evaluated at the edge. Pure.
 *
 * A rule is `{all: [...]}`, `{any: [...]}`, `{not: rule}`, `{segment: id}` or a condition
 * `{field, op, value}` over one of FIELDS. `within` takes days and a time field: true when the
 * time is at most that many days ago. A missing field fails every comparison but `ne` (and
 * `exists` false): "not a detractor" holds for a visitor who never answered.
 */
import * as v from 'valibot'
import type { SegmentConfig, SegmentRule } from '../../snippet/contract/wire'
import { HALF_LIFE_MS } from './interests'
import type { Profile } from './profile'
import { describe, keysPath } from './issues'

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
export function reader(field: string): ((p: Profile, now: number) => Value) | null {
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

export function compare(x: Value, op: string, want: unknown, now: number): boolean {
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

const OPS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'exists', 'within', 'contains'] as const
const ORDER: readonly string[] = ['gt', 'gte', 'lt', 'lte']
const MAX_DEPTH = 8
const MAX_CONDITIONS = 50

/** The profile fields, for the JSON Schema editors read (`GET /v1/schema/site`). */
const FIELD_NAMES = [
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

type Key = string | number
/** What is wrong with a rule, and where inside it. */
export interface RuleProblem {
  at: Key[]
  message: string
}

/**
 * Why a rule is too large to check (deeper than MAX_DEPTH, more than MAX_CONDITIONS rules), or
 * null. Counted before the schema descends, so no body can make it recurse without bound.
 */
function oversized(rule: object): string | null {
  let count = 0
  const walk = (r: unknown, depth: number): string | null => {
    if (!r || typeof r !== 'object' || Array.isArray(r)) return null
    if (depth > MAX_DEPTH) return `nests more than ${MAX_DEPTH} levels`
    if (++count > MAX_CONDITIONS) return `has more than ${MAX_CONDITIONS} conditions`
    const o = r as { [k: string]: unknown }
    for (const k of ['all', 'any'])
      if (Array.isArray(o[k]))
        for (const x of o[k] as unknown[]) {
          const e = walk(x, depth + 1)
          if (e) return e
        }
    return 'not' in o ? walk(o.not, depth + 1) : null
  }
  return walk(rule, 0)
}

/** A rule object holding the keys of `entries` and nothing else (its JSON Schema says so too). */
const only = <E extends v.ObjectEntries>(entries: E, extra: (key: string) => string) =>
  v.pipe(
    v.looseObject(entries, 'must be a rule object'),
    v.rawCheck(({ dataset, addIssue }) => {
      const key = dataset.typed && Object.keys(dataset.value).find((k) => !(k in entries))
      if (key) addIssue({ message: extra(key) })
    }),
    v.metadata({ additionalProperties: false }),
  )

const SegmentName = v.pipe(
  v.string('must be a segment id'),
  v.regex(/^[\w-]{1,64}$/, "must be 1-64 letters, digits, '-' or '_'"),
)

/**
 * A rule, checked recursively. Each object is checked as the one form its key names (`all`,
 * `any`, `not`, `segment`, else a condition), so the message is that form's; the JSON Schema
 * (built with no input) gets every form. Typed as the wire type: a segment id where the wire
 * type says a rule (an item of `all`) is read by the matcher as `{segment}`.
 */
export const Rule = v.lazy((input) => {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return RuleForms
  const big = oversized(input)
  if (big) return v.custom(() => false, big)
  return 'all' in input ? All : 'any' in input ? Any : 'not' in input ? Not : 'segment' in input ? Ref : Condition
}) as unknown as v.GenericSchema<unknown, SegmentRule>

/** A segment id or a rule (a slot rule's `when`, an audience, an item of `all`). */
export const RuleOrSegment = v.lazy((input) =>
  typeof input === 'string' ? SegmentName : input && typeof input === 'object' ? Rule : RuleOrSegmentForms,
) as unknown as v.GenericSchema<unknown, string | SegmentRule>

const scalar = (x: unknown) =>
  (typeof x === 'string' && x.length <= 200) || (typeof x === 'number' && Number.isFinite(x)) || typeof x === 'boolean'
const Scalar = v.union(
  [v.pipe(v.string(), v.maxLength(200)), v.pipe(v.number(), v.finite()), v.boolean()],
  'must be a string, number or true/false',
)

/** What a condition's value must be for its operator and field, or null. */
function valueProblem(field: string, op: string, value: unknown): RuleProblem | null {
  const at = ['value']
  if (field.startsWith('propensity.') && ORDER.includes(op) && !(typeof value === 'number' && value >= 0 && value <= 1))
    return { at, message: `must be a chance from 0 to 1 for '${field}'` }
  if (op === 'exists')
    return value === undefined || typeof value === 'boolean' ? null : { at, message: 'must be true or false' }
  if (op === 'within') {
    if (!TIME_FIELD.test(field))
      return {
        at: ['field'],
        message: `'${field}' is not a time field: 'within' needs a time field (firstSeen, lastSeen, nps.at, …)`,
      }
    return typeof value === 'number' && value > 0 && value <= 3650 ? null : { at, message: 'must be a number of days' }
  }
  if (op === 'in')
    return Array.isArray(value) && value.length && value.length <= 100 && value.every(scalar)
      ? null
      : { at, message: 'must be a non-empty list of values' }
  if (ORDER.includes(op))
    return typeof value === 'number' && Number.isFinite(value) ? null : { at, message: 'must be a number' }
  return scalar(value) ? null : { at, message: 'must be a string, number or true/false' }
}

const notField = (issue: { input: unknown }) =>
  `'${String(issue.input)}' is not a profile field (see ARCHITECTURE.md, "Segments")`
const pathItem = (input: object, key: Key) =>
  ({ type: 'object', origin: 'value', input, key, value: (input as Record<Key, unknown>)[key] }) as v.ObjectPathItem

/** `{field, op, value}`: a test of one profile field. */
const Condition = v.pipe(
  only(
    {
      field: v.pipe(
        v.string(notField),
        v.check((f) => reader(f) !== null, notField),
        v.description(`A profile field: ${FIELD_NAMES.join(', ')}.`),
      ),
      op: v.picklist(OPS, `must be one of ${OPS.join(', ')}`),
      value: v.optional(v.union([Scalar, v.array(Scalar)], 'must be a string, number, true/false or a list of them')),
    },
    (key) => `has the unknown key '${key}' (a rule is all, any, not, segment or field/op/value)`,
  ),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return
    const { field, op, value } = dataset.value
    const p = valueProblem(field, op, value)
    if (p) addIssue({ message: p.message, path: [pathItem(dataset.value, p.at[0]!)] })
  }),
)

const RULES = 'must be a non-empty list of rules'
const holdsOnly = (k: string) => () => `must hold only '${k}'`
const All = only({ all: v.pipe(v.array(RuleOrSegment, RULES), v.minLength(1, RULES)) }, holdsOnly('all'))
const Any = only({ any: v.pipe(v.array(RuleOrSegment, RULES), v.minLength(1, RULES)) }, holdsOnly('any'))
const Not = only({ not: RuleOrSegment }, holdsOnly('not'))
const Ref = only({ segment: SegmentName }, holdsOnly('segment'))

/** Every form of a rule: what the JSON Schema describes (and the message for anything else). */
export const RuleForms = v.union([All, Any, Not, Ref, Condition], 'must be a rule object')
/** A segment id, or a rule. */
export const RuleOrSegmentForms = v.union([SegmentName, Rule], 'must be a segment id or a rule object')

/**
 * What a (well-formed) rule names that the site does not have: a segment, or, for
 * `propensity.<id>`, a funnel (when `funnels` is given).
 */
export function refsProblem(
  rule: unknown,
  known: ReadonlySet<string>,
  funnels?: ReadonlySet<string>,
): RuleProblem | null {
  const check = (r: unknown, at: Key[]): RuleProblem | null => {
    if (typeof r === 'string') return known.has(r) ? null : { at, message: `names the unknown segment '${r}'` }
    if (!r || typeof r !== 'object') return null
    const o = r as { [k: string]: unknown }
    for (const k of ['all', 'any'])
      if (Array.isArray(o[k]))
        for (const [i, x] of (o[k] as unknown[]).entries()) {
          const e = check(x, [...at, k, i])
          if (e) return e
        }
    if ('not' in o) return check(o.not, [...at, 'not'])
    if (typeof o.segment === 'string') return check(o.segment, at)
    const field = o.field
    if (funnels && typeof field === 'string' && field.startsWith('propensity.')) {
      const id = field.slice('propensity.'.length)
      if (!funnels.has(id))
        return {
          at: [...at, 'field'],
          message: `'${field}' names no funnel of this site (funnels: ${[...funnels].join(', ') || 'none'})`,
        }
    }
    return null
  }
  return check(rule, [])
}

/** The segments that (through others) name themselves: where the first is, and the circle. */
export function circleProblem(segments: { id: string; rule: unknown }[]): RuleProblem | null {
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
  const visit = (id: string, trail: string[]): string[] | null => {
    if (state.get(id) === 2) return null
    if (state.get(id) === 1) return [...trail, id]
    state.set(id, 1)
    for (const n of graph.get(id) ?? []) {
      const e = visit(n, [...trail, id])
      if (e) return e
    }
    state.set(id, 2)
    return null
  }
  for (const [i, s] of segments.entries()) {
    const circle = visit(s.id, [])
    if (circle)
      return {
        at: [i, 'rule'],
        message: `makes segments '${circle.join("' → '")}' refer to each other in a circle`,
      }
  }
  return null
}

/** Why a rule is wrong as text (`where` first), or null: its form, then what it names. */
export function ruleProblem(
  rule: unknown,
  known: ReadonlySet<string>,
  where: string,
  funnels?: ReadonlySet<string>,
): string | null {
  const r = v.safeParse(RuleOrSegment, rule)
  if (!r.success) return describe(r.issues, where)
  const p = refsProblem(r.output, known, funnels)
  return p && `${keysPath(p.at, where)} ${p.message}`
}

/** Why a site's segments are wrong as text (a bad rule, an unknown or circular reference), or null. */
export function segmentsProblem(
  segments: { id: string; rule: unknown }[],
  funnels?: ReadonlySet<string>,
): string | null {
  const known = new Set(segments.map((s) => s.id))
  for (const [i, s] of segments.entries()) {
    const e = ruleProblem(s.rule, known, `segments[${i}] '${s.id}': rule`, funnels)
    if (e) return e
  }
  return circleProblem(segments)?.message.replace(/^makes /, '') ?? null
}
