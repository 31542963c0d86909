/**
 * @module landing: a first visit's slots, decided from its landing page alone, as rules the page
 * can check itself the moment the config arrives (no round trip after the core). Pure.
 *
 * A first visit's profile (routes/decide.ts builds it from one pageview) is the same for every
 * visitor but for the landing context: the entry's path, referrer host and UTM parameters, the
 * device, the landing page's topics (the config's URL prefixes) and the country. Each slot's
 * decision (decide.ts: rules, then experiment, then interests) is folded over that profile: what
 * every first visit has is worked out here; what the page knows stays as a test for the page
 * (snippet/personalise/landing.ts); what only the worker knows (the country, a propensity
 * score, an experiment's assignment, a date compared with the first visit's time) ends the list
 * with "ask the worker". test/edge/landing.test.ts holds page and worker to the same answers.
 */
import type { FirstVisitRule, SegmentRule, SiteConfig } from '../../snippet/contract/wire'
import { applyEvents } from './profile'
import { profileSpec } from './decide'
import { compare, reader } from './segments'

/** A rule folded over a first visit: true, false, a test left for the page, or null (only the worker knows). */
type Folded = boolean | null | SegmentRule

/** Landing fields the page reads itself, and the operators it applies to them (all on strings). */
const PAGE_FIELDS = ['entry.path', 'entry.referrer', 'entry.source', 'entry.medium', 'entry.campaign', 'device']
const PAGE_OPS = ['eq', 'ne', 'in', 'exists', 'contains']
/**
 * Most conditions one test sent to pages may hold (a segment named in many places is written out
 * in each), and all of a config's tests together: past them, the worker decides (the config stays small).
 */
const MAX_TEST = 100
const MAX_CONFIG = 1000

/** Per slot of the config (same order): how a page decides it on a first visit. */
export function firstVisitRules(config: SiteConfig, now = Date.now()): FirstVisitRule[][] {
  // Every first visit's profile but for what the landing page changes (read symbolically below).
  const profile = applyEvents(
    null,
    [{ id: '', type: 'pageview', ts: now, url: 'https://landing.invalid/', topics: [], flags: 0 }],
    '',
    now,
    profileSpec(config),
  )
  const byId = new Map((config.segments ?? []).map((s) => [s.id, s.rule]))
  const memo = new Map<string, Folded>()
  let budget = MAX_CONFIG
  const topics = new Set(Object.values(config.capture?.topics ?? {}).flatMap((ts) => ts.map((t) => t.toLowerCase())))

  const fold = (r: SegmentRule | string): Folded => {
    if (typeof r === 'string') r = { segment: r }
    if ('all' in r) return join(r.all.map(fold), 'all')
    if ('any' in r) return join(r.any.map(fold), 'any')
    if ('not' in r) {
      const x = fold(r.not)
      return typeof x === 'boolean' ? !x : x && { not: x }
    }
    if ('segment' in r) {
      let m = memo.get(r.segment)
      if (m === undefined) {
        memo.set(r.segment, false) // as the matcher: a cycle (refused on save) is false, not endless
        const rule = byId.get(r.segment)
        m = rule ? fold(rule) : false
        memo.set(r.segment, m)
      }
      return m
    }
    const { field, op, value } = r
    // Strings (or missing): the order operators and `within` are false for every page.
    if (PAGE_FIELDS.includes(field) || field === 'topInterest')
      return PAGE_OPS.includes(op) ? { field, op, ...(value !== undefined && { value }) } : false
    // A first visit's interest in a topic is 1 when the landing page maps to it, else 0.
    if (field.startsWith('interests.')) {
      const has = compare(1, op, value, now)
      const hasNot = compare(0, op, value, now)
      if (has === hasNot || !topics.has(field.slice(10))) return hasNot
      return has ? { field, op: 'exists' } : { field, op: 'exists', value: false }
    }
    if (field === 'country' || field.startsWith('propensity.')) return null
    // The first visit's own time: within any number of days, and there; other comparisons depend on the clock.
    if (field === 'firstSeen' || field === 'lastSeen')
      return op === 'within' || op === 'exists' ? compare(now, op, value, now) : null
    const read = reader(field)
    return read ? compare(read(profile, now), op, value, now) : null
  }

  return (config.slots ?? []).map((slot) => {
    const out: FirstVisitRule[] = []
    /** Adds a step; true when nothing after it can be reached. */
    const step = (when: Folded, variant: string | null): boolean => {
      if (when === false) return false
      if (when === true) return out.push({ variant }) > 0
      const n = when === null ? Infinity : size(when)
      if (when === null || n > MAX_TEST || n > budget) return out.push({ variant: null }) > 0
      budget -= n
      out.push({ when, variant })
      return false
    }
    for (const rule of slot.rules ?? []) if (step(fold(rule.when), rule.variant)) return out
    const x = slot.experiment
    // An experiment's arm is the worker's to assign (and to pin for the visitor's next pages).
    if (x && x.on !== false && step(x.audience === undefined ? true : fold(x.audience), null)) return out
    // Every topic of a first visit weighs the same: the first of the slot's topics by name wins.
    const rules = slot.byInterest ?? {}
    for (const topic of Object.keys(rules).sort())
      if (topics.has(topic)) step({ field: `interests.${topic}`, op: 'exists' }, rules[topic]!)
    return out
  })
}

/** `all` or `any` of folded parts: what decides it, or what is left for the page. */
function join(parts: Folded[], kind: 'all' | 'any'): Folded {
  const decisive = kind === 'any'
  if (parts.includes(decisive)) return decisive
  if (parts.includes(null)) return null
  const left = parts.filter((p) => p !== !decisive) as SegmentRule[]
  if (!left.length) return !decisive
  return left.length === 1 ? left[0]! : kind === 'all' ? { all: left } : { any: left }
}

/** Conditions in a test as sent: a segment named in many places is written out in each (counted once per object). */
const sizes = new WeakMap<object, number>()
function size(r: SegmentRule): number {
  let n = sizes.get(r)
  if (n === undefined) {
    const sum = (xs: (SegmentRule | string)[]) => xs.reduce((t, x) => t + size(x as SegmentRule), 0)
    n = 'all' in r ? sum(r.all) : 'any' in r ? sum(r.any) : 'not' in r ? size(r.not as SegmentRule) : 1
    sizes.set(r, n)
  }
  return n
}
